// Every environment variable the seed documents, through the API and the built CLI:
// GH_COPILOT_WORKSPACE, GH_COPILOT_BACKUP_ROOT, SESSION_ID_SOURCE (and the session file), ALLOW_AUTOLFS.
// TEST_MODE has its own file (testmode.test.ts).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
import { rejection } from '../helpers/expect.ts';
import { facts, logJson } from '../helpers/log.ts';
import { listFiles, queryDb, throwawayRepos } from '../helpers/repo.ts';

const LOG = 'databases/codex_log.db';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const repos = throwawayRepos(test);
const { repo } = repos;
const dir = () => repos.dir('codexlog-other-');

async function rowsOf(file: string) {
  return queryDb<{ id: number; session_id: string | null; action: string; statement: string; metadata: string | null }>(
    file,
    'SELECT id, session_id, action, statement, metadata FROM codex_actions ORDER BY id',
  );
}

// --- GH_COPILOT_WORKSPACE -------------------------------------------------------------------------

test('GH_COPILOT_WORKSPACE: the API writes under it, not under cwd (itself another repository)', async () => {
  const ws = repo();
  const cwd = repo();
  const env = { ...cwd.env, GH_COPILOT_WORKSPACE: ws.dir };
  const file = await initCodexLogDb({ cwd: cwd.dir, env });
  assert.is(file, path.join(ws.dir, LOG));
  await recordCodexAction('s1', 'edit', 'in the workspace', undefined, { cwd: cwd.dir, env });
  // The row waits in the workspace's git dir.
  assert.equal(
    logJson(ws).map((x) => [x.id, x.statement]),
    [[null, 'in the workspace']],
  );
  assert.not.ok(existsSync(path.join(cwd.dir, '.git/codexlog')));
  const res = await finalizeCodexLogDb({ cwd: cwd.dir, env });
  assert.equal(facts(res), {
    logDb: path.join(ws.dir, LOG),
    sessionDb: path.join(ws.dir, 'databases/codex_session_logs.db'),
    staged: true,
    backup: null,
    folded: 1,
    sealed: null,
    oid: res?.oid as string,
    blob: ws.git(['rev-parse', `:${LOG}`]).trim(),
  });
  closeCodexLogDb();
  assert.equal(await rowsOf(path.join(ws.dir, LOG)), [
    { id: 1, session_id: 's1', action: 'edit', statement: 'in the workspace', metadata: null },
  ]);
  assert.equal(listFiles(cwd.dir), []);
  assert.is(cwd.git(['status', '--porcelain']), '');
  assert.not.ok(existsSync(path.join(cwd.dir, '.git/codexlog')), "nothing in cwd's git dir either");
  assert.is(ws.git(['diff', '--cached', '--name-only']), 'databases/codex_log.db\ndatabases/codex_session_logs.db\n');
});

test('GH_COPILOT_WORKSPACE: a relative value resolves from cwd', async () => {
  const ws = repo();
  ws.write('sub/deeper/.keep', '');
  const env = { ...ws.env, GH_COPILOT_WORKSPACE: '../..' };
  assert.is(await initCodexLogDb({ cwd: path.join(ws.dir, 'sub/deeper'), env }), path.join(ws.dir, LOG));
});

test('GH_COPILOT_WORKSPACE: the CLI writes under it, not under cwd', async () => {
  const ws = repo();
  const cwd = dir();
  const env = { GH_COPILOT_WORKSPACE: ws.dir };
  const r = ws.cli(['record', 'edit', 'from elsewhere', '--session', 's1'], { cwd, env });
  assert.is(r.status, 0, r.stderr);
  assert.equal(listFiles(ws.dir), []);
  assert.equal(
    logJson(ws).map((x) => [x.id, x.statement]),
    [[null, 'from elsewhere']],
  );
  const fin = ws.cli(['finalize'], { cwd, env });
  assert.is(fin.status, 0, fin.stderr);
  assert.equal(await rowsOf(path.join(ws.dir, LOG)), [
    { id: 1, session_id: 's1', action: 'edit', statement: 'from elsewhere', metadata: null },
  ]);
  assert.equal(listFiles(cwd), []);
});

