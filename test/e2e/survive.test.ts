// Issue #10, "The log survives everything git does", through the packed package, real git and
// real git-lfs: reverts, resets and checkouts of older files that take rows out of the log (the
// next logged commit puts every one back, once), a commit with nothing to commit, hooks and the
// merge driver without node on PATH, fast rebases, the package removed, CI's GIT_LFS_SKIP_SMUDGE,
// `git clean -xfd`, `git am`, and the git.merge rows of merges, squashes and pulls. Every case
// asserts the rows exactly (each uid once, none lost) and runs SQLite's integrity check on the
// committed log object.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { messages, PREFIX } from '../../src/messages.ts';
import { queryDb, type Run, type TestRepo, tempDir, throwawayRepos } from '../helpers/repo.ts';
import {
  committedEvents,
  committedRows,
  expectExit,
  expectNoStack,
  expectUnchanged,
  inboxFiles,
  LOG_DB,
  type LogRow,
  lfsObjectPath,
  lfsObjects,
  logJson,
  meta,
  parents,
  pointerAt,
  SESSION_DB,
  settleIndex,
  sha,
  snapshot,
  stateDir,
} from './__utils__/checks.ts';
import { type AppRepo, appRepo, asApp, copyTemplate, npmEnv, packed } from './__utils__/packed.ts';

const survive = suite('the log survives everything git does');
const repos = throwawayRepos(survive);

/** Every commit is allowed to track the databases with LFS (as a configured clone is). */
const ALLOW = { ALLOW_AUTOLFS: '1' };

// ---------------------------------------------------------------------------------------------
// Helpers (this file's own)

/** Runs git in `repo`, failing unless it exits 0 without a stack trace. */
function git(repo: AppRepo, args: string[], options: { env?: NodeJS.ProcessEnv; what?: string } = {}): Run {
  const what = options.what ?? `git ${args.join(' ')}`;
  const r = repo.tryGit(args, { env: options.env });
  expectExit(r, 0, what);
  expectNoStack(r, what);
  return r;
}

