// The log database the tool writes: one connection, its pragmas, inserts, reads and snapshots.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { CodexlogError, RefusedFileError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { messages } from '../messages.js';
import type { ActionQuery, ActionRow, EventRow, NewAction } from '../rows.js';
import { migrate, SCHEMA_VERSION } from './schema.js';
import { BUSY_TIMEOUT_MS, type Database, fileIdentity, guard, inspectDatabaseFile, loadSqlite, tableColumns } from './sqlite.js';

/** Prefix of the temp files finalize writes next to the databases (ignored by install's block). */
export const TEMP_PREFIX = '.codexlog-';

/** An open log database. */
export class LogStore {
  readonly file: string;
  readonly db: Database;
  private readonly identity: string;
  private insertAction?: BetterSqlite3.Statement;
  private insertEvent?: BetterSqlite3.Statement;
  private insertMany?: BetterSqlite3.Transaction<(batch: Array<NewAction & { uid: string; ts: string }>) => ActionRow[]>;

  private constructor(file: string, db: Database) {
    this.file = file;
    this.db = db;
    this.identity = fileIdentity(file);
  }

  /**
   * Opens (and with `create`, creates) the log at `file`, migrating it to the current schema.
   * Refuses LFS pointers, non-databases and newer schemas without writing a byte.
   */
  static open(file: string, options: { create: boolean }): LogStore {
    const kind = inspectDatabaseFile(file);
    if (kind === 'missing' && !options.create) {
      throw new CodexlogError(messages.missingDatabase(file));
    }
    if (kind === 'missing') mkdirSync(path.dirname(file), { recursive: true });
    return guard(file, () => {
      const Sqlite = loadSqlite();
      const db = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
      try {
        // Migrate (or refuse) first: a refused file must stay byte-identical.
        migrate(db, file);
        // A rollback journal, not WAL: git replaces this file (checkout, pull, stash, reset) while
        // agents may hold connections, and a WAL or its shared index left from the old file is
        // then applied to the new one and corrupts it (reproduced). In rollback mode every commit
        // is in the file itself, a busy timeout serialises writers, and synchronous=FULL (the
        // default) loses nothing. A file left in WAL by another tool is switched back when we are
        // its only user.
        if ((db.pragma('journal_mode', { simple: true }) as string) === 'wal') db.pragma('journal_mode = DELETE');
        return new LogStore(file, db);
      } catch (e) {
        db.close();
        throw e;
      }
    });
  }

  /**
   * Opens an existing log read-only, for readers that must never write (TEST_MODE, `log`).
   * Returns null when there is no file yet.
   */
  static openReadOnly(file: string): LogStore | null {
    const kind = inspectDatabaseFile(file);
    if (kind !== 'sqlite') return null;
    return guard(file, () => {
      // Not `readonly: true`: on a file another tool left in WAL mode, a read-only connection creates
      // -wal and -shm files it cannot remove (even under TEST_MODE). As the last connection to
      // close, this one removes them; query_only makes SQLite refuse any write.
      const db = new (loadSqlite())(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
      db.pragma('query_only = ON');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        db.close();
        throw new RefusedFileError(file, messages.newerSchema(file, version, SCHEMA_VERSION));
      }
      return new LogStore(file, db);
    });
  }

  /** Whether the file at our path is no longer the one we opened (git checkout replaced it). */
  isStale(): boolean {
    return fileIdentity(this.file) !== this.identity;
  }

  /** Inserts actions in one transaction; rows whose uid is already present are skipped. */
  addActions(rows: readonly NewAction[]): ActionRow[] {
    return guard(this.file, () => {
      this.insertAction ??= this.db.prepare(
        `INSERT INTO codex_actions (uid, session_id, ts, action, statement, metadata)
         VALUES (@uid, @session_id, @ts, @action, @statement, @metadata)
         ON CONFLICT(uid) DO NOTHING RETURNING id`,
      );
      const stmt = this.insertAction;
      const insert = (row: NewAction & { uid: string; ts: string }): ActionRow => {
        const got = stmt.get(row) as { id: number } | undefined;
        return { ...row, id: got ? got.id : null };
      };
      const complete = rows.map((r) => ({ ...r, uid: r.uid ?? uuidv7(), ts: r.ts ?? new Date().toISOString() }));
      // One row commits on its own (autocommit is atomic); a batch shares one transaction.
      this.insertMany ??= this.db.transaction((batch: Array<NewAction & { uid: string; ts: string }>) => batch.map(insert));
      return complete.length === 1 ? [insert(complete[0])] : this.insertMany.immediate(complete);
    });
  }

