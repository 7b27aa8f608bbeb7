// What record (CLI) and recordCodexAction(s) (API) store: exact values, ISO 8601 UTC timestamps,
// UUIDv7 uids, metadata as given (JSON trimmed, never rewritten) or objects as compact JSON. Recording writes nothing in the work tree: the
// row waits in the git dir (shown by `log` at once as uncommitted, id null) and gets its id in
// databases/codex_log.db when finalize (a commit) folds it in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  closeCodexLogDb,
  finalizeCodexLogDb,
  logCodexStart,
  readCodexLog,
  readCodexSessions,
  recordCodexAction,
  recordCodexActions,
} from '../../src/index.ts';
import { inboxFiles, LOG, logJson, stateDir } from '../helpers/log.ts';
import { listFiles, queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ALL = 'SELECT id, uid, session_id, ts, action, statement, metadata FROM codex_actions ORDER BY id';

const { repo } = throwawayRepos(test);
let r: TestRepo;
test.before.each(() => {
  r = repo();
});

/**
 * Uncommitted rows recorded in the same millisecond come back from readers in uid order, not in the
 * order they were recorded (see the skipped test at the end): compared here as sets.
 */
const byUid = <T extends { uid: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.uid < b.uid ? -1 : 1));

/** Nothing in the work tree was created or changed. */
function expectCleanWorkTree(): void {
  assert.equal(listFiles(r.dir), []);
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '');
}

test('CLI record: exact values, metadata JSON trimmed but never rewritten or text kept, uid reported; the rows wait until finalize gives them ids', async () => {
  const cases: Array<[string[], string | null]> = [
    [['record', 'edit', 'changed a.py', '--session', 's1'], null],
    [
      ['record', 'edit', 'json', '--session', 's1', '--metadata', ' { "file": "a.py", "lines": [1, 2] }\n'],
      '{ "file": "a.py", "lines": [1, 2] }',
    ],
    // JSON.parse would round these, turn 1e400 into null and keep one of the two keys.
    [
      ['record', 'edit', 'numbers', '--session', 's1', '--metadata', '{"id":12345678901234567890123,"x":1e400,"k":1,"k":2}'],
      '{"id":12345678901234567890123,"x":1e400,"k":1,"k":2}',
    ],
    [['record', 'note', 'text', '--session', 's1', '--metadata', 'just words'], 'just words'],
    [['record', 'note', 'broken json kept', '--session', 's1', '--metadata', '{oops'], '{oops'],
    [['record', 'run', 'multi\nline "statement" é', '--session', 's2', '--metadata', ''], ''],
  ];
  const uids: string[] = [];
  for (const [args] of cases) {
    const out = r.cli(args);
    assert.is(out.status, 0, out.stderr);
    assert.is(out.stdout, '');
    const m = /^codexlog-hooks: Recorded (.+)\.\n$/.exec(out.stderr);
    assert.ok(m && UUID_V7.test(m[1]), out.stderr);
    uids.push(m?.[1] as string);
  }
  expectCleanWorkTree();
  // Each CLI process wrote one inbox file and marked it done when it exited.
  assert.is(inboxFiles(r).length, cases.length);
  for (const f of inboxFiles(r)) assert.match(f, /^d-\d+-\d+-[0-9a-f]+\.jsonl$/);

  const expected = cases.map(([args, metadata], i) => ({
    uid: uids[i],
    session_id: args[args.indexOf('--session') + 1],
    action: args[1],
    statement: args[2],
    metadata,
  }));
  const pending = logJson(r);
  assert.equal(
    pending.map(({ ts: _ts, ...rest }) => rest),
    expected.map((x) => ({ id: null, ...x, pending: true })),
  );
  for (const x of pending) assert.match(String(x.ts), ISO);
  expectCleanWorkTree();

  const fin = r.cli(['finalize']);
  assert.is(fin.status, 0, fin.stderr);
  const rows = await queryDb<Record<string, unknown>>(path.join(r.dir, LOG), ALL);
  assert.equal(
    rows,
    pending.map(({ pending: _p, ...x }, i) => ({ ...x, id: i + 1 })),
  );
  assert.equal(
    logJson(r),
    pending.map((x, i) => ({ ...x, id: i + 1, pending: false })),
  );
});

test('API recordCodexAction returns exactly the row it stored (id null until finalize)', async () => {
  const o = { cwd: r.dir, env: r.env };
  const returned = [
    await recordCodexAction('s1', 'generate', 'created script', 'plain', o),
    await recordCodexAction('s1', 'edit', 'object', { file: 'a.py', n: [1, 2] }, o),
    await recordCodexAction('s1', 'edit', 'array', ['x', 1], o),
    await recordCodexAction('s1', 'edit', 'none', undefined, o),
    await recordCodexAction('s1', 'edit', 'null', null, o),
  ];
  assert.equal(
    returned.map((x) => [x.id, x.metadata]),
    [
      [null, 'plain'],
      [null, '{"file":"a.py","n":[1,2]}'],
      [null, '["x",1]'],
      [null, null],
      [null, null],
    ],
  );
  for (const x of returned) {
    assert.match(x.uid, UUID_V7);
    assert.match(String(x.ts), ISO);
  }
  expectCleanWorkTree();
  // Readable at once, before this process closes its inbox file.
  assert.equal(byUid(await readCodexLog({}, o)), byUid(returned.map((x) => ({ ...x, pending: true }))));
  const res = await finalizeCodexLogDb(o);
  assert.is(res?.folded, 5);
  closeCodexLogDb();
  assert.equal(
    await queryDb(path.join(r.dir, LOG), ALL),
    returned.map((x, i) => ({ ...x, id: i + 1 })),
  );
  assert.equal(
    await readCodexLog({}, o),
    returned.map((x, i) => ({ ...x, id: i + 1, pending: false })),
  );
});