/** A repository with the package installed (ALLOW_AUTOLFS=1) and one logged commit. */
function app(options: { install?: boolean } = {}): AppRepo {
  const repo = appRepo(repos, { env: ALLOW, install: options.install });
  repo.write('work.txt', 'start\n');
  if (options.install !== false) {
    repo.git(['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'initial']);
  }
  return repo;
}

/** An agent's row, recorded between commits (it waits in the git dir). Returns its uid. */
function record(repo: AppRepo, name: string): string {
  const r = repo.hooks(['record', 'agent.edit', `edit ${name}`, '--session', 'agent-1']);
  expectExit(r, 0, `record ${name}`);
  const uid = /Recorded (\S+)\./.exec(r.stderr)?.[1];
  assert.ok(uid, `record printed no uid: ${r.stderr}`);
  return uid as string;
}

/** A commit of a new file `<name>.txt` (and a line appended to each of `touch`). */
function commitWork(repo: AppRepo, name: string, options: { touch?: string[]; env?: NodeJS.ProcessEnv } = {}): void {
  repo.write(`${name}.txt`, `${name}\n`);
  for (const f of options.touch ?? []) appendFileSync(path.join(repo.dir, f), `${name}\n`);
  repo.git(['add', '-A']);
  git(repo, ['commit', '-q', '-m', `agent ${name}`], { env: options.env });
}

/** An agent's logged commit: a recorded row, then a commit (see commitWork). Returns the row's uid. */
function agentCommit(repo: AppRepo, name: string, options: { touch?: string[]; env?: NodeJS.ProcessEnv } = {}): string {
  const uid = record(repo, name);
  commitWork(repo, name, options);
  return uid;
}

/**
 * An agent's session of logged commits: the session opens before the first (an event row), and
 * closes before the last (another), so that every kind of row is in the log the last one commits.
 */
function agentSession(repo: AppRepo, names: string[], options: { touch?: string[] } = {}): void {
  expectExit(repo.hooks(['session', 'start', '--id', 'agent-1']), 0, 'session start');
  names.forEach((name, i) => {
    if (i === names.length - 1) expectExit(repo.hooks(['session', 'end', '--summary', 'done']), 0, 'session end');
    agentCommit(repo, name, options);
  });
}

/** The uids a log database holds, by table. */
interface Held {
  /** The LFS oid of the log (null for a work-tree file). */
  oid: string | null;
  actions: string[];
  events: string[];
}

function dupes(uids: string[]): string[] {
  return uids.filter((u, i) => uids.indexOf(u) !== i);
}

/** SQLite's integrity check of a database file, run on a copy (an LFS object never changes). */
async function integrity(file: string, what: string): Promise<void> {
  const dir = tempDir('codexlog-e2e-integrity-');
  try {
    const copy = path.join(dir, 'log.db');
    copyFileSync(file, copy);
    const r = await queryDb<{ integrity_check: string }>(copy, 'PRAGMA integrity_check');
    assert.equal(
      r.map((x) => x.integrity_check),
      ['ok'],
      `${what}: integrity_check`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The rows the log committed at `rev` holds: both databases are one LFS object in this clone's
 * store, SQLite finds it intact, and no uid is there twice.
 */
async function held(repo: AppRepo, rev = 'HEAD'): Promise<Held> {
  const log = pointerAt(repo, rev, LOG_DB);
  const session = pointerAt(repo, rev, SESSION_DB);
  assert.is(session.text, log.text, `${rev}: the session copy is not the log's LFS object`);
  const object = lfsObjectPath(path.join(repo.dir, '.git'), log.oid);
  assert.ok(existsSync(object), `${rev}: the log's LFS object ${log.oid} is not in this clone`);
  assert.is(readFileSync(object).length, log.size, `${rev}: the object's size differs from the pointer's`);
  await integrity(object, `${rev}:${LOG_DB}`);
  const actions = (await committedRows(repo, rev)).map((r) => r.uid);
  const events = (await committedEvents(repo, rev)).map((e) => e.uid);
  assert.equal(dupes(actions), [], `${rev}: actions held twice`);
  assert.equal(dupes(events), [], `${rev}: events held twice`);
  return { oid: log.oid, actions, events };
}

/** The rows of the log file in the work tree (after a checkout of older files). */
async function worktreeHeld(repo: AppRepo): Promise<Held> {
  const dir = tempDir('codexlog-e2e-worktree-');
  try {
    const copy = path.join(dir, 'log.db');
    copyFileSync(path.join(repo.dir, LOG_DB), copy);
    const actions = (await queryDb<{ uid: string }>(copy, 'SELECT uid FROM codex_actions')).map((r) => r.uid);
    const events = (await queryDb<{ uid: string }>(copy, 'SELECT uid FROM codex_log')).map((r) => r.uid);
    return { oid: null, actions, events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `actual` holds exactly `expected`, each once. */
function expectExactly(actual: string[], expected: Iterable<string>, what: string): void {
  assert.equal(dupes(actual), [], `${what}: uids held twice`);
  assert.equal([...actual].sort(), [...new Set(expected)].sort(), `${what}: the rows held`);
}

const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

/** The uids of the rows waiting in the git dir. */
function pendingUids(repo: AppRepo): string[] {
  return logJson(repo)
    .filter((r) => r.pending)
    .map((r) => r.uid);
}

/** The lines a command printed with our prefix. */
function ourLines(r: Run): string[] {
  return `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith(PREFIX));
}

/** check: exit 1 with exactly the rows-missing problem for `n` rows. */
function expectMissingReported(repo: AppRepo, n: number, what: string): void {
  const r = repo.hooks(['check']);
  expectNoStack(r, `check after ${what}`);
  expectExit(r, 1, `check after ${what}`);
  const listed = r.stdout.split('\n').filter((l) => l.startsWith('✗ '));
  assert.equal(listed, [`✗ ${messages.rowsMissingFromHead(n)}`], `${what}: the problems check lists`);
  assert.ok(r.stdout.trimEnd().endsWith(messages.checkProblems(1)), r.stdout);
}

function expectHealthy(repo: AppRepo, what: string): void {
  const r = repo.hooks(['check']);
  expectExit(r, 0, `check after ${what}`);
  assert.not.match(r.stdout, /✗/, `${what}: ${r.stdout}`);
}

/**
 * A git operation took rows out of the log (`lost` compared with `before`, the log last
 * committed): check reports them; the next logged commit puts every one back exactly once, with a
 * git.restore row that says how many, and nothing else but its own git.pre-commit row is new.
 */
async function expectPutBack(repo: AppRepo, before: Held, what: string): Promise<void> {
  const now = await worktreeHeld(repo);
  const lostActions = minus(before.actions, now.actions);
  const lostEvents = minus(before.events, now.events);
  const n = lostActions.length + lostEvents.length;
  assert.ok(n > 0, `${what}: the operation should have taken rows out of the log`);
  expectMissingReported(repo, n, what);

  const name = `after-${what.replace(/\W+/g, '-')}`;
  record(repo, name);
  const pending = pendingUids(repo);
  commitWork(repo, name);
  const pendingNow = pendingUids(repo);
  assert.is(pendingNow.length, 1, `${what}: only the restoring commit's git.commit row should wait`);
  const after = await held(repo);
  const rows = await committedRows(repo);
  const fresh = rows.filter((r) => !before.actions.includes(r.uid) && !pending.includes(r.uid));
  assert.equal(
    fresh.map((r) => r.action).sort(),
    ['git.pre-commit', 'git.restore'],
    `${what}: rows new in the restoring commit: ${JSON.stringify(fresh, null, 1)}`,
  );
  expectExactly(after.actions, [...before.actions, ...pending, ...fresh.map((r) => r.uid)], `${what}: actions after the restoring commit`);
  expectExactly(after.events, before.events, `${what}: events after the restoring commit`);
  const restore = rows.filter((r) => r.action === 'git.restore');
  assert.is(restore.length, 1, `${what}: one git.restore row`);
  assert.is(
    restore[0].statement,
    `put back ${n} row${n === 1 ? '' : 's'} a git operation (a revert, a reset, a checkout) took out of the log`,
  );
  assert.equal(meta(restore[0]), { actions: lostActions.length, events: lostEvents.length, fromLog: before.oid });
  // The log shows each row once, with its id.
  const shown = logJson(repo);
  assert.equal(dupes(shown.map((r) => r.uid)), [], `${what}: the log shows a row twice`);
  for (const u of lostActions)
    assert.ok(
      shown.some((r) => r.uid === u && !r.pending && typeof r.id === 'number'),
      `${what}: ${u} is not back in the log`,
    );
  expectHealthy(repo, `the commit after ${what}`);
}

/** Everything ever seen in the log (rows on the way are noted; none may get lost). */
class Seen {
  readonly uids = new Set<string>();
  note(repo: AppRepo): void {
    for (const r of logJson(repo)) this.uids.add(r.uid);
  }
  /** HEAD's log holds every row seen so far but those waiting, each once (and nothing unseen). */
  async expectAllHeld(repo: AppRepo, what: string): Promise<Held> {
    this.note(repo);
    const pending = pendingUids(repo);
    const h = await held(repo);
    expectExactly(h.actions, minus([...this.uids], pending), what);
    return h;
  }
}

/** The tools git, git-lfs and the hook scripts need, in a folder of symlinks: a PATH without node. */
function pathWithoutNode(): string {
  const bin = repos.dir('codexlog-nonode-');
  const tools = [
    'sh',
    'git',
    'git-lfs',
    'cat',
    'mktemp',
    'mv',
    'rm',
    'mkdir',
    'cp',
    'grep',
    'dirname',
    'basename',
    'sed',
    'date',
    'printf',
  ];
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const tool of tools) {
    const found = dirs.map((d) => path.join(d, tool)).find((f) => existsSync(f));
    if (found) symlinkSync(found, path.join(bin, tool));
    else assert.ok(['printf', 'date'].includes(tool), `${tool} is not on PATH`);
  }
  const which = spawnSync('sh', ['-c', 'command -v node'], { env: { PATH: bin }, encoding: 'utf8' });
  assert.is.not(which.status, 0, `node is still on the PATH ${bin}: ${which.stdout}`);
  return bin;
}

/** The runner's last resorts when neither PATH nor the installing node has one (see dispatcher.ts). */
const FALLBACK_NODES = ['/usr/local/bin/node', '/opt/homebrew/bin/node'];
/** Those of them this machine has: the runner would find them, so node cannot be made to disappear here. */
const STRAY_NODES = FALLBACK_NODES.filter((n) => existsSync(n));
if (STRAY_NODES.length > 0) {
  console.warn(`survive.test.ts: ${STRAY_NODES.join(', ')} exist(s), so the "node gone entirely" test is SKIPPED.`);
}

/** Both databases are in conflict, and each driver run printed one line and no stack trace. */
function expectDatabaseConflict(repo: AppRepo, r: Run, reason: RegExp, what: string): void {
  expectExit(r, 1, what);
  expectNoStack(r, what);
  for (const db of [LOG_DB, SESSION_DB])
    assert.ok(r.stdout.includes(`CONFLICT (content): Merge conflict in ${db}`), `${what}:\n${r.stdout}`);
  const status = repo.git(['status', '--porcelain', '--', 'databases']);
  assert.match(status, new RegExp(`^UU ${LOG_DB}$`, 'm'));
  assert.match(status, new RegExp(`^UU ${SESSION_DB}$`, 'm'));
  const lines = ourLines(r);
  assert.is(lines.length, 2, `${what}: one line per database expected:\n${r.stderr}`);
  for (const l of lines) assert.match(l, reason, `${what}: the reason`);
}

// ---------------------------------------------------------------------------------------------
// 1. Reverts, resets and checkouts of older files

survive('git revert HEAD: check reports the rows, the next logged commit puts them back once', async () => {
  const repo = app();
  agentSession(repo, ['a', 'b', 'c']);
  const before = await held(repo);
  const r = git(repo, ['revert', '--no-edit', 'HEAD']);
  assert.not.match(r.stdout + r.stderr, /CONFLICT/);
  // The revert commit holds the log of HEAD~2 (it ran no pre-commit).
  assert.is(pointerAt(repo, 'HEAD', LOG_DB).oid, pointerAt(repo, 'HEAD~2', LOG_DB).oid);
  await held(repo);
  await expectPutBack(repo, before, 'git revert HEAD');
});

survive("git revert HEAD~3..HEAD (an agent's three logged commits): every row put back once", async () => {
  const repo = app();
  agentSession(repo, ['a', 'b', 'c']);
  const before = await held(repo);
  const start = await held(repo, 'HEAD~3');
  git(repo, ['revert', '--no-edit', 'HEAD~3..HEAD']);
  assert.is(repo.git(['rev-list', '--count', 'HEAD~3..HEAD']).trim(), '3');
  assert.is(pointerAt(repo, 'HEAD', LOG_DB).oid, start.oid, 'three reverts give back the log of HEAD~3');
  const lost = before.actions.length + before.events.length - start.actions.length - start.events.length;
  assert.ok(lost >= 9, `three commits' rows (and the session's events) should be out: ${lost}`);
  assert.is(minus(before.events, start.events).length, 2, "the session's start and end events are out too");
  await expectPutBack(repo, before, 'git revert of a range');
});

survive('git revert -m 1 HEAD of a merge concluded by a logged commit: the merged rows put back once', async () => {
  const repo = app();
  repo.git(['checkout', '-q', '-b', 'feature']);
  agentSession(repo, ['f1', 'f2'], { touch: ['work.txt'] });
  repo.git(['checkout', '-q', 'main']);
  agentCommit(repo, 'm1', { touch: ['work.txt'] });
  // work.txt conflicts; the databases do not (the driver). The commit that concludes it is logged.
  const m = repo.tryGit(['merge', '--no-edit', 'feature']);
  expectExit(m, 1, 'merge with a conflict in work.txt');
  assert.match(m.stdout, /CONFLICT \(content\): Merge conflict in work\.txt/);
  assert.not.match(m.stdout, /Merge conflict in databases/);
  repo.write('work.txt', 'start\nm1\nf1\nf2\n');
  repo.git(['add', 'work.txt']);
  git(repo, ['commit', '-q', '--no-edit']);
  assert.is(parents(repo).length, 2);
  const before = await held(repo);
  for (const p of ['HEAD^1', 'HEAD^2']) {
    const side = await held(repo, p);
    for (const u of side.actions) assert.ok(before.actions.includes(u), `the merge lacks ${u} of ${p}`);
  }
  git(repo, ['revert', '--no-edit', '-m', '1', 'HEAD']);
  assert.is(pointerAt(repo, 'HEAD', LOG_DB).oid, pointerAt(repo, 'HEAD~2', LOG_DB).oid, 'the revert gives back main before the merge');
  await expectPutBack(repo, before, 'git revert -m 1 of a merge');
});

// A merge git concludes itself runs no pre-commit: the ledger learns what it brought in from its
// post-merge record, so a revert of it is seen to take rows out.
survive('git revert -m 1 HEAD of a merge git concluded itself: the merged rows put back once', async () => {
  const repo = app();
  repo.git(['checkout', '-q', '-b', 'feature']);
  agentSession(repo, ['f1', 'f2']);
  repo.git(['checkout', '-q', 'main']);
  agentCommit(repo, 'm1');
  git(repo, ['merge', '--no-edit', 'feature']);
  assert.is(parents(repo).length, 2);
  const before = await held(repo);
  git(repo, ['revert', '--no-edit', '-m', '1', 'HEAD']);
  await expectPutBack(repo, before, 'git revert -m 1 of a clean merge');
});

survive("a revert where HEAD's log equals the reverted commit's (applied without the driver): rows put back once", async () => {
  const repo = app();
  agentSession(repo, ['a', 'b']);
  // A commit that runs no pre-commit keeps the log of the commit before it.
  repo.write('unlogged.txt', 'x\n');
  repo.git(['add', 'unlogged.txt']);
  git(repo, ['commit', '-q', '--no-verify', '-m', 'unlogged']);
  assert.is(pointerAt(repo, 'HEAD', LOG_DB).oid, pointerAt(repo, 'HEAD~1', LOG_DB).oid);
  const before = await held(repo);
  const r = git(repo, ['revert', '--no-edit', 'HEAD~1']);
  assert.not.match(r.stdout + r.stderr, /merged databases|CONFLICT/);
  assert.is(pointerAt(repo, 'HEAD', LOG_DB).oid, pointerAt(repo, 'HEAD~3', LOG_DB).oid, "the revert gives back the log of b's parent");
  await expectPutBack(repo, before, 'git revert of the commit whose log HEAD holds');
});

survive("a revert of an older commit where HEAD's log moved on: the driver keeps every row, nothing is missing", async () => {
  const repo = app();
  agentSession(repo, ['a', 'b', 'c']);
  const before = await held(repo);
  const r = git(repo, ['revert', '--no-edit', 'HEAD~1']);
  assert.not.match(r.stdout, /CONFLICT/);
  const after = await held(repo);
  expectExactly(after.actions, before.actions, 'the revert commit');
  expectExactly(after.events, before.events, 'the revert commit (events)');
  expectHealthy(repo, 'a revert the driver merged');
  const seen = new Seen();
  seen.note(repo);
  agentCommit(repo, 'd');
  const rows = await committedRows(repo);
  assert.not.ok(
    rows.some((x) => x.action === 'git.restore'),
    'nothing was missing, nothing to restore',
  );
  await seen.expectAllHeld(repo, 'the commit after the revert');
});

survive('git reset --hard HEAD~2, then a commit: the dropped commits’ rows put back once', async () => {
  const repo = app();
  agentSession(repo, ['a', 'b', 'c']);
  const before = await held(repo);
  git(repo, ['reset', '-q', '--hard', 'HEAD~2']);
  await expectPutBack(repo, before, 'git reset --hard HEAD~2');
});

survive('git checkout <old> -- ., then a commit: the rows of the newer logs put back once', async () => {
  const repo = app();
  agentSession(repo, ['a', 'b', 'c'], { touch: ['work.txt'] });
  const before = await held(repo);
  const old = sha(repo, 'HEAD~2');
  git(repo, ['checkout', old, '--', '.']);
  // The index holds the old log and the old work.txt: the commit of that is logged.
  assert.match(repo.git(['diff', '--cached', '--name-only']), /work\.txt/);
  await expectPutBack(repo, before, 'git checkout old -- .');
});

survive('a checkout of an old commit (detached HEAD), then a commit: the branch’s rows put back once', async () => {
  const repo = app();
  agentSession(repo, ['a', 'b', 'c']);
  const before = await held(repo);
  git(repo, ['checkout', '-q', 'HEAD~3']);
  assert.is(repo.tryGit(['symbolic-ref', '-q', 'HEAD']).status, 1, 'HEAD should be detached');
  await expectPutBack(repo, before, 'a detached HEAD');
  const own = logJson(repo).find((r) => r.action === 'git.commit' && meta(r).sha === sha(repo));
  const pre = (await committedRows(repo, 'HEAD', 'git.pre-commit')).find((r) => r.uid === meta(own as LogRow).precommit);
  assert.ok(pre, "the detached commit's git.pre-commit row");
  assert.is(meta(pre as LogRow).branch, null, 'the pre-commit row of a detached HEAD names no branch');
});

// ---------------------------------------------------------------------------------------------
// 2. Nothing to commit

survive('nothing to commit (unstaged changes, or nothing): nothing staged, nothing changed; --allow-empty is logged', async () => {
  const repo = app();
  agentCommit(repo, 'a');
  expectExit(repo.hooks(['record', 'agent.note', 'waits for a real commit', '--session', 'agent-1']), 0, 'record');
  const waiting = pendingUids(repo);
  assert.is(waiting.length, 2, 'the last git.commit row and the recorded one wait');
  const rows = logJson(repo);
  const head = sha(repo);
  const committed = await held(repo);

  for (const [what, prepare, said] of [
    ['only unstaged changes', () => appendFileSync(path.join(repo.dir, 'a.txt'), 'unstaged\n'), /no changes added to commit/],
    ['nothing at all', () => repo.git(['checkout', '--', 'a.txt']), /nothing to commit, working tree clean/],
  ] as const) {
    prepare();
    settleIndex(repo);
    const snap = snapshot(repo);
    const objects = lfsObjects(repo);
    const r = repo.tryGit(['commit', '-m', 'nothing']);
    expectExit(r, 1, `git commit with ${what}`);
    expectNoStack(r, `git commit with ${what}`);
    assert.match(r.stdout, said, `${what}: git's words`);
    assert.is(repo.git(['diff', '--cached']), '', `${what}: something is staged`);
    expectUnchanged(repo, snap, what);
    assert.equal(lfsObjects(repo), objects, `${what}: an LFS object was stored`);
    assert.not.ok(existsSync(path.join(stateDir(repo), 'precommit')), `${what}: a pre-commit marker was left`);
    assert.is(sha(repo), head, `${what}: a commit was made`);
    assert.equal(logJson(repo), rows, `${what}: the log changed (the rows should keep waiting)`);
  }

  // An explicit empty commit is logged: its git.pre-commit row, and the waiting rows folded.
  const objects = lfsObjects(repo);
  git(repo, ['commit', '-q', '--allow-empty', '-m', 'empty']);
  const after = await held(repo);
  assert.equal(
    [...lfsObjects(repo)].filter((o) => !objects.has(o)),
    [after.oid],
    'one new LFS object',
  );
  const pre = await committedRows(repo, 'HEAD', 'git.pre-commit');
  const own = pre.filter((r) => !committed.actions.includes(r.uid));
  assert.is(own.length, 1, 'the empty commit has its git.pre-commit row');
  assert.is(meta(own[0]).staged.total, 0);
  expectExactly(after.actions, [...committed.actions, ...waiting, own[0].uid], 'the empty commit');
  const commitRowOf = logJson(repo).filter((r) => r.action === 'git.commit' && meta(r).sha === sha(repo));
  assert.is(commitRowOf.length, 1);
  assert.is(meta(commitRowOf[0]).precommit, own[0].uid, 'the git.commit row names its pre-commit row');
});

// ---------------------------------------------------------------------------------------------
// 3. GUI clients and nvm users: no node on PATH

survive('no node on PATH: the hooks and the merge driver use the node that ran install', async () => {
  const noNode = { PATH: pathWithoutNode() };
  const repo = app();
  const seen = new Seen();
  repo.git(['checkout', '-q', '-b', 'feature']);
  agentSession(repo, ['f1', 'f2']);
  seen.note(repo);
  repo.git(['checkout', '-q', 'main']);
  agentCommit(repo, 'm1');
  seen.note(repo);

  // A logged commit without node on PATH: its pre-commit row is in the commit it made.
  const before = await held(repo);
  const objects = lfsObjects(repo);
  agentCommit(repo, 'gui', { env: noNode });
  const after = await held(repo);
  assert.equal(
    [...lfsObjects(repo)].filter((o) => !objects.has(o)),
    [after.oid],
    'the commit stored one LFS object',
  );
  const fresh = (await committedRows(repo)).filter((r) => !before.actions.includes(r.uid));
  assert.ok(
    fresh.some((r) => r.action === 'git.pre-commit' && meta(r).staged.paths.includes('gui.txt')),
    'the commit has its git.pre-commit row',
  );
  seen.note(repo);

  // A merge without node on PATH: the driver merges, no conflict.
  const ours = await held(repo);
  const theirs = await held(repo, 'feature');
  const m = git(repo, ['merge', '--no-edit', 'feature'], { env: noNode });
  assert.not.match(m.stdout, /CONFLICT/);
  assert.is(ourLines(m).filter((l) => /node was not found/.test(l)).length, 0, m.stderr);
  assert.is(parents(repo).length, 2);
  const merged = await held(repo);
  expectExactly(merged.actions, [...ours.actions, ...theirs.actions], 'the merge');
  expectExactly(merged.events, [...ours.events, ...theirs.events], 'the merge (events)');
  agentCommit(repo, 'after', { env: noNode });
  await seen.expectAllHeld(repo, 'the commit after the merge');
});

(STRAY_NODES.length > 0 ? survive.skip : survive)(
  'node gone entirely: one line naming the fix (husky init.sh), a normal conflict; an init.sh that adds node is honoured',
  async () => {
    const noNode = { PATH: pathWithoutNode() };
    const repo = app({ install: false });
    // Install with a node that then goes away (an nvm version removed, a moved toolchain).
    const nodeDir = repos.dir('codexlog-node-copy-');
    const nodeCopy = path.join(nodeDir, 'node');
    copyFileSync(process.execPath, nodeCopy);
    spawnSync('chmod', ['755', nodeCopy]);
    const installed = repo.run(nodeCopy, [path.join(repo.dir, 'node_modules', 'codexlog-hooks', 'bin', 'codexlog-hooks.js'), 'install']);
    expectExit(installed, 0, 'install with a copy of node');
    assert.ok(readFileSync(path.join(stateDir(repo), 'run'), 'utf8').includes(nodeCopy), 'the runner names the node that ran install');
    repo.git(['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'initial']);
    const seen = new Seen();
    repo.git(['checkout', '-q', '-b', 'feature']);
    agentSession(repo, ['f1', 'f2']);
    seen.note(repo);
    repo.git(['checkout', '-q', 'main']);
    agentCommit(repo, 'm1');
    seen.note(repo);
    rmSync(nodeDir, { recursive: true, force: true });

    // The merge: a normal conflict, one line saying why.
    const notFound = /^codexlog-hooks: node was not found \(PATH=.*\).*husky\/init\.sh/;
    const m = repo.tryGit(['merge', '--no-edit', 'feature'], { env: noNode });
    expectDatabaseConflict(repo, m, notFound, 'a merge without node');
    git(repo, ['merge', '--abort']);

    // A commit: stopped, with the one line (and husky's own), nothing committed.
    const head = sha(repo);
    repo.write('gui.txt', 'gui\n');
    repo.git(['add', 'gui.txt']);
    const c = repo.tryGit(['commit', '-q', '-m', 'gui'], { env: noNode });
    expectExit(c, 1, 'a commit without node');
    expectNoStack(c, 'a commit without node');
    const lines = ourLines(c);
    assert.is(lines.length, 1, c.stderr);
    assert.match(lines[0], notFound);
    assert.match(lines[0], /CODEXLOG_HOOKS=0/);
    assert.is(sha(repo), head);

    // ~/.config/husky/init.sh puts node's folder on PATH: hooks and the driver find it.
    const initSh = path.join(repo.env.XDG_CONFIG_HOME as string, 'husky', 'init.sh');
    mkdirSync(path.dirname(initSh), { recursive: true });
    writeFileSync(initSh, `export PATH="${path.dirname(process.execPath)}:$PATH"\n`);
    const objects = lfsObjects(repo);
    git(repo, ['commit', '-q', '-m', 'gui'], { env: noNode });
    const logged = await held(repo);
    assert.equal(
      [...lfsObjects(repo)].filter((o) => !objects.has(o)),
      [logged.oid],
      'the commit with init.sh is logged',
    );
    seen.note(repo);
    const ours = await held(repo);
    const theirs = await held(repo, 'feature');
    const m2 = git(repo, ['merge', '--no-edit', 'feature'], { env: noNode });
    assert.not.match(m2.stdout, /CONFLICT/);
    const merged = await held(repo);
    expectExactly(merged.actions, [...ours.actions, ...theirs.actions], 'the merge with init.sh');
    agentCommit(repo, 'after', { env: noNode });
    await seen.expectAllHeld(repo, 'the commit after the merge');
  },
);

// ---------------------------------------------------------------------------------------------
// 4. Fast replays

survive(
  'a rebase of 10 logged commits onto a moved main: no conflict, every row once; node merged the first replay and the rest ahead, into the cache',
  async () => {
    const repo = app();
    const seen = new Seen();
    repo.git(['checkout', '-q', '-b', 'feature']);
    const names = Array.from({ length: 10 }, (_, i) => `f${i + 1}`);
    agentSession(repo, names);
    seen.note(repo);
    const originals = repo.git(['rev-list', '--reverse', 'main..feature']).trim().split('\n');
    assert.is(originals.length, 10);
    repo.git(['checkout', '-q', 'main']);
    agentCommit(repo, 'm1');
    seen.note(repo);
    const main = await held(repo);
    repo.git(['checkout', '-q', 'feature']);

    const cache = path.join(stateDir(repo), 'merge-cache');
    const r = git(repo, ['rebase', 'main']);
    assert.not.match(r.stdout + r.stderr, /CONFLICT/);
    const replayed = repo.git(['rev-list', '--reverse', 'main..feature']).trim().split('\n');
    assert.is(replayed.length, 10);
    assert.is(repo.git(['rev-parse', 'feature~10']).trim(), sha(repo, 'main'), 'feature sits on the moved main');
    // node ran once, for the first replay's log, and merged the nine replays after it ahead of time;
    // every other database of every replay came from the cache, without node.
    assert.ok(existsSync(cache) && readdirSync(cache).length >= 10, 'the cache holds every replay');
    assert.is((`${r.stdout}\n${r.stderr}`.match(/^codexlog-hooks: merged databases\//gm) ?? []).length, 1, r.stderr);
    for (const [i, c] of replayed.entries()) {
      const h = await held(repo, c); // one object for both databases, intact, each uid once
      const orig = await held(repo, originals[i]);
      expectExactly(h.actions, [...main.actions, ...orig.actions], `replayed commit ${i + 1}`);
      expectExactly(h.events, [...main.events, ...orig.events], `replayed commit ${i + 1} (events)`);
    }
    agentCommit(repo, 'after');
    await seen.expectAllHeld(repo, 'the commit after the rebase');
  },
);

// ---------------------------------------------------------------------------------------------
// 5. The package removed without `codexlog-hooks uninstall`

survive(
  'npm uninstall codexlog-hooks: commits go through unlogged with one line, npm install works, merges conflict; uninstall cleans up',
  async () => {
    const repo = app({ install: false });
    const configBefore = readFileSync(path.join(repo.dir, '.git', 'config'), 'utf8');
    const pkgBefore = JSON.parse(repo.read('package.json').toString('utf8'));
    expectExit(repo.hooks(['install']), 0, 'install');
    assert.is(repo.git(['config', 'am.threeWay']).trim(), 'true');
    repo.git(['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'initial']);
    repo.git(['checkout', '-q', '-b', 'feature']);
    agentCommit(repo, 'f1');
    repo.git(['checkout', '-q', 'main']);
    agentCommit(repo, 'm1');

    const before = await held(repo);
    const un = repo.run('npm', ['uninstall', 'codexlog-hooks'], { env: npmEnv() });
    expectExit(un, 0, 'npm uninstall codexlog-hooks');
    assert.not.ok(existsSync(path.join(repo.dir, 'node_modules', 'codexlog-hooks')), 'the package is still there');

    const notInstalled = /^codexlog-hooks: not installed in this checkout .*`npm install`.*`npx codexlog-hooks@latest uninstall`/;
    const logOid = pointerAt(repo, 'HEAD', LOG_DB).oid;
    for (const name of ['u1', 'u2']) {
      repo.write(`${name}.txt`, `${name}\n`);
      repo.git(['add', '-A']);
      const head = sha(repo);
      const r = repo.tryGit(['commit', '-q', '-m', name]);
      expectExit(r, 0, `commit ${name} without the package`);
      expectNoStack(r, `commit ${name} without the package`);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line expected:\n${r.stderr}`);
      assert.match(r.stderr.trim(), notInstalled);
      assert.equal(parents(repo), [head], `${name} was not committed`);
      assert.is(pointerAt(repo, 'HEAD', LOG_DB).oid, logOid, `${name}: the log changed without the package`);
    }

    // HEAD's log is the one committed before, intact, each row once.
    const after = await held(repo);
    expectExactly(after.actions, before.actions, 'the log after the unlogged commits');
    expectExactly(after.events, before.events, 'the log after the unlogged commits (events)');

    const npmInstall = repo.run('npm', ['install'], { env: npmEnv() });
    expectExit(npmInstall, 0, 'npm install without the package');
    expectNoStack(npmInstall, 'npm install without the package');
    assert.match(
      npmInstall.stderr,
      /^codexlog-hooks is not installed: its git hooks log nothing; run npx codexlog-hooks@latest uninstall to remove them$/m,
    );

    const m = repo.tryGit(['merge', '--no-edit', 'feature']);
    expectDatabaseConflict(
      repo,
      m,
      /^codexlog-hooks: not installed in this checkout .*so the log databases cannot be merged and git leaves them in conflict\. Run `npm install`, then redo the merge\.$/,
      'a merge without the package',
    );
    git(repo, ['merge', '--abort']);

    // uninstall from another install of the packed tarball (the user's `npx codexlog-hooks@latest uninstall`).
    const cli = path.join(packed().template, 'node_modules', 'codexlog-hooks', 'bin', 'codexlog-hooks.js');
    const u = repo.run(process.execPath, [cli, 'uninstall']);
    expectExit(u, 0, 'uninstall through another install');
    expectNoStack(u, 'uninstall through another install');
    assert.is(repo.tryGit(['config', 'core.hooksPath']).status, 1, 'core.hooksPath should be unset again');
    for (const f of ['husky', 'dispatch.sh', 'run', 'record.sh', 'merge-driver', 'merge-cache', 'install.json'])
      assert.not.ok(existsSync(path.join(stateDir(repo), f)), `.git/codexlog/${f} is still there`);
    assert.is(repo.tryGit(['config', 'am.threeWay']).status, 1, 'am.threeWay should be removed');
    const { devDependencies: _, ...pkgWithoutDep } = pkgBefore;
    assert.equal(JSON.parse(repo.read('package.json').toString('utf8')), pkgWithoutDep, 'package.json: prepare not removed');
    assert.is(readFileSync(path.join(repo.dir, '.git', 'config'), 'utf8'), configBefore, '.git/config is not as before install');
    // The commits made meanwhile were recorded (sh, no node): they wait in the git dir.
    assert.ok(
      inboxFiles(repo).filter((f) => f.startsWith('g-post-commit-')).length >= 2,
      `post-commit records: ${inboxFiles(repo).join(', ')}`,
    );
  },
);

// ---------------------------------------------------------------------------------------------
// 6. CI: GIT_LFS_SKIP_SMUDGE=1

survive("GIT_LFS_SKIP_SMUDGE=1 and the other side's object only on the remote: the driver fetches it and merges", async () => {
  const bare: TestRepo = repos.repo({ bare: true });
  const origin = `file://${bare.dir}`;
  const repo = app();
  agentCommit(repo, 'shared');
  repo.git(['remote', 'add', 'origin', origin]);
  git(repo, ['push', '-q', '-u', 'origin', 'main']);

  // A teammate's clone commits and pushes (with its LFS object).
  const mate = asApp(repos.repo({ clone: origin }));
  copyTemplate(mate.dir, ['node_modules']);
  expectExit(mate.hooks(['install']), 0, 'install in the clone');
  mate.git(['lfs', 'pull']);
  mate.env.ALLOW_AUTOLFS = '1';
  agentCommit(mate, 'mate');
  git(mate, ['push', '-q', 'origin', 'main']);
  const theirs = await held(mate);

  agentCommit(repo, 'own');
  const ours = await held(repo);
  const skip = { GIT_LFS_SKIP_SMUDGE: '1' };
  git(repo, ['fetch', '-q', 'origin'], { env: skip });
  const object = lfsObjectPath(path.join(repo.dir, '.git'), pointerAt(repo, 'origin/main', LOG_DB).oid);
  assert.not.ok(existsSync(object), "the teammate's LFS object is already here");
  const m = git(repo, ['merge', '--no-edit', 'origin/main'], { env: skip });
  assert.not.match(m.stdout, /CONFLICT/);
  assert.not.ok(m.stderr.includes('is not in this clone'), m.stderr);
  assert.ok(existsSync(object), "the driver did not fetch the teammate's object");
  assert.equal(parents(repo), [sha(repo, 'HEAD^1'), sha(repo, 'origin/main')]);
  const merged = await held(repo);
  expectExactly(merged.actions, [...ours.actions, ...theirs.actions], 'the merge');
  expectExactly(merged.events, [...ours.events, ...theirs.events], 'the merge (events)');
});

// ---------------------------------------------------------------------------------------------
// 7. git clean -xfd

survive('after git clean -xfd: a commit goes through saying logging is off until npm install; its row waits; logging resumes', async () => {
  const repo = app();
  const seen = new Seen();
  agentCommit(repo, 'a');
  seen.note(repo);
  git(repo, ['clean', '-xfdq']);
  assert.not.ok(existsSync(path.join(repo.dir, 'node_modules')), 'git clean left node_modules');
  const logOid = pointerAt(repo, 'HEAD', LOG_DB).oid;
  repo.write('b.txt', 'b\n');
  repo.git(['add', 'b.txt']);
  const r = repo.tryGit(['commit', '-q', '-m', 'cleaned']);
  expectExit(r, 0, 'a commit without node_modules');
  expectNoStack(r, 'a commit without node_modules');
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr.trim(), /^codexlog-hooks: not installed in this checkout .*so this is not logged\. Run `npm install` to log again/);
  const cleaned = sha(repo);
  assert.is(pointerAt(repo, 'HEAD', LOG_DB).oid, logOid, 'the log changed without the package');
  assert.ok(
    inboxFiles(repo).some((f) => f.startsWith('g-post-commit-')),
    `no post-commit record: ${inboxFiles(repo).join(', ')}`,
  );

  copyTemplate(repo.dir, ['node_modules']);
  const waiting = logJson(repo).filter((x) => x.action === 'git.commit' && meta(x).sha === cleaned);
  assert.is(waiting.length, 1, 'the unlogged commit has its git.commit row');
  assert.is(waiting[0].pending, true);
  assert.is(meta(waiting[0]).precommit, null);
  agentCommit(repo, 'c');
  const h = await seen.expectAllHeld(repo, 'the commit after npm install');
  assert.ok(h.actions.includes(waiting[0].uid), "the unlogged commit's row is in the log");
});

// ---------------------------------------------------------------------------------------------
// 8. git am

survive('git am of 3 logged commits onto a main whose log moved on: am.threeWay lets the driver merge, every row once', async () => {
  const repo = app();
  assert.is(repo.git(['config', 'am.threeWay']).trim(), 'true', 'install sets am.threeWay');
  const seen = new Seen();
  repo.git(['checkout', '-q', '-b', 'feature']);
  agentSession(repo, ['f1', 'f2', 'f3']);
  seen.note(repo);
  const originals = repo.git(['rev-list', '--reverse', 'main..feature']).trim().split('\n');
  const patches = repos.dir('codexlog-patches-');
  repo.git(['format-patch', '-q', '-3', '-o', patches, 'feature']);
  repo.git(['checkout', '-q', 'main']);
  agentCommit(repo, 'm1');
  seen.note(repo);
  const main = await held(repo);
  const mainTip = sha(repo);
  const files = readdirSync(patches)
    .sort()
    .map((f) => path.join(patches, f));
  assert.is(files.length, 3);
  const r = git(repo, ['am', ...files]);
  assert.match(r.stdout, /Falling back to patching base and 3-way merge/);
  assert.not.match(r.stdout, /CONFLICT/);
  const applied = repo
    .git(['rev-list', '--reverse', `${mainTip}..HEAD`])
    .trim()
    .split('\n');
  assert.is(applied.length, 3);
  for (const [i, c] of applied.entries()) {
    const h = await held(repo, c);
    const orig = await held(repo, originals[i]);
    expectExactly(h.actions, [...main.actions, ...orig.actions], `applied patch ${i + 1}`);
    expectExactly(h.events, [...main.events, ...orig.events], `applied patch ${i + 1} (events)`);
  }
  agentCommit(repo, 'after');
  await seen.expectAllHeld(repo, 'the commit after git am');

  expectExit(repo.hooks(['uninstall']), 0, 'uninstall');
  assert.is(repo.tryGit(['config', 'am.threeWay']).status, 1, 'uninstall removes the am.threeWay it set');
});

// ---------------------------------------------------------------------------------------------
// 9. The git.merge row names what was merged

survive('git.merge rows: a true merge, a squash merge, a fast-forward git pull, git pull --ff-only origin main', async () => {
  const repo = app();
  const seen = new Seen();
  const bare: TestRepo = repos.repo({ bare: true });
  repo.git(['remote', 'add', 'origin', `file://${bare.dir}`]);
  git(repo, ['push', '-q', '-u', 'origin', 'main']);
  const mergeRows = () => logJson(repo).filter((r) => r.action === 'git.merge');
  const newMergeRow = (count: number): LogRow => {
    const rows = mergeRows();
    assert.is(rows.length, count, JSON.stringify(rows, null, 1));
    return rows[count - 1];
  };

  // A true merge: the branch named, both parents.
  repo.git(['checkout', '-q', '-b', 'feature']);
  agentSession(repo, ['f1', 'f2']);
  seen.note(repo);
  const featureTip = sha(repo);
  repo.git(['checkout', '-q', 'main']);
  agentCommit(repo, 'm1');
  seen.note(repo);
  const orig = sha(repo);
  git(repo, ['merge', '--no-edit', 'feature']);
  const merge = sha(repo);
  const row = newMergeRow(1);
  assert.is(row.statement, `merge of feature (${orig}..${merge}): Merge branch 'feature'`);
  assert.equal(meta(row), {
    sha: merge,
    parents: [orig, featureTip],
    subject: "Merge branch 'feature'",
    merged: 'feature',
    range: `${orig}..${merge}`,
    squash: false,
    fastForward: false,
    reflogAction: 'merge feature',
  });
  agentCommit(repo, 'm2');
  seen.note(repo);

  // A squash merge, then its commit: the row names the branch and the range, and the commit carries it.
  repo.git(['checkout', '-q', '-b', 'squashed']);
  agentCommit(repo, 's1');
  agentCommit(repo, 's2');
  seen.note(repo);
  const squashTip = sha(repo);
  repo.git(['checkout', '-q', 'main']);
  const mainHead = sha(repo);
  git(repo, ['merge', '--squash', 'squashed']);
  const sq = newMergeRow(2);
  assert.is(sq.statement, `squash merge of squashed (${mainHead}..${squashTip}): agent m2`);
  assert.equal(
    [meta(sq).merged, meta(sq).range, meta(sq).squash, meta(sq).fastForward],
    ['squashed', `${mainHead}..${squashTip}`, true, false],
  );
  git(repo, ['commit', '-q', '-m', 'squash of squashed']);
  assert.ok(
    (await committedRows(repo, 'HEAD', 'git.merge')).some((r) => r.uid === sq.uid),
    'the squash commit lacks its git.merge row',
  );
  seen.note(repo);
  git(repo, ['push', '-q', 'origin', 'main']);

  // A fast-forward `git pull`: the range old..new.
  repo.git(['checkout', '-q', '-b', 'upstream']);
  agentCommit(repo, 'u1');
  agentCommit(repo, 'u2');
  seen.note(repo);
  git(repo, ['push', '-q', 'origin', 'upstream:main']);
  repo.git(['checkout', '-q', 'main']);
  const old = sha(repo);
  git(repo, ['pull']);
  const pulled = sha(repo);
  assert.is(pulled, sha(repo, 'upstream'));
  const ff = newMergeRow(3);
  assert.is(ff.statement, `fast-forward (${old}..${pulled}): agent u2`);
  assert.equal(
    [meta(ff).merged, meta(ff).range, meta(ff).squash, meta(ff).fastForward, meta(ff).reflogAction],
    [null, `${old}..${pulled}`, false, true, 'pull'],
  );

  // `git pull --ff-only origin main`: what was merged is "origin main", not the option.
  repo.git(['checkout', '-q', 'upstream']);
  agentCommit(repo, 'u3');
  seen.note(repo);
  git(repo, ['push', '-q', 'origin', 'upstream:main']);
  repo.git(['checkout', '-q', 'main']);
  const old2 = sha(repo);
  git(repo, ['pull', '--ff-only', 'origin', 'main']);
  const pulled2 = sha(repo);
  const ff2 = newMergeRow(4);
  assert.is(ff2.statement, `fast-forward of origin main (${old2}..${pulled2}): agent u3`);
  assert.equal(
    [meta(ff2).merged, meta(ff2).range, meta(ff2).fastForward, meta(ff2).reflogAction],
    ['origin main', `${old2}..${pulled2}`, true, 'pull --ff-only origin main'],
  );

  agentCommit(repo, 'last');
  const committed = (await committedRows(repo, 'HEAD', 'git.merge')).map((r) => r.uid);
  expectExactly(committed, [row.uid, sq.uid, ff.uid, ff2.uid], 'the git.merge rows in the log');
  await seen.expectAllHeld(repo, 'the commit after the merges and pulls');
});

survive.run();
