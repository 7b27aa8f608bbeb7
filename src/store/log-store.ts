// The tracked log (databases/codex_log.db): an artifact only finalize writes. It keeps the seed's
// schema and the active rows; finalize folds the uncommitted rows in, seals the older ones into a
// segment when it grows past the threshold, and copies it byte for byte to the session database.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EventRow } from '../rows.js';
import { migrate } from './schema.js';
import { SQLITE_SIDECARS } from './seed-file.js';
import { BUSY_TIMEOUT_MS, type Database, guard, inspectDatabaseFile, loadSqlite } from './sqlite.js';
import type { StoredAction } from './uncommitted.js';
import { actionsSelect, attachLog, detachLog, eventsSelect } from './untrusted.js';

/** Prefix of the temp files finalize writes next to the databases (ignored by install's block). */
export const TEMP_PREFIX = '.codexlog-';

function tempBeside(file: string): string {
  return path.join(path.dirname(file), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}.tmp`);
}

/** Removes a database file and the journal SQLite may have left beside it. */
function removeDatabaseFiles(file: string): void {
  for (const f of [file, ...SQLITE_SIDECARS.map((s) => `${file}${s}`)]) rmSync(f, { force: true });
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Copies `src` to `dest` through a synced temp file renamed into place: `dest` is never torn. */
function atomicCopy(src: string, dest: string): void {
  mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = tempBeside(dest);
  try {
    copyFileSync(src, tmp);
    fsyncFile(tmp);
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** What a fold put into the log. */
export interface FoldResult {
  /** uids of the rows the log did not have before (actions and events). */
  added: string[];
  /** Rows removed because a segment of the checkout already holds them. */
  dropped: number;
}

/** The tracked log, open for finalize: a working copy of it, which replaces it once finalize is done. */
export class LogStore {
  private constructor(
    /** The working copy this connection writes. */
    readonly file: string,
    readonly db: Database,
    /** The tracked log the copy replaces, named in every error. */
    readonly tracked: string,
  ) {}

  /**
   * Opens a working copy of the tracked log `tracked` at `work` (a path of the git dir), creating a
   * new log when there is none, migrating a seed-written one. The tracked file is never written in
   * place: a transaction cut short there would leave a rollback journal, which SQLite would apply to
   * whatever file git puts at that path next (a checkout, a reset, a stash). It is replaced by
   * rename (replaceTracked) once finalize is done. Refuses an LFS pointer, a non-database and a
   * newer schema, leaving the tracked file as it was.
   */
  static open(tracked: string, work: string): LogStore {
    const kind = inspectDatabaseFile(tracked);
    mkdirSync(path.dirname(work), { recursive: true });
    removeDatabaseFiles(work);
    return guard(tracked, () => {
      if (kind === 'sqlite') copyFileSync(tracked, work);
      const db = new (loadSqlite())(work, { timeout: BUSY_TIMEOUT_MS });
      try {
        // Migrate (or refuse) first.
        migrate(db, tracked);
        // A rollback journal, not WAL: the committed file must hold every row by itself.
        if ((db.pragma('journal_mode', { simple: true }) as string) === 'wal') {
          // Another tool left it in WAL: back to a rollback journal, so the file alone holds every row.
          if ((db.pragma('journal_mode = DELETE', { simple: true }) as string) === 'wal')
            throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        }
        db.pragma('trusted_schema = OFF');
        return new LogStore(work, db, tracked);
      } catch (e) {
        db.close();
        removeDatabaseFiles(work);
        throw e;
      }
    });
  }

  /**
   * Closes the connection, puts the working copy in place of the tracked log (one rename), then
   * copies it byte for byte to `copy` (the session database) the same way.
   */
  replaceTracked(copy: string): void {
    this.close();
    mkdirSync(path.dirname(this.tracked), { recursive: true });
    guard(this.tracked, () => {
      try {
        renameSync(this.file, this.tracked);
      } catch (e) {
        // The git dir on another filesystem (--separate-git-dir, a worktree elsewhere): a synced
        // copy beside the log, renamed over it.
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        atomicCopy(this.file, this.tracked);
        removeDatabaseFiles(this.file);
      }
    });
    guard(copy, () => atomicCopy(this.tracked, copy));
  }

  /** Closes the connection and removes the working copy (finalize failed: the tracked log is as it was). */
  discard(): void {
    this.close();
    removeDatabaseFiles(this.file);
  }

  /** The problems PRAGMA integrity_check reports (empty when the database is sound). */
  integrityProblems(): string[] {
    return guard(this.tracked, () => {
      const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
      return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    });
  }

  /**
   * Adds the rows (a row whose uid the log has is skipped) and drops the rows `sealed` says a
   * segment already holds, in one transaction. Ids of new rows follow the log's own.
   */
  fold(actions: readonly StoredAction[], events: readonly EventRow[], sealed: ((uids: string[]) => Set<string>) | null): FoldResult {
    return guard(this.tracked, () => {
      const db = this.db;
      const insA = db.prepare(
        `INSERT INTO codex_actions (uid, session_id, ts, action, statement, metadata)
         VALUES (@uid, @session_id, @ts, @action, @statement, @metadata) ON CONFLICT(uid) DO NOTHING`,
      );
      const insE = db.prepare(
        'INSERT INTO codex_log (uid, session_id, event, summary, ts) VALUES (@uid, @session_id, @event, @summary, @ts) ON CONFLICT(uid) DO NOTHING',
      );
      return db
        .transaction(() => {
          const added: string[] = [];
          for (const r of actions) if (insA.run(r).changes) added.push(r.uid);
          for (const r of events) if (insE.run(r).changes) added.push(r.uid);
          // After a merge, the log may hold rows another clone sealed: the segment keeps them.
          if (!sealed) return { added, dropped: 0 };
          const uids = [
            ...(db.prepare('SELECT uid FROM codex_actions').pluck().all() as string[]),
            ...(db.prepare('SELECT uid FROM codex_log').pluck().all() as string[]),
          ];
          const gone = [...sealed(uids)];
          const delA = db.prepare('DELETE FROM codex_actions WHERE uid = ?');
          const delE = db.prepare('DELETE FROM codex_log WHERE uid = ?');
          let dropped = 0;
          for (const u of gone) dropped += delA.run(u).changes + delE.run(u).changes;
          return { added, dropped };
        })
        .immediate();
    });
  }

  /** The uid of the action with the highest id (null when there is none). */
  newestUid(): string | null {
    return (this.db.prepare('SELECT uid FROM codex_actions ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? null;
  }

  /** The file's size on disk. */
  size(): number {
    return statSync(this.file).size;
  }

  /**
   * Moves every row but `keep` (actions; events all go) into a new segment in `dir` and compacts the log. The segment is
   * named by the time of its newest row and a hash of its bytes, so two clones never give one name
   * to different content; it is written once, never rewritten. Returns its file name, or null when
   * nothing was left to seal.
   */
  seal(dir: string, keep: ReadonlySet<string>): string | null {
    const db = this.db;
    const keepList = JSON.stringify([...keep]);
    const count = db
      .prepare('SELECT (SELECT count(*) FROM codex_actions WHERE uid NOT IN (SELECT value FROM json_each(?))) AS n')
      .pluck()
      .get(keepList) as number;
    if (count === 0) return null;
    mkdirSync(dir, { recursive: true });
    const tmp = tempBeside(path.join(dir, 'x'));
    try {
      const seg = new (loadSqlite())(tmp, { timeout: BUSY_TIMEOUT_MS });
      try {
        seg.pragma('main.journal_mode = DELETE');
        seg.pragma('trusted_schema = OFF');
        migrate(seg, tmp);
        const shape = attachLog(seg, this.file, 'src', { integrity: false });
        try {
          seg.transaction(() => {
            seg
              .prepare(
                `INSERT INTO codex_actions (id, uid, session_id, ts, action, statement, metadata)
               SELECT id, uid, session_id, ts, action, statement, metadata FROM (${actionsSelect('src', shape)})
               WHERE uid NOT IN (SELECT value FROM json_each(?)) ORDER BY id`,
              )
              .run(keepList);
            const ev = eventsSelect('src', shape);
            if (ev) {
              seg
                .prepare(
                  `INSERT INTO codex_log (uid, session_id, event, summary, ts) SELECT uid, session_id, event, summary, ts FROM (${ev})`,
                )
                .run();
            }
          })();
        } finally {
          detachLog(seg, 'src');
        }
      } finally {
        seg.close();
      }
      fsyncFile(tmp);
      const newest =
        (db
          .prepare('SELECT max(julianday(ts)) FROM codex_actions WHERE uid NOT IN (SELECT value FROM json_each(?))')
          .pluck()
          .get(keepList) as number | null) ?? null;
      const when = newest !== null ? new Date((newest - 2440587.5) * 86400000) : new Date();
      const stamp = (Number.isNaN(when.getTime()) ? new Date() : when)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      const hash = createHash('sha256').update(readFileSync(tmp)).digest('hex').slice(0, 32);
      const name = `${stamp}-${hash}.db`;
      renameSync(tmp, path.join(dir, name));
      // Only now, with the segment safely in place, do the rows leave the log.
      db.transaction(() => {
        db.prepare('DELETE FROM codex_actions WHERE uid NOT IN (SELECT value FROM json_each(?))').run(keepList);
        db.prepare('DELETE FROM codex_log').run();
      }).immediate();
      db.exec('VACUUM');
      return name;
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
