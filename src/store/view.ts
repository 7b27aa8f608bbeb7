// The read model: every row of the log as one, whatever file holds it. It copies the committed
// rows of the checkout (sealed segments, each once by name, and the active log, again whenever
// that file changes) into a database of its own in the git dir, and puts the uncommitted rows
// next to them for each query. Readers see each row once, by uid, even when two clones sealed
// overlapping rows. The view can be deleted at any time; it rebuilds from the tracked files.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ActionQuery, EventRow } from '../rows.js';
import { BUSY_TIMEOUT_MS, type Database, guard, inspectDatabaseFile, loadSqlite, type Statement } from './sqlite.js';
import type { StoredAction } from './uncommitted.js';
import { actionsSelect, attachLog, detachLog, eventsSelect, registerLegacyUid } from './untrusted.js';

/** A row as readers return it: `pending` rows are not committed yet (they enter the log at the next commit). */
export interface LogEntry {
  id: number | null;
  uid: string;
  session_id: string | null;
  ts: string | null;
  action: string | null;
  statement: string | null;
  metadata: string | null;
  pending: boolean;
}

/** A session event as readers return it. */
export type EventEntry = EventRow & { pending: boolean };

/** What the view is built from. */
export interface ViewSources {
  /** The work tree's log file (the active rows). */
  logDb: string;
  /** The folder of sealed segments. */
  segmentsDir: string;
}

const VERSION = 1;
const COLS = 'id INTEGER, session_id TEXT, ts TEXT, action TEXT, statement TEXT, metadata TEXT';
const EVCOLS = 'session_id TEXT, event TEXT, summary TEXT, ts TEXT';
const SCHEMA = `
CREATE TABLE IF NOT EXISTS segments (name TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS seg_actions (uid TEXT PRIMARY KEY, ${COLS}, segment TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS seg_events (uid TEXT PRIMARY KEY, ${EVCOLS}, segment TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS act_actions (uid TEXT PRIMARY KEY, ${COLS}) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS act_events (uid TEXT PRIMARY KEY, ${EVCOLS}) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE INDEX IF NOT EXISTS seg_actions_ts ON seg_actions(julianday(ts));
`;
const TEMP = `
CREATE TEMP TABLE IF NOT EXISTS pending_actions (uid TEXT PRIMARY KEY, ${COLS}) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS pending_events (uid TEXT PRIMARY KEY, ${EVCOLS}) WITHOUT ROWID;
`;

/** A row's metadata as JSON for SQLite's json functions ('{}' when it is free text: they would throw). */
const JSON_METADATA = "CASE WHEN json_valid(metadata) THEN metadata ELSE '{}' END";

/** Segment files: what finalize writes (sortable time, content hash, .db). */
export function isSegmentName(name: string): boolean {
  return /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{32,64}\.db$/.test(name);
}

/** The segment files in `dir`, sorted (oldest first). */
export function listSegments(dir: string): string[] {
  try {
    return readdirSync(dir).filter(isSegmentName).sort();
  } catch {
    return [];
  }
}

