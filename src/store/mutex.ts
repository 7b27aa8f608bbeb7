// One holder at a time where SQLite's own locks do not reach (finalize works on a copy of the log,
// then renames it into place): an exclusive lock on a file of its own, an empty SQLite database,
// held by one connection. The OS releases it with the process, so a killed holder never leaves a
// stale lock behind; a second one waits up to the busy timeout, then fails naming the file.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BUSY_TIMEOUT_MS, type Database, guard, loadSqlite } from './sqlite.js';

export class Mutex {
  private constructor(private readonly db: Database) {}

  /** Waits for the lock on `file` (created when missing) and holds it until release(). */
  static acquire(file: string): Mutex {
    mkdirSync(path.dirname(file), { recursive: true });
    return guard(file, () => {
      const db = new (loadSqlite())(file, { timeout: BUSY_TIMEOUT_MS });
      try {
        db.exec('BEGIN EXCLUSIVE');
      } catch (e) {
        db.close();
        throw e;
      }
      return new Mutex(db);
    });
  }

  /** Lets the next holder in (again: nothing). */
  release(): void {
    if (!this.db.open) return;
    try {
      this.db.exec('ROLLBACK');
    } finally {
      this.db.close();
    }
  }
}
