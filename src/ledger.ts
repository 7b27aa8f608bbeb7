// What this worktree last committed on each branch: the log object and the segments of the last
// finalize there. git can take rows out of the log without any hook of ours (a revert, a reset, a
// checkout of older files); the next finalize compares the log it finds with this and puts back
// every row that went missing, and `check` reports them meanwhile.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execGit } from './git/exec.js';
import { parseCatFileBatch, splitZ } from './git/parse.js';
import { parsePointer } from './git/pointer.js';
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
  const tmp = `${file(ws)}.${process.pid}.tmp`; // two writers never share a temp file
  writeFileSync(tmp, `${JSON.stringify(ledger, null, 2)}\n`);
  renameSync(tmp, file(ws));
}

/**
 * What the commit `sha` holds: its log's LFS oid and its segments; null when it holds no log
 * pointer. A merge git finished by itself (or a pull) runs no pre-commit: the ledger learns the
 * merged log from its post-merge record this way, so that a later revert of the merge, or a reset
 * before it, is seen to take rows out.
 */
export async function ledgerEntryAt(ws: Workspace, sha: string): Promise<Omit<LedgerEntry, 'at'> | null> {
  const { logDbRel, segmentsDirRel } = ws.settings;
  const name = `${sha}:${logDbRel}`;
  const cat = await execGit(ws.git, ['cat-file', '--batch'], { input: `${name}\n`, allowFailure: true });
  const blob = cat.code === 0 ? parseCatFileBatch(cat.stdout, [name]).get(name) : null;
  const pointer = blob ? parsePointer(blob) : null;
  if (!pointer) return null;
  const ls = await execGit(ws.git, ['ls-tree', '-z', '--name-only', sha, '--', `${segmentsDirRel}/`], { allowFailure: true });
  const segments = ls.code === 0 ? splitZ(ls.stdout.toString('utf8')).map((p) => path.posix.basename(p)) : [];
  return { logOid: pointer.oid, segments: segments.sort() };
}

/** The ledger with `updates` (in order) applied, in memory. */
export function withUpdates(ledger: Ledger, updates: ReadonlyArray<{ branch: string; entry: Omit<LedgerEntry, 'at'> }>): Ledger {
  const out: Ledger = { branches: { ...ledger.branches }, last: ledger.last };
  for (const u of updates) {
    out.branches[u.branch] = { ...u.entry, at: new Date().toISOString() };
    out.last = u.branch;
  }
  return out;
}