for (const [name, value] of [
  ['a missing folder', '/nonexistent/codexlog-workspace'],
  ['a file', 'FILE'],
] as const) {
  test(`GH_COPILOT_WORKSPACE: ${name} is an error naming it, and nothing is written`, async () => {
    const cwd = repo();
    cwd.write('a-file.txt', 'x');
    const v = value === 'FILE' ? path.join(cwd.dir, 'a-file.txt') : value;
    const expected = `GH_COPILOT_WORKSPACE=${v} is not valid: expected an existing folder (the repository root).`;
    const env = { ...cwd.env, GH_COPILOT_WORKSPACE: v };
    const e = await rejection(recordCodexAction('s1', 'edit', 'x', undefined, { cwd: cwd.dir, env }));
    assert.is(e.message, expected);
    const r = cwd.cli(['record', 'edit', 'x'], { env: { GH_COPILOT_WORKSPACE: v } });
    assert.is(r.status, 1);
    assert.is(r.stderr, `codexlog-hooks: ${expected}\n`);
    assert.is(r.stdout, '');
    assert.equal(listFiles(cwd.dir), ['a-file.txt']);
    assert.not.ok(existsSync(path.join(cwd.dir, '.git/codexlog')));
  });
}

// --- GH_COPILOT_BACKUP_ROOT -----------------------------------------------------------------------

const BACKUP_NAME = /^codex_log-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

test('GH_COPILOT_BACKUP_ROOT: finalize (API) writes one timestamped backup, identical to the session copy', async () => {
  const r = repo();
  const root = path.join(dir(), 'not', 'yet', 'there');
  const env = { ...r.env, GH_COPILOT_BACKUP_ROOT: root };
  await recordCodexAction('s1', 'edit', 'backed up', { k: 1 }, { cwd: r.dir, env });
  const res = await finalizeCodexLogDb({ cwd: r.dir, env });
  const files = readdirSync(root);
  assert.is(files.length, 1);
  assert.ok(BACKUP_NAME.test(files[0]), files[0]);
  assert.is(res?.backup, path.join(root, files[0]));
  assert.ok(readFileSync(path.join(root, files[0])).equals(r.read('databases/codex_session_logs.db')));
  assert.equal(await rowsOf(path.join(root, files[0])), [
    { id: 1, session_id: 's1', action: 'edit', statement: 'backed up', metadata: '{"k":1}' },
  ]);
});

test('GH_COPILOT_BACKUP_ROOT: finalize (CLI) writes the backup and says where', async () => {
  const r = repo();
  const root = dir();
  const env = { GH_COPILOT_BACKUP_ROOT: root };
  assert.is(r.cli(['record', 'edit', 'one'], { env }).status, 0);
  const out = r.cli(['finalize'], { env });
  assert.is(out.status, 0, out.stderr);
  const files = readdirSync(root);
  assert.is(files.length, 1);
  assert.ok(BACKUP_NAME.test(files[0]), files[0]);
  assert.is(
    out.stderr,
    'codexlog-hooks: Finalized databases/codex_log.db into databases/codex_session_logs.db; both are staged.\n' +
      `codexlog-hooks: Backup written to ${path.join(root, files[0])}.\n`,
  );
  assert.ok(readFileSync(path.join(root, files[0])).equals(r.read('databases/codex_session_logs.db')));
});

test('GH_COPILOT_BACKUP_ROOT: unset means no backup', async () => {
  const r = repo();
  await recordCodexAction('s1', 'edit', 'x', undefined, { cwd: r.dir, env: r.env });
  const res = await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  assert.is(res?.backup, null);
  closeCodexLogDb();
  assert.equal(listFiles(r.dir), ['databases/', 'databases/codex_log.db', 'databases/codex_session_logs.db']);
});