  /** Inserts one session event (start / end). */
  addEvent(row: Omit<EventRow, 'uid' | 'ts'> & { uid?: string; ts?: string }): EventRow {
    return guard(this.file, () => {
      this.insertEvent ??= this.db.prepare(
        `INSERT INTO codex_log (uid, session_id, event, summary, ts) VALUES (@uid, @session_id, @event, @summary, @ts)
         ON CONFLICT(uid) DO NOTHING`,
      );
      const full: EventRow = { ...row, uid: row.uid ?? uuidv7(), ts: row.ts ?? new Date().toISOString() };
      this.insertEvent.run(full);
      return full;
    });
  }

  /** Actions matching `q`, oldest first; with `limit`, the newest `limit` of them. */
  actions(q: ActionQuery = {}): ActionRow[] {
    return guard(this.file, () => {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (q.session !== undefined) {
        where.push('session_id = @session');
        params.session = q.session;
      }
      if (q.action !== undefined) {
        where.push('action = @action');
        params.action = q.action;
      }
      // julianday() reads both timestamp forms the seed wrote and our ISO 8601 ones.
      if (q.since !== undefined) {
        where.push('julianday(ts) >= julianday(@since)');
        params.since = q.since;
      }
      const hasUid = tableColumns(this.db, 'codex_actions').includes('uid');
      const sql = `SELECT id, ${hasUid ? 'uid' : "'' AS uid"}, session_id, ts, action, statement, metadata
        FROM codex_actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY julianday(ts) DESC, id DESC ${q.limit !== undefined ? 'LIMIT @limit' : ''}`;
      if (q.limit !== undefined) params.limit = q.limit;
      return (this.db.prepare(sql).all(params) as ActionRow[]).reverse();
    });
  }

  /** Session events, oldest first. */
  events(): EventRow[] {
    return guard(this.file, () => {
      if (tableColumns(this.db, 'codex_log').length === 0) return [];
      return this.db.prepare('SELECT uid, session_id, event, summary, ts FROM codex_log ORDER BY julianday(ts), rowid').all() as EventRow[];
    });
  }

  /** The problems PRAGMA integrity_check reports (empty when the database is sound). */
  integrityProblems(): string[] {
    return guard(this.file, () => {
      const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
      return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    });
  }

  /**
   * Runs `fn` while holding the write lock, so that a `git add` inside `fn` reads a file that holds
   * every committed row and that no other writer changes meanwhile (they wait, busy timeout).
   */
  async withWriteLock<T>(fn: () => Promise<T>): Promise<T> {
    guard(this.file, () => this.db.exec('BEGIN IMMEDIATE'));
    try {
      return await fn();
    } finally {
      this.db.exec('ROLLBACK');
    }
  }

  /** Deletes the actions with these uids (undoing this process's own rows); returns the count. */
  deleteActions(uids: readonly string[]): number {
    return guard(this.file, () => {
      const del = this.db.prepare('DELETE FROM codex_actions WHERE uid = ?');
      return this.db.transaction(() => uids.reduce((n, u) => n + del.run(u).changes, 0)).immediate();
    });
  }

  /** Writes a consistent, compact snapshot to `dest` via a temp file renamed atomically. */
  snapshotTo(dest: string): void {
    // Named so that the .gitignore block install writes covers it, should a crash leave it behind.
    const tmp = path.join(path.dirname(dest), `${TEMP_PREFIX}${uuidv7()}.tmp`);
    mkdirSync(path.dirname(dest), { recursive: true });
    rmSync(tmp, { force: true });
    try {
      guard(this.file, () => {
        // VACUUM INTO reads one transaction's snapshot: never a torn copy of a live file.
        const reader = new (loadSqlite())(this.file, { readonly: true, timeout: BUSY_TIMEOUT_MS });
        try {
          reader.prepare('VACUUM INTO ?').run(tmp);
        } finally {
          reader.close();
        }
      });
      const fd = openSync(tmp, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, dest);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }

  /** Closes the connection. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
