// Git LFS's local object store, read and written directly: what `git lfs clean` and `git lfs
// smudge` do for a file already on disk, without starting a git-lfs process (its filter process
// alone spawns several git commands; the commit and the merge driver run this on every call).
// The layout is git-lfs's documented one: <storage>/objects/<oid[0:2]>/<oid[2:4]>/<oid>, with
// <storage> = lfs.storage (absolute, or relative to the git dir) or <common git dir>/lfs.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';

/** An object in the LFS store, as its pointer names it. */
export interface LfsObject {
  oid: string;
  size: number;
}

/** The LFS storage folder of a repository. */
export function lfsStorageDir(commonDir: string, storageConfig: string | null | undefined): string {
  if (!storageConfig) return path.join(commonDir, 'lfs');
  return path.resolve(commonDir, storageConfig);
}

/** Where git-lfs keeps the object `oid`. */
export function lfsObjectPath(storage: string, oid: string): string {
  return path.join(storage, 'objects', oid.slice(0, 2), oid.slice(2, 4), oid);
}

/** The canonical pointer text for an object (what `git lfs clean` writes). */
export function pointerFor(obj: LfsObject): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${obj.oid}\nsize ${obj.size}\n`, 'latin1');
}

/** The oid and size of a file's content. */
export function hashFile(file: string): LfsObject {
  const content = readFileSync(file);
  return { oid: createHash('sha256').update(content).digest('hex'), size: content.length };
}

/**
 * Stores `file` as an LFS object (unless the store has it already) and returns its oid and size.
 * Written to a temp file, synced, then renamed: a crash never leaves a partial object.
 */
export function storeLfsObject(storage: string, file: string): LfsObject {
  const obj = hashFile(file);
  const dest = lfsObjectPath(storage, obj.oid);
  if (!existsSync(dest)) {
    const tmpDir = path.join(storage, 'tmp');
    mkdirSync(tmpDir, { recursive: true });
    mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = path.join(tmpDir, `codexlog-${randomBytes(6).toString('hex')}`);
    try {
      copyFileSync(file, tmp);
      const fd = openSync(tmp, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, dest);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }
  return obj;
}

/** Scratch folders left by a process killed mid-work are removed after this long. */
const STALE_SCRATCH_MS = 60 * 60 * 1000;

/**
 * A scratch folder for work on copies of LFS objects (a merge, rows read back), in git-lfs's own
 * tmp folder of the clone rather than the OS temp dir: a driver or hook killed mid-work leaves
 * nothing outside the repository, and what it left is removed by a later one.
 */
export function lfsScratch(storage: string, name: string): string {
  const root = path.join(storage, 'tmp');
  mkdirSync(root, { recursive: true });
  const now = Date.now();
  for (const entry of readdirSync(root)) {
    if (!entry.startsWith('codexlog-')) continue;
    try {
      if (now - statSync(path.join(root, entry)).mtimeMs > STALE_SCRATCH_MS)
        rmSync(path.join(root, entry), { recursive: true, force: true });
    } catch {
      // another process removed it
    }
  }
  return mkdtempSync(path.join(root, `codexlog-${name}-`));
}
