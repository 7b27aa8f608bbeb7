// What this worktree last committed on each branch: the log object and the segments of the last
// finalize there. git can take rows out of the log without any hook of ours (a revert, a reset, a
// checkout of older files); the next finalize compares the log it finds with this and puts back
// every row that went missing, and `check` reports them meanwhile.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from './state.js';
import type { Workspace } from './workspace.js';

/** One branch's last finalized log. */
export interface LedgerEntry {
  /** The LFS oid of the log that commit held. */
  logOid: string;
  /** The segment files it had. */
  segments: string[];
  at: string;
}

/** Every branch's entry, and which branch finalized last (a detached HEAD compares with that one). */
export interface Ledger {
  branches: Record<string, LedgerEntry>;
  last: string | null;
}

const file = (ws: Workspace) => path.join(stateDir(ws), 'ledger.json');

/** The ledger of this worktree (empty when there is none). */
export function readLedger(ws: Workspace): Ledger {
  try {
    const l = JSON.parse(readFileSync(file(ws), 'utf8')) as Ledger;
    if (l && typeof l.branches === 'object') return l;
  } catch {
    // none yet, or unreadable: nothing to compare with
  }
  return { branches: {}, last: null };
}

/** The entry the log of `branch` (null: a detached HEAD) is compared with. */
export function ledgerEntry(ledger: Ledger, branch: string | null): LedgerEntry | null {
  const key = branch ?? ledger.last;
  return key ? (ledger.branches[key] ?? null) : null;
}

/** Records what `branch` (null: a detached HEAD, kept under its own name) now holds. */
export function recordLedger(ws: Workspace, branch: string | null, entry: Omit<LedgerEntry, 'at'>): void {
  const ledger = readLedger(ws);
  const key = branch ?? '(detached HEAD)';
  ledger.branches[key] = { ...entry, at: new Date().toISOString() };
  ledger.last = key;
  mkdirSync(path.dirname(file(ws)), { recursive: true });
  const tmp = `${file(ws)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(ledger, null, 2)}\n`);
  renameSync(tmp, file(ws));
}
