// Every form of `git commit` through the installed package, husky and real git-lfs, with
// ALLOW_AUTOLFS=1: plain, -a, -- path, -o path, --amend, --no-verify, nothing staged and
// --allow-empty, the commit that ends a conflicted merge, cherry-pick (clean and conflicted) and
// rebase. After each: no change to the databases in `git status`, the index matches HEAD, both
// databases in HEAD are LFS pointers; when the pre-commit ran, both are the one LFS object the
// commit added and the commit carries its git.pre-commit row, which the log's pending git.commit
// row names.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Run, throwawayRepos } from '../helpers/repo.ts';
import {
  commitRow,
  committedRows,
  DBS,
  expectExit,
  expectNoStack,
  expectOneNewObject,
  expectPointers,
  expectUnchanged,
  fileOid,
  LOG_DB,
  type LogRow,
  lfsObjects,
  logJson,
  meta,
  parents,
  settleIndex,
  sha,
  snapshot,
} from './__utils__/checks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const forms = suite('commit forms');
// One repository whose history every form adds to, removed after the last.
const repos = throwawayRepos(forms, { per: 'file' });
let repo: AppRepo;
/** The git.commit rows of commits the sequencer made (clean cherry-pick, rebase), with the operation. */
const replayedRows: Array<{ row: LogRow; operation: string }> = [];
/** The local LFS store's objects just before the last commit (see `noteObjects`). */
let objectsBefore = new Set<string>();

/** Notes the LFS objects there are before a commit, to count those the commit adds. */
function noteObjects(): void {
  objectsBefore = lfsObjects(repo);
}

forms.before(() => {
  repo = appRepo(repos, { env: { ALLOW_AUTOLFS: '1' } });
  repo.write('a.txt', 'a\n');
  repo.write('b.txt', 'b\n');
  repo.git(['add', '-A']);
  noteObjects();
  const r = repo.tryGit(['commit', '-m', 'initial']);
  expectExit(r, 0, 'initial commit');
});

function commit(args: string[]): Run {
  noteObjects();
  const r = repo.tryGit(['commit', ...args]);
  expectExit(r, 0, `git commit ${args.join(' ')}`);
  expectNoStack(r, `git commit ${args.join(' ')}`);
  return r;
}

/** The databases as git sees them: nothing in `git status`, nothing staged against HEAD. */
function expectDatabasesClean(what: string): void {
  assert.is(repo.git(['status', '--porcelain', '--', 'databases']), '', `${what}: git status shows the databases`);
  assert.is(repo.git(['diff', '--cached', '--name-only', '--', 'databases']), '', `${what}: the index differs from HEAD for the databases`);
  assert.is(repo.git(['diff', '--name-only', '--', 'databases']), '', `${what}: the work tree differs from the index for the databases`);
}

/**
 * The checks every commit form shares. `loggedPaths`: paths the commit's own git.pre-commit row
 * must list (undefined when no pre-commit ran, as with --no-verify and a clean cherry-pick).
 */
async function expectLoggedCommit(
  what: string,
  options: { loggedPaths?: string[]; operations?: string[]; parentCount?: number } = {},
): Promise<LogRow> {
  expectDatabasesClean(what);
  const oids = expectPointers(repo, 'HEAD');
  // The work tree holds exactly what was committed.
  for (const db of DBS) assert.is(fileOid(repo, db), oids[db], `${what}: work-tree ${db} differs from HEAD's object`);
  let precommit: string | null = null;
  if (options.loggedPaths) {
    // Finalize wrote both databases as one LFS object, the only one this commit stored.
    expectOneNewObject(repo, objectsBefore, what);
    const pre = await committedRows(repo, 'HEAD', 'git.pre-commit');
    const last = pre[pre.length - 1];
    assert.ok(last, `${what}: no git.pre-commit row in HEAD's database`);
    const m = meta(last);
    for (const p of options.loggedPaths)
      assert.ok(m.staged.paths.includes(p), `${what}: git.pre-commit row does not list ${p}: ${last.metadata}`);
    assert.equal(m.operations, options.operations ?? [], `${what}: operations in the git.pre-commit row`);
    assert.is(m.branch, 'main', `${what}: branch`);
    precommit = last.uid;
  }
  const head = sha(repo);
  const row = commitRow(logJson(repo), head);
  assert.is(row.pending, true, `${what}: the git.commit row should wait for the next commit`);
  assert.is(row.id, null, `${what}: a waiting row has no id yet`);
  assert.is(meta(row).sha.length, 40);
  assert.equal(meta(row).parents, parents(repo), `${what}: parents`);
  if (options.parentCount !== undefined) assert.is(meta(row).parents.length, options.parentCount);
  assert.is(meta(row).subject, repo.git(['log', '-1', '--format=%s']).trim());
  // The commit's own git.pre-commit row (in HEAD's database), or none when no pre-commit ran.
  assert.is(meta(row).precommit, precommit, `${what}: metadata.precommit of the git.commit row`);
  return row;
}

