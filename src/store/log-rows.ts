// Every row of one log file (the tracked log, its session copy, a segment, or an LFS object of an
// older version), read as untrusted input: what `scan` checks for secrets. The file is attached
// to an in-memory connection with trusted_schema off; only the known columns of the known tables
// are read, one row at a time (a big file never sits in memory whole).
import type { EventRow } from '../rows.js';
import { loadSqlite } from './sqlite.js';
import type { StoredAction } from './uncommitted.js';
import { actionsSelect, attachLog, detachLog, eventsSelect, registerLegacyUid } from './untrusted.js';

/** A row of a log file and the table it came from. */
export type LogFileRow = { table: 'codex_actions'; row: StoredAction } | { table: 'codex_log'; row: EventRow };

/**
 * Calls `visit` (which must not use SQLite) for every action and event of the log at `file`;
 * returns how many rows there were. Throws RefusedFileError, naming the file, for an LFS pointer,
 * a non-database or a database that is not a log.
 */
export function visitLogRows(file: string, visit: (r: LogFileRow) => void): number {
  const db = new (loadSqlite())(':memory:');
  let n = 0;
  try {
    db.pragma('trusted_schema = OFF');
    registerLegacyUid(db);
    const shape = attachLog(db, file, 'src', { integrity: false });
    try {
      for (const r of db.prepare(actionsSelect('src', shape)).iterate() as Iterable<StoredAction & { id: number }>) {
        const { id: _id, ...row } = r;
        visit({ table: 'codex_actions', row });
        n++;
      }
      const events = eventsSelect('src', shape);
      if (events) {
        for (const row of db.prepare(events).iterate() as Iterable<EventRow>) {
          visit({ table: 'codex_log', row });
          n++;
        }
      }
    } finally {
      detachLog(db, 'src');
    }
  } finally {
    db.close();
  }
  return n;
}