test('API recordCodexActions stores a batch in order, in one write, and returns its rows', async () => {
  const opts = { cwd: r.dir, env: { ...r.env, SESSION_ID_SOURCE: 'env-session' } };
  const rows = await recordCodexActions(
    [
      { action: 'edit', statement: 'a.js', metadata: { lines: 3 } },
      { action: 'test', statement: 'ok', sessionId: 'explicit' },
      { action: 'note', statement: 'plain', metadata: 'words' },
    ],
    opts,
  );
  assert.equal(
    rows.map((x) => [x.id, x.session_id, x.action, x.statement, x.metadata]),
    [
      [null, 'env-session', 'edit', 'a.js', '{"lines":3}'],
      [null, 'explicit', 'test', 'ok', null],
      [null, 'env-session', 'note', 'plain', 'words'],
    ],
  );
  // One batch, one timestamp.
  assert.equal(new Set(rows.map((x) => x.ts)).size, 1);
  for (const x of rows) {
    assert.match(x.uid, UUID_V7);
    assert.match(String(x.ts), ISO);
  }
  expectCleanWorkTree();
  assert.equal(byUid(await readCodexLog({}, opts)), byUid(rows.map((x) => ({ ...x, pending: true }))));
  await finalizeCodexLogDb(opts);
  closeCodexLogDb();
  assert.equal(
    await queryDb(path.join(r.dir, LOG), ALL),
    rows.map((x, i) => ({ ...x, id: i + 1 })),
  );
});

test('recording in a fresh repository creates no databases/ folder, only the inbox in the git dir', async () => {
  await recordCodexAction('s1', 'edit', 'x', undefined, { cwd: r.dir, env: r.env });
  assert.is(r.cli(['record', 'edit', 'y']).status, 0);
  assert.is(r.cli(['session', 'start', '--id', 'sess']).status, 0);
  assert.is(r.cli(['session', 'end']).status, 0);
  expectCleanWorkTree();
  assert.not.ok(existsSync(path.join(r.dir, 'databases')));
  assert.equal(listFiles(stateDir(r)), ['inbox/', ...inboxFiles(r).map((f) => `inbox/${f}`)]);
  // The API's file stays open (p-) until the process closes it; each CLI run closed its own (d-).
  assert.equal(
    inboxFiles(r).map((f) => f[0]),
    ['d', 'd', 'd', 'p'],
  );
  closeCodexLogDb();
  assert.equal(
    inboxFiles(r).map((f) => f[0]),
    ['d', 'd', 'd', 'd'],
  );
});

test('API recordCodexActions under TEST_MODE=1 writes nothing, and returns rows without an id', async () => {
  const rows = await recordCodexActions([{ action: 'edit', statement: 'x' }], { cwd: r.dir, env: { ...r.env, TEST_MODE: '1' } });
  assert.is(rows.length, 1);
  assert.is(rows[0].id, null);
  assert.match(rows[0].uid, UUID_V7);
  assert.not.ok(existsSync(path.join(r.dir, 'databases')), 'databases/ was created');
  assert.not.ok(existsSync(stateDir(r)), 'the git dir state was created');
});

test('uncommitted rows of one batch read back in the order recorded, as they will be numbered', async () => {
  const o = { cwd: r.dir, env: r.env };
  const rows = await recordCodexActions(
    Array.from({ length: 8 }, (_, i) => ({ action: 'edit', statement: `row ${i}` })),
    o,
  );
  const statements = rows.map((x) => x.statement);
  assert.equal(
    (await readCodexLog({}, o)).map((x) => x.statement),
    statements,
  );
  await finalizeCodexLogDb(o);
  assert.equal(
    (await readCodexLog({}, o)).map((x) => x.statement),
    statements,
  );
});

test('session events of one millisecond read back in the order recorded, before and after the commit', async () => {
  const o = { cwd: r.dir, env: r.env };
  const ids = Array.from({ length: 8 }, (_, i) => `s${i}`);
  for (const id of ids) await logCodexStart(id, o);
  assert.equal(
    (await readCodexSessions(o)).map((e) => e.session_id),
    ids,
  );
  await finalizeCodexLogDb(o);
  assert.equal(
    (await readCodexSessions(o)).map((e) => e.session_id),
    ids,
  );
});

test.run();