/** The previous commit's git.commit row is now stored in HEAD's database (no longer pending). */
async function expectFolded(previous: string, what: string): Promise<void> {
  const rows = await committedRows(repo, 'HEAD', 'git.commit');
  assert.ok(
    rows.some((r) => meta(r).sha === previous),
    `${what}: HEAD's database lacks the git.commit row of ${previous}`,
  );
  const shown = commitRow(logJson(repo), previous);
  assert.is(shown.pending, false, `${what}: ${previous} is still shown pending`);
  assert.is(typeof shown.id, 'number', `${what}: the folded row of ${previous} has no id`);
}

forms('plain git commit, with rows recorded between commits', async () => {
  const before = sha(repo);
  await expectLoggedCommit('initial', { loggedPaths: ['a.txt', 'b.txt', 'package.json'] });
  assert.is(repo.git(['status', '--porcelain']), '', 'the initial commit left changes behind');
  // An agent records between commits: nothing in the work tree changes, the rows wait, without ids.
  const dbs = DBS.map((db) => repo.read(db));
  const metadata = JSON.stringify({ agent: 'codex', model: 'gpt-test' });
  for (const n of [1, 2]) {
    const r = repo.hooks(['record', 'agent.edit', `edit ${n}`, '--session', 'agent-1', '--metadata', metadata]);
    expectExit(r, 0, `record ${n}`);
    assert.is(repo.git(['status', '--porcelain']), '', `record ${n} changed the work tree`);
  }
  for (const [i, db] of DBS.entries()) assert.ok(repo.read(db).equals(dbs[i]), `record wrote ${db}`);
  const recorded = logJson(repo).filter((r) => r.action === 'agent.edit');
  assert.equal(
    recorded.map((r) => [r.statement, r.session_id, r.metadata, r.id, r.pending]),
    [
      ['edit 1', 'agent-1', metadata, null, true],
      ['edit 2', 'agent-1', metadata, null, true],
    ],
  );

  repo.write('plain.txt', 'plain\n');
  repo.git(['add', 'plain.txt']);
  commit(['-m', 'plain']);
  await expectLoggedCommit('plain', { loggedPaths: ['plain.txt'], parentCount: 1 });
  await expectFolded(before, 'plain');
  assert.is(repo.git(['diff', '--cached', '--name-only']), '', 'the index matches HEAD');
  // The recorded rows entered the commit with ids, in order; its git.pre-commit row names their session.
  const stored = (await committedRows(repo, 'HEAD', 'agent.edit')).map((r) => [r.uid, r.statement]);
  assert.equal(
    stored,
    recorded.map((r) => [r.uid, r.statement]),
  );
  const shown = logJson(repo).filter((r) => r.action === 'agent.edit');
  assert.ok(
    shown.every((r) => !r.pending && typeof r.id === 'number'),
    JSON.stringify(shown),
  );
  const pre = await committedRows(repo, 'HEAD', 'git.pre-commit');
  assert.equal(meta(pre[pre.length - 1]).sessions, [{ id: 'agent-1', agent: 'codex', model: 'gpt-test', rows: 2 }]);
});

forms('git commit -a', async () => {
  const before = sha(repo);
  repo.write('a.txt', 'a changed by -a\n');
  commit(['-a', '-m', 'all']);
  await expectLoggedCommit('commit -a', { loggedPaths: ['a.txt'] });
  await expectFolded(before, 'commit -a');
  assert.is(repo.git(['status', '--porcelain']), '', 'nothing left over after commit -a');
});

