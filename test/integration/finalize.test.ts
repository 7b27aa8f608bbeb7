// finalize: integrity check, a consistent session copy with exactly the log's rows, both files
// staged into the index git is using (GIT_INDEX_FILE), nothing staged outside a repository.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeCodexLogDb, finalizeCodexLogDb, logCodexStart, recordCodexAction } from '../../src/index.ts';
import { listFiles, queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const LOG = 'databases/codex_log.db';
const SESSION = 'databases/codex_session_logs.db';
const BOTH = `${LOG}\n${SESSION}\n`;
const ACTIONS = 'SELECT id, uid, session_id, ts, action, statement, metadata FROM codex_actions ORDER BY id';
const EVENTS = 'SELECT rowid AS rid, uid, session_id, event, summary, ts FROM codex_log ORDER BY rowid';

const repos = throwawayRepos(test);
const { repo } = repos;

/** The staged blob of `file`, written out so SQLite can read it. */
function stagedCopy(r: TestRepo, file: string, env: NodeJS.ProcessEnv = {}): string {
  const blob = execFileSync('git', ['cat-file', 'blob', `:${file}`], { cwd: r.dir, env: { ...r.env, ...env } });
  const out = path.join(repos.dir('codexlog-staged-'), path.basename(file));
  writeFileSync(out, blob);
  return out;
}

/** Whether the staged blob is byte-identical to the file in the work tree (no filter is configured). */
function stagedMatchesFile(r: TestRepo, file: string, env: NodeJS.ProcessEnv = {}): boolean {
  return r.git(['rev-parse', `:${file}`], { env }) === r.git(['hash-object', '--', file]);
}

async function recordSome(r: TestRepo, n: number): Promise<void> {
  const o = { cwd: r.dir, env: r.env };
  await logCodexStart('s1', o);
  for (let i = 0; i < n; i++) await recordCodexAction(i % 2 ? 's1' : 's2', 'edit', `row ${i}`, i % 3 ? { i } : `text ${i}`, o);
}

test('API finalize: the session copy and the staged log hold exactly the rows recorded, connection still open', async () => {
  const r = repo();
  await recordSome(r, 50);
  const res = await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  assert.equal(res, { logDb: path.join(r.dir, LOG), sessionDb: path.join(r.dir, SESSION), staged: true, backup: null });
  // Read the staged blobs before closing: rows still in the WAL would be missing from them.
  const stagedLog = stagedCopy(r, LOG);
  const stagedSession = stagedCopy(r, SESSION);
  closeCodexLogDb();

  const rows = await queryDb(path.join(r.dir, LOG), ACTIONS);
  const events = await queryDb(path.join(r.dir, LOG), EVENTS);
  assert.is(rows.length, 50);
  assert.is(events.length, 1);
  assert.equal(await queryDb(path.join(r.dir, SESSION), ACTIONS), rows);
  assert.equal(await queryDb(path.join(r.dir, SESSION), EVENTS), events);
  assert.equal(await queryDb(stagedLog, ACTIONS), rows);
  assert.equal(await queryDb(stagedSession, ACTIONS), rows);
  assert.equal(await queryDb(path.join(r.dir, SESSION), 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  assert.equal(await queryDb(path.join(r.dir, SESSION), 'PRAGMA user_version'), [{ user_version: 1 }]);

  assert.is(r.git(['diff', '--cached', '--name-only']), BOTH);
  assert.ok(stagedMatchesFile(r, LOG), 'staged log = file');
  assert.ok(stagedMatchesFile(r, SESSION), 'staged session copy = file');
  // No temp file is left next to the copy.
  assert.equal(listFiles(r.dir), ['databases/', LOG, SESSION]);
});

test('CLI finalize: same rows in both files, both staged, says so', async () => {
  const r = repo();
  for (let i = 0; i < 3; i++) assert.is(r.cli(['record', 'edit', `row ${i}`, '--session', 's1']).status, 0);
  const out = r.cli(['finalize']);
  assert.equal(
    [out.status, out.stdout, out.stderr],
    [0, '', 'codexlog-hooks: Finalized databases/codex_log.db into databases/codex_session_logs.db; both are staged.\n'],
  );
  const rows = await queryDb(path.join(r.dir, LOG), ACTIONS);
  assert.equal(
    rows.map((x) => x.statement),
    ['row 0', 'row 1', 'row 2'],
  );
  assert.equal(await queryDb(path.join(r.dir, SESSION), ACTIONS), rows);
  assert.is(r.git(['diff', '--cached', '--name-only']), BOTH);
  assert.ok(stagedMatchesFile(r, LOG) && stagedMatchesFile(r, SESSION));
});

test('finalize again after more rows: the copy follows, the new versions are staged', async () => {
  const r = repo();
  await recordSome(r, 5);
  await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  r.git(['commit', '-q', '-m', 'first']);
  await recordCodexAction('s3', 'run', 'later', undefined, { cwd: r.dir, env: r.env });
  await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  const staged = stagedCopy(r, SESSION);
  closeCodexLogDb();
  const rows = await queryDb(path.join(r.dir, LOG), ACTIONS);
  assert.is(rows.length, 6);
  assert.equal(await queryDb(path.join(r.dir, SESSION), ACTIONS), rows);
  assert.equal(await queryDb(staged, ACTIONS), rows);
  assert.is(r.git(['diff', '--cached', '--name-only']), BOTH);
});

test('with GIT_INDEX_FILE pointing elsewhere, finalize stages into that index only (API and CLI)', async () => {
  for (const via of ['api', 'cli'] as const) {
    const r = repo();
    r.write('README.md', 'hello\n');
    r.git(['add', 'README.md']);
    r.git(['commit', '-q', '-m', 'init']);
    const other = path.join(repos.dir('codexlog-index-'), 'other-index');
    copyFileSync(path.join(r.dir, '.git/index'), other);
    const realBefore = r.read('.git/index');
    const env = { GIT_INDEX_FILE: other };
    if (via === 'api') {
      await recordSome(r, 3);
      await finalizeCodexLogDb({ cwd: r.dir, env: { ...r.env, ...env } });
      closeCodexLogDb();
    } else {
      assert.is(r.cli(['record', 'edit', 'x'], { env }).status, 0);
      assert.is(r.cli(['finalize'], { env }).status, 0);
    }
    assert.is(r.git(['diff', '--cached', '--name-only'], { env }), BOTH, via);
    assert.ok(stagedMatchesFile(r, LOG, env) && stagedMatchesFile(r, SESSION, env), via);
    assert.is(r.git(['diff', '--cached', '--name-only']), '', via);
    assert.ok(r.read('.git/index').equals(realBefore), via);
  }
});

test('during a partial commit (GIT_INDEX_FILE=next-index-*.lock) finalize also stages into index.lock', async () => {
  const r = repo();
  r.write('README.md', 'hello\n');
  r.git(['add', 'README.md']);
  r.git(['commit', '-q', '-m', 'init']);
  // What `git commit -- path` sets up: a temporary index, and index.lock holding the future real index.
  const temp = path.join(r.dir, '.git/next-index-4242.lock');
  const lock = path.join(r.dir, '.git/index.lock');
  copyFileSync(path.join(r.dir, '.git/index'), temp);
  copyFileSync(path.join(r.dir, '.git/index'), lock);
  await recordSome(r, 2);
  await finalizeCodexLogDb({ cwd: r.dir, env: { ...r.env, GIT_INDEX_FILE: temp } });
  closeCodexLogDb();
  assert.is(r.git(['diff', '--cached', '--name-only'], { env: { GIT_INDEX_FILE: temp } }), BOTH);
  assert.is(r.git(['diff', '--cached', '--name-only'], { env: { GIT_INDEX_FILE: lock } }), BOTH);
});

test('outside a git repository finalize copies but stages nothing, and says so', async () => {
  const dir = repos.dir('codexlog-plain-');
  const helper = repo(); // only for its environment and its CLI runner
  assert.is(helper.cli(['record', 'edit', 'no git here'], { cwd: dir }).status, 0);
  const out = helper.cli(['finalize'], { cwd: dir });
  assert.equal(
    [out.status, out.stderr],
    [0, `codexlog-hooks: Finalized ${path.join(dir, LOG)} into ${path.join(dir, SESSION)} (not a git repository: nothing staged).\n`],
  );
  const res = await finalizeCodexLogDb({ cwd: dir, env: helper.env });
  closeCodexLogDb();
  assert.equal(res, { logDb: path.join(dir, LOG), sessionDb: path.join(dir, SESSION), staged: false, backup: null });
  assert.equal(await queryDb(path.join(dir, SESSION), ACTIONS), await queryDb(path.join(dir, LOG), ACTIONS));
  assert.equal(listFiles(dir), ['databases/', LOG, SESSION]);
  assert.not.ok(existsSync(path.join(dir, '.git')));
});

test('finalize in a fresh repository creates an empty log and copy, both staged', async () => {
  const r = repo();
  const out = r.cli(['finalize']);
  assert.is(out.status, 0, out.stderr);
  assert.equal(await queryDb(path.join(r.dir, SESSION), ACTIONS), []);
  assert.equal(await queryDb(path.join(r.dir, LOG), ACTIONS), []);
  assert.is(r.git(['diff', '--cached', '--name-only']), BOTH);
});

test.run();