for (const rel of ['backups', '.', 'databases/old']) {
  test(`GH_COPILOT_BACKUP_ROOT inside the workspace (${rel}): an error naming both paths, nothing written`, async () => {
    const r = repo();
    const root = path.join(r.dir, rel);
    const expected =
      `GH_COPILOT_BACKUP_ROOT (${root}) is inside the workspace (${r.dir}); backups there would end up ` +
      `in the repository. Point GH_COPILOT_BACKUP_ROOT to a folder outside ${r.dir}.`;
    const e = await rejection(finalizeCodexLogDb({ cwd: r.dir, env: { ...r.env, GH_COPILOT_BACKUP_ROOT: root } }));
    assert.is(e.message, expected);
    closeCodexLogDb();
    const out = r.cli(['finalize'], { env: { GH_COPILOT_BACKUP_ROOT: rel } });
    assert.is(out.status, 1);
    assert.is(out.stderr, `codexlog-hooks: ${expected}\n`);
    assert.equal(listFiles(r.dir), []);
    assert.is(r.git(['ls-files', '--stage']), '');
    assert.not.ok(existsSync(path.join(r.dir, '.git/index')));
    assert.not.ok(existsSync(path.join(r.dir, '.git/codexlog')), 'refused before anything was read or written');
  });
}

test('GH_COPILOT_BACKUP_ROOT inside the workspace: an existing log stays byte-identical, no session copy, the rows wait', async () => {
  const r = repo();
  // A log that exists without its session copy (as an older version or another tool left it).
  assert.is(r.cli(['record', 'edit', 'kept']).status, 0);
  assert.is(r.cli(['finalize']).status, 0);
  r.git(['rm', '-q', '-f', '--cached', LOG, 'databases/codex_session_logs.db']);
  rmSync(path.join(r.dir, 'databases/codex_session_logs.db'));
  assert.is(r.cli(['record', 'edit', 'waiting']).status, 0);
  const before = r.read(LOG);
  const out = r.cli(['finalize'], { env: { GH_COPILOT_BACKUP_ROOT: path.join(r.dir, 'bk') } });
  assert.is(out.status, 1);
  const e = await rejection(finalizeCodexLogDb({ cwd: r.dir, env: { ...r.env, GH_COPILOT_BACKUP_ROOT: path.join(r.dir, 'bk') } }));
  assert.ok(e.message.startsWith(`GH_COPILOT_BACKUP_ROOT (${path.join(r.dir, 'bk')}) is inside the workspace (${r.dir})`), e.message);
  closeCodexLogDb();
  assert.ok(r.read(LOG).equals(before));
  assert.equal(listFiles(r.dir), ['databases/', 'databases/codex_log.db']);
  assert.is(r.git(['diff', '--cached', '--name-only']), '');
  assert.equal(
    logJson(r).map((x) => [x.id, x.statement]),
    [
      [1, 'kept'],
      [null, 'waiting'],
    ],
  );
});

// --- SESSION_ID_SOURCE, the session file, and the UUID fallback ----------------------------------

test('SESSION_ID_SOURCE names the session (API); an explicit id beats it', async () => {
  const r = repo();
  const env = { ...r.env, SESSION_ID_SOURCE: 'env-session' };
  const a = await recordCodexAction(null, 'edit', 'from env', undefined, { cwd: r.dir, env });
  const b = await recordCodexAction(undefined, 'edit', 'also from env', undefined, { cwd: r.dir, env });
  const c = await recordCodexAction('explicit', 'edit', 'explicit wins', undefined, { cwd: r.dir, env });
  assert.equal([a.session_id, b.session_id, c.session_id], ['env-session', 'env-session', 'explicit']);
  assert.is(await logCodexStart(undefined, { cwd: r.dir, env }), 'env-session');
  assert.is(await logCodexEnd('explicit', 'done', { cwd: r.dir, env }), 'explicit');
  await finalizeCodexLogDb({ cwd: r.dir, env });
  closeCodexLogDb();
  assert.equal(
    (await rowsOf(path.join(r.dir, LOG))).map((x) => [x.id, x.session_id, x.statement]),
    [
      [1, 'env-session', 'from env'],
      [2, 'env-session', 'also from env'],
      [3, 'explicit', 'explicit wins'],
    ],
  );
  const events = await readCodexSessions({ cwd: r.dir, env });
  // (Sorted: events of the same millisecond come back in uid order, see record.test.ts's known bug.)
  assert.equal(events.map((e) => [e.session_id, e.event, e.summary]).sort(), [
    ['env-session', 'start', null],
    ['explicit', 'end', 'done'],
  ]);
  for (const e of events) assert.ok(ISO.test(e.ts ?? ''), String(e.ts));
});