function identity(file: string): string {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** The read model of one worktree (or, in memory, of one TEST_MODE reader). */
export class LogView {
  private constructor(
    readonly file: string,
    readonly db: Database,
  ) {}

  /** Opens the view at `file` (`:memory:` for a reader that must write nothing); a broken one is rebuilt. */
  static open(file: string): LogView {
    const Sqlite = loadSqlite();
    const open = (): Database => {
      if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const db = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
      try {
        // The view holds only copies: a lost last write is rebuilt, so no fsync is worth waiting for.
        // main. only: an unqualified journal_mode would switch every log attached later to WAL too
        // (SQLite's rule), writing into tracked files behind their owner's back.
        if (file !== ':memory:') db.pragma('main.journal_mode = WAL');
        db.pragma('synchronous = OFF');
        // Attached logs come from other clones: nothing in their schema may run on our behalf.
        db.pragma('trusted_schema = OFF');
        if ((db.pragma('user_version', { simple: true }) as number) !== VERSION) {
          db.exec(SCHEMA);
          db.pragma(`user_version = ${VERSION}`);
        }
        db.exec(TEMP);
        registerLegacyUid(db);
        return db;
      } catch (e) {
        db.close();
        throw e;
      }
    };
    try {
      return new LogView(file, open());
    } catch (e) {
      if (file === ':memory:') throw e;
      // Only copies live here: a damaged view is dropped and built again.
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      return new LogView(file, guard(file, open));
    }
  }

  /**
   * Brings the committed rows up to date with the checkout: new segments are copied once; a
   * segment that disappeared (an older checkout) rebuilds them all; a changed log file is copied
   * again. Throws RefusedFileError for a log or segment that is not a valid log (an LFS pointer,
   * a corrupt file), naming it.
   */
  refresh(src: ViewSources): void {
    const db = this.db;
    const present = listSegments(src.segmentsDir);
    const known = (db.prepare('SELECT name FROM segments').all() as Array<{ name: string }>).map((r) => r.name);
    if (known.some((n) => !present.includes(n))) {
      db.exec('DELETE FROM segments; DELETE FROM seg_actions; DELETE FROM seg_events;');
      known.length = 0;
    }
    for (const name of present.filter((n) => !known.includes(n))) {
      this.copy(path.join(src.segmentsDir, name), 'seg', name);
    }
    const id = identity(src.logDb);
    const had = (db.prepare("SELECT v FROM meta WHERE k = 'active'").get() as { v: string } | undefined)?.v;
    if (id === had) return;
    // A missing or empty file holds no rows (a repository that never committed a log).
    const copyFrom = id !== 'missing' && inspectDatabaseFile(src.logDb) === 'sqlite' ? src.logDb : null;
    this.copy(copyFrom, 'act', null, id);
  }

  /**
   * Copies a log's rows into the view, in one transaction: a segment's rows once (by its name),
   * or the active log's rows in place of the previous ones (recording the file's identity).
   */
  private copy(file: string | null, into: 'seg' | 'act', segment: string | null, activeId?: string): void {
    const db = this.db;
    const shape = file ? attachLog(db, file, 'src', { integrity: true }) : null;
    try {
      guard(file ?? this.file, () =>
        db.transaction(() => {
          if (into === 'act') {
            db.exec('DELETE FROM act_actions; DELETE FROM act_events;');
            db.prepare("INSERT INTO meta (k, v) VALUES ('active', ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v").run(activeId);
          }
          if (!shape) return;
          const tag = segment === null ? '' : ', ?';
          const args = segment === null ? [] : [segment];
          db.prepare(
            `INSERT OR IGNORE INTO ${into}_actions (uid, id, session_id, ts, action, statement, metadata${segment === null ? '' : ', segment'})
             SELECT uid, id, session_id, ts, action, statement, metadata${tag} FROM (${actionsSelect('src', shape)})`,
          ).run(...args);
          const events = eventsSelect('src', shape);
          if (events) {
            db.prepare(
              `INSERT OR IGNORE INTO ${into}_events (uid, session_id, event, summary, ts${segment === null ? '' : ', segment'})
               SELECT uid, session_id, event, summary, ts${tag} FROM (${events})`,
            ).run(...args);
          }
          if (segment !== null) db.prepare('INSERT OR IGNORE INTO segments (name) VALUES (?)').run(segment);
        })(),
      );
    } finally {
      if (shape) detachLog(db, 'src');
    }
  }

  /** Puts the uncommitted rows next to the committed ones, for the queries that follow. */
  setPending(actions: readonly StoredAction[], events: readonly EventRow[]): void {
    const db = this.db;
    db.transaction(() => {
      db.exec('DELETE FROM temp.pending_actions; DELETE FROM temp.pending_events;');
      const a = db.prepare(
        'INSERT OR IGNORE INTO temp.pending_actions (uid, id, session_id, ts, action, statement, metadata) VALUES (@uid, NULL, @session_id, @ts, @action, @statement, @metadata)',
      );
      for (const r of actions) a.run(r);
      const e = db.prepare(
        'INSERT OR IGNORE INTO temp.pending_events (uid, session_id, event, summary, ts) VALUES (@uid, @session_id, @event, @summary, @ts)',
      );
      for (const r of events) e.run(r);
    })();
  }

  /** The whole log as one relation (each uid once: a segment's copy wins, then the active log's). */
  static readonly ACTIONS = `
    SELECT id, uid, session_id, ts, action, statement, metadata, 0 AS pending FROM main.seg_actions
    UNION ALL
    SELECT id, uid, session_id, ts, action, statement, metadata, 0 FROM main.act_actions
      WHERE uid NOT IN (SELECT uid FROM main.seg_actions)
    UNION ALL
    SELECT NULL, uid, session_id, ts, action, statement, metadata, 1 FROM temp.pending_actions
      WHERE uid NOT IN (SELECT uid FROM main.seg_actions) AND uid NOT IN (SELECT uid FROM main.act_actions)`;

  /** The session events as one relation. */
  static readonly EVENTS = `
    SELECT uid, session_id, event, summary, ts, 0 AS pending FROM main.seg_events
    UNION ALL
    SELECT uid, session_id, event, summary, ts, 0 FROM main.act_events WHERE uid NOT IN (SELECT uid FROM main.seg_events)
    UNION ALL
    SELECT uid, session_id, event, summary, ts, 1 FROM temp.pending_events
      WHERE uid NOT IN (SELECT uid FROM main.seg_events) AND uid NOT IN (SELECT uid FROM main.act_events)`;

  /** The whole log's actions as a relation to select from (`id, uid, session_id, ts, action, statement, metadata, pending`). */
  static actions(committedOnly = false): string {
    return committedOnly ? `(SELECT * FROM (${LogView.ACTIONS}) WHERE pending = 0)` : `(${LogView.ACTIONS})`;
  }

  /** The whole log's session events as a relation (`uid, session_id, event, summary, ts, pending`). */
  static events(committedOnly = false): string {
    return committedOnly ? `(SELECT * FROM (${LogView.EVENTS}) WHERE pending = 0)` : `(${LogView.EVENTS})`;
  }

  /** The rows of a read query over the view (the readers of src/read), SQLite's errors as ours. */
  all<T>(sql: string, params: Record<string, unknown> = {}): T[] {
    return guard(this.file, () => this.db.prepare(sql).all(params) as T[]);
  }

  /**
   * The rows of a read query one at a time, for output too large to hold at once (export, report);
   * with `raw`, each row as an array of its values (no object per row: a third faster at 1M rows).
   */
  *iterate<T>(sql: string, params: Record<string, unknown> = {}, options: { raw?: boolean } = {}): Generator<T> {
    const it = guard(
      this.file,
      () =>
        this.db
          .prepare(sql)
          .raw(options.raw === true)
          .iterate(params) as IterableIterator<T>,
    );
    try {
      while (true) {
        const next = guard(this.file, () => it.next());
        if (next.done) return;
        yield next.value;
      }
    } finally {
      // Stopped early (an output that failed): the statement lets go of the connection.
      it.return?.();
    }
  }

  /**
   * Prepares a query a user wrote, over the seed's tables: temp views `codex_actions` and
   * `codex_log` (each with a `pending` column) over the whole log, or its committed rows. From
   * then on this connection refuses every write (PRAGMA query_only), whatever the statement.
   * The caller checks the statement is read-only; SQLite's errors come back as SQLite raised them.
   */
  prepareUserQuery(text: string, committedOnly: boolean): Statement {
    const db = this.db;
    guard(this.file, () => {
      db.pragma('query_only = OFF'); // a query before this one left it on
      db.exec(`DROP VIEW IF EXISTS temp.codex_actions; DROP VIEW IF EXISTS temp.codex_log;
        CREATE TEMP VIEW codex_actions AS SELECT id, session_id, ts, action, statement, metadata, uid, pending FROM ${LogView.actions(committedOnly)};
        CREATE TEMP VIEW codex_log AS SELECT session_id, event, summary, ts, uid, pending FROM ${LogView.events(committedOnly)};`);
      db.pragma('query_only = ON');
    });
    return db.prepare(text);
  }

  /** Actions matching `q`, oldest first; with `limit`, the newest `limit` of them. */
  actions(q: ActionQuery & { committedOnly?: boolean } = {}): LogEntry[] {
    return guard(this.file, () => {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (q.session !== undefined) {
        // The session's rows, and the commits they went into: the git.pre-commit rows that name the
        // session, and the git.commit rows that name those.
        where.push(`(session_id = @session OR uid IN (SELECT uid FROM folded)
          OR (action = 'git.commit' AND json_extract(${JSON_METADATA}, '$.precommit') IN (SELECT uid FROM folded)))`);
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
      if (q.committedOnly) where.push('pending = 0');
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const order = 'julianday(ts) DESC, pending DESC, id DESC, uid DESC';
      const limit = q.limit !== undefined ? 'LIMIT @limit' : '';
      if (q.limit !== undefined) params.limit = q.limit;
      const folded =
        q.session === undefined
          ? ''
          : `, folded AS (SELECT uid FROM log WHERE action = 'git.pre-commit' AND EXISTS (
               SELECT 1 FROM json_each(${JSON_METADATA}, '$.sessions') s WHERE json_extract(s.value, '$.id') = @session))`;
      const sql = `WITH log AS (${LogView.ACTIONS})${folded} SELECT * FROM log ${filter} ORDER BY ${order} ${limit}`;
      const rows = this.db.prepare(sql).all(params) as Array<Omit<LogEntry, 'pending'> & { pending: number }>;
      return rows.reverse().map((r) => ({ ...r, pending: r.pending === 1 }));
    });
  }

  /** Session events, oldest first. */
  events(): EventEntry[] {
    return guard(this.file, () =>
      (this.db.prepare(`SELECT * FROM (${LogView.EVENTS}) ORDER BY julianday(ts), uid`).all() as Array<EventRow & { pending: number }>).map(
        (r) => ({ ...r, pending: r.pending === 1 }),
      ),
    );
  }

  /** Which of `uids` the committed log of the checkout (its segments or its log file) holds. */
  known(uids: readonly string[]): Set<string> {
    const stmt = this.db.prepare(
      `SELECT 1 FROM main.seg_actions WHERE uid = @u UNION ALL SELECT 1 FROM main.seg_events WHERE uid = @u
       UNION ALL SELECT 1 FROM main.act_actions WHERE uid = @u UNION ALL SELECT 1 FROM main.act_events WHERE uid = @u`,
    );
    return new Set(uids.filter((u) => stmt.get({ u }) !== undefined));
  }

  /** Which of `uids` the log holds at all: committed (see `known`) or uncommitted (set by setPending). */
  present(uids: readonly string[]): Set<string> {
    const found = this.known(uids);
    const stmt = this.db.prepare(
      'SELECT 1 FROM temp.pending_actions WHERE uid = @u UNION ALL SELECT 1 FROM temp.pending_events WHERE uid = @u',
    );
    for (const u of uids) if (!found.has(u) && stmt.get({ u }) !== undefined) found.add(u);
    return found;
  }

  /** Which of `uids` a segment of the checkout already holds. */
  sealed(uids: readonly string[]): Set<string> {
    const stmt = this.db.prepare('SELECT 1 FROM main.seg_actions WHERE uid = ? UNION ALL SELECT 1 FROM main.seg_events WHERE uid = ?');
    return new Set(uids.filter((u) => stmt.get(u, u) !== undefined));
  }

  /** Closes the connection. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
