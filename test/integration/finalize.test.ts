// finalize, the only writer of the tracked files: it folds the uncommitted rows into the log (ids
// follow time), checks it, copies it byte for byte to the session database, stores one LFS object
// for both and stages their pointers into the index git is using (GIT_INDEX_FILE, and index.lock
// during a partial commit), seals older rows into a segment past the size threshold, and stages
// nothing outside a repository.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  closeCodexLogDb,
  finalizeCodexLogDb,
  logCodexStart,
  readCodexLog,
  recordCodexAction,
  recordCodexActions,
} from '../../src/index.ts';
import { expectStagedPointers, facts, LOG, logJson, SESSION, stagedBlob, uncommittedRows } from '../helpers/log.ts';
import { listFiles, queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const BOTH = `${LOG}\n${SESSION}\n`;
const ACTIONS = 'SELECT id, uid, session_id, ts, action, statement, metadata FROM codex_actions ORDER BY id';
const EVENTS = 'SELECT rowid AS rid, uid, session_id, event, summary, ts FROM codex_log ORDER BY rowid';
const SEGMENT = /^databases\/codex_log\.segments\/\d{8}T\d{6}Z-[0-9a-f]{32}\.db$/;

const repos = throwawayRepos(test);
const { repo } = repos;

async function recordSome(r: TestRepo, n: number): Promise<void> {
  const o = { cwd: r.dir, env: r.env };
  await logCodexStart('s1', o);
  for (let i = 0; i < n; i++) await recordCodexAction(i % 2 ? 's1' : 's2', 'edit', `row ${i}`, i % 3 ? { i } : `text ${i}`, o);
}

/** The two databases are the same bytes; their staged pointers are one blob naming one LFS object. */
function expectOneObject(r: TestRepo, env: NodeJS.ProcessEnv = {}): string {
  assert.ok(r.read(LOG).equals(r.read(SESSION)), 'the session database is a byte copy of the log');
  const [a, b] = expectStagedPointers(r, [LOG, SESSION], env);
  assert.is(a, b);
  assert.ok(stagedBlob(r, LOG, env).equals(stagedBlob(r, SESSION, env)));
  return a;
}

test('API finalize: both databases hold exactly the rows recorded, byte-identical, staged as one LFS object', async () => {
  const r = repo();
  await recordSome(r, 50);
  assert.equal(listFiles(r.dir), [], 'recording wrote nothing in the work tree');
  const res = await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  const oid = expectOneObject(r);
  assert.equal(facts(res), {
    logDb: path.join(r.dir, LOG),
    sessionDb: path.join(r.dir, SESSION),
    staged: true,
    backup: null,
    folded: 51,
    sealed: null,
    oid,
    blob: r.git(['rev-parse', `:${LOG}`]).trim(),
  });
  closeCodexLogDb();

  const rows = await queryDb<{ id: number; statement: string; session_id: string }>(path.join(r.dir, LOG), ACTIONS);
  const events = await queryDb(path.join(r.dir, LOG), EVENTS);
  // Ids follow time: the recording order.
  assert.equal(
    rows.map((x) => [x.id, x.statement, x.session_id]),
    Array.from({ length: 50 }, (_, i) => [i + 1, `row ${i}`, i % 2 ? 's1' : 's2']),
  );
  assert.equal(
    events.map((e) => [e.rid, e.session_id, e.event]),
    [[1, 's1', 'start']],
  );
  assert.equal(await queryDb(path.join(r.dir, SESSION), ACTIONS), rows);
  assert.equal(await queryDb(path.join(r.dir, SESSION), EVENTS), events);
  assert.equal(await queryDb(path.join(r.dir, SESSION), 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  assert.equal(await queryDb(path.join(r.dir, SESSION), 'PRAGMA user_version'), [{ user_version: 1 }]);
  assert.equal(await queryDb(path.join(r.dir, LOG), 'PRAGMA journal_mode'), [{ journal_mode: 'delete' }]);

  assert.is(r.git(['diff', '--cached', '--name-only']), BOTH);
  // No temp file is left next to the databases; nothing waits in the git dir any more.
  assert.equal(listFiles(r.dir), ['databases/', LOG, SESSION]);
  assert.equal(await uncommittedRows(r), []);
  assert.ok((await readCodexLog({}, { cwd: r.dir, env: r.env })).every((e) => !e.pending && e.id !== null));
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
    rows.map((x) => [x.id, x.statement]),
    [
      [1, 'row 0'],
      [2, 'row 1'],
      [3, 'row 2'],
    ],
  );
  assert.equal(await queryDb(path.join(r.dir, SESSION), ACTIONS), rows);
  assert.is(r.git(['diff', '--cached', '--name-only']), BOTH);
  expectOneObject(r);
});

test('finalize again after more rows: ids continue, the copy follows, the new versions are staged', async () => {
  const r = repo();
  await recordSome(r, 5);
  const first = await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  r.git(['commit', '-q', '-m', 'first']);
  // (No LFS filter is configured here, so git sees the committed pointers differ from the files.)
  const status = r.git(['status', '--porcelain']);
  const bytes = r.read(LOG);
  await recordCodexAction('s3', 'run', 'later', undefined, { cwd: r.dir, env: r.env });
  assert.is(r.git(['status', '--porcelain']), status, 'recording changed nothing tracked');
  assert.ok(r.read(LOG).equals(bytes));
  const second = await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  closeCodexLogDb();
  assert.is(second?.folded, 1);
  assert.is.not(second?.oid, first?.oid);
  const rows = await queryDb(path.join(r.dir, LOG), ACTIONS);
  assert.equal(
    rows.map((x) => [x.id, x.statement]),
    [...Array.from({ length: 5 }, (_, i) => [i + 1, `row ${i}`]), [6, 'later']],
  );
  assert.equal(await queryDb(path.join(r.dir, SESSION), ACTIONS), rows);
  assert.is(expectOneObject(r), second?.oid);
  assert.is(r.git(['diff', '--cached', '--name-only']), BOTH);
});

test('finalize with nothing new folds nothing and stages the same object again', async () => {
  const r = repo();
  await recordSome(r, 3);
  const first = await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  const bytes = r.read(LOG);
  const again = await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  closeCodexLogDb();
  assert.equal([again?.folded, again?.oid, again?.blob], [0, first?.oid, first?.blob]);
  assert.ok(r.read(LOG).equals(bytes));
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
    expectOneObject(r, env);
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
  for (const index of [temp, lock]) {
    assert.is(r.git(['diff', '--cached', '--name-only'], { env: { GIT_INDEX_FILE: index } }), BOTH);
    expectOneObject(r, { GIT_INDEX_FILE: index });
  }
});

test('outside a git repository finalize copies but stages nothing, and says so; rows wait in .codexlog/', async () => {
  const dir = repos.dir('codexlog-plain-');
  const helper = repo(); // only for its environment and its CLI runner
  assert.is(helper.cli(['record', 'edit', 'no git here'], { cwd: dir }).status, 0);
  const inbox = listFiles(path.join(dir, '.codexlog', 'inbox'));
  assert.is(inbox.length, 1);
  assert.equal(listFiles(dir), ['.codexlog/', '.codexlog/inbox/', `.codexlog/inbox/${inbox[0]}`]);
  const out = helper.cli(['finalize'], { cwd: dir });
  assert.equal(
    [out.status, out.stderr],
    [0, `codexlog-hooks: Finalized ${path.join(dir, LOG)} into ${path.join(dir, SESSION)} (not a git repository: nothing staged).\n`],
  );
  await recordCodexAction('s1', 'edit', 'from the API', undefined, { cwd: dir, env: helper.env });
  const res = await finalizeCodexLogDb({ cwd: dir, env: helper.env });
  closeCodexLogDb();
  assert.equal(facts(res), {
    logDb: path.join(dir, LOG),
    sessionDb: path.join(dir, SESSION),
    staged: false,
    backup: null,
    folded: 1,
    sealed: null,
    oid: createHash('sha256')
      .update(readFileSync(path.join(dir, LOG)))
      .digest('hex'),
    blob: null,
  });
  const rows = await queryDb(path.join(dir, LOG), ACTIONS);
  assert.equal(
    rows.map((x) => [x.id, x.statement]),
    [
      [1, 'no git here'],
      [2, 'from the API'],
    ],
  );
  assert.equal(await queryDb(path.join(dir, SESSION), ACTIONS), rows);
  assert.equal(
    listFiles(dir).filter((f) => !f.startsWith('.codexlog/')),
    ['databases/', LOG, SESSION],
  );
  assert.not.ok(existsSync(path.join(dir, '.git')));
});

test('finalize in a fresh repository creates an empty log and copy, both staged', async () => {
  const r = repo();
  const out = r.cli(['finalize']);
  assert.is(out.status, 0, out.stderr);
  assert.equal(await queryDb(path.join(r.dir, SESSION), ACTIONS), []);
  assert.equal(await queryDb(path.join(r.dir, LOG), ACTIONS), []);
  assert.equal(await queryDb(path.join(r.dir, LOG), 'PRAGMA user_version'), [{ user_version: 1 }]);
  assert.is(r.git(['diff', '--cached', '--name-only']), BOTH);
  expectOneObject(r);
});

test('past segments.sealAboveBytes, the next finalize seals every older row into a segment; reads see each row once', async () => {
  const r = repo();
  r.write('codexlog.config.json', JSON.stringify({ segments: { sealAboveBytes: 65536 } }));
  const o = { cwd: r.dir, env: r.env };
  const big = 'x'.repeat(300);
  await recordCodexActions(
    Array.from({ length: 300 }, (_, i) => ({ action: 'edit', statement: `old ${i} ${big}`, sessionId: 's1' })),
    o,
  );
  await logCodexStart('s1', o);
  // Past the threshold the log is sealed at once: every row but the newest (the next ids go on from
  // it) moves into a segment, this finalize's own rows too (kept active, a big commit's rows would be
  // stored twice: in this commit's log, then in the next commit's segment).
  const first = await finalizeCodexLogDb(o);
  closeCodexLogDb();
  assert.is(first?.folded, 301);
  const sealed = first?.sealed ?? '';
  assert.match(sealed, SEGMENT);
  // The segment holds the older rows with their ids, and the session event; the log the newest row.
  const seg = path.join(r.dir, sealed);
  const segRows = await queryDb<{ id: number; statement: string }>(seg, 'SELECT id, statement FROM codex_actions ORDER BY id');
  assert.equal(
    segRows.map((x) => x.id),
    Array.from({ length: 299 }, (_, i) => i + 1),
  );
  assert.equal(await queryDb(seg, 'SELECT session_id, event FROM codex_log'), [{ session_id: 's1', event: 'start' }]);
  assert.equal(await queryDb(seg, 'PRAGMA user_version'), [{ user_version: 1 }]);
  assert.equal(
    (await queryDb<{ id: number; statement: string }>(path.join(r.dir, LOG), 'SELECT id, statement FROM codex_actions')).map((x) => [
      x.id,
      x.statement,
    ]),
    [[300, `old 299 ${big}`]],
  );
  assert.equal(await queryDb(path.join(r.dir, LOG), 'SELECT count(*) AS n FROM codex_log'), [{ n: 0 }]);
  assert.ok(r.read(LOG).length < 65536, 'the log was compacted');
  // Named by its newest row's time and its own hash; staged as an LFS pointer like the databases.
  const name = path.basename(sealed);
  assert.is(name.slice(17, 49), createHash('sha256').update(readFileSync(seg)).digest('hex').slice(0, 32));
  assert.is(r.git(['diff', '--cached', '--name-only']), `${LOG}\n${sealed}\n${SESSION}\n`);
  expectStagedPointers(r, [sealed]);
  expectOneObject(r);
  r.git(['commit', '-q', '-m', 'big log']);

  await recordCodexAction('s2', 'run', 'new row', undefined, o);
  const second = await finalizeCodexLogDb(o);
  closeCodexLogDb();
  assert.equal([second?.folded, second?.sealed], [1, null]);
  // Readers see the segment's and the log's rows as one log, each once, ids continuing.
  const all = logJson(r);
  assert.is(all.length, 301);
  assert.equal(
    all.map((x) => x.id),
    Array.from({ length: 301 }, (_, i) => i + 1),
  );
  assert.is(new Set(all.map((x) => x.uid)).size, 301);
  assert.equal(
    (await readCodexLog({ session: 's2' }, o)).map((x) => [x.id, x.statement, x.pending]),
    [[301, 'new row', false]],
  );
  // The next row gets the next id, and the segment is never written again.
  const segBytes = readFileSync(seg);
  await recordCodexAction('s2', 'run', 'after the seal', undefined, o);
  const third = await finalizeCodexLogDb(o);
  closeCodexLogDb();
  assert.equal([third?.folded, third?.sealed], [1, null]);
  assert.equal(
    logJson(r, ['--limit', '2']).map((x) => [x.id, x.statement]),
    [
      [301, 'new row'],
      [302, 'after the seal'],
    ],
  );
  assert.ok(readFileSync(seg).equals(segBytes));

  // A merge from a clone that had not sealed yet brings sealed rows back into the log: readers still
  // see them once, and the next finalize drops them from the log (the segment keeps them).
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(r.dir, LOG));
  db.exec(`ATTACH '${seg}' AS seg; INSERT INTO main.codex_actions (uid, session_id, ts, action, statement, metadata)
    SELECT uid, session_id, ts, action, statement, metadata FROM seg.codex_actions WHERE id <= 2; DETACH seg;`);
  db.close();
  assert.equal(await queryDb(path.join(r.dir, LOG), 'SELECT count(*) AS n FROM codex_actions'), [{ n: 5 }]);
  assert.equal(
    logJson(r).map((x) => x.id),
    Array.from({ length: 302 }, (_, i) => i + 1),
  );
  const fourth = await finalizeCodexLogDb(o);
  closeCodexLogDb();
  assert.equal([fourth?.folded, fourth?.sealed], [0, null]);
  assert.equal(
    (await queryDb<{ id: number }>(path.join(r.dir, LOG), 'SELECT id FROM codex_actions ORDER BY id')).map((x) => x.id),
    [300, 301, 302],
  );
  assert.is(logJson(r).length, 302);
});

test.run();
