// One self-contained database with the seed's schema (codex_actions + uid, codex_log), written
// row by row: what `export --format sqlite` hands to any SQLite tool. It is built in a temp file
// beside the target and renamed over it at the end, so a failed export leaves nothing half
// written; SQLite files left beside the target (-wal, -shm, -journal) are removed first, or SQLite
// would replay another database's pages into it. Rows keep their ids where they are unique; rows without one (uncommitted) or whose id
// another row already took (segments sealed by two clones) get new ids after the highest.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CodexlogError } from '../errors.js';
import { messages } from '../messages.js';
import { migrate } from './schema.js';
import { type Database, guard, loadSqlite, type Statement } from './sqlite.js';

/** An action as the export writes it: id, uid, session_id, ts, action, statement, metadata. */
export type SeedAction = [number | null, string, string | null, string | null, string | null, string | null, string | null];
/** A session event: uid, session_id, event, summary, ts. */
export type SeedEvent = [string, string | null, string | null, string | null, string | null];

/** The files SQLite keeps beside a database, that it would read back into a new file of the same name. */
export const SQLITE_SIDECARS = ['-wal', '-shm', '-journal'] as const;

/** Writes one database file with the seed's schema. */
export class SeedFileWriter {
  private spilled = 0;
  private readonly insertAction: Statement;
  private readonly insertEvent: Statement;
  private readonly spill: Statement;

  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly db: Database,
  ) {
    // Positional parameters, in the order of the tuples (no object per row at a million rows).
    this.insertAction = db.prepare(
      `INSERT INTO main.codex_actions (id, uid, session_id, ts, action, statement, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
    );
    this.insertEvent = db.prepare('INSERT INTO main.codex_log (uid, session_id, event, summary, ts) VALUES (?, ?, ?, ?, ?)');
    this.spill = db.prepare('INSERT INTO temp.spill (uid, session_id, ts, action, statement, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** Starts a new database that will replace `file` when finished. */
  static create(file: string): SeedFileWriter {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    let db: Database;
    try {
      db = new (loadSqlite())(temp);
    } catch (e) {
      throw new CodexlogError(messages.outputUnwritable(file, (e as Error).message), { cause: e });
    }
    try {
      guard(temp, () => {
        migrate(db, temp);
        // A temp file nobody else sees, renamed only once complete: no journal, no fsync per page.
        db.pragma('journal_mode = OFF');
        db.pragma('synchronous = OFF');
        db.exec(
          'CREATE TEMP TABLE spill (seq INTEGER PRIMARY KEY, uid TEXT, session_id TEXT, ts TEXT, action TEXT, statement TEXT, metadata TEXT)',
        );
        db.exec('BEGIN');
      });
      return new SeedFileWriter(file, temp, db);
    } catch (e) {
      db.close();
      rmSync(temp, { force: true });
      throw e;
    }
  }

  /** Adds an action (in the order they should keep). */
  action(row: SeedAction): void {
    guard(this.temp, () => {
      if (row[0] !== null && this.insertAction.run(row).changes === 1) return;
      this.spill.run(row.slice(1));
      this.spilled += 1;
    });
  }

  /** Adds a session event. */
  event(row: SeedEvent): void {
    guard(this.temp, () => this.insertEvent.run(row));
  }

  /** Gives the spilled rows their ids, completes the file and puts it in place. */
  finish(): void {
    guard(this.temp, () => {
      if (this.spilled > 0) {
        this.db.exec(
          'INSERT INTO main.codex_actions (uid, session_id, ts, action, statement, metadata) SELECT uid, session_id, ts, action, statement, metadata FROM temp.spill ORDER BY seq',
        );
      }
      this.db.exec('COMMIT');
      this.db.pragma('journal_mode = DELETE');
    });
    this.db.close();
    for (const s of SQLITE_SIDECARS) rmSync(`${this.file}${s}`, { force: true });
    renameSync(this.temp, this.file);
  }

  /** Drops the unfinished file. */
  abort(): void {
    if (this.db.open) this.db.close();
    rmSync(this.temp, { force: true });
  }
}
