// The stat data of index entries we staged ourselves. `git update-index --index-info` records an
// entry without stat data, so the next git command that refreshes the index (the next commit,
// `git status`) must read the work tree file back through its clean filter to tell whether it
// changed: for the log databases that starts git-lfs (about 20 ms per commit here). We know the file
// matches the entry (finalize wrote both), so we write the file's stat data into the entry, as
// `git add` would have. The index format (gitformat-index): a 12-byte header ("DIRC", version 2, 3
// or 4, entry count), the sorted entries, extensions, then a trailing hash of all that. Each entry
// starts with ten 32-bit stat fields (ctime s/ns, mtime s/ns, dev, ino, mode, uid, gid, size). Only
// those fields change, the trailing hash is recomputed, and the new index is renamed over the old
// one. Anything unexpected (another version, a split index, an entry not found) leaves the file as
// it is: git then re-reads the files, which is correct, only slower.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';

/** The stat data git keeps for a file (gitformat-index), from a bigint stat. */
export interface StatData {
  ctimeSec: number;
  ctimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  dev: number;
  ino: number;
  uid: number;
  gid: number;
  size: number;
}

const u32 = (v: bigint | number) => Number(BigInt(v) & 0xffffffffn);

/**
 * How far back a staged file's mtime is set. git takes an entry whose file changed in the same
 * second as the index was written for "racily clean" and reads the file again (through git-lfs for
 * our databases, ~20 ms); a file older than the index by more than a second is trusted.
 */
const SETTLE_MS = 2000;

/** Sets the file's mtime a little into the past (see SETTLE_MS); its content is untouched. */
export function settle(file: string, now = Date.now()): void {
  const atime = statSync(file).atime;
  utimesSync(file, atime, new Date(now - SETTLE_MS));
}

/** A file's stat data as git records it (each field cut to 32 bits, as git does). */
export function statDataOf(file: string): StatData {
  const st = statSync(file, { bigint: true });
  return {
    ctimeSec: u32(st.ctimeNs / 1_000_000_000n),
    ctimeNsec: u32(st.ctimeNs % 1_000_000_000n),
    mtimeSec: u32(st.mtimeNs / 1_000_000_000n),
    mtimeNsec: u32(st.mtimeNs % 1_000_000_000n),
    dev: u32(st.dev),
    ino: u32(st.ino),
    uid: u32(st.uid),
    gid: u32(st.gid),
    size: u32(st.size),
  };
}

/** Where each path's entry starts in an index (stage 0 entries only); null when the index is not one this code reads. */
export function entryOffsets(index: Buffer, hashLen: 20 | 32, paths: ReadonlySet<string>): Map<string, number> | null {
  if (index.length < 12 + hashLen || index.toString('latin1', 0, 4) !== 'DIRC') return null;
  const version = index.readUInt32BE(4);
  if (version < 2 || version > 4) return null;
  const count = index.readUInt32BE(8);
  const fixed = 40 + hashLen + 2;
  // The byte lengths of the paths looked for: most entries are skipped without decoding their path.
  const wanted = new Set([...paths].map((x) => Buffer.byteLength(x)));
  const found = new Map<string, number>();
  let at = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = at;
    if (start + fixed > index.length - hashLen) return null;
    const flags = index.readUInt16BE(start + 40 + hashLen);
    const extended = (flags & 0x4000) !== 0;
    if (extended && version < 3) return null;
    let p = start + fixed + (extended ? 2 : 0);
    let name: Buffer;
    if (version === 4) {
      // A varint (git's: each continuation adds one before shifting): how many bytes of the
      // previous path to drop; then the rest of the path, NUL-ended.
      let byte = index[p++];
      let drop = byte & 0x7f;
      while (byte & 0x80) {
        byte = index[p++];
        drop = ((drop + 1) << 7) | (byte & 0x7f);
      }
      const end = index.indexOf(0, p);
      if (end < 0 || drop > previous.length) return null;
      name = Buffer.concat([previous.subarray(0, previous.length - drop), index.subarray(p, end)]);
      at = end + 1;
    } else {
      const end = index.indexOf(0, p);
      if (end < 0) return null;
      name = index.subarray(p, end);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      at = start + ((end - start + 8) & ~7);
    }
    previous = name;
    const stage = (flags >> 12) & 3;
    if (stage === 0 && wanted.has(name.length)) {
      const text = name.toString('utf8');
      if (paths.has(text)) found.set(text, start);
    }
  }
  // A split index keeps its entries in a shared file: not ours to edit.
  for (let e = at; e + 8 <= index.length - hashLen; ) {
    const sig = index.toString('latin1', e, e + 4);
    if (sig === 'link') return null;
    e += 8 + index.readUInt32BE(e + 4);
  }
  return found;
}

/** Writes `stat` into the entry at `offset` (its mode and object id stay). */
export function writeStat(index: Buffer, offset: number, stat: StatData): void {
  const fields = [stat.ctimeSec, stat.ctimeNsec, stat.mtimeSec, stat.mtimeNsec, stat.dev, stat.ino];
  for (const [i, v] of fields.entries()) index.writeUInt32BE(v, offset + 4 * i);
  index.writeUInt32BE(stat.uid, offset + 28);
  index.writeUInt32BE(stat.gid, offset + 32);
  index.writeUInt32BE(stat.size, offset + 36);
}

/** Recomputes the trailing hash (left as zeros when git wrote none: index.skipHash). */
export function rehash(index: Buffer, hashLen: 20 | 32): void {
  const trailer = index.subarray(index.length - hashLen);
  if (trailer.every((b) => b === 0)) return;
  createHash(hashLen === 20 ? 'sha1' : 'sha256')
    .update(index.subarray(0, index.length - hashLen))
    .digest()
    .copy(trailer);
}

/**
 * Gives the entries of `files` (index path → work tree file) in `indexFile` the stat data of their
 * files, as git writes an index: under `<index>.lock` (created exclusively, so no git process writes
 * the index meanwhile), renamed over it. Returns the paths updated; an index this code does not
 * read, or one locked by git, is left alone (git then reads the files once more: slower, not wrong).
 */
export function recordStatData(indexFile: string, objectFormat: 'sha1' | 'sha256', files: ReadonlyMap<string, string>): string[] {
  const hashLen = objectFormat === 'sha256' ? 32 : 20;
  const lock = `${indexFile}.lock`;
  let lockFd: number;
  try {
    lockFd = openSync(lock, 'wx', statSync(indexFile).mode & 0o777);
  } catch {
    return []; // no index, or git holds its lock
  }
  let renamed = false;
  try {
    // Read under the lock: what is renamed over the index is the index as it is now.
    const index = readFileSync(indexFile);
    const offsets = entryOffsets(index, hashLen, new Set(files.keys()));
    if (!offsets || offsets.size === 0) return [];
    for (const [name, offset] of offsets) {
      const file = files.get(name) as string;
      settle(file);
      writeStat(index, offset, statDataOf(file));
    }
    rehash(index, hashLen);
    writeSync(lockFd, index, 0, index.length, 0);
    closeSync(lockFd);
    lockFd = -1;
    renameSync(lock, indexFile);
    renamed = true;
    return [...offsets.keys()];
  } catch {
    return [];
  } finally {
    if (lockFd >= 0) closeSync(lockFd);
    if (!renamed) rmSync(lock, { force: true });
  }
}
