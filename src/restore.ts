// Rows git took out of the log (a revert, a reset, a checkout of older files, a dropped commit):
// the rows of a log this worktree committed that neither the log in the work tree, nor its
// segments, nor the uncommitted store hold any more. They are read back from the LFS objects that
// still hold them, and the next finalize folds them in again, with their own uids.
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { lfsObjectPath, lfsScratch } from './git/lfs-objects.js';
import type { LedgerEntry } from './ledger.js';
import type { EventRow } from './rows.js';
import { loadSqlite } from './store/sqlite.js';
import type { StoredAction } from './store/uncommitted.js';
import { actionsSelect, attachLog, detachLog, eventsSelect, registerLegacyUid } from './store/untrusted.js';

/** The LFS object of a segment, found by the hash in its name (the first 32 hex of its oid). */
export function segmentObject(storage: string, name: string): string | null {
  const m = /-([0-9a-f]{32,64})\.db$/.exec(name);
  if (!m) return null;
  const dir = path.dirname(lfsObjectPath(storage, `${m[1]}${'0'.repeat(64 - m[1].length)}`));
  try {
    const found = readdirSync(dir).find((f) => f.startsWith(m[1]));
    return found ? path.join(dir, found) : null;
  } catch {
    return null;
  }
}

/**
 * The rows of the ledger's log and of its segments that the checkout lost: those `known` says are
 * gone. Objects this clone no longer has are skipped (there is nothing to read them from).
 */
export function lostRows(
  storage: string,
  entry: LedgerEntry,
  currentSegments: readonly string[],
  known: (uids: string[]) => Set<string>,
): { actions: StoredAction[]; events: EventRow[] } {
  const files = [
    lfsObjectPath(storage, entry.logOid),
    ...entry.segments.filter((s) => !currentSegments.includes(s)).map((s) => segmentObject(storage, s)),
  ];
  const tmp = lfsScratch(storage, 'restore');
  const db = new (loadSqlite())(':memory:');
  const actions = new Map<string, StoredAction>();
  const events = new Map<string, EventRow>();
  try {
    db.pragma('trusted_schema = OFF');
    registerLegacyUid(db);
    files.forEach((file, i) => {
      if (!file) return;
      // A copy: an LFS object must never change, and SQLite attaches files read-write.
      const copy = path.join(tmp, `${i}.db`);
      try {
        copyFileSync(file, copy);
      } catch {
        return; // not in this clone any more
      }
      const shape = attachLog(db, copy, 'src', { integrity: false });
      try {
        for (const r of db.prepare(actionsSelect('src', shape)).all() as Array<StoredAction & { id: number }>) {
          const { id: _id, ...row } = r;
          actions.set(row.uid, row);
        }
        const ev = eventsSelect('src', shape);
        if (ev) for (const r of db.prepare(ev).all() as EventRow[]) events.set(r.uid, r);
      } finally {
        detachLog(db, 'src');
      }
    });
  } finally {
    db.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  const held = known([...actions.keys(), ...events.keys()]);
  return {
    actions: [...actions.values()].filter((r) => !held.has(r.uid)),
    events: [...events.values()].filter((r) => !held.has(r.uid)),
  };
}
