// Git LFS pointers: pure parsing, so the hook can check staged blobs without asking git-lfs.

/** A parsed canonical LFS pointer. */
export interface LfsPointer {
  oid: string;
  size: number;
}

const POINTER_PREFIX = 'version https://git-lfs.github.com/spec/v1\n';
const CANONICAL = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:([0-9a-f]{64})\nsize (0|[1-9][0-9]*)\n$/;

/** Parses `blob` as a canonical LFS pointer (as `git lfs clean` writes it); null if it is not one. */
export function parsePointer(blob: Buffer): LfsPointer | null {
  if (blob.length === 0 || blob.length >= 1024) return null;
  const m = CANONICAL.exec(blob.toString('latin1'));
  return m ? { oid: m[1], size: Number(m[2]) } : null;
}

/** Whether a file's first bytes look like an LFS pointer (canonical or not). */
export function looksLikePointer(head: Buffer): boolean {
  return (
    head.subarray(0, POINTER_PREFIX.length).toString('latin1') === POINTER_PREFIX || head.subarray(0, 8).toString('latin1') === 'version '
  );
}
