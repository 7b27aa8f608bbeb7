// The uncommitted store: rows ingested from the inbox (already redacted), waiting in the git dir for
// the next finalize to fold them into the tracked log. git never replaces this file, so WAL is safe
// here: writers never wait for a fsync, and readers never block them.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { RefusedFileError } from '../errors.js';
import { messages } from '../messages.js';
import type { ActionRow, EventRow } from '../rows.js';
import { BUSY_TIMEOUT_MS, type Database, guard, loadSqlite } from './sqlite.js';

/**
 * guard() for this store: it lives in the git dir, so git cannot restore it. An unreadable one
 * is refused with what to do instead (move it aside; salvage its rows with sqlite3's .recover).
 */
function guardLocal<T>(file: string, fn: () => T): T {
  try {
    return guard(file, fn);
  } catch (e) {
    if (e instanceof RefusedFileError && isUnreadable(e))
      throw new RefusedFileError(file, messages.localStoreUnreadable(file, e.reason), e, e.reason);
    throw e;
  }
}

function isUnreadable(e: RefusedFileError): boolean {
  const code = (e.cause as { code?: string } | undefined)?.code ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

const VERSION = 1;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS actions (
  seq INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  session_id TEXT, ts TEXT, action TEXT, statement TEXT, metadata TEXT
);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  session_id TEXT, event TEXT, summary TEXT, ts TEXT
);
CREATE TABLE IF NOT EXISTS inbox_progress (
  file TEXT PRIMARY KEY,
  consumed INTEGER NOT NULL,
  blanked INTEGER NOT NULL DEFAULT 0
);`;

/** A row ready for the uncommitted store (uid and ts already set by its writer). */
export type StoredAction = Omit<ActionRow, 'id'>;

/** How far ingest has read a p-/d- inbox file, and up to where it blanked what it read. */
export interface InboxProgress {
  consumed: number;
  blanked: number;
}

/** The uncommitted store of one worktree. */
export class UncommittedStore {
  private constructor(
    readonly file: string,
    readonly db: Database,
  ) {}

  /** Opens (creating when asked) the store; null when it does not exist and `create` is false. */
  static open(file: string, options: { create: boolean; readonly?: boolean }): UncommittedStore | null {
    // A reader in a clone that never recorded: nothing to open (and nothing may be created).
    if (!options.create && !existsSync(file)) return null;
    return guardLocal(file, () => {
      const Sqlite = loadSqlite();
      if (options.create) mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      let db: Database;
      try {
        db = new Sqlite(file, { fileMustExist: !options.create, timeout: BUSY_TIMEOUT_MS });
      } catch (e) {
        if (!options.create && (e as { code?: string }).code === 'SQLITE_CANTOPEN') return null;
        throw e;
      }
      try {
        if (options.readonly) {
          db.pragma('query_only = ON');
        } else {
          const version = db.pragma('user_version', { simple: true }) as number;
          // A newer codexlog-hooks wrote it (an older one after a checkout and npm install): refused, untouched.
          if (version > VERSION) throw new RefusedFileError(file, messages.newerSchema(file, version, VERSION));
          // WAL + NORMAL: a committed row survives a kill -9 of any process; only a power loss can
          // take the last ones (the README says so). secure_delete: retired rows leave no bytes behind.
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = NORMAL');
          db.pragma('secure_delete = ON');
          if (version !== VERSION) {
            db.exec(SCHEMA);
            db.pragma(`user_version = ${VERSION}`);
          }
        }
        return new UncommittedStore(file, db);
      } catch (e) {
        db.close();
        throw e;
      }
    });
  }

  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE: ingesters and finalizers take turns). */
  transaction<T>(fn: () => T): T {
    return guardLocal(this.file, () => this.db.transaction(fn).immediate());
  }

  /** Inserts actions and events; rows whose uid is already here are skipped. Returns how many were new. */
  insert(actions: readonly StoredAction[], events: readonly EventRow[]): number {
    return guardLocal(this.file, () => {
      const a = this.db.prepare(
        `INSERT INTO actions (uid, session_id, ts, action, statement, metadata)
         VALUES (@uid, @session_id, @ts, @action, @statement, @metadata) ON CONFLICT(uid) DO NOTHING`,
      );
      const e = this.db.prepare(
        `INSERT INTO events (uid, session_id, event, summary, ts)
         VALUES (@uid, @session_id, @event, @summary, @ts) ON CONFLICT(uid) DO NOTHING`,
      );
      let n = 0;
      for (const row of actions) n += a.run(row).changes;
      for (const row of events) n += e.run(row).changes;
      return n;
    });
  }

  /** Every uncommitted action and event, in the order they were ingested. */
  all(): { actions: StoredAction[]; events: EventRow[] } {
    return guardLocal(this.file, () => ({
      actions: this.db.prepare('SELECT uid, session_id, ts, action, statement, metadata FROM actions ORDER BY seq').all() as StoredAction[],
      events: this.db.prepare('SELECT uid, session_id, event, summary, ts FROM events ORDER BY seq').all() as EventRow[],
    }));
  }

  /** Deletes the rows with these uids (folded into the tracked log); returns how many went. */
  retire(uids: readonly string[]): number {
    return guardLocal(this.file, () => {
      const a = this.db.prepare('DELETE FROM actions WHERE uid = ?');
      const e = this.db.prepare('DELETE FROM events WHERE uid = ?');
      return this.transaction(() => uids.reduce((n, u) => n + a.run(u).changes + e.run(u).changes, 0));
    });
  }

  /** How far ingest has read each p-/d- inbox file. */
  progress(): Map<string, InboxProgress> {
    return guardLocal(this.file, () => {
      const rows = this.db.prepare('SELECT file, consumed, blanked FROM inbox_progress').all() as Array<{ file: string } & InboxProgress>;
      return new Map(rows.map((r) => [r.file, { consumed: r.consumed, blanked: r.blanked }]));
    });
  }

  /** Records how far a file was read (never backwards) and blanked; null forgets the file. */
  setProgress(file: string, p: InboxProgress | null): void {
    guardLocal(this.file, () => {
      if (p === null) this.db.prepare('DELETE FROM inbox_progress WHERE file = ?').run(file);
      else
        this.db
          .prepare(
            `INSERT INTO inbox_progress (file, consumed, blanked) VALUES (?, ?, ?)
             ON CONFLICT(file) DO UPDATE SET consumed = max(consumed, excluded.consumed), blanked = max(blanked, excluded.blanked)`,
          )
          .run(file, p.consumed, p.blanked);
    });
  }

  /** Closes the connection (the last one out checkpoints the WAL into the file). */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