forms('nothing staged: git says nothing to commit and nothing is staged; --allow-empty is logged', async () => {
  const before = sha(repo);
  expectExit(repo.hooks(['record', 'agent.note', 'waits for a real commit', '--session', 'agent-1']), 0, 'record');
  const rows = logJson(repo);
  const waiting = rows.filter((r) => r.pending).map((r) => r.uid);
  assert.is(waiting.length, 2, 'the previous git.commit row and the recorded one wait');
  settleIndex(repo);
  const snap = snapshot(repo);
  const objects = lfsObjects(repo);
  const r = repo.tryGit(['commit', '-m', 'nothing']);
  expectExit(r, 1, 'git commit with nothing staged');
  expectNoStack(r, 'git commit with nothing staged');
  assert.match(r.stdout, /nothing to commit/);
  assert.is(sha(repo), before, 'a commit was made');
  // The hook staged nothing (or git would have committed the databases alone) and wrote nothing.
  expectUnchanged(repo, snap, 'nothing staged');
  assert.equal(lfsObjects(repo), objects, 'an LFS object was stored');
  assert.equal(logJson(repo), rows, 'the log changed');
  assert.is(repo.git(['status', '--porcelain']), '');

  // --allow-empty asks for the commit anyway: it is logged like any other.
  commit(['--allow-empty', '-m', 'empty']);
  const row = await expectLoggedCommit('allow-empty', { loggedPaths: [] });
  assert.equal(meta(row).parents, [before]);
  const pre = await committedRows(repo, 'HEAD', 'git.pre-commit');
  assert.is(meta(pre[pre.length - 1]).staged.total, 0, 'the empty commit staged paths');
  assert.equal(repo.git(['diff', '--name-only', 'HEAD^', 'HEAD']).split('\n').filter(Boolean), DBS);
  const stored = new Set((await committedRows(repo)).map((x) => x.uid));
  for (const uid of waiting) assert.ok(stored.has(uid), `row ${uid} did not enter the empty commit`);
});

for (const flag of ['--', '-o']) {
  forms(`git commit ${flag} path (partial commit from a temporary index)`, async () => {
    const before = sha(repo);
    repo.write('a.txt', `a for ${flag}\n`);
    repo.write('b.txt', `b staged, not committed by ${flag}\n`);
    repo.git(['add', 'b.txt']);
    commit(['-m', `partial ${flag}`, flag, 'a.txt']);
    await expectLoggedCommit(`commit ${flag}`, { loggedPaths: ['a.txt'] });
    await expectFolded(before, `commit ${flag}`);
    assert.is(repo.git(['show', 'HEAD:a.txt']), `a for ${flag}\n`);
    assert.is(repo.git(['diff', '--cached', '--name-only']), 'b.txt\n', 'only b.txt stays staged');
    assert.is(repo.git(['status', '--porcelain']), 'M  b.txt\n', 'the real index kept b.txt and took the databases');
    repo.git(['commit', '-q', '--no-verify', '-m', `b after ${flag}`]);
  });
}

forms('git commit --amend (post-rewrite maps old to new)', async () => {
  repo.write('amend.txt', 'first\n');
  repo.git(['add', 'amend.txt']);
  commit(['-m', 'to be amended']);
  const old = sha(repo);
  repo.write('amend.txt', 'second\n');
  repo.git(['add', 'amend.txt']);
  commit(['--amend', '-m', 'amended']);
  const amended = sha(repo);
  assert.is.not(amended, old);
  await expectLoggedCommit('amend', { loggedPaths: ['amend.txt'] });
  const rewrite = logJson(repo).filter((r) => r.action === 'git.rewrite');
  assert.is(rewrite.length, 1, 'one git.rewrite row');
  assert.is(rewrite[0].pending, true);
  assert.equal(meta(rewrite[0]).kind, 'amend');
  assert.equal(meta(rewrite[0]).mappings, [{ old, new: amended }]);

  repo.write('after-amend.txt', 'x\n');
  repo.git(['add', 'after-amend.txt']);
  commit(['-m', 'after amend']);
  await expectLoggedCommit('after amend', { loggedPaths: ['after-amend.txt'] });
  const stored = await committedRows(repo, 'HEAD', 'git.rewrite');
  assert.equal(
    stored.map((r) => meta(r).mappings),
    [[{ old, new: amended }]],
    'the mapping entered the database',
  );
  assert.ok(
    logJson(repo)
      .filter((r) => r.action === 'git.rewrite')
      .every((r) => !r.pending),
  );
  await expectFolded(amended, 'after amend');
});

