// `sql`'s guard, on a real view in memory: the first keyword after comments, and a table of
// hostile statements that each try to write (or to reach a file) in another way. Every one is
// refused, with the reason that applies, and afterwards nothing changed and no file appeared.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CodexlogError } from '../../src/errors.ts';
import { messages } from '../../src/messages.ts';
import { checkReadVerb, firstKeyword, userQuery } from '../../src/read/sql.ts';
import { LogView } from '../../src/store/view.ts';
import { thrown } from '../helpers/expect.ts';

const keywords: Array<[string, string | null]> = [
  ['SELECT 1', 'SELECT'],
  ['  select 1', 'SELECT'],
  ['\ufeffWITH a AS (SELECT 1) SELECT * FROM a', 'WITH'],
  ['-- a comment\nVALUES (1)', 'VALUES'],
  ['/* one */ /* two\n */ -- three\n\tattach x as y', 'ATTACH'],
  ['/* unterminated comment SELECT 1', null],
  ['-- only a comment', null],
  ['', null],
  ['   \n ', null],
  ['(SELECT 1)', '('],
  ['pragma_table_info', 'PRAGMA_TABLE_INFO'],
];
for (const [sql, keyword] of keywords) {
  test(`firstKeyword(${JSON.stringify(sql)}) = ${keyword}`, () => {
    assert.is(firstKeyword(sql), keyword);
  });
}

test('checkReadVerb: an empty query, and a verb that is not a read, are refused by name', () => {
  assert.is(thrown(() => checkReadVerb(' -- nothing'), CodexlogError).message, messages.sqlEmpty);
  assert.is(thrown(() => checkReadVerb('delete from x'), CodexlogError).message, messages.sqlRefused('DELETE'));
  checkReadVerb('EXPLAIN QUERY PLAN SELECT 1');
});

