// Log files this clone did not write itself (segments and logs from other clones and branches,
// merged in; the work tree's log, which the seed's Python module may write): attached to one of
// our connections and read as untrusted input. Only the known columns of the known tables are
// read; with trusted_schema off, nothing in the file's schema (views, triggers, defaults) runs.
import { RefusedFileError } from '../errors.js';
import { legacyUid } from '../ids.js';
import { messages } from '../messages.js';
import { ACTION_COLUMNS, EVENT_COLUMNS, SCHEMA_VERSION } from './schema.js';
import { type Database, guard, inspectDatabaseFile, loadSqlite } from './sqlite.js';

/** What an attached log holds beyond the seed's columns. */
export interface LogShape {
  actionsHaveUid: boolean;
  /** null when the file has no codex_log table (the seed's first version). */
  events: { hasUid: boolean } | null;
}

/** Registers the SQL function that derives a legacy row's uid, as the migration does. */
export function registerLegacyUid(db: Database): void {
  db.function('codexlog_legacy_uid', { deterministic: true, varargs: true }, (table: unknown, ...values: unknown[]) =>
    legacyUid(String(table), values),
  );
}

/**
 * Attaches `file` to `db` as `alias` and checks it is a valid log (an LFS pointer or a non-database
 * is refused before SQLite opens it). `db` must have trusted_schema off. Throws RefusedFileError
 * whose message names the file and the fix, and whose `reason` says in a few words what is wrong.
 */
export function attachLog(db: Database, file: string, alias: string, options: { integrity: boolean }): LogShape {
  const kind = inspectDatabaseFile(file);
  if (kind !== 'sqlite') throw new RefusedFileError(file, messages.notADatabase(file), undefined, 'not an SQLite database');
  return guard(file, () => {
    db.prepare(`ATTACH DATABASE ? AS ${alias}`).run(file);
    try {
      // Every refusal names the file and the fix; `reason` keeps the few words the merge driver shows.
      const refuse = (reason: string, message = messages.invalidLog(file, reason)): never => {
        throw new RefusedFileError(file, message, undefined, reason);
      };
      if (options.integrity) {
        const check = db.pragma(`${alias}.quick_check`, { simple: true });
        // SQLite names the attached schema in its report ("*** in database src ***"): ours, not the user's.
        const detail = String(check)
          .replace(/\*\*\* in database \w+ \*\*\*\s*/g, '')
          .trim();
        if (check !== 'ok') refuse(messages.foreignIntegrity(detail), messages.corrupt(file, detail));
      }
      const version = db.pragma(`${alias}.user_version`, { simple: true }) as number;
      if (version > SCHEMA_VERSION)
        refuse(messages.foreignNewer(version, SCHEMA_VERSION), messages.newerSchema(file, version, SCHEMA_VERSION));
      const columns = (table: string, needed: readonly string[], required: boolean): string[] | null => {
        const row = db.prepare(`SELECT type FROM ${alias}.sqlite_schema WHERE name = ? AND type IN ('table', 'view')`).get(table) as
          | { type: string }
          | undefined;
        if (row === undefined && !required) return null;
        if (row?.type !== 'table') refuse(messages.foreignNotTable(table, row?.type));
        const have = (db.pragma(`${alias}.table_info(${table})`) as Array<{ name: string }>).map((c) => c.name);
        const missing = needed.filter((c) => !have.includes(c));
        if (missing.length) refuse(messages.foreignMissingColumns(table, missing));
        return have;
      };
      const actions = columns('codex_actions', ACTION_COLUMNS, true) ?? [];
      const events = columns('codex_log', EVENT_COLUMNS, false);
      return { actionsHaveUid: actions.includes('uid'), events: events ? { hasUid: events.includes('uid') } : null };
    } catch (e) {
      db.prepare(`DETACH DATABASE ${alias}`).run();
      throw e;
    }
  });
}

/** Detaches an attached log. */
export function detachLog(db: Database, alias: string): void {
  db.prepare(`DETACH DATABASE ${alias}`).run();
}

function uidExpr(table: string, key: string, values: readonly string[], hasUid: boolean): string {
  // The same derivation as the migration, so an unmigrated seed file agrees with a migrated one.
  const derived = `codexlog_legacy_uid('${table}', ${[key, ...values].join(', ')})`;
  return hasUid ? `coalesce(nullif(uid, ''), ${derived})` : derived;
}

/** A SELECT of the attached log's actions as (id, uid, session_id, ts, action, statement, metadata). */
export function actionsSelect(alias: string, shape: LogShape): string {
  const values = ACTION_COLUMNS.filter((c) => c !== 'id');
  return `SELECT id, ${uidExpr('codex_actions', 'id', values, shape.actionsHaveUid)} AS uid, ${values.join(', ')} FROM ${alias}.codex_actions`;
}

/** A SELECT of the attached log's events as (uid, session_id, event, summary, ts); null when it has none. */
export function eventsSelect(alias: string, shape: LogShape): string | null {
  if (!shape.events) return null;
  return `SELECT ${uidExpr('codex_log', 'rowid', EVENT_COLUMNS, shape.events.hasUid)} AS uid, ${EVENT_COLUMNS.join(', ')} FROM ${alias}.codex_log`;
}

/**
 * Checks a log file without writing it (the doctor, readers): throws RefusedFileError whose
 * message names the file, says what is wrong and what to do.
 */
export function validateLogFile(file: string): void {
  const db = new (loadSqlite())(':memory:');
  try {
    db.pragma('trusted_schema = OFF');
    attachLog(db, file, 'src', { integrity: true });
    detachLog(db, 'src');
  } finally {
    db.close();
  }
}