forms('git commit --no-verify (pre-commit skipped, post-commit still records)', async () => {
  const before = sha(repo);
  const preRows = (await committedRows(repo, 'HEAD', 'git.pre-commit')).length;
  const dbBytes = DBS.map((db) => repo.read(db));
  repo.write('noverify.txt', 'x\n');
  repo.git(['add', 'noverify.txt']);
  commit(['--no-verify', '-m', 'no verify']);
  await expectLoggedCommit('--no-verify');
  // No pre-commit: the databases are HEAD^'s, untouched, no LFS object was stored, and no row was
  // added to them.
  assert.equal(lfsObjects(repo), objectsBefore, '--no-verify stored an LFS object');
  for (const db of DBS) assert.is(repo.git(['rev-parse', `HEAD:${db}`]), repo.git(['rev-parse', `HEAD^:${db}`]));
  for (const [i, db] of DBS.entries()) assert.ok(repo.read(db).equals(dbBytes[i]), `${db} was written`);
  assert.is((await committedRows(repo, 'HEAD', 'git.pre-commit')).length, preRows);
  // Both commits' rows wait; the next logged commit folds them in.
  assert.is(commitRow(logJson(repo), before).pending, true);
  repo.write('after-noverify.txt', 'x\n');
  repo.git(['add', 'after-noverify.txt']);
  const noVerify = sha(repo);
  commit(['-m', 'after no-verify']);
  await expectLoggedCommit('after --no-verify', { loggedPaths: ['after-noverify.txt'] });
  await expectFolded(before, 'after --no-verify');
  await expectFolded(noVerify, 'after --no-verify');
});

forms('the commit that ends a conflicted merge', async () => {
  repo.write('conflict.txt', 'base\n');
  repo.git(['add', 'conflict.txt']);
  commit(['-m', 'merge base']);
  repo.git(['checkout', '-q', '-b', 'side']);
  repo.write('conflict.txt', 'side\n');
  commit(['-a', '-m', 'side change']);
  const side = sha(repo);
  repo.git(['checkout', '-q', 'main']);
  expectDatabasesClean('checkout main');
  repo.write('conflict.txt', 'main\n');
  commit(['-a', '-m', 'main change']);
  const main = sha(repo);

  const merge = repo.tryGit(['merge', 'side', '-m', 'merge side']);
  expectExit(merge, 1, 'git merge side (conflict expected)');
  expectNoStack(merge, 'git merge');
  // Only the text file conflicts: the databases merged through our driver.
  assert.is(repo.git(['diff', '--name-only', '--diff-filter=U']), 'conflict.txt\n', 'conflicted paths');
  repo.write('conflict.txt', 'resolved\n');
  repo.git(['add', 'conflict.txt']);
  commit(['--no-edit']);
  await expectLoggedCommit('merge commit', { loggedPaths: ['conflict.txt'], operations: ['merge'], parentCount: 2 });
  assert.equal(parents(repo), [main, side]);
  await expectFolded(main, 'merge commit');
  // The side's rows came along with the merge: its commit's own git.pre-commit row is there.
  const sideRows = await committedRows(repo, side, 'git.pre-commit');
  const merged = new Set((await committedRows(repo, 'HEAD')).map((r) => r.uid));
  for (const r of sideRows) assert.ok(merged.has(r.uid), `the merge lost ${r.uid} from side`);
  assert.is(repo.git(['status', '--porcelain']), '');
});

forms('cherry-pick (clean: post-commit only)', async () => {
  repo.git(['checkout', '-q', '-b', 'pick-src']);
  repo.write('picked.txt', 'picked\n');
  repo.git(['add', 'picked.txt']);
  commit(['-m', 'to pick']);
  const src = sha(repo);
  repo.git(['checkout', '-q', 'main']);
  // main moves on, so the pick is a new commit (not the same one, byte for byte) and both sides
  // changed the databases.
  repo.write('main-before-pick.txt', 'x\n');
  repo.git(['add', 'main-before-pick.txt']);
  commit(['-m', 'main before pick']);
  const preRows = (await committedRows(repo, 'HEAD', 'git.pre-commit')).map((r) => r.uid);
  const r = repo.tryGit(['cherry-pick', src]);
  expectExit(r, 0, 'git cherry-pick');
  expectNoStack(r, 'git cherry-pick');
  assert.is(repo.git(['show', 'HEAD:picked.txt']), 'picked\n');
  const row = await expectLoggedCommit('cherry-pick');
  assert.is.not(sha(repo), src);
  assert.is(meta(row).subject, 'to pick');
  // Which operation post-commit saw: asserted by the last test of this file.
  replayedRows.push({ row, operation: 'cherry-pick' });
  // The picked commit's databases are main's merged with the source commit's rows.
  const now = new Set((await committedRows(repo, 'HEAD')).map((x) => x.uid));
  for (const uid of preRows) assert.ok(now.has(uid), 'cherry-pick lost a row of main');
  for (const x of await committedRows(repo, src, 'git.pre-commit'))
    assert.ok(now.has(x.uid), 'cherry-pick lost a row of the picked commit');
  assert.is(repo.git(['status', '--porcelain']), '');
});

