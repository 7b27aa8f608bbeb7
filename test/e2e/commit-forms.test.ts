// Every form of `git commit` through the installed package, husky and real git-lfs, with
// ALLOW_AUTOLFS=1: plain, -a, -- path, -o path, --amend, --no-verify, the commit that ends a
// conflicted merge, cherry-pick (clean and conflicted) and rebase. After each: no change to the
// databases in `git status`, the index matches HEAD, both databases in HEAD are LFS pointers, the
// commit carries its git.pre-commit row, and the log shows the pending git.commit row.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Run, throwawayRepos } from '../helpers/repo.ts';
import {
  commitRow,
  committedRows,
  DBS,
  expectExit,
  expectNoStack,
  expectPointers,
  fileOid,
  LOG_DB,
  type LogRow,
  logJson,
  meta,
  parents,
  sha,
} from './__utils__/checks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const forms = suite('commit forms');
// One repository whose history every form adds to, removed after the last.
const repos = throwawayRepos(forms, { per: 'file' });
let repo: AppRepo;

forms.before(() => {
  repo = appRepo(repos, { env: { ALLOW_AUTOLFS: '1' } });
  repo.write('a.txt', 'a\n');
  repo.write('b.txt', 'b\n');
  repo.git(['add', '-A']);
  const r = repo.tryGit(['commit', '-m', 'initial']);
  expectExit(r, 0, 'initial commit');
});

function commit(args: string[]): Run {
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
  if (options.loggedPaths) {
    const pre = await committedRows(repo, 'HEAD', 'git.pre-commit');
    const last = pre[pre.length - 1];
    assert.ok(last, `${what}: no git.pre-commit row in HEAD's database`);
    const m = meta(last);
    for (const p of options.loggedPaths)
      assert.ok(m.staged.paths.includes(p), `${what}: git.pre-commit row does not list ${p}: ${last.metadata}`);
    assert.equal(m.operations, options.operations ?? [], `${what}: operations in the git.pre-commit row`);
    assert.is(m.branch, 'main', `${what}: branch`);
  }
  const head = sha(repo);
  const row = commitRow(logJson(repo), head);
  assert.is(row.pending, true, `${what}: the git.commit row should wait for the next commit`);
  assert.is(meta(row).sha.length, 40);
  assert.equal(meta(row).parents, parents(repo), `${what}: parents`);
  if (options.parentCount !== undefined) assert.is(meta(row).parents.length, options.parentCount);
  assert.is(meta(row).subject, repo.git(['log', '-1', '--format=%s']).trim());
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
}

forms('plain git commit', async () => {
  const before = sha(repo);
  await expectLoggedCommit('initial', { loggedPaths: ['a.txt', 'b.txt', 'package.json'] });
  repo.write('plain.txt', 'plain\n');
  repo.git(['add', 'plain.txt']);
  commit(['-m', 'plain']);
  await expectLoggedCommit('plain', { loggedPaths: ['plain.txt'], parentCount: 1 });
  await expectFolded(before, 'plain');
  assert.is(repo.git(['diff', '--cached', '--name-only']), '', 'the index matches HEAD');
});

forms('git commit -a', async () => {
  const before = sha(repo);
  repo.write('a.txt', 'a changed by -a\n');
  commit(['-a', '-m', 'all']);
  await expectLoggedCommit('commit -a', { loggedPaths: ['a.txt'] });
  await expectFolded(before, 'commit -a');
  assert.is(repo.git(['status', '--porcelain']), '', 'nothing left over after commit -a');
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
  // No pre-commit: the databases are HEAD^'s, untouched, and no row was added to them.
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
  assert.equal(meta(row).operations, ['cherry-pick'], 'post-commit saw the cherry-pick');
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
    assert.equal(meta(row).operations, ['rebase'], 'post-commit saw the rebase in progress');
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

forms.run();
