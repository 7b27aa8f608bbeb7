// Another clone's or branch's log file, read for the merge driver: untrusted input, and the new
// file the union is written to.
import { RefusedFileError } from '../errors.js';
import { legacyUid } from '../ids.js';
import { messages } from '../messages.js';
import type { ActionRow, EventRow } from '../rows.js';
import { ACTION_COLUMNS, EVENT_COLUMNS, migrate, SCHEMA_VERSION } from './schema.js';
import { BUSY_TIMEOUT_MS, guard, inspectDatabaseFile, loadSqlite, tableColumns } from './sqlite.js';

/** Every row of a log database, read as untrusted input (another branch's file). */
export interface LogContents {
  actions: ActionRow[];
  events: EventRow[];
}

/**
 * Reads a log database from another branch or clone. The file is untrusted: it is opened
 * read-only with trusted_schema off, checked, and only the known columns of the known tables are
 * read (extra tables, triggers and views are ignored). Throws RefusedFileError with `detail`.
 */
export function readUntrustedLog(file: string, options: { rows?: boolean } = {}): LogContents {
  inspectDatabaseFile(file);
  return guard(file, () => {
    const db = new (loadSqlite())(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      // No function in the file's schema (views, triggers, defaults) may run on our behalf.
      db.pragma('trusted_schema = OFF');
      db.pragma('query_only = ON');
      const refuse = (detail: string): never => {
        throw new RefusedFileError(file, detail);
      };
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') refuse(messages.foreignIntegrity(String(check)));
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) refuse(messages.foreignNewer(version, SCHEMA_VERSION));
      const kind = (name: string) =>
        (
          db.prepare(`SELECT type FROM sqlite_schema WHERE name = ? AND type IN ('table', 'view')`).get(name) as
            | { type: string }
            | undefined
        )?.type;
      const need = (table: string, columns: readonly string[], required: boolean): string[] | null => {
        const k = kind(table);
        if (k === undefined && !required) return null;
        if (k !== 'table') refuse(messages.foreignNotTable(table, k));
        const have = tableColumns(db, table);
        const missing = columns.filter((c) => !have.includes(c));
        if (missing.length) refuse(messages.foreignMissingColumns(table, missing));
        return have;
      };
      const actionCols = need('codex_actions', ACTION_COLUMNS, true) ?? [];
      const eventCols = need('codex_log', EVENT_COLUMNS, false);
      // Checked, not read: the merge base only has to be a valid log.
      if (options.rows === false) return { actions: [], events: [] };
      const uidOf = (table: string, row: Record<string, unknown>, key: unknown, values: readonly string[]) => {
        const uid = row.uid;
        if (typeof uid === 'string' && uid !== '') return uid;
        // Same derivation as the migration, so an unmigrated legacy file merges with a migrated one.
        return legacyUid(table, [key, ...values.map((c) => row[c])]);
      };
      const actionValues = ACTION_COLUMNS.filter((c) => c !== 'id');
      const actions = (
        db
          .prepare(`SELECT ${ACTION_COLUMNS.join(', ')}${actionCols.includes('uid') ? ', uid' : ''} FROM codex_actions ORDER BY id`)
          .all() as Record<string, unknown>[]
      ).map((r) => ({
        id: r.id as number,
        uid: uidOf('codex_actions', r, r.id, actionValues),
        session_id: r.session_id as string | null,
        ts: r.ts as string | null,
        action: r.action as string | null,
        statement: r.statement as string | null,
        metadata: r.metadata as string | null,
      }));
      const events = eventCols
        ? (
            db
              .prepare(
                `SELECT rowid AS rid, ${EVENT_COLUMNS.join(', ')}${eventCols.includes('uid') ? ', uid' : ''} FROM codex_log ORDER BY rowid`,
              )
              .all() as Record<string, unknown>[]
          ).map((r) => ({
            uid: uidOf('codex_log', r, r.rid, EVENT_COLUMNS),
            session_id: r.session_id as string | null,
            event: r.event as string | null,
            summary: r.summary as string | null,
            ts: r.ts as string | null,
          }))
        : [];
      return { actions, events };
    } finally {
      db.close();
    }
  });
}

/**
 * Writes `contents` as a new log database at `dest` (which must not exist), keeping the given
 * action ids where present, in rollback-journal mode so the file is complete once closed.
 */
export function writeLogFile(
  dest: string,
  contents: { actions: Array<Omit<ActionRow, 'id'> & { id: number | null }>; events: EventRow[] },
): void {
  guard(dest, () => {
    const db = new (loadSqlite())(dest, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = DELETE');
      migrate(db, dest);
      const ins = db.prepare(
        `INSERT INTO codex_actions (id, uid, session_id, ts, action, statement, metadata)
         VALUES (@id, @uid, @session_id, @ts, @action, @statement, @metadata) ON CONFLICT(uid) DO NOTHING`,
      );
      const ev = db.prepare(
        'INSERT INTO codex_log (uid, session_id, event, summary, ts) VALUES (@uid, @session_id, @event, @summary, @ts) ON CONFLICT(uid) DO NOTHING',
      );
      db.transaction(() => {
        for (const a of contents.actions) ins.run(a);
        for (const e of contents.events) ev.run(e);
      })();
    } finally {
      db.close();
    }
  });
}
