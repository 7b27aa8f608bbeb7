// The one owner of SQLite: opens the log database, sets its pragmas and busy timeout, migrates it,
// prepares statements, and turns SqliteError codes into our own errors.
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, fsyncSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { CodexlogError, RefusedFileError } from './errors.js';
import { legacyUid, uuidv7 } from './ids.js';
import { looksLikePointer, looksLikeSqlite } from './lfs.js';
import { messages } from './messages.js';

type Database = BetterSqlite3.Database;

/** Schema version written to PRAGMA user_version. 0 means "seed-written or empty". */
export const SCHEMA_VERSION = 1;
/** Prefix of the temp files finalize writes next to the databases (ignored by install's block). */
export const TEMP_PREFIX = '.codexlog-';
/** How long a writer waits for another one before giving up. */
export const BUSY_TIMEOUT_MS = 15_000;

// better-sqlite3 is a native module: load it only on paths that open a database.
let sqlite: typeof BetterSqlite3 | undefined;
function loadSqlite(): typeof BetterSqlite3 {
  sqlite ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  return sqlite;
}

/** One row of codex_actions. The six seed columns keep their names and meanings. */
export interface ActionRow {
  id: number | null;
  uid: string;
  session_id: string | null;
  ts: string | null;
  action: string | null;
  statement: string | null;
  metadata: string | null;
}

/** One session event of codex_log (start / end), as in the seed's later version. */
export interface EventRow {
  uid: string;
  session_id: string | null;
  event: string | null;
  summary: string | null;
  ts: string | null;
}

/** A row to insert; `uid` and `ts` are filled in when absent. */
export type NewAction = Omit<ActionRow, 'id' | 'uid' | 'ts'> & { uid?: string; ts?: string };

/** Filters of `codexlog-hooks log`. */
export interface ActionQuery {
  session?: string;
  action?: string;
  /** ISO 8601 (any form SQLite's julianday() reads). */
  since?: string;
  limit?: number;
}

// Defaults let the seed's Python module keep inserting its five data columns into our tables.
const RANDOM_UID = `('r-' || lower(hex(randomblob(16))))`;
const CREATE_ACTIONS = `CREATE TABLE codex_actions (
  id INTEGER PRIMARY KEY,
  session_id TEXT,
  ts TEXT,
  action TEXT,
  statement TEXT,
  metadata TEXT,
  uid TEXT NOT NULL UNIQUE DEFAULT ${RANDOM_UID}
)`;
const CREATE_EVENTS = `CREATE TABLE codex_log (
  session_id TEXT,
  event TEXT,
  summary TEXT,
  ts TEXT,
  uid TEXT NOT NULL UNIQUE DEFAULT ${RANDOM_UID}
)`;
const ACTION_COLUMNS = ['id', 'session_id', 'ts', 'action', 'statement', 'metadata'] as const;
const EVENT_COLUMNS = ['session_id', 'event', 'summary', 'ts'] as const;

/** What a file at the database path turned out to be, before SQLite is let near it. */
export type FileKind = 'missing' | 'empty' | 'sqlite';

/** Classifies `file` by its first bytes; throws RefusedFileError for a pointer or a non-database. */
export function inspectDatabaseFile(file: string): FileKind {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new CodexlogError(messages.sqliteFailed(file, (e as NodeJS.ErrnoException).code ?? 'EIO', (e as Error).message), { cause: e });
  }
  try {
    const head = Buffer.alloc(100);
    const n = readSync(fd, head, 0, 100, 0);
    if (n === 0) return 'empty';
    if (looksLikePointer(head.subarray(0, n))) throw new RefusedFileError(file, messages.lfsPointer(file));
    if (!looksLikeSqlite(head.subarray(0, n))) throw new RefusedFileError(file, messages.notADatabase(file));
    return 'sqlite';
  } finally {
    closeSync(fd);
  }
}

/** Turns an SqliteError into our error for `file`; anything else passes through. */
export function translateSqliteError(file: string, e: unknown): unknown {
  const code = (e as { code?: string })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  if (code === 'SQLITE_NOTADB') return new RefusedFileError(file, messages.notADatabase(file), e);
  if (code.startsWith('SQLITE_CORRUPT')) return new RefusedFileError(file, messages.corrupt(file, (e as Error).message), e);
  if (code.startsWith('SQLITE_BUSY')) return new CodexlogError(messages.busy(file, BUSY_TIMEOUT_MS), { cause: e });
  return new CodexlogError(messages.sqliteFailed(file, code, (e as Error).message), { cause: e });
}

function guard<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw translateSqliteError(file, e);
  }
}

