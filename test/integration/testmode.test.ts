// TEST_MODE=1: every API call and CLI command succeeds, and nothing is created, written or staged.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  closeCodexLogDb,
  finalizeCodexLogDb,
  initCodexLogDb,
  logCodexEnd,
  logCodexStart,
  readCodexLog,
  readCodexSessions,
  recordCodexAction,
} from '../../src/index.ts';
import { listFiles, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const LOG = 'databases/codex_log.db';
const TM = { TEST_MODE: '1' };
const SAYS_TEST_MODE = 'codexlog-hooks: TEST_MODE=1: nothing was written.\n';

const { repo } = throwawayRepos(test);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Everything a write could touch: the work tree, the index, our state in the git dir. */
function snapshot(r: TestRepo) {
  const files = listFiles(r.dir);
  return {
    files,
    contents: files.filter((f) => !f.endsWith('/')).map((f) => sha256(r.read(f))),
    index: existsSync(path.join(r.dir, '.git/index')) ? sha256(r.read('.git/index')) : null,
    staged: r.git(['ls-files', '--stage']),
    state: existsSync(path.join(r.dir, '.git/codexlog')),
  };
}

test('API under TEST_MODE in a fresh repository: calls succeed, nothing is created', async () => {
  const r = repo();
  const o = { cwd: r.dir, env: { ...r.env, ...TM } };
  assert.is(await initCodexLogDb(o), path.join(r.dir, LOG));
  const row = await recordCodexAction('s1', 'edit', 'not stored', { a: 1 }, o);
  assert.equal(
    { ...row, ts: typeof row.ts },
    { session_id: 's1', action: 'edit', statement: 'not stored', metadata: '{"a":1}', id: null, uid: '', ts: 'string' },
  );
  assert.is(await logCodexStart('s1', o), 's1');
  assert.is(await logCodexEnd('s1', 'summary', o), 's1');
  assert.is(await finalizeCodexLogDb(o), null);
  assert.equal(await readCodexLog({}, o), []);
  assert.equal(await readCodexSessions(o), []);
  closeCodexLogDb();
  assert.equal(listFiles(r.dir), []);
  assert.not.ok(existsSync(path.join(r.dir, 'databases')));
  assert.not.ok(existsSync(path.join(r.dir, '.git/index')));
  assert.not.ok(existsSync(path.join(r.dir, '.git/codexlog')));
});

test('API under TEST_MODE with SESSION_ID_SOURCE: the session still resolves', async () => {
  const r = repo();
  const o = { cwd: r.dir, env: { ...r.env, ...TM, SESSION_ID_SOURCE: 'env-s' } };
  assert.is((await recordCodexAction(null, 'edit', 'x', undefined, o)).session_id, 'env-s');
  assert.is(await logCodexStart(undefined, o), 'env-s');
  assert.equal(listFiles(r.dir), []);
});

test('CLI under TEST_MODE in a fresh repository: exit 0, says so on stderr, creates nothing', () => {
  const r = repo();
  const cases: Array<[string[], string, string]> = [
    // args, stdout, stderr
    [['record', 'edit', 'x', '--metadata', '{"a":1}'], '', SAYS_TEST_MODE],
    [['session', 'start', '--id', 'tm-session'], 'tm-session\n', SAYS_TEST_MODE],
    [['session', 'end', '--summary', 'done'], '', SAYS_TEST_MODE],
    [['finalize'], '', SAYS_TEST_MODE],
    [['log'], 'The log is empty.\n', ''],
    [['log', '--json'], '[]\n', ''],
  ];
  for (const [args, stdout, stderr] of cases) {
    const out = r.cli(args, { env: TM });
    assert.equal([out.status, out.stdout, out.stderr], [0, stdout, stderr], args.join(' '));
  }
  assert.equal(listFiles(r.dir), []);
  assert.not.ok(existsSync(path.join(r.dir, '.git/index')));
  assert.not.ok(existsSync(path.join(r.dir, '.git/codexlog')));
});

test('TEST_MODE with an existing, committed log: files, index and git dir stay byte-identical', async () => {
  const r = repo();
  assert.is(r.cli(['record', 'edit', 'real row', '--session', 's0']).status, 0);
  assert.is(r.cli(['finalize']).status, 0);
  r.git(['commit', '-q', '-m', 'log']);
  assert.is(r.cli(['record', 'edit', 'uncommitted row', '--session', 's0']).status, 0);
  const before = snapshot(r);
  assert.equal(before.files, ['databases/', 'databases/codex_log.db', 'databases/codex_session_logs.db']);

  for (const args of [['record', 'edit', 'x'], ['session', 'start'], ['session', 'end'], ['finalize'], ['log'], ['log', '--json']]) {
    const out = r.cli(args, { env: TM });
    assert.is(out.status, 0, `${args.join(' ')}: ${out.stderr}`);
  }
  const o = { cwd: r.dir, env: { ...r.env, ...TM } };
  await initCodexLogDb(o);
  await recordCodexAction('s1', 'edit', 'not stored', undefined, o);
  await logCodexStart('s1', o);
  await logCodexEnd('s1', null, o);
  assert.is(await finalizeCodexLogDb(o), null);
  // Reading is allowed, and sees the real rows.
  assert.equal(
    (await readCodexLog({}, o)).map((e) => [e.id, e.statement, e.pending]),
    [
      [1, 'real row', false],
      [2, 'uncommitted row', false],
    ],
  );
  closeCodexLogDb();
  assert.equal(snapshot(r), before);
});

test('TEST_MODE=0 writes normally, and the CLI says nothing about TEST_MODE', async () => {
  const r = repo();
  const out = r.cli(['record', 'edit', 'x'], { env: { TEST_MODE: '0' } });
  assert.is(out.status, 0);
  assert.ok(/^codexlog-hooks: Recorded [0-9a-f-]{36}\.\n$/.test(out.stderr), out.stderr);
  assert.equal(listFiles(r.dir), ['databases/', 'databases/codex_log.db']);
});

test('TEST_MODE with a bad value is an error naming it', () => {
  const r = repo();
  for (const args of [['record', 'edit', 'x'], ['log']]) {
    const out = r.cli(args, { env: { TEST_MODE: 'sometimes' } });
    assert.is(out.status, 1);
    assert.is(out.stderr, 'codexlog-hooks: TEST_MODE=sometimes is not valid: expected 1 or 0.\n');
  }
  assert.equal(listFiles(r.dir), []);
});

test.run();
