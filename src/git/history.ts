// Every version of some files in the repository's history, and their blobs: what `scan --history`
// reads. One `git log` lists, for every commit of every ref that added or changed one of the paths,
// the blob it put there (merges against each parent: a union the merge driver made is a version
// of its own); one `git cat-file --batch` reads the blobs.
import { execGit, type GitContext } from './exec.js';
import { parseCatFileBatch } from './parse.js';

/** One version of a file: the commit that put this blob at this path. */
export interface FileVersion {
  commit: string;
  path: string;
  blob: string;
}

const RAW_ENTRY = /:(\d{6}) (\d{6}) ([0-9a-f]{40,64}) ([0-9a-f]{40,64}) ([A-Z])\d*\0([^\0]*)\0/g;

/**
 * Parses `git log -m --raw --no-renames --no-abbrev -z --format=%x01%H`: each commit's header
 * (\x01<sha>\0), then `:<mode> <mode> <old> <new> <status>\0<path>\0` per changed path.
 */
export function parseLogRaw(text: string): FileVersion[] {
  const out: FileVersion[] = [];
  for (const chunk of text.split('\x01')) {
    const commit = /^[0-9a-f]{40,64}/.exec(chunk)?.[0];
    if (!commit) continue;
    for (const m of chunk.matchAll(RAW_ENTRY)) {
      const [, , mode, , blob, status, file] = m;
      // Deleted paths, and anything that is not a regular file (a link, a submodule), have no version to read.
      if (status === 'D' || !/^100(?:644|755)$/.test(mode) || /^0+$/.test(blob)) continue;
      out.push({ commit, path: file, blob });
    }
  }
  return out;
}

/** Every version of `paths` (files or folders, relative to the top level) on every ref, newest first. */
export async function fileVersions(git: GitContext, paths: readonly string[]): Promise<FileVersion[]> {
  const r = await execGit(git, ['log', '--all', '-m', '--raw', '--no-renames', '--no-abbrev', '-z', '--format=%x01%H', '--', ...paths]);
  return parseLogRaw(r.stdout.toString('utf8'));
}

/** The content of each blob (null for one git does not have). */
export async function readBlobs(git: GitContext, blobs: readonly string[]): Promise<Map<string, Buffer | null>> {
  if (blobs.length === 0) return new Map();
  const r = await execGit(git, ['cat-file', '--batch'], { input: blobs.map((b) => `${b}\n`).join('') });
  return parseCatFileBatch(r.stdout, blobs);
}

/** The blobs HEAD has at `paths` (files or folders); empty on an unborn branch. */
export async function headVersions(git: GitContext, paths: readonly string[]): Promise<FileVersion[]> {
  const r = await execGit(git, ['ls-tree', '-r', '-z', '--full-tree', 'HEAD', '--', ...paths], { allowFailure: true });
  if (r.code !== 0) return [];
  const head = (await execGit(git, ['rev-parse', '--verify', '-q', 'HEAD'], { allowFailure: true })).stdout.toString('utf8').trim();
  const out: FileVersion[] = [];
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    const m = /^100(?:644|755) blob ([0-9a-f]{40,64})\t(.+)$/s.exec(entry);
    if (m) out.push({ commit: head, path: m[2], blob: m[1] });
  }
  return out;
}
