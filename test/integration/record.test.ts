// What record (CLI) and recordCodexAction (API) store: exact values, ISO 8601 UTC timestamps,
// UUIDv7 uids, metadata as given or as compact JSON.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeCodexLogDb, recordCodexAction, recordCodexActions } from '../../src/index.ts';
import { queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const LOG = 'databases/codex_log.db';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ALL = 'SELECT id, uid, session_id, ts, action, statement, metadata FROM codex_actions ORDER BY id';

const { repo } = throwawayRepos(test);
let r: TestRepo;
test.before.each(() => {
  r = repo();
});

test('CLI record: exact values, metadata JSON compacted or text kept, uid reported on stderr', async () => {
  const cases: Array<[string[], string | null]> = [
    [['record', 'edit', 'changed a.py', '--session', 's1'], null],
    [['record', 'edit', 'json', '--session', 's1', '--metadata', '{ "file": "a.py", "lines": [1, 2] }'], '{"file":"a.py","lines":[1,2]}'],
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
    uids.push(m?.[1]);
  }
  const rows = await queryDb<Record<string, unknown>>(path.join(r.dir, LOG), ALL);
  assert.equal(
    rows.map(({ ts: _ts, ...rest }) => rest),
    cases.map(([args, metadata], i) => ({
      id: i + 1,
      uid: uids[i],
      session_id: args[args.indexOf('--session') + 1],
      action: args[1],
      statement: args[2],
      metadata,
    })),
  );
  for (const x of rows) assert.ok(ISO.test(String(x.ts)), String(x.ts));
});

test('API recordCodexAction returns exactly the row it stored', async () => {
  const o = { cwd: r.dir, env: r.env };
  const returned = [
    await recordCodexAction('s1', 'generate', 'created script', 'plain', o),
    await recordCodexAction('s1', 'edit', 'object', { file: 'a.py', n: [1, 2] }, o),
    await recordCodexAction('s1', 'edit', 'array', ['x', 1], o),
    await recordCodexAction('s1', 'edit', 'none', undefined, o),
    await recordCodexAction('s1', 'edit', 'null', null, o),
  ];
  closeCodexLogDb();
  const rows = await queryDb(path.join(r.dir, LOG), ALL);
  assert.equal(returned, rows);
  assert.equal(
    rows.map((x) => x.metadata),
    ['plain', '{"file":"a.py","n":[1,2]}', '["x",1]', null, null],
  );
  for (const x of rows) {
    assert.ok(UUID_V7.test(String(x.uid)), String(x.uid));
    assert.ok(ISO.test(String(x.ts)), String(x.ts));
  }
});

test('API recordCodexActions stores a batch in order, in one transaction, and returns its rows', async () => {
  const opts = { cwd: r.dir, env: { ...r.env, SESSION_ID_SOURCE: 'env-session' } };
  const rows = await recordCodexActions(
    [
      { action: 'edit', statement: 'a.js', metadata: { lines: 3 } },
      { action: 'test', statement: 'ok', sessionId: 'explicit' },
      { action: 'note', statement: 'plain', metadata: 'words' },
    ],
    opts,
  );
  closeCodexLogDb();
  const stored = await queryDb(path.join(r.dir, LOG), ALL);
  assert.equal(stored, rows);
  assert.equal(
    stored.map((x) => [x.id, x.session_id, x.action, x.statement, x.metadata]),
    [
      [1, 'env-session', 'edit', 'a.js', '{"lines":3}'],
      [2, 'explicit', 'test', 'ok', null],
      [3, 'env-session', 'note', 'plain', 'words'],
    ],
  );
  for (const x of stored) {
    assert.match(String(x.uid), UUID_V7);
    assert.match(String(x.ts), ISO);
  }
});

test('API recordCodexActions under TEST_MODE=1 writes nothing', async () => {
  const rows = await recordCodexActions([{ action: 'edit', statement: 'x' }], { cwd: r.dir, env: { ...r.env, TEST_MODE: '1' } });
  assert.is(rows.length, 1);
  assert.is(rows[0].id, null);
  assert.not.ok(existsSync(path.join(r.dir, 'databases')), 'databases/ was created');
});

test.run();