function tableColumns(db: Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

/** Brings `db` to SCHEMA_VERSION in one write transaction; seed-written tables keep every row. */
function migrate(db: Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) throw new RefusedFileError(file, messages.newerSchema(file, version, SCHEMA_VERSION));
  db.transaction(() => {
    // Another process may have migrated while we waited for the write lock.
    if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
    db.function('codexlog_legacy_uid', { deterministic: true, varargs: true }, (table: unknown, ...values: unknown[]) =>
      legacyUid(String(table), values),
    );
    const actionCols = tableColumns(db, 'codex_actions');
    if (actionCols.length === 0) {
      db.exec(CREATE_ACTIONS);
    } else {
      rebuildLegacy(db, file, 'codex_actions', actionCols, [...ACTION_COLUMNS], CREATE_ACTIONS, 'id');
    }
    const eventCols = tableColumns(db, 'codex_log');
    if (eventCols.length === 0) {
      db.exec(CREATE_EVENTS);
    } else {
      rebuildLegacy(db, file, 'codex_log', eventCols, [...EVENT_COLUMNS], CREATE_EVENTS, 'rowid');
    }
    db.exec('CREATE INDEX IF NOT EXISTS codex_actions_session ON codex_actions(session_id)');
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * Rebuilds a seed-written table into our schema (SQLite cannot ADD COLUMN with a random default).
 * Every value is copied unchanged; `id`s stay; each row gets a content-derived uid.
 */
function rebuildLegacy(
  db: Database, file: string, table: string, have: string[], known: string[], create: string, key: 'id' | 'rowid',
): void {
  const unknown = have.filter((c) => !known.includes(c) && c !== 'uid');
  if (unknown.length > 0) throw new RefusedFileError(file, messages.foreignColumns(file, table, unknown));
  const legacy = `${table}__codexlog_legacy`;
  const cols = known.join(', ');
  const values = known.filter((c) => c !== 'id');
  db.exec(`ALTER TABLE ${table} RENAME TO ${legacy}`);
  db.exec(create);
  const select = have.includes('uid')
    ? `coalesce(uid, codexlog_legacy_uid('${table}', ${key}, ${values.join(', ')}))`
    : `codexlog_legacy_uid('${table}', ${key}, ${values.join(', ')})`;
  db.exec(`INSERT INTO ${table} (${cols}, uid) SELECT ${cols}, ${select} FROM ${legacy} ORDER BY ${key}`);
  db.exec(`DROP TABLE ${legacy}`);
}

/** Normalises metadata: strings as they are, anything else (object, array, number) as JSON text. */
export function normalizeMetadata(metadata: unknown): string | null {
  if (metadata === undefined || metadata === null) return null;
  if (typeof metadata === 'string') return metadata;
  return JSON.stringify(metadata);
}

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
      if (q.session !== undefined) { where.push('session_id = @session'); params.session = q.session; }
      if (q.action !== undefined) { where.push('action = @action'); params.action = q.action; }
      // julianday() reads both timestamp forms the seed wrote and our ISO 8601 ones.
      if (q.since !== undefined) { where.push('julianday(ts) >= julianday(@since)'); params.since = q.since; }
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
      try { fsyncSync(fd); } finally { closeSync(fd); }
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

function fileIdentity(file: string): string {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return 'missing';
  }
}

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
      const refuse = (detail: string): never => { throw new RefusedFileError(file, detail); };
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') refuse(messages.foreignIntegrity(String(check)));
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) refuse(messages.foreignNewer(version, SCHEMA_VERSION));
      const kind = (name: string) =>
        (db.prepare(`SELECT type FROM sqlite_schema WHERE name = ? AND type IN ('table', 'view')`).get(name) as { type: string } | undefined)?.type;
      const need = (table: string, columns: readonly string[], required: boolean): string[] | null => {
        const k = kind(table);
        if (k === undefined && !required) return null;
        if (k !== 'table') refuse(messages.foreignNotTable(table, k));
        const have = tableColumns(db, table);
        const missing = columns.filter((c) => !have.includes(c));
        if (missing.length) refuse(messages.foreignMissingColumns(table, missing));
        return have;
      };
      const actionCols = need('codex_actions', ACTION_COLUMNS, true)!;
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
      const actions = (db.prepare(
        `SELECT ${ACTION_COLUMNS.join(', ')}${actionCols.includes('uid') ? ', uid' : ''} FROM codex_actions ORDER BY id`,
      ).all() as Record<string, unknown>[]).map((r) => ({
        id: r.id as number,
        uid: uidOf('codex_actions', r, r.id, actionValues),
        session_id: r.session_id as string | null,
        ts: r.ts as string | null,
        action: r.action as string | null,
        statement: r.statement as string | null,
        metadata: r.metadata as string | null,
      }));
      const events = eventCols
        ? (db.prepare(
          `SELECT rowid AS rid, ${EVENT_COLUMNS.join(', ')}${eventCols.includes('uid') ? ', uid' : ''} FROM codex_log ORDER BY rowid`,
        ).all() as Record<string, unknown>[]).map((r) => ({
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
export function writeLogFile(dest: string, contents: { actions: Array<Omit<ActionRow, 'id'> & { id: number | null }>; events: EventRow[] }): void {
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
