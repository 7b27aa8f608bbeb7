// A server's rebase merge replays commits without the merge driver (issue 11): simulated here by a
// rebase in a clone without codexlog-hooks that resolves the log by taking the replayed commit's
// side. `check` then names the commit that dropped main's rows (where the LFS objects are local),
// `restore <commit>` puts them among the uncommitted rows, and the next commit carries them.
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messages, PREFIX } from '../../src/messages.ts';
import { LOG, logJson } from '../helpers/log.ts';
import { queryDb, type Run, type TestRepo, tempDir, throwawayRepos } from '../helpers/repo.ts';
import { agentCommit, cloneTeam, makeTeam, TEAM_ENV } from '../helpers/team.ts';

const repos = throwawayRepos(test);

function expectRun(r: Run, code: number, what: string): Run {
  assert.is(r.status, code, `${what}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  assert.not.match(`${r.stdout}${r.stderr}`, /^ {4}at /m, `${what} printed a stack trace`);
  return r;
}

const objectPath = (repo: TestRepo, oid: string) => path.join(repo.dir, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid);
const oidAt = (repo: TestRepo, rev: string) =>
  /oid sha256:([0-9a-f]{64})/.exec(repo.git(['cat-file', '-p', `${rev}:${LOG}`]))?.[1] as string;

/** The uids (actions and events) of the log committed at `rev`, from this clone's LFS store. */
async function rowsAt(repo: TestRepo, rev: string): Promise<string[]> {
  const dir = tempDir('codexlog-restore-test-');
  try {
    const copy = path.join(dir, 'log.db');
    copyFileSync(objectPath(repo, oidAt(repo, rev)), copy);
    const actions = await queryDb<{ uid: string }>(copy, 'SELECT uid FROM codex_actions');
    const events = await queryDb<{ uid: string }>(copy, 'SELECT uid FROM codex_log');
    return [...actions, ...events].map((r) => r.uid).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * main gets a rebase merge of `topic` that dropped main's newer rows; returns a fresh clone of it
 * (install, `git lfs pull`: only HEAD's objects) and the replayed commit that dropped them.
 */
function rebaseMerged(): { d: TestRepo; dropper: string } {
  const { remote, first: a } = makeTeam(repos);
  const b = cloneTeam(repos, remote);
  b.git(['checkout', '-q', '-b', 'topic']);
  agentCommit(b, 'bob-1');
  b.git(['push', '-q', '-u', 'origin', 'topic'], { env: TEAM_ENV });
  agentCommit(a, 'alice-1');
  agentCommit(a, 'alice-2');
  a.git(['push', '-q'], { env: TEAM_ENV });
  // The "server": no codexlog-hooks, no merge driver; the conflict on the log resolved to the replayed side.
  const srv = repos.repo({ clone: remote, dir: repos.dir('codexlog-server-clone-') });
  srv.git(['checkout', '-q', 'topic']);
  srv.git(['rebase', '-q', '-X', 'theirs', 'origin/main']);
  srv.git(['push', '-q', 'origin', 'HEAD:main']);
  const d = cloneTeam(repos, remote);
  return { d, dropper: d.git(['rev-parse', 'HEAD']).trim() };
}

test('check names the commit that dropped rows (once its parent object is here); restore puts them back; the next commit carries them', async () => {
  const { d, dropper } = rebaseMerged();
  // Only HEAD's objects in a fresh clone: nothing to compare the replayed commit with.
  expectRun(d.cli(['check'], { env: TEAM_ENV }), 0, 'check without the parent object');
  d.git(['lfs', 'fetch', 'origin', 'HEAD~1']);
  const parentRows = await rowsAt(d, 'HEAD~1');
  const headRows = await rowsAt(d, 'HEAD');
  const dropped = parentRows.filter((u) => !headRows.includes(u));
  assert.ok(dropped.length >= 4, `the rebase dropped main's rows (${dropped.length})`);
  const subject = d.git(['log', '-1', '--format=%s']).trim();
  const problem = `✗ ${messages.rowsDroppedBy(dropped.length, dropper, subject)}`;
  const found = expectRun(d.cli(['check'], { env: TEAM_ENV }), 1, 'check');
  assert.equal(
    found.stdout.split('\n').filter((l) => l.startsWith('✗ ')),
    [problem],
  );
  // The findings are kept in the git dir: the next check reads no LFS object again.
  rmSync(objectPath(d, oidAt(d, 'HEAD~1')));
  const cached = expectRun(d.cli(['check'], { env: TEAM_ENV }), 1, 'check from the cache');
  assert.ok(cached.stdout.includes(problem), cached.stdout);
  expectRun(d.cli(['restore', dropper], { env: TEAM_ENV }), 1, 'restore without the parent object');
  d.git(['lfs', 'fetch', 'origin', 'HEAD~1']);

  const r = expectRun(d.cli(['restore', dropper.slice(0, 10)], { env: TEAM_ENV }), 0, 'restore');
  assert.is(r.stderr, `${PREFIX} ${messages.restoreDone(dropped.length, dropper)}\n`);
  assert.is(d.git(['status', '--porcelain']), '', 'restore changed the work tree');
  // Pending: exactly the dropped rows, and one git.restore row saying where they came from.
  const pending = logJson(d, [], TEAM_ENV).filter((x) => x.pending);
  const restoreRows = pending.filter((x) => x.action === 'git.restore');
  assert.equal(
    pending
      .filter((x) => x.action !== 'git.restore')
      .map((x) => x.uid)
      .sort(),
    dropped,
  );
  assert.is(restoreRows.length, 1);
  assert.equal(JSON.parse(restoreRows[0].metadata ?? '{}'), {
    actions: dropped.length,
    events: 0,
    droppedBy: dropper,
    fromLog: oidAt(d, 'HEAD~1'),
  });
  // Pending now: check is quiet, and a second restore has nothing to do.
  expectRun(d.cli(['check'], { env: TEAM_ENV }), 0, 'check after restore');
  const again = expectRun(d.cli(['restore', dropper], { env: TEAM_ENV }), 0, 'restore again');
  assert.is(again.stderr, `${PREFIX} ${messages.restoreNothing(dropper)}\n`);

  agentCommit(d, 'dave-1');
  const committed = await rowsAt(d, 'HEAD');
  for (const u of parentRows) assert.ok(committed.includes(u), `the commit lacks ${u}`);
  assert.is(new Set(committed).size, committed.length);
  expectRun(d.cli(['check'], { env: TEAM_ENV }), 0, 'check after the commit');
});

test('restore refuses what is not a commit and a root commit; a commit that dropped nothing restores nothing', () => {
  const { first: a } = makeTeam(repos);
  agentCommit(a, 'alice-1');
  const cases: Array<[string, number, string]> = [
    ['nope', 1, messages.restoreNoCommit('nope')],
    [
      a.git(['rev-list', '--max-parents=0', 'HEAD']).trim(),
      1,
      messages.restoreRootCommit(a.git(['rev-list', '--max-parents=0', 'HEAD']).trim()),
    ],
    ['HEAD', 0, messages.restoreNothing(a.git(['rev-parse', 'HEAD']).trim())],
  ];
  for (const [rev, code, message] of cases) {
    const r = expectRun(a.cli(['restore', rev], { env: TEAM_ENV }), code, `restore ${rev}`);
    assert.is(r.stderr, `${PREFIX} ${message}\n`);
  }
  const usage = expectRun(a.cli(['restore']), 2, 'restore without a commit');
  assert.is(usage.stderr, `${PREFIX} Missing the <commit> that dropped the rows.\nUsage: codexlog-hooks restore <commit>\n`);
});

test.run();
