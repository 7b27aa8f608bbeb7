// Read-only SQL over the whole log, seen as the seed's tables (codex_actions, codex_log: temp
// views over the view's relations, with a `pending` column). Whatever a statement tries, it
// cannot write: (1) only a single statement starting with SELECT, WITH, VALUES or EXPLAIN is
// taken (comments skipped), which refuses ATTACH, DETACH, PRAGMA, VACUUM and every DDL/DML verb
// by name; (2) SQLite must call the prepared statement read-only (sqlite3_stmt_readonly), which
// catches a write hidden behind WITH; (3) the connection has PRAGMA query_only on, holds no
// tracked file (segments and the log are attached only while the view copies them) and cannot
// load extensions (SQLite's load_extension() is not authorized).
import { CodexlogError } from '../errors.js';
import { messages } from '../messages.js';
import type { Statement } from '../store/sqlite.js';
import type { ReadScope } from './query.js';

/** The verbs a statement may start with. */
export const READ_VERBS = ['SELECT', 'WITH', 'VALUES', 'EXPLAIN'] as const;

/** The first keyword of `sql` (upper case), after whitespace and comments; null when there is none. */
export function firstKeyword(sql: string): string | null {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c) || c === '\ufeff') i += 1;
    else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else break;
  }
  const m = /^[A-Za-z_]+/.exec(sql.slice(i));
  return m ? m[0].toUpperCase() : i < sql.length ? sql.slice(i, i + 1) : null;
}

/** Throws, naming the verb, unless `sql` starts with a verb that reads. */
export function checkReadVerb(sql: string): void {
  const verb = firstKeyword(sql);
  if (verb === null) throw new CodexlogError(messages.sqlEmpty);
  if (!(READ_VERBS as readonly string[]).includes(verb)) throw new CodexlogError(messages.sqlRefused(verb));
}

/** SQLite's complaint about a user's statement, as our error. */
function sqlFailure(e: unknown): unknown {
  if (e instanceof CodexlogError) return e;
  const err = e as Error & { code?: string };
  if (err instanceof RangeError && /more than one statement/.test(err.message)) return new CodexlogError(messages.sqlMultiple);
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_'))
    return new CodexlogError(messages.sqlFailed(err.message), { cause: e });
  return e;
}

/** A user's query, ready to run: its column names and its rows (arrays of values, streamed). */
export interface UserQuery {
  columns: string[];
  rows: Generator<unknown[]>;
}

function* stream(stmt: Statement): Generator<unknown[]> {
  const it = stmt.iterate() as IterableIterator<unknown[]>;
  try {
    while (true) {
      let next: IteratorResult<unknown[]>;
      try {
        next = it.next();
      } catch (e) {
        throw sqlFailure(e);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    it.return?.();
  }
}

/** Prepares `sql` over the log of `scope`; throws CodexlogError for a statement that would write, or that SQLite refuses. */
export function userQuery(scope: ReadScope, sql: string): UserQuery {
  checkReadVerb(sql);
  let stmt: Statement;
  try {
    stmt = scope.view.prepareUserQuery(sql, scope.committedOnly);
  } catch (e) {
    throw sqlFailure(e);
  }
  if (!stmt.readonly) throw new CodexlogError(messages.sqlWrites);
  if (!stmt.reader) throw new CodexlogError(messages.sqlNoRows);
  stmt.raw(true);
  return { columns: stmt.columns().map((c) => c.name), rows: stream(stmt) };
}
