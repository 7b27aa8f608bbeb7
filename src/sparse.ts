// Sparse checkouts whose cone leaves the databases out: git keeps their index entries (marked
// skip-worktree) but no files. The log is then read and written in a mirror in the state folder,
// materialized from the index's LFS pointers, and staged back with skip-worktree kept: the commit
// is logged like any other, and the work tree stays as sparse as the user made it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Settings } from './config.js';
import { CodexlogError } from './errors.js';
import { execGit } from './git/exec.js';
import { lfsSmudge } from './git/lfs.js';
import { lfsObjectPath, lfsStorageDir } from './git/lfs-objects.js';
import { parseCatFileObjects, splitZ } from './git/parse.js';
import { parsePointer } from './git/pointer.js';
import { messages } from './messages.js';
import { stateDir } from './state.js';
import type { Workspace } from './workspace.js';

/** `git ls-files -t -z` output: each path with its status tag (S: skip-worktree, H: cached). */
export function parseLsFilesTags(text: string): Array<{ tag: string; path: string }> {
  return splitZ(text).map((entry) => ({ tag: entry.slice(0, 1), path: entry.slice(2) }));
}

/** Where the log lives for this workspace: the work tree, or, in a sparse checkout without it, a mirror. */
export interface TrackedHome {
  settings: Settings;
  /** Paths (relative to the workspace) the index keeps skip-worktree: stage them back that way. */
  skipWorktree: string[];
}

/**
 * The settings to read and write the log with. In the common case (the log is in the work tree,
 * or the index has none) they are the workspace's own, at the cost of one stat.
 */
export async function trackedHome(ws: Workspace, lfsStorageConfig: string | null | undefined): Promise<TrackedHome> {
  const { settings, repo } = ws;
  if (!repo || existsSync(settings.logDb)) return { settings, skipWorktree: [] };
  const ls = await execGit(ws.git, ['ls-files', '-t', '-z', '--', settings.logDbRel, settings.sessionDbRel, `${settings.segmentsDirRel}/`]);
  const entries = parseLsFilesTags(ls.stdout.toString('utf8')).filter((e) => e.tag === 'S');
  if (!entries.some((e) => e.path === settings.logDbRel)) return { settings, skipWorktree: [] };
  const mirror = path.join(stateDir(ws), 'sparse');
  const names = entries.map((e) => `:${e.path}`);
  const blobs = parseCatFileObjects(
    (await execGit(ws.git, ['cat-file', '--batch'], { input: names.map((n) => `${n}\n`).join('') })).stdout,
    names,
  );
  const storage = lfsStorageDir(repo.commonDir, lfsStorageConfig);
  const known = readOids(mirror);
  for (const e of entries) {
    const pointer = blobs.get(`:${e.path}`)?.content;
    const ptr = pointer ? parsePointer(pointer) : null;
    const dest = path.join(mirror, e.path);
    if (!ptr) throw new CodexlogError(messages.sparseNotPointer(e.path));
    if (known[e.path] === ptr.oid && existsSync(dest)) continue;
    mkdirSync(path.dirname(dest), { recursive: true });
    const local = lfsObjectPath(storage, ptr.oid);
    if (existsSync(local)) copyFileSync(local, dest);
    else {
      // Fetched by git-lfs (GIT_LFS_SKIP_SMUDGE must not hand the pointer back).
      const content = await lfsSmudge({ cwd: ws.git.cwd, env: { ...ws.git.env, GIT_LFS_SKIP_SMUDGE: '0' } }, e.path, pointer as Buffer);
      if (!content || parsePointer(content)) throw new CodexlogError(messages.sparseMissingObject(e.path));
      writeFileSync(dest, content);
    }
    known[e.path] = ptr.oid;
  }
  // Files of an earlier checkout that the index no longer has.
  for (const rel of Object.keys(known)) {
    if (!entries.some((e) => e.path === rel)) {
      rmSync(path.join(mirror, rel), { force: true });
      delete known[rel];
    }
  }
  writeOids(mirror, known);
  const at = (rel: string) => path.join(mirror, rel);
  return {
    settings: Object.freeze({
      ...settings,
      logDb: at(settings.logDbRel),
      sessionDb: at(settings.sessionDbRel),
      segmentsDir: at(settings.segmentsDirRel),
    }),
    skipWorktree: entries.map((e) => e.path),
  };
}

function readOids(mirror: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path.join(mirror, '.oids.json'), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function writeOids(mirror: string, oids: Record<string, string>): void {
  mkdirSync(mirror, { recursive: true });
  writeFileSync(path.join(mirror, '.oids.json'), `${JSON.stringify(oids)}\n`);
}