forms('cherry-pick with a conflict, then --continue (pre-commit sees the cherry-pick)', async () => {
  repo.git(['checkout', '-q', '-b', 'pick-conflict']);
  repo.write('conflict.txt', 'pick side\n');
  commit(['-a', '-m', 'conflicting pick']);
  const src = sha(repo);
  repo.git(['checkout', '-q', 'main']);
  repo.write('conflict.txt', 'main again\n');
  commit(['-a', '-m', 'main again']);
  const pick = repo.tryGit(['cherry-pick', src]);
  expectExit(pick, 1, 'git cherry-pick (conflict expected)');
  assert.is(repo.git(['diff', '--name-only', '--diff-filter=U']), 'conflict.txt\n');
  repo.write('conflict.txt', 'resolved pick\n');
  repo.git(['add', 'conflict.txt']);
  noteObjects();
  const r = repo.tryGit(['cherry-pick', '--continue'], { env: { GIT_EDITOR: 'true' } });
  expectExit(r, 0, 'git cherry-pick --continue');
  expectNoStack(r, 'git cherry-pick --continue');
  await expectLoggedCommit('cherry-pick --continue', { loggedPaths: ['conflict.txt'], operations: ['cherry-pick'] });
  assert.is(repo.git(['status', '--porcelain']), '');
});

forms('rebase (merge backend): post-commit per replayed commit, post-rewrite at the end', async () => {
  repo.git(['checkout', '-q', '-b', 'feature']);
  const originals: string[] = [];
  for (const n of [1, 2]) {
    repo.write(`feature-${n}.txt`, `${n}\n`);
    repo.git(['add', `feature-${n}.txt`]);
    commit(['-m', `feature ${n}`]);
    originals.push(sha(repo));
  }
  repo.git(['checkout', '-q', 'main']);
  repo.write('main-moves.txt', 'x\n');
  repo.git(['add', 'main-moves.txt']);
  commit(['-m', 'main moves on']);
  repo.git(['checkout', '-q', 'feature']);
  const r = repo.tryGit(['rebase', '--merge', 'main']);
  expectExit(r, 0, 'git rebase --merge main');
  expectNoStack(r, 'git rebase');
  expectDatabasesClean('rebase');
  assert.is(repo.git(['status', '--porcelain']), '');
  const replayed = repo.git(['rev-list', '--reverse', 'main..HEAD']).trim().split('\n');
  assert.is(replayed.length, 2);
  const rows = logJson(repo);
  for (const [i, c] of replayed.entries()) {
    expectPointers(repo, c);
    const row = commitRow(rows, c);
    assert.is(row.pending, true);
    assert.equal(meta(row).parents, parents(repo, c));
    assert.is(meta(row).precommit, null, 'a replayed commit runs no pre-commit');
    replayedRows.push({ row, operation: 'rebase' });
    assert.is(meta(row).subject, `feature ${i + 1}`);
  }
  const rewrite = rows.filter((x) => x.action === 'git.rewrite' && meta(x).kind === 'rebase');
  assert.is(rewrite.length, 1);
  assert.equal(
    meta(rewrite[0]).mappings,
    originals.map((old, i) => ({ old, new: replayed[i] })),
  );
  // The replayed tip carries the rows of main and of the original feature commits.
  const tip = new Set((await committedRows(repo, 'HEAD')).map((x) => x.uid));
  for (const c of [originals[1], 'main']) {
    for (const x of await committedRows(repo, c, 'git.pre-commit')) assert.ok(tip.has(x.uid), `rebase lost row ${x.uid} of ${c}`);
  }
  assert.ok(repo.read(LOG_DB).subarray(0, 16).toString('latin1').startsWith('SQLite format 3'));
});

// Regression: bin/codexlog-hook.sh once took a commit's operation from GIT_REFLOG_ACTION alone,
// which git (2.39 here) does not export to the post-commit of a commit the sequencer makes itself
// (a clean cherry-pick, each pick of a rebase), so their git.commit rows said `operations: []`. It
// now reads git's marker files (CHERRY_PICK_HEAD, rebase-merge/), present at that time, as 0.1.0 did.
forms('post-commit sees the cherry-pick and the rebase it runs in', () => {
  assert.is(replayedRows.length, 3, 'the cherry-pick and rebase tests ran first');
  for (const { row, operation } of replayedRows) {
    assert.equal(meta(row).operations, [operation], `post-commit of ${meta(row).subject} saw the ${operation}`);
  }
});

forms.run();
