// Databases written by the seed's Python module: readers read them as they are, finalize (a commit)
// migrates them in place without losing or rewriting a value, every clone derives the same uids,
// and the seed's plain INSERTs keep working on ours.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { legacyUid } from '../../src/ids.ts';
import {
  closeCodexLogDb,
  finalizeCodexLogDb,
  initCodexLogDb,
  readCodexLog,
  readCodexSessions,
  recordCodexAction,
} from '../../src/index.ts';
import { rejection } from '../helpers/expect.ts';
import { logJson, SESSION, uncommittedRows } from '../helpers/log.ts';
import { makeSeedDb, queryDb, throwawayRepos } from '../helpers/repo.ts';

const LOG = 'databases/codex_log.db';
type Seed = [string | null, string | null, string | null, string | null, string | null];

// Both timestamp forms the seed wrote, NULLs in every nullable column, plain and JSON metadata.
const SEED: Seed[] = [
  ['s1', '2024-05-01 10:00:00', 'generate', 'created script', 'plain text'],
  ['s1', '2024-05-01T10:00:00+00:00', 'edit', 'same second, other form', '{"file": "a.py", "lines": 3}'],
  [null, '2024-05-01 09:59:59', 'orphan', 'no session', null],
  ['s2', null, 'undated', 'no timestamp', ''],
  ['s2', '2024-05-02T08:30:00+00:00', null, null, null],
  ['s1', '2024-05-01 10:00:00', 'generate', 'created script', 'plain text'], // an exact duplicate stays two rows
  ['s3', '2024-05-03T00:00:00.123456+00:00', 'unicode', 'é ✓ 🚀', '[1, 2]'],
];

const SIX = 'SELECT id, session_id, ts, action, statement, metadata FROM codex_actions ORDER BY id';
const TYPES =
  'SELECT typeof(id) i, typeof(session_id) s, typeof(ts) t, typeof(action) a, typeof(statement) st, typeof(metadata) m FROM codex_actions ORDER BY id';
type Six = {
  id: number;
  session_id: string | null;
  ts: string | null;
  action: string | null;
  statement: string | null;
  metadata: string | null;
};

const { repo } = throwawayRepos(test);

/** A seed database with a gap in its ids (the seed never vacuums; rows get deleted by hand). */
async function seedWithGap(file: string): Promise<void> {
  await makeSeedDb(file, SEED);
  const db = new Database(file);
  db.prepare('DELETE FROM codex_actions WHERE id = 4').run();
  db.close();
}

const expectedUid = (r: Six) => legacyUid('codex_actions', [r.id, r.session_id, r.ts, r.action, r.statement, r.metadata]);

