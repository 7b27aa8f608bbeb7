// Globally unique, stable row ids. Merges across clones join rows on these (issue #4).
import { createHash, randomFillSync } from 'node:crypto';

// Random bytes drawn in blocks: one getrandom call per 400 ids instead of one per id.
const pool = Buffer.alloc(4000);
let poolPos = pool.length;
function random10(): Buffer {
  if (poolPos + 10 > pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  const out = pool.subarray(poolPos, poolPos + 10);
  poolPos += 10;
  return out;
}

// The last id made, to keep ids of one process increasing within a millisecond.
const last = Buffer.alloc(16);
let lastMs = -1;

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits; sorts by creation time. Ids made
 * by one process in the same millisecond increase (the random part of the previous one plus one,
 * RFC 9562's monotonic method), so rows recorded together keep their order.
 */
export function uuidv7(now: number = Date.now()): string {
  const b = Buffer.allocUnsafe(16);
  if (now === lastMs) {
    last.copy(b);
    // +1 over the low 56 random bits (bytes 9..15); they do not run out within a millisecond.
    for (let i = 15; i >= 9; i--) {
      b[i] = (b[i] + 1) & 0xff;
      if (b[i] !== 0) break;
    }
  } else {
    b.writeUIntBE(now, 0, 6);
    random10().copy(b, 6);
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    lastMs = now;
  }
  b.copy(last);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A UUIDv7 whose random part is derived from `key`: the same event ingested twice (after a crash,
 * or from a hook and from an import) gets the same id, and ids still sort by time.
 */
export function stableUid(now: number, key: string): string {
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(Math.max(0, Math.floor(now)), 0, 6);
  createHash('sha256').update(key).digest().copy(b, 6, 0, 10);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The id of a row that a legacy (seed-written) database held before migration: derived from the
 * table, the row's local id and its content, so two clones migrating the same file agree, and two
 * identical rows recorded in the same second stay two rows.
 */
export function legacyUid(table: string, values: readonly unknown[]): string {
  const h = createHash('sha256')
    .update(JSON.stringify([table, ...values]))
    .digest('hex');
  return `legacy-${h.slice(0, 32)}`;
}
