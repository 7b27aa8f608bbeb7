// sync-branch where codexlog-hooks is installed (issue 11): `check` says when a branch is behind its
// base on the log, sync-branch merges the base with the driver (the post-merge hook logs it), a
// second run and a base that merges cleanly on the server are no-ops, and it refuses, changing
// nothing, on a detached HEAD, uncommitted changes, the base itself, a merge in progress, and a
// merge the driver cannot do (an LFS object nowhere to be found: the merge is aborted, exit 1).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messages, PREFIX } from '../../src/messages.ts';
import { LOG, logJson, SESSION } from '../helpers/log.ts';
import { listFiles, queryDb, type Run, type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import { agentCommit, cloneTeam, makeTeam, TEAM_ENV } from '../helpers/team.ts';

const repos = throwawayRepos(test);

function expectRun(r: Run, code: number, what: string): Run {
  assert.is(r.status, code, `${what}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  assert.not.match(`${r.stdout}${r.stderr}`, /^ {4}at /m, `${what} printed a stack trace`);
  return r;
}

const sync = (repo: TestRepo, args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  repo.cli(['sync-branch', ...args], { env: { ...TEAM_ENV, ...env } });
const check = (repo: TestRepo) => repo.cli(['check'], { env: TEAM_ENV });

async function uids(repo: TestRepo, file = LOG): Promise<string[]> {
  return (await queryDb<{ uid: string }>(path.join(repo.dir, file), 'SELECT uid FROM codex_actions ORDER BY uid')).map((r) => r.uid);
}

/**
 * HEAD, the index, the work tree (node_modules aside) and no merge in progress: what a refusal
 * leaves alone. The index byte for byte, or (`entries`, after `git merge --abort`, which rewrites
 * it and the stat data it caches) its entries and staged changes.
 */
function state(repo: TestRepo, options: { entries?: boolean } = {}): Record<string, string> {
  const s: Record<string, string> = {
    head: repo.git(['rev-parse', 'HEAD']),
    symref: repo.git(['symbolic-ref', '-q', 'HEAD'], { allowFail: true }),
    index: options.entries
      ? `${repo.git(['ls-files', '-s'])}${repo.git(['diff', '--cached', '--binary'])}`
      : readFileSync(path.join(repo.dir, '.git', 'index')).toString('base64'),
    status: repo.git(['status', '--porcelain', '--untracked-files=all']),
    mergeHead: String(existsSync(path.join(repo.dir, '.git', 'MERGE_HEAD'))),
  };
  for (const f of listFiles(repo.dir)) {
    if (!f.startsWith('node_modules/') && !f.endsWith('/')) s[f] = readFileSync(path.join(repo.dir, f)).toString('base64');
  }
  return s;
}

/** A team: `a` on main, `b` on branch `topic` with logged commits, and main moved by `a` (logged too, pushed). */
function diverged(): { remote: string; a: TestRepo; b: TestRepo } {
  const { remote, first: a } = makeTeam(repos);
  const b = cloneTeam(repos, remote);
  b.git(['checkout', '-q', '-b', 'topic']);
  agentCommit(b, 'bob-1');
  agentCommit(b, 'bob-2');
  agentCommit(a, 'alice-1');
  a.git(['push', '-q'], { env: TEAM_ENV });
  b.git(['fetch', '-q']);
  return { remote, a, b };
}

test('check says a branch behind its base on the log should sync; sync-branch merges it with the driver, logged; then all is quiet', async () => {
  const { a, b } = diverged();
  const hint = `${messages.behindOnLog('origin/main')}\n`;
  const before = expectRun(check(b), 0, 'check on the diverged branch');
  assert.ok(before.stdout.includes(hint), before.stdout);
  const rows = [...new Set([...(await uids(a)), ...(await uids(b))])].sort();
  const tip = b.git(['rev-parse', 'HEAD']).trim();

  const r = expectRun(sync(b), 0, 'sync-branch');
  const merge = b.git(['rev-parse', 'HEAD']).trim();
  assert.is(r.stderr, `${PREFIX} ${messages.syncMerged('topic', 'main', merge)}\n${PREFIX} ${messages.syncNotPushed('topic')}\n`);
  assert.is(b.git(['log', '-1', '--format=%P%n%an', 'HEAD']).trim(), `${tip} ${a.git(['rev-parse', 'HEAD']).trim()}\nTest Agent`);
  assert.is(b.git(['status', '--porcelain']), '');
  // The work tree's log is the union (the driver's result, smudged), and the post-merge hook logged the merge.
  assert.equal(await uids(b), rows);
  assert.equal(await uids(b, SESSION), rows);
  const merges = logJson(b, [], TEAM_ENV).filter((x) => x.action === 'git.merge');
  assert.is(merges.length, 1, 'one git.merge row');
  assert.equal([merges[0].pending, merges[0].id], [true, null]);
  // The driver was given to that merge only: the clone's own config is as install left it.
  assert.is(b.git(['config', 'merge.codexlog.driver']).trim(), 'sh "$(git rev-parse --git-common-dir)/codexlog/merge-driver" %O %A %B %P');

  const after = expectRun(check(b), 0, 'check after the sync');
  assert.not.ok(after.stdout.includes(hint), after.stdout);
  const again = expectRun(sync(b, ['--base', 'main']), 0, 'sync-branch again');
  assert.is(again.stderr, `${PREFIX} ${messages.syncUpToDate('topic', 'main')}\n`);
  assert.is(b.git(['rev-parse', 'HEAD']).trim(), merge);
});

test('a base that changed no log merges on the server as it is: no hint, no merge', () => {
  const { remote, first: a } = makeTeam(repos);
  const b = cloneTeam(repos, remote);
  b.git(['checkout', '-q', '-b', 'topic']);
  agentCommit(b, 'bob-1');
  // Main moves without logging (hooks off): its log stays as it was.
  a.write('other.txt', 'other\n');
  a.git(['add', 'other.txt']);
  a.git(['commit', '-q', '-m', 'unlogged'], { env: { ...TEAM_ENV, CODEXLOG_HOOKS: '0' } });
  a.git(['push', '-q'], { env: TEAM_ENV });
  b.git(['fetch', '-q']);
  assert.not.ok(expectRun(check(b), 0, 'check').stdout.includes(messages.behindOnLog('origin/main')));
  const head = b.git(['rev-parse', 'HEAD']);
  const r = expectRun(sync(b), 0, 'sync-branch');
  assert.is(r.stderr, `${PREFIX} ${messages.syncNoConflict('topic', 'main')}\n`);
  assert.is(b.git(['rev-parse', 'HEAD']), head);
});

test('refusals change nothing: a detached HEAD, uncommitted changes, the base itself, a merge in progress, a bad --base; TEST_MODE does nothing', () => {
  const { b } = diverged();
  const cases: Array<[string, () => void, string[], number, string, () => void]> = [
    [
      'a detached HEAD',
      () => b.git(['checkout', '-q', '--detach']),
      [],
      1,
      messages.syncDetached,
      () => b.git(['checkout', '-q', 'topic']),
    ],
    [
      'uncommitted changes',
      () => b.write('bob-1.txt', 'changed\n'),
      [],
      1,
      messages.syncDirty(['bob-1.txt']),
      () => b.git(['checkout', '--', 'bob-1.txt']),
    ],
    [
      'the base itself',
      () => b.git(['checkout', '-q', 'main']),
      [],
      1,
      messages.syncOnBase('main'),
      () => b.git(['checkout', '-q', 'topic']),
    ],
    [
      'a --base that is no branch name',
      () => {},
      ['--base', 'a..b'],
      2,
      '--base a..b: expected a branch name of the remote, such as main.',
      () => {},
    ],
    ['a --base the remote lacks', () => {}, ['--base', 'nope'], 1, messages.syncNoBaseBranch('origin', 'nope'), () => {}],
  ];
  for (const [what, setup, args, code, message, undo] of cases) {
    setup();
    const before = state(b);
    const r = expectRun(sync(b, args), code, what);
    // A usage error (exit 2) adds the command's usage line.
    const usage = code === 2 ? 'Usage: codexlog-hooks sync-branch [--base <branch>] [--push]\n' : '';
    assert.is(r.stderr, `${PREFIX} ${message}\n${usage}`, what);
    assert.equal(state(b), before, `${what}: something changed`);
    undo();
  }
  // A merge in progress (a conflict left for the user).
  b.write('conflict.txt', 'topic\n');
  b.git(['add', 'conflict.txt']);
  b.git(['commit', '-q', '-m', 'topic side'], { env: { ...TEAM_ENV, CODEXLOG_HOOKS: '0' } });
  b.git(['checkout', '-q', '-b', 'other', 'HEAD~1']);
  b.write('conflict.txt', 'other\n');
  b.git(['add', 'conflict.txt']);
  b.git(['commit', '-q', '-m', 'other side'], { env: { ...TEAM_ENV, CODEXLOG_HOOKS: '0' } });
  assert.is(b.run('git', ['merge', 'topic'], { env: TEAM_ENV }).status, 1);
  const before = state(b);
  const r = expectRun(sync(b), 1, 'a merge in progress');
  assert.is(r.stderr, `${PREFIX} ${messages.syncInProgress(['merge'])}\n`);
  assert.equal(state(b), before);
  b.git(['merge', '--abort']);
  b.git(['checkout', '-q', 'topic']);

  const head = state(b);
  const t = expectRun(sync(b, [], { TEST_MODE: '1' }), 0, 'TEST_MODE');
  assert.is(t.stderr, `${PREFIX} ${messages.testMode}\n`);
  assert.equal(state(b), head);
});

test('a merge the driver cannot do (the base log object is nowhere): aborted, exit 1, the index and work tree as before', () => {
  const { remote, b } = diverged();
  // The object of main's new log, gone from the server; this clone never downloaded it.
  const pointer = b.git(['cat-file', '-p', `origin/main:${LOG}`]);
  const oid = /oid sha256:([0-9a-f]{64})/.exec(pointer)?.[1] as string;
  const bare = remote.replace(/^file:\/\//, '');
  const object = path.join(bare, 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid);
  assert.ok(existsSync(object), 'the server had the object');
  rmSync(object);
  assert.not.ok(existsSync(path.join(b.dir, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid)));
  const before = state(b, { entries: true });
  const r = expectRun(sync(b), 1, 'sync-branch');
  const reason = messages.mergeMissingObject(LOG, 'theirs');
  assert.ok(
    r.stderr.startsWith(`${PREFIX} ${messages.syncMergeFailed('topic', 'main', [LOG, SESSION], reason)}`),
    `${r.stderr}\nexpected: ${messages.syncMergeFailed('topic', 'main', [LOG, SESSION], reason)}`,
  );
  assert.equal(state(b, { entries: true }), before, 'the aborted merge left something behind');
});

test.run();