test('a seed-written database is left as it is by initCodexLogDb and migrated in place by finalize: every value kept, ids kept, uids derived', async () => {
  const r = repo();
  const file = path.join(r.dir, LOG);
  await seedWithGap(file);
  const bytes = r.read(LOG);
  const before = await queryDb<Six>(file, SIX);
  const typesBefore = await queryDb(file, TYPES);
  assert.is(before.length, 6);
  assert.equal(
    before.map((x) => x.id),
    [1, 2, 3, 5, 6, 7],
  );
  assert.equal(await queryDb(file, 'PRAGMA user_version'), [{ user_version: 0 }]);

  assert.is(await initCodexLogDb({ cwd: r.dir, env: r.env }), file);
  assert.ok(r.read(LOG).equals(bytes), 'initCodexLogDb only checks the file');
  const res = await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  closeCodexLogDb();
  assert.is(res?.folded, 0);

  assert.equal(await queryDb<Six>(file, SIX), before);
  assert.equal(await queryDb(file, TYPES), typesBefore);
  assert.equal(await queryDb(file, 'PRAGMA user_version'), [{ user_version: 1 }]);
  const uids = await queryDb<{ id: number; uid: string }>(file, 'SELECT id, uid FROM codex_actions ORDER BY id');
  assert.equal(
    uids,
    before.map((x) => ({ id: x.id, uid: expectedUid(x) })),
  );
  assert.is(new Set(uids.map((u) => u.uid)).size, 6);
  assert.equal(await queryDb(file, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  // No leftover of the rebuild.
  assert.equal(
    (await queryDb<{ name: string }>(file, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")).map((t) => t.name),
    ['codex_actions', 'codex_log'],
  );
  assert.ok(r.read(SESSION).equals(r.read(LOG)), 'the session copy is the migrated log');
});

test('before and after migration the log keeps working: new rows follow the highest id, old rows read back exactly', async () => {
  const r = repo();
  const file = path.join(r.dir, LOG);
  await seedWithGap(file);
  const before = await queryDb<Six>(file, SIX);
  const o = { cwd: r.dir, env: r.env };
  const row = await recordCodexAction('s9', 'after', 'migration', { n: 1 }, o);
  assert.is(row.id, null);
  const expectSeedRows = (all: Awaited<ReturnType<typeof readCodexLog>>) => {
    // Oldest first by time; the NULL timestamp sorts first.
    assert.equal(
      all.filter((e) => e.uid !== row.uid).map((e) => e.id),
      [3, 1, 2, 6, 5, 7],
    );
    for (const e of all.filter((x) => x.uid !== row.uid)) {
      const seed = before.find((b) => b.id === e.id) as Six;
      assert.equal(e, { ...seed, uid: expectedUid(seed), pending: false });
    }
  };
  // Unmigrated: the seed rows with the uids the migration will give them, and ours waiting.
  const unmigrated = await readCodexLog({}, o);
  expectSeedRows(unmigrated);
  assert.equal(unmigrated.at(-1), { ...row, pending: true });
  await finalizeCodexLogDb(o);
  const migrated = await readCodexLog({}, o);
  closeCodexLogDb();
  expectSeedRows(migrated);
  assert.equal(migrated.at(-1), { ...row, id: 8, pending: false });
});

test('two byte-identical copies, migrated separately (API and CLI finalize), get the same uids, which readers of the unmigrated file agree with', async () => {
  const a = repo();
  const b = repo();
  await seedWithGap(path.join(a.dir, LOG));
  mkdirSync(path.join(b.dir, 'databases'));
  copyFileSync(path.join(a.dir, LOG), path.join(b.dir, LOG));
  assert.ok(a.read(LOG).equals(b.read(LOG)));
  const unmigrated = logJson(a);

  await finalizeCodexLogDb({ cwd: a.dir, env: a.env });
  closeCodexLogDb();
  const fin = b.cli(['finalize']);
  assert.is(fin.status, 0, fin.stderr);

  const q = 'SELECT id, uid, session_id, ts, action, statement, metadata FROM codex_actions ORDER BY id';
  const ua = await queryDb(path.join(a.dir, LOG), q);
  const ub = await queryDb(path.join(b.dir, LOG), q);
  assert.is(ua.length, 6);
  assert.equal(ua, ub);
  assert.equal(await queryDb(path.join(b.dir, SESSION), q), ub);
  assert.equal(
    unmigrated.map((x) => [x.id, x.uid]).sort((x, y) => Number(x[0]) - Number(y[0])),
    ua.map((x) => [x.id, x.uid]),
  );
});

test('a legacy codex_log table migrates too: every event kept, uids derived from rowid and content', async () => {
  const r = repo();
  const file = path.join(r.dir, LOG);
  await makeSeedDb(file, SEED.slice(0, 2), { withEventsTable: true });
  const db = new Database(file);
  const ins = db.prepare('INSERT INTO codex_log (session_id, event, summary, ts) VALUES (?, ?, ?, ?)');
  const events: Array<[string | null, string | null, string | null, string | null]> = [
    ['s1', 'start', null, '2024-05-01 09:00:00'],
    ['s1', 'end', 'wrote the script', '2024-05-01T11:00:00+00:00'],
    [null, 'start', null, null],
    ['s1', 'start', null, '2024-05-01 09:00:00'], // duplicate
  ];
  for (const e of events) ins.run(...e);
  db.close();
  const Q = 'SELECT rowid AS rid, session_id, event, summary, ts FROM codex_log ORDER BY rowid';
  const before = await queryDb<{ rid: number; session_id: string | null; event: string; summary: string | null; ts: string | null }>(
    file,
    Q,
  );
  assert.is(before.length, 4);
  const derived = before.map((e) => legacyUid('codex_log', [e.rid, e.session_id, e.event, e.summary, e.ts]));
  // Read before the migration, with the uids it will write.
  assert.equal((await readCodexSessions({ cwd: r.dir, env: r.env })).map((x) => x.uid).sort(), [...derived].sort());

  await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  closeCodexLogDb();

  assert.equal(await queryDb(file, Q), before);
  const withUid = await queryDb<{ uid: string }>(file, 'SELECT uid FROM codex_log ORDER BY rowid');
  assert.equal(
    withUid.map((x) => x.uid),
    derived,
  );
  assert.is(new Set(withUid.map((x) => x.uid)).size, 4);
  const sessions = await readCodexSessions({ cwd: r.dir, env: r.env });
  assert.equal(
    sessions.map((s) => [s.session_id, s.event, s.summary, s.ts]),
    [
      [null, 'start', null, null],
      ['s1', 'start', null, '2024-05-01 09:00:00'],
      ['s1', 'start', null, '2024-05-01 09:00:00'],
      ['s1', 'end', 'wrote the script', '2024-05-01T11:00:00+00:00'],
    ],
  );
});

test('log on an unmigrated seed database reads every row and changes nothing', async () => {
  const r = repo();
  const file = path.join(r.dir, LOG);
  await seedWithGap(file);
  const bytes = r.read(LOG);
  const before = await queryDb<Six>(file, SIX);
  const out = r.cli(['log', '--json']);
  assert.is(out.status, 0, out.stderr);
  const rows = JSON.parse(out.stdout) as Array<Six & { uid: string; pending: boolean }>;
  assert.equal(
    rows.map((x) => x.id),
    [3, 1, 2, 6, 5, 7],
  );
  for (const x of rows) {
    const seed = before.find((b) => b.id === x.id) as Six;
    assert.equal(x, { ...seed, uid: expectedUid(seed), pending: false });
  }
  assert.ok(r.read(LOG).equals(bytes));
  assert.equal(r.git(['status', '--porcelain', '--untracked-files=all']), '?? databases/codex_log.db\n');
});

test("the seed's plain INSERTs still succeed on a database this tool created, and log shows those rows", async () => {
  const r = repo();
  const file = path.join(r.dir, LOG);
  assert.is(r.cli(['record', 'ours', 'first', '--session', 'cli']).status, 0);
  // The tracked log exists once finalize (a commit) wrote it.
  assert.is(r.cli(['finalize']).status, 0);
  // What utils/codex_log_db.py runs: CREATE TABLE IF NOT EXISTS, then INSERTs of the data columns.
  const seed = new Database(file);
  seed.exec(
    'CREATE TABLE IF NOT EXISTS codex_actions (id INTEGER PRIMARY KEY, session_id TEXT, ts TEXT, action TEXT, statement TEXT, metadata TEXT)',
  );
  seed.exec('CREATE TABLE IF NOT EXISTS codex_log (session_id TEXT, event TEXT, summary TEXT, ts TEXT)');
  const ins = seed.prepare('INSERT INTO codex_actions (session_id, ts, action, statement, metadata) VALUES (?, ?, ?, ?, ?)');
  ins.run('py', '2024-05-01 10:00:00', 'generate', 'from python', 'plain');
  ins.run('py', '2024-05-01T10:00:01+00:00', 'edit', 'from python again', '{"k": "v"}');
  seed
    .prepare('INSERT INTO codex_log (session_id, event, summary, ts) VALUES (?, ?, ?, ?)')
    .run('py', 'start', null, '2024-05-01 09:00:00');
  seed.close();

  assert.is(r.cli(['record', 'ours', 'after python', '--session', 'cli']).status, 0);
  const rows = logJson(r, ['--session', 'py']);
  assert.is(rows.length, 2);
  for (const x of rows) assert.ok(/^r-[0-9a-f]{32}$/.test(String(x.uid)), String(x.uid));
  const pythonRows = [
    {
      id: 2,
      session_id: 'py',
      ts: '2024-05-01 10:00:00',
      action: 'generate',
      statement: 'from python',
      metadata: 'plain',
      pending: false,
    },
    {
      id: 3,
      session_id: 'py',
      ts: '2024-05-01T10:00:01+00:00',
      action: 'edit',
      statement: 'from python again',
      metadata: '{"k": "v"}',
      pending: false,
    },
  ];
  assert.equal(
    rows.map(({ uid: _uid, ...rest }) => rest),
    pythonRows,
  );
  assert.equal(
    logJson(r, ['--session', 'cli']).map((x) => [x.id, x.statement, x.pending]),
    [
      [1, 'first', false],
      [null, 'after python', true],
    ],
  );
  // The next finalize folds ours in after Python's rows, and keeps Python's as they are.
  assert.is(r.cli(['finalize']).status, 0);
  assert.equal(
    (await queryDb<{ id: number; session_id: string }>(file, 'SELECT id, session_id FROM codex_actions ORDER BY id')).map((x) => [
      x.id,
      x.session_id,
    ]),
    [
      [1, 'cli'],
      [2, 'py'],
      [3, 'py'],
      [4, 'cli'],
    ],
  );
  assert.equal(logJson(r, ['--session', 'py']), rows);
  assert.is((await queryDb<{ n: number }>(file, 'SELECT count(DISTINCT uid) n FROM codex_actions'))[0].n, 4);
  const sessions = await readCodexSessions({ cwd: r.dir, env: r.env });
  assert.equal(
    sessions.map((s) => [s.session_id, s.event, s.ts, s.pending]),
    [['py', 'start', '2024-05-01 09:00:00', false]],
  );
  assert.ok(/^r-[0-9a-f]{32}$/.test(sessions[0].uid), sessions[0].uid);
});

test('a seed table with a column this tool does not know: read as it is, refused by finalize, untouched, no row lost', async () => {
  const r = repo();
  const file = path.join(r.dir, LOG);
  await makeSeedDb(file, SEED.slice(0, 1));
  const db = new Database(file);
  db.exec('ALTER TABLE codex_actions ADD COLUMN agent TEXT');
  db.close();
  const bytes = r.read(LOG);
  const expected =
    `${file}: table codex_actions has columns codexlog-hooks does not know (agent), so migrating it ` +
    'could lose data. Move them to another table, then retry. The file was left untouched.';
  // Recording and reading do not migrate, so they go on.
  const rec = r.cli(['record', 'a', 'b']);
  assert.is(rec.status, 0, rec.stderr);
  assert.is(await initCodexLogDb({ cwd: r.dir, env: r.env }), file);
  assert.equal(
    logJson(r).map((x) => [x.id, x.statement, x.pending]),
    [
      [1, 'created script', false],
      [null, 'b', true],
    ],
  );
  // Migrating it would lose the column: finalize refuses, naming the file and the column.
  const out = r.cli(['finalize']);
  assert.equal([out.status, out.stdout, out.stderr], [1, '', `codexlog-hooks: ${expected}\n`]);
  assert.is((await rejection(finalizeCodexLogDb({ cwd: r.dir, env: r.env }))).message, expected);
  closeCodexLogDb();
  assert.ok(r.read(LOG).equals(bytes));
  assert.equal(r.git(['status', '--porcelain', '--untracked-files=all']), '?? databases/codex_log.db\n');
  assert.is(r.git(['ls-files', '--stage']), '');
  // The recorded row still waits, for the commit after the file is fixed.
  assert.equal(
    (await uncommittedRows(r)).map((x) => x.statement),
    ['b'],
  );
});

test.run();