const tmp = mkdtempSync(path.join(os.tmpdir(), 'codexlog-sql-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const evil = (name: string) => path.join(tmp, name).replace(/'/g, "''");

let view: LogView;
test.before(() => {
  view = LogView.open(':memory:');
  view.setPending(
    [
      { uid: 'u1', session_id: 's1', ts: '2026-01-01T00:00:00Z', action: 'edit', statement: 'one', metadata: null },
      { uid: 'u2', session_id: 's2', ts: '2026-01-01T00:00:01Z', action: 'run', statement: 'two', metadata: '{"agent":"codex"}' },
    ],
    [{ uid: 'e1', session_id: 's1', event: 'start', summary: null, ts: '2026-01-01T00:00:00Z' }],
  );
});
test.after(() => view.close());

const refused = (verb: string) => messages.sqlRefused(verb);
// name, statement, the refusal
const hostile: Array<[string, string, string]> = [
  ['ATTACH a new file', `ATTACH DATABASE '${evil('attached.db')}' AS x`, refused('ATTACH')],
  ['attach, lower case, behind comments', `/* hi */ -- there\n  attach '${evil('attached.db')}' as x`, refused('ATTACH')],
  ['ATTACH through a file: URI', `ATTACH 'file:${evil('uri.db')}?mode=rwc' AS x`, refused('ATTACH')],
  ['DETACH', 'DETACH temp', refused('DETACH')],
  ['PRAGMA turning query_only off', 'PRAGMA query_only = OFF', refused('PRAGMA')],
  ['PRAGMA writable_schema', 'pragma writable_schema = 1', refused('PRAGMA')],
  ['PRAGMA journal_mode', 'PRAGMA main.journal_mode = DELETE', refused('PRAGMA')],
  ['VACUUM', 'VACUUM', refused('VACUUM')],
  ['VACUUM INTO a new file', `VACUUM INTO '${evil('copy.db')}'`, refused('VACUUM')],
  ['INSERT into the seed table', "INSERT INTO codex_actions (uid) VALUES ('x')", refused('INSERT')],
  ['REPLACE', "REPLACE INTO meta (k, v) VALUES ('active', 'x')", refused('REPLACE')],
  ['UPDATE the view', "UPDATE seg_actions SET statement = 'x'", refused('UPDATE')],
  ['DELETE uncommitted rows', 'DELETE FROM temp.pending_actions', refused('DELETE')],
  ['DROP a table', 'DROP TABLE seg_actions', refused('DROP')],
  ['CREATE a table', 'CREATE TABLE t (x)', refused('CREATE')],
  ['CREATE a temp trigger', 'CREATE TEMP TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END', refused('CREATE')],
  ['ALTER', 'ALTER TABLE meta RENAME TO m2', refused('ALTER')],
  ['REINDEX', 'REINDEX', refused('REINDEX')],
  ['ANALYZE (writes sqlite_stat1)', 'ANALYZE', refused('ANALYZE')],
  ['BEGIN', 'BEGIN IMMEDIATE', refused('BEGIN')],
  ['SAVEPOINT', 'SAVEPOINT a', refused('SAVEPOINT')],
  ['a parenthesised statement', '(SELECT 1)', refused('(')],
  ['a CTE in front of a DELETE', 'WITH x AS (SELECT 1) DELETE FROM seg_actions', messages.sqlWrites],
  ['a CTE in front of an INSERT', "WITH x AS (SELECT 1) INSERT INTO temp.pending_actions (uid) VALUES ('z')", messages.sqlWrites],
  ['a CTE in front of an UPDATE', "WITH RECURSIVE x(n) AS (SELECT 1) UPDATE meta SET v = 'x'", messages.sqlWrites],
  ['EXPLAIN of a write', 'EXPLAIN DELETE FROM seg_actions', messages.sqlWrites],
  ['a second statement that writes', 'SELECT 1; DELETE FROM seg_actions', messages.sqlMultiple],
  ['a second statement that attaches', `SELECT 1; ATTACH '${evil('second.db')}' AS y`, messages.sqlMultiple],
  ['load_extension', `SELECT load_extension('${evil('evil.so')}')`, messages.sqlFailed('not authorized')],
  ['the shell-only writefile()', `SELECT writefile('${evil('w.txt')}', 'x')`, messages.sqlFailed('no such function: writefile')],
  ["fts3_tokenizer's pointer form", "SELECT fts3_tokenizer('simple', x'0000000000000000')", messages.sqlFailed('fts3tokenize disabled')],
  ['no statement at all', '/* nothing */', messages.sqlEmpty],
];
for (const [name, sql, message] of hostile) {
  test(`sql refuses: ${name}`, () => {
    const e = thrown(() => {
      const q = userQuery({ view, committedOnly: false }, sql);
      for (const _ of q.rows) {
        // run it to the end: some refusals come from SQLite at run time
      }
    }, CodexlogError);
    assert.is(e.message, message);
  });
}

test('after every hostile statement: the rows are as they were, no file appeared, the connection still refuses writes', () => {
  const q = userQuery({ view, committedOnly: false }, 'SELECT uid, statement, pending FROM codex_actions ORDER BY uid');
  assert.equal(
    [...q.rows],
    [
      ['u1', 'one', 1],
      ['u2', 'two', 1],
    ],
  );
  assert.equal(readdirSync(tmp), []);
  assert.not.ok(existsSync(evil('attached.db')));
  assert.is(view.db.pragma('query_only', { simple: true }), 1);
  assert.equal(view.db.prepare("SELECT count(*) AS n FROM meta WHERE v = 'x'").get(), { n: 0 });
});

const reads: Array<[string, string, string[], unknown[][]]> = [
  [
    'the seed tables, with pending',
    'SELECT id, session_id, action, pending FROM codex_actions ORDER BY ts',
    ['id', 'session_id', 'action', 'pending'],
    [
      [null, 's1', 'edit', 1],
      [null, 's2', 'run', 1],
    ],
  ],
  ['codex_log', 'SELECT session_id, event FROM codex_log', ['session_id', 'event'], [['s1', 'start']]],
  [
    'JSON functions over metadata',
    "SELECT metadata ->> '$.agent' AS agent FROM codex_actions WHERE json_valid(metadata)",
    ['agent'],
    [['codex']],
  ],
  ['VALUES', 'VALUES (1, NULL)', ['column1', 'column2'], [[1, null]]],
  ['a recursive CTE', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3) SELECT x FROM c', ['x'], [[1], [2], [3]]],
  ['a trailing semicolon and comment', 'SELECT count(*) AS n FROM codex_actions; -- done', ['n'], [[2]]],
];
for (const [name, sql, columns, rows] of reads) {
  test(`sql reads: ${name}`, () => {
    const q = userQuery({ view, committedOnly: false }, sql);
    assert.equal(q.columns, columns);
    assert.equal([...q.rows], rows);
  });
}

test('sql --committed: the seed tables hold committed rows only', () => {
  const q = userQuery({ view, committedOnly: true }, 'SELECT count(*) FROM codex_actions');
  assert.equal([...q.rows], [[0]]);
});

test.run();