test('SESSION_ID_SOURCE names the session (CLI); --session beats it', async () => {
  const r = repo();
  const env = { SESSION_ID_SOURCE: 'env-session' };
  assert.is(r.cli(['record', 'edit', 'from env'], { env }).status, 0);
  assert.is(r.cli(['record', 'edit', 'explicit wins', '--session', 'explicit'], { env }).status, 0);
  const start = r.cli(['session', 'start'], { env });
  assert.is(start.stdout, 'env-session\n');
  assert.equal(
    logJson(r).map((x) => [x.session_id, x.statement]),
    [
      ['env-session', 'from env'],
      ['explicit', 'explicit wins'],
    ],
  );
  assert.is(r.cli(['finalize']).status, 0);
  assert.equal(
    (await rowsOf(path.join(r.dir, LOG))).map((x) => [x.session_id, x.statement]),
    [
      ['env-session', 'from env'],
      ['explicit', 'explicit wins'],
    ],
  );
});

test('session start/end: the open session lives in the git dir and beats the UUID fallback', async () => {
  const r = repo();
  const start = r.cli(['session', 'start', '--id', 'file-session']);
  assert.is(start.status, 0, start.stderr);
  assert.is(start.stdout, 'file-session\n');
  assert.is(start.stderr, 'codexlog-hooks: Session file-session started.\n');
  assert.is(readFileSync(path.join(r.dir, '.git/codexlog/session'), 'utf8'), 'file-session\n');
  assert.equal(listFiles(r.dir), []);

  assert.is(r.cli(['record', 'edit', 'cli, from the file']).status, 0);
  const api = await recordCodexAction(null, 'edit', 'api, from the file', undefined, { cwd: r.dir, env: r.env });
  assert.is(api.session_id, 'file-session');
  // Rule order: explicit, then SESSION_ID_SOURCE, then the file.
  const envWins = await recordCodexAction(null, 'edit', 'env beats the file', undefined, {
    cwd: r.dir,
    env: { ...r.env, SESSION_ID_SOURCE: 'env-session' },
  });
  assert.is(envWins.session_id, 'env-session');
  assert.is(r.cli(['record', 'edit', 'cli env beats the file'], { env: { SESSION_ID_SOURCE: 'env-session' } }).status, 0);
  assert.is(r.cli(['record', 'edit', 'explicit beats the file', '--session', 'explicit']).status, 0);
  closeCodexLogDb();

  const end = r.cli(['session', 'end', '--summary', 'all done']);
  assert.is(end.status, 0, end.stderr);
  assert.is(end.stdout, 'file-session\n');
  assert.not.ok(existsSync(path.join(r.dir, '.git/codexlog/session')));
  assert.is(r.cli(['record', 'edit', 'after the end']).status, 0);
  assert.equal(listFiles(r.dir), []);
  assert.is(r.cli(['finalize']).status, 0);

  const rows = await rowsOf(path.join(r.dir, LOG));
  assert.equal(
    rows.slice(0, 5).map((x) => [x.session_id, x.statement]),
    [
      ['file-session', 'cli, from the file'],
      ['file-session', 'api, from the file'],
      ['env-session', 'env beats the file'],
      ['env-session', 'cli env beats the file'],
      ['explicit', 'explicit beats the file'],
    ],
  );
  assert.is(rows.length, 6);
  assert.ok(UUID_V4.test(rows[5].session_id ?? ''), String(rows[5].session_id));
  const events = await queryDb(path.join(r.dir, LOG), 'SELECT session_id, event, summary FROM codex_log ORDER BY rowid');
  assert.equal(events, [
    { session_id: 'file-session', event: 'start', summary: null },
    { session_id: 'file-session', event: 'end', summary: 'all done' },
  ]);
});

