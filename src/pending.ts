// Rows written by hooks that must not touch the work tree (post-commit, post-rewrite, a blocked
// attempt) wait in the git dir and are folded into the database by the next pre-commit.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { uuidv7 } from './ids.js';
import type { NewAction } from './rows.js';
import { stateDir, type Workspace } from './workspace.js';

const FILE = 'pending.jsonl';

function dir(ws: Workspace): string | null {
  return ws.repo ? stateDir(ws.repo) : null;
}

/** Appends one row to the pending file (one small O_APPEND write: safe against other appenders). */
export function addPending(ws: Workspace, row: NewAction): NewAction & { uid: string; ts: string } {
  const full = { ...row, uid: row.uid ?? uuidv7(), ts: row.ts ?? new Date().toISOString() };
  const d = dir(ws);
  if (!d) return full;
  mkdirSync(d, { recursive: true });
  appendFileSync(path.join(d, FILE), `${JSON.stringify(full)}\n`);
  return full;
}

function parse(text: string): NewAction[] {
  const rows: NewAction[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as NewAction);
    } catch {
      // A torn last line (a crash mid-append) is dropped rather than blocking every commit.
    }
  }
  return rows;
}

/** The pending rows, for display; nothing is moved. */
export function readPending(ws: Workspace): NewAction[] {
  const d = dir(ws);
  if (!d) return [];
  let text = '';
  try {
    for (const f of readdirSync(d)) if (f.startsWith('pending')) text += readFileSync(path.join(d, f), 'utf8');
  } catch {
    return [];
  }
  return parse(text);
}

/** A batch of pending rows claimed for folding: `done()` deletes them, `release()` hands them back. */
export interface PendingBatch {
  rows: NewAction[];
  done(): void;
  release(): void;
}

/** Claims the pending rows (renaming the file, so later appends start a new one). */
export function claimPending(ws: Workspace): PendingBatch {
  const d = dir(ws);
  const none: PendingBatch = { rows: [], done() {}, release() {} };
  if (!d) return none;
  // A name of its own per claim, so two hooks at once never claim into the same file.
  const claimed = path.join(d, `pending.${uuidv7()}.claimed`);
  try {
    renameSync(path.join(d, FILE), claimed);
  } catch {
    // No new rows; but an earlier claim may have been left by a crash: pick those up too.
  }
  let files: string[];
  try {
    files = readdirSync(d)
      .filter((f) => f.startsWith('pending.') && f.endsWith('.claimed'))
      .map((f) => path.join(d, f));
  } catch {
    return none;
  }
  if (files.length === 0) return none;
  const rows = parse(files.map((f) => readFileSync(f, 'utf8')).join(''));
  return {
    rows,
    done() {
      for (const f of files) rmSync(f, { force: true });
    },
    release() {
      // Leave the claimed files: the next claim picks them up again (rows carry uids, so
      // folding twice cannot duplicate them).
    },
  };
}
