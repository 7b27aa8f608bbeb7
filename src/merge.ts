// The merge driver: a union of log rows by uid, so merges and rebases of the log never conflict.
// It works under LFS: the three versions arrive as pointers, are smudged, merged, and cleaned back.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodexlogError, RefusedFileError } from './errors.js';
import type { GitContext } from './git/exec.js';
import { lfsClean, lfsSmudge } from './git/lfs.js';
import { parsePointer } from './git/pointer.js';
import { messages } from './messages.js';
import type { ActionRow } from './rows.js';
import { type LogContents, readUntrustedLog, writeLogFile } from './store/untrusted.js';

/** The union of two logs: every row of `ours` as it is, then the rows only `theirs` has. */
export function unionLogs(ours: LogContents, theirs: LogContents): { contents: LogContents; added: number } {
  const seen = new Set(ours.actions.map((r) => r.uid));
  // Their rows get fresh local ids (their ids may collide with ours); uids are the identity.
  const newActions: ActionRow[] = theirs.actions
    .filter((r) => {
      if (seen.has(r.uid)) return false;
      seen.add(r.uid);
      return true;
    })
    .map((r) => ({ ...r, id: null }));
  const seenEvents = new Set(ours.events.map((e) => e.uid));
  const newEvents = theirs.events.filter((e) => {
    if (seenEvents.has(e.uid)) return false;
    seenEvents.add(e.uid);
    return true;
  });
  return {
    contents: { actions: [...ours.actions, ...newActions], events: [...ours.events, ...newEvents] },
    added: newActions.length + newEvents.length,
  };
}

type Side = 'base' | 'ours' | 'theirs';

/** Turns one of git's temp files (an LFS pointer, a raw database or nothing) into a database file. */
async function materialize(git: GitContext, file: string, repoPath: string, side: Side, dir: string): Promise<string | null> {
  const bytes = readFileSync(file);
  if (bytes.length === 0) return null; // no such version (e.g. added on both sides)
  let content: Buffer = bytes;
  if (parsePointer(bytes)) {
    const smudged = await lfsSmudge(git, repoPath, bytes);
    // Missing objects: git-lfs exits 2, or hands the pointer back unchanged.
    if (!smudged || parsePointer(smudged)) throw new CodexlogError(messages.mergeMissingObject(repoPath, side));
    content = smudged;
  }
  const out = path.join(dir, `${side}.db`);
  writeFileSync(out, content);
  return out;
}

/**
 * Merges the three versions git hands a driver (%O %A %B %P). On success `ours` holds the result
 * (as an LFS pointer when the inputs were pointers) and the count of rows taken from theirs is
 * returned; on any failure `ours` is left untouched, so git reports the conflict.
 */
export async function mergeLogFiles(
  git: GitContext,
  files: { base: string; ours: string; theirs: string },
  repoPath: string,
): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'codexlog-merge-'));
  try {
    const ours = await materialize(git, files.ours, repoPath, 'ours', dir);
    const theirs = await materialize(git, files.theirs, repoPath, 'theirs', dir);
    const read = (file: string | null, side: Side): LogContents => {
      if (!file) return { actions: [], events: [] };
      try {
        return readUntrustedLog(file, { rows: side !== 'base' });
      } catch (e) {
        if (e instanceof RefusedFileError) throw new CodexlogError(messages.mergeRefused(repoPath, side, stripFile(e.message, file)));
        throw e;
      }
    };
    // The base is read too: a hostile or broken base is as much a reason to stop as the sides.
    read(await materialize(git, files.base, repoPath, 'base', dir), 'base');
    const { contents, added } = unionLogs(read(ours, 'ours'), read(theirs, 'theirs'));
    const merged = path.join(dir, 'merged.db');
    writeLogFile(merged, contents);
    const result = readFileSync(merged);
    const wasPointer = parsePointer(readFileSync(files.ours)) !== null || parsePointer(readFileSync(files.theirs)) !== null;
    // git lfs clean stores the object in .git/lfs/objects and gives the pointer to commit.
    writeFileSync(files.ours, wasPointer ? await lfsClean(git, repoPath, result) : result);
    return added;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function stripFile(message: string, file: string): string {
  return message.split(file).join(path.basename(file));
}
