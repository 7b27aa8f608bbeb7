// Issue #4: merges, rebases and cherry-picks of the log across clones never conflict, keep every
// row exactly once, and refuse hostile or incomplete inputs without producing a partial union.

import { copyFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.js';
import { agentCommit, cloneTeam, makeTeam, TEAM_ENV } from '../helpers/team.js';

const LOG = 'databases/codex_log.db';
const SESSION = 'databases/codex_session_logs.db';

const repos = throwawayRepos(test);

async function uids(repo: TestRepo, file = LOG): Promise<string[]> {
  return (await queryDb<{ uid: string }>(path.join(repo.dir, file), 'SELECT uid FROM codex_actions ORDER BY uid')).map((r) => r.uid);
}

/** The uids of the session events (codex_log) of `file`. */
async function eventUids(repo: TestRepo, file = LOG): Promise<string[]> {
  return (await queryDb<{ uid: string }>(path.join(repo.dir, file), 'SELECT uid FROM codex_log ORDER BY uid')).map((r) => r.uid);
}

/** The union of `sides`, each uid once, sorted. */
const union = (...sides: string[][]): string[] => [...new Set(sides.flat())].sort();

/** Records an action in a session opened and closed around it (so the log holds session events too), then commits. */
function sessionCommit(repo: TestRepo, label: string): void {
  const cli = (args: string[]) => {
    const r = repo.cli(args, { env: TEAM_ENV });
    assert.is(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  };
  cli(['session', 'start', '--id', label]);
  agentCommit(repo, label);
  cli(['session', 'end', '--summary', `${label} done`]);
}

/**
 * Every row exactly once, both files agree, integrity ok, clean work tree, no conflict markers;
 * with `expectedEvents`, the session events of both files are exactly those too.
 */
async function assertHealthy(repo: TestRepo, expected: string[], expectedEvents?: string[]): Promise<void> {
  const log = await uids(repo);
  assert.equal(log.length, new Set(log).size, 'no row twice');
  assert.equal(log, [...expected].sort());
  assert.equal(await uids(repo, SESSION), log, 'session copy holds the same rows');
  if (expectedEvents) {
    for (const f of [LOG, SESSION]) assert.equal(await eventUids(repo, f), [...expectedEvents].sort(), `${f}: session events`);
  }
  for (const f of [LOG, SESSION]) {
    const [r] = await queryDb<{ integrity_check: string }>(path.join(repo.dir, f), 'PRAGMA integrity_check');
    assert.is(r.integrity_check, 'ok');
  }
  assert.is(repo.git(['status', '--porcelain', '--untracked-files=no']), '');
}

test('merge pulls and rebase pulls in both directions keep every row exactly once, session events too', async () => {
  const team = makeTeam(repos);
  const b = cloneTeam(repos, team.remote);
  const a = team.first;
  // Both sides' actions and session events, read from their files.
  const held = async (...sides: TestRepo[]) => ({
    actions: union(...(await Promise.all(sides.map((r) => uids(r))))),
    events: union(...(await Promise.all(sides.map((r) => eventUids(r))))),
  });
  const healthy = async (r: TestRepo, expected: { actions: string[]; events: string[] }) =>
    assertHealthy(r, expected.actions, expected.events);
  sessionCommit(a, 'alice-1');
  agentCommit(a, 'alice-2');
  a.git(['push', '-q'], { env: TEAM_ENV });
  sessionCommit(b, 'bob-1');
  agentCommit(b, 'bob-1b');
  // B: merge pull.
  const afterMerge = await held(a, b);
  assert.ok(afterMerge.events.length >= 4, `both sides hold session events: ${afterMerge.events.length}`);
  b.git(['pull', '-q', '--no-rebase'], { env: TEAM_ENV });
  await healthy(b, afterMerge);
  b.git(['push', '-q'], { env: TEAM_ENV });
  // A: diverge again, then rebase pull.
  sessionCommit(a, 'alice-3');
  const aRows = await held(a);
  a.git(['pull', '-q', '--rebase'], { env: TEAM_ENV });
  await healthy(a, { actions: union(aRows.actions, afterMerge.actions), events: union(aRows.events, afterMerge.events) });
  // Commit once more so A's pending rows (rebase, commits) enter the database, then push.
  agentCommit(a, 'alice-4');
  a.git(['push', '-q'], { env: TEAM_ENV });
  // B: diverge, rebase pull the other way.
  sessionCommit(b, 'bob-2');
  const bRows = await held(b);
  const aNow = await held(a);
  b.git(['pull', '-q', '--rebase'], { env: TEAM_ENV });
  await healthy(b, { actions: union(bRows.actions, aNow.actions), events: union(bRows.events, aNow.events) });
  // And a merge pull back on A.
  b.git(['push', '-q'], { env: TEAM_ENV });
  sessionCommit(a, 'alice-5');
  const aRows2 = await held(a);
  const bNow = await held(b);
  a.git(['pull', '-q', '--no-rebase'], { env: TEAM_ENV });
  await healthy(a, { actions: union(aRows2.actions, bNow.actions), events: union(aRows2.events, bNow.events) });
});

test('a three-way merge whose base already has rows, and a cherry-pick, stay conflict-free', async () => {
  const team = makeTeam(repos);
  const a = team.first;
  agentCommit(a, 'base-1');
  agentCommit(a, 'base-2');
  const base = await uids(a);
  assert.ok(base.length >= 4, 'the base holds rows already');
  a.git(['checkout', '-q', '-b', 'feature']);
  agentCommit(a, 'feature-1');
  agentCommit(a, 'feature-2');
  const feature = await uids(a);
  const pick = a.git(['rev-parse', 'HEAD']).trim();
  a.git(['checkout', '-q', 'main']);
  agentCommit(a, 'main-1');
  const main = await uids(a);
  // Cherry-pick one feature commit onto main.
  a.git(['cherry-pick', pick], { env: TEAM_ENV });
  const picked = await uids(a);
  // Main's rows and those of the picked commit's log (its whole branch's), each once.
  assert.equal(picked, union(main, feature));
  assert.is(a.git(['status', '--porcelain', '--untracked-files=no']), '');
  // Merge the whole branch.
  a.git(['merge', '-q', '--no-edit', 'feature'], { env: TEAM_ENV });
  await assertHealthy(a, [...new Set([...picked, ...feature])]);
  for (const u of base) assert.ok((await uids(a)).includes(u));
});

test('a hostile database on the other side: extras ignored, a wrong schema left as a conflict', async () => {
  const team = makeTeam(repos);
  const a = team.first;
  const b = cloneTeam(repos, team.remote);
  // B plants a trigger and an extra table in an otherwise valid log, bypassing the hooks.
  const { default: Database } = await import('better-sqlite3');
  const plant = (sql: string) => {
    const db = new Database(path.join(b.dir, LOG));
    db.exec(sql);
    db.close();
  };
  agentCommit(b, 'bob-1');
  plant(`CREATE TABLE evil(x); CREATE TRIGGER evil_t AFTER INSERT ON codex_actions BEGIN INSERT INTO evil VALUES (1); END;
         INSERT INTO codex_actions(session_id, ts, action, statement) VALUES ('b', '2026-01-01T00:00:00Z', 'edit', 'planted');`);
  b.git(['add', LOG]);
  b.git(['commit', '-q', '--no-verify', '-m', 'extras'], { env: { ...TEAM_ENV, HUSKY: '0' } });
  b.git(['push', '-q'], { env: TEAM_ENV });
  agentCommit(a, 'alice-1');
  a.git(['pull', '-q', '--no-rebase'], { env: TEAM_ENV });
  const schema = await queryDb<{ name: string }>(path.join(a.dir, LOG), "SELECT name FROM sqlite_schema WHERE name LIKE 'evil%'");
  assert.equal(schema, [], 'no trigger or table of theirs is copied');
  const planted = await queryDb<{ n: number }>(
    path.join(a.dir, LOG),
    "SELECT count(*) AS n FROM codex_actions WHERE statement = 'planted'",
  );
  assert.is(planted[0].n, 1, 'their rows are taken');
  a.git(['push', '-q'], { env: TEAM_ENV });
  b.git(['pull', '-q', '--no-rebase'], { env: TEAM_ENV });

  // Now a wrong schema: codex_actions without its columns.
  rmSync(path.join(b.dir, LOG));
  plant('CREATE TABLE codex_actions(id INTEGER PRIMARY KEY, note TEXT)');
  b.git(['add', LOG]);
  b.git(['commit', '-q', '--no-verify', '-m', 'broken schema'], { env: { ...TEAM_ENV, HUSKY: '0' } });
  b.git(['push', '-q'], { env: TEAM_ENV });
  agentCommit(a, 'alice-2');
  const oursBefore = a.git(['rev-parse', `HEAD:${LOG}`]).trim();
  const r = a.run('git', ['pull', '--no-rebase'], { env: TEAM_ENV });
  assert.is.not(r.status, 0, 'the merge stops');
  assert.match(r.stdout + r.stderr, `cannot merge ${LOG}: theirs is not a valid codexlog database (codex_actions lacks columns`);
  assert.match(r.stdout + r.stderr, 'CONFLICT');
  // The conflict is left: ours is still what we had (the driver wrote nothing).
  assert.is(a.git(['rev-parse', `:2:${LOG}`]).trim(), oursBefore);
  a.git(['merge', '--abort']);
});

test('a missing LFS object fails the merge with `git lfs fetch` and no partial union', async () => {
  const team = makeTeam(repos);
  const a = team.first;
  const b = cloneTeam(repos, team.remote);
  agentCommit(b, 'bob-1');
  // Push the commits but not the LFS objects.
  b.git(['push', '-q'], { env: { ...TEAM_ENV, GIT_LFS_SKIP_PUSH: '1' } });
  agentCommit(a, 'alice-1');
  const before = a.read(LOG);
  const r = a.run('git', ['pull', '--no-rebase'], { env: { ...TEAM_ENV, GIT_LFS_SKIP_SMUDGE: '1' } });
  assert.is.not(r.status, 0);
  assert.match(r.stdout + r.stderr, 'git lfs fetch');
  assert.ok(existsSync(path.join(a.dir, '.git', 'MERGE_HEAD')), 'the merge stopped with a conflict');
  a.git(['merge', '--abort']);
  assert.equal(a.read(LOG), before, 'our database is as it was');
});

test('a merge git finished by itself, then reverted: the next commit puts the merged rows back; check says so meanwhile', async () => {
  const team = makeTeam(repos);
  const a = team.first;
  a.git(['checkout', '-q', '-b', 'feature']);
  agentCommit(a, 'feature-1');
  agentCommit(a, 'feature-2');
  const feature = await uids(a);
  const featureRows = await queryDb<{ uid: string; action: string; statement: string }>(
    path.join(a.dir, LOG),
    'SELECT uid, action, statement FROM codex_actions ORDER BY id',
  );
  a.git(['checkout', '-q', 'main']);
  agentCommit(a, 'main-1');
  const main = await uids(a);
  // No conflict in the code: git finishes the merge itself (the driver unions the log, no pre-commit runs).
  a.git(['merge', '-q', '--no-edit', 'feature'], { env: TEAM_ENV });
  const merged = await uids(a);
  assert.equal(merged, union(main, feature));
  a.git(['revert', '--no-edit', '-m', '1', 'HEAD'], { env: TEAM_ENV });
  const reverted = await uids(a);
  assert.equal(reverted, main, "the revert put main's log back");
  // Exactly the rows only the feature branch held.
  const lost = merged.filter((u) => !reverted.includes(u));
  assert.equal(
    lost,
    feature.filter((u) => !main.includes(u)),
  );
  assert.equal(
    featureRows.filter((x) => lost.includes(x.uid)).map((x) => [x.action, x.statement]),
    [
      ['git.commit', 'initial'],
      ['edit', 'feature-1 edited feature-1.txt'],
      ['git.pre-commit', 'pre-commit on feature: 1 staged path'],
      ['git.commit', 'feature-1: change feature-1.txt'],
      ['edit', 'feature-2 edited feature-2.txt'],
      ['git.pre-commit', 'pre-commit on feature: 1 staged path'],
    ],
  );
  const check = a.cli(['check'], { env: TEAM_ENV });
  assert.is(check.status, 1);
  assert.ok(check.stdout.includes(`${lost.length} rows this branch's log held are missing from it now`), check.stdout);
  agentCommit(a, 'after-revert');
  const after = await uids(a);
  for (const u of merged) assert.ok(after.includes(u), `row ${u} back`);
  assert.equal(after.length, new Set(after).size);
  const restore = await queryDb<{ metadata: string }>(
    path.join(a.dir, LOG),
    "SELECT metadata FROM codex_actions WHERE action = 'git.restore'",
  );
  assert.is(restore.length, 1);
  assert.is(JSON.parse(restore[0].metadata).actions, lost.length);
});

test('git am: each applied commit gets its git.commit row (git runs post-applypatch, not post-commit)', async () => {
  const team = makeTeam(repos);
  const a = team.first;
  a.write('notes.txt', 'one\n');
  a.git(['add', 'notes.txt']);
  a.git(['commit', '-q', '--no-verify', '-m', 'notes one']);
  a.write('notes.txt', 'one\ntwo\n');
  a.git(['commit', '-q', '--no-verify', '-am', 'notes two']);
  const patches = path.join(path.dirname(a.dir), `${path.basename(a.dir)}-patches`);
  a.git(['format-patch', '-q', '-2', '-o', patches]);
  repos.later(() => rmSync(patches, { recursive: true, force: true }));
  a.git(['reset', '-q', '--hard', 'HEAD~2']);
  a.git(['am', '-q', `${patches}/0001-notes-one.patch`, `${patches}/0002-notes-two.patch`], { env: TEAM_ENV });
  const out = a.cli(['log', '--json', '--action', 'git.commit'], { env: TEAM_ENV });
  const rows = (JSON.parse(out.stdout) as Array<{ statement: string; metadata: string }>).filter((r) => r.statement.startsWith('notes'));
  // The two --no-verify commits, then the two applied by git am.
  assert.equal(
    rows.map((r) => [r.statement, JSON.parse(r.metadata).operations]),
    [
      ['notes one', []],
      ['notes two', []],
      ['notes one', ['am']],
      ['notes two', ['am']],
    ],
  );
  assert.is(JSON.parse(rows[3].metadata).sha, a.git(['rev-parse', 'HEAD']).trim());
});

test("a cherry-pick of a range and a rebase with an exec step: each replayed commit holds main's rows and its own; node merges ahead where it can foresee", async () => {
  const team = makeTeam(repos);
  const a = team.first;
  a.git(['checkout', '-q', '-b', 'feature']);
  for (const n of ['f1', 'f2', 'f3', 'f4']) agentCommit(a, n);
  const originals = a.git(['rev-list', '--reverse', 'main..feature']).trim().split('\n');
  a.git(['checkout', '-q', 'main']);
  agentCommit(a, 'm1');
  const main = await uids(a);
  const rowsAt = async (rev: string) => {
    const file = path.join(a.dir, '.git', 'codexlog-at.db');
    const pointer = a.git(['cat-file', 'blob', `${rev}:${LOG}`]);
    const oid = /oid sha256:([0-9a-f]{64})/.exec(pointer)?.[1] as string;
    const src = path.join(a.dir, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid);
    copyFileSync(src, file);
    const rows = (await queryDb<{ uid: string }>(file, 'SELECT uid FROM codex_actions ORDER BY uid')).map((r) => r.uid);
    rmSync(file, { force: true });
    return rows;
  };
  // git cherry-pick of the whole range (git's sequencer): the first replay merges the others ahead.
  a.git(['checkout', '-q', '-b', 'picked', 'main']);
  const r = a.run('git', ['cherry-pick', `main..feature`], { env: TEAM_ENV });
  assert.is(r.status, 0, r.stderr);
  assert.is((r.stderr.match(/merged databases\//g) ?? []).length, 1, r.stderr);
  const picked = a.git(['rev-list', '--reverse', 'main..picked']).trim().split('\n');
  for (const [i, c] of picked.entries()) {
    const expected = [...new Set([...main, ...(await rowsAt(originals[i]))])].sort();
    assert.equal(await rowsAt(c), expected, `picked commit ${i + 1}`);
  }
  // A rebase whose todo has an exec step after the second pick: node merges the first pick and the
  // second ahead, then, past the exec, the third and the fourth ahead: two merges by node, no more.
  // Main moves on first: replays onto the old main would all be answered from the merge cache the
  // cherry-pick filled, without node.
  a.git(['checkout', '-q', 'main']);
  agentCommit(a, 'm2');
  const main2 = await uids(a);
  a.git(['checkout', '-q', 'feature']);
  const editor = `"${process.execPath}" -e "const fs = require('fs'); const f = process.argv[1]; const l = fs.readFileSync(f, 'utf8').split('\\n'); l.splice(2, 0, 'exec true'); fs.writeFileSync(f, l.join('\\n'))"`;
  const rb = a.run('git', ['rebase', '-i', 'main'], { env: { ...TEAM_ENV, GIT_SEQUENCE_EDITOR: editor } });
  assert.is(rb.status, 0, rb.stderr);
  assert.equal(
    // git's progress lines end in \r (and an erase-line escape).
    rb.stderr
      .split(/[\r\n]/)
      .map((l) => l.replace('\x1b[K', ''))
      .filter((l) => l.startsWith('Executing: ')),
    ['Executing: true'],
    `one exec step, after the second pick: ${rb.stderr}`,
  );
  assert.is((rb.stderr.match(/merged databases\//g) ?? []).length, 2, rb.stderr);
  const replayed = a.git(['rev-list', '--reverse', 'main..feature']).trim().split('\n');
  for (const [i, c] of replayed.entries()) {
    const expected = [...new Set([...main2, ...(await rowsAt(originals[i]))])].sort();
    assert.equal(await rowsAt(c), expected, `rebased commit ${i + 1}`);
  }
});

test.run();