test('session end without an open session: exit 1 and a hint', async () => {
  const r = repo();
  const out = r.cli(['session', 'end']);
  assert.is(out.status, 1);
  assert.is(out.stderr, 'codexlog-hooks: No session is open (codexlog-hooks session start opens one).\n');
  assert.equal(listFiles(r.dir), []);
});

test('no session anywhere: the API uses one UUID per process, the CLI a fresh UUID per call', async () => {
  const r = repo();
  const a = await recordCodexAction(null, 'edit', 'a', undefined, { cwd: r.dir, env: r.env });
  const b = await recordCodexAction(undefined, 'edit', 'b', undefined, { cwd: r.dir, env: r.env });
  assert.ok(UUID_V4.test(a.session_id ?? ''), String(a.session_id));
  assert.is(b.session_id, a.session_id);
  closeCodexLogDb();
  assert.is(r.cli(['record', 'edit', 'c']).status, 0);
  assert.is(r.cli(['record', 'edit', 'd']).status, 0);
  assert.is(r.cli(['finalize']).status, 0);
  const rows = await rowsOf(path.join(r.dir, LOG));
  assert.is(rows.length, 4);
  const [c, d] = [rows[2].session_id ?? '', rows[3].session_id ?? ''];
  assert.ok(UUID_V4.test(c) && UUID_V4.test(d), `${c} ${d}`);
  assert.is.not(c, d);
  assert.is.not(c, a.session_id);
});

// --- ALLOW_AUTOLFS --------------------------------------------------------------------------------

for (const value of ['1', '0', 'yes', 'off', 'TRUE', '']) {
  test(`ALLOW_AUTOLFS=${JSON.stringify(value)} is accepted`, async () => {
    const r = repo();
    const env = { ALLOW_AUTOLFS: value };
    const row = await recordCodexAction('s', 'edit', 'x', undefined, { cwd: r.dir, env: { ...r.env, ...env } });
    assert.is(row.id, null);
    assert.is(r.cli(['record', 'edit', 'y'], { env }).status, 0);
    closeCodexLogDb();
    assert.is(r.cli(['finalize'], { env }).status, 0);
    assert.equal(
      logJson(r, [], env).map((x) => [x.id, x.statement]),
      [
        [1, 'x'],
        [2, 'y'],
      ],
    );
  });
}

for (const value of ['maybe', '2', 'enable']) {
  test(`ALLOW_AUTOLFS=${value} is an error naming it (API and CLI), nothing written`, async () => {
    const r = repo();
    const expected = `ALLOW_AUTOLFS=${value} is not valid: expected 1 or 0.`;
    const e = await rejection(recordCodexAction('s', 'edit', 'x', undefined, { cwd: r.dir, env: { ...r.env, ALLOW_AUTOLFS: value } }));
    assert.is(e.message, expected);
    for (const args of [['record', 'edit', 'x'], ['log'], ['finalize'], ['session', 'start']]) {
      const out = r.cli(args, { env: { ALLOW_AUTOLFS: value } });
      assert.is(out.status, 1, args.join(' '));
      assert.is(out.stderr, `codexlog-hooks: ${expected}\n`);
    }
    assert.equal(listFiles(r.dir), []);
    assert.not.ok(existsSync(path.join(r.dir, '.git/codexlog')));
    assert.equal(await readCodexLog({}, { cwd: r.dir, env: r.env }), []);
  });
}

test.run();
