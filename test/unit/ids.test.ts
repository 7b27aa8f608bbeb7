// Row ids (src/ids.ts): UUIDv7 layout and ordering, stable uids of ingested events (the same event
// twice gets the same id), and legacy uids that every clone derives alike.
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { legacyUid, stableUid, uuidv7 } from '../../src/ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millis = (u: string) => parseInt(u.replace(/-/g, '').slice(0, 12), 16);

const times: Array<[string, number, string]> = [
  ['epoch', 0, '00000000-0000'],
  ['one millisecond', 1, '00000000-0001'],
  ['2024-05-01T10:00:00Z', Date.UTC(2024, 4, 1, 10), '018f3398-c100'],
  ['largest 48-bit value', 2 ** 48 - 1, 'ffffffff-ffff'],
];
for (const [name, now, prefix] of times) {
  test(`uuidv7: ${name} gives the 48-bit big-endian millisecond prefix ${prefix}`, () => {
    const u = uuidv7(now);
    assert.ok(UUID_V7.test(u), u);
    assert.is(u.slice(0, 13), prefix);
    assert.is(millis(u), now);
  });
}

test('uuidv7: version nibble is 7 and variant bits are 10 in 2000 ids', () => {
  for (let i = 0; i < 2000; i++) {
    const u = uuidv7(1_700_000_000_000 + i);
    assert.is(u.length, 36);
    assert.is(u[14], '7');
    const variant = parseInt(u[19], 16);
    assert.is(variant >> 2, 0b10, u);
    assert.ok(UUID_V7.test(u), u);
  }
});

test('uuidv7: later milliseconds sort after earlier ones, as strings', () => {
  const stamps = [0, 1, 255, 256, 65_535, 65_536, 2 ** 40, 1_700_000_000_000, 1_700_000_000_001, 2 ** 48 - 1];
  const ids = stamps.map((t) => uuidv7(t));
  assert.equal([...ids].sort(), ids);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1] < ids[i], `${ids[i - 1]} < ${ids[i]}`);
});

test('uuidv7: 5000 ids in the same millisecond are all distinct', () => {
  const ids = new Set(Array.from({ length: 5000 }, () => uuidv7(1_700_000_000_000)));
  assert.is(ids.size, 5000);
});

test('uuidv7: without an argument it stamps the current time', () => {
  const before = Date.now();
  const u = uuidv7();
  const after = Date.now();
  assert.ok(millis(u) >= before && millis(u) <= after, `${millis(u)} in [${before}, ${after}]`);
});

// stableUid: a UUIDv7 whose random part is the first 80 bits of sha256(key), version and variant set.
const derived = (now: number, key: string): string => {
  const b = Buffer.alloc(16);
  b.writeUIntBE(Math.max(0, Math.floor(now)), 0, 6);
  createHash('sha256').update(key).digest().copy(b, 6, 0, 10);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const MAY1 = Date.UTC(2024, 4, 1, 10);
const stableCases: Array<[string, number, string, string]> = [
  // name, now, key, uid (pinned: clones and versions must derive the same id for the same event)
  ['a git hook record', MAY1, 'git:g-1714557600-42.rec', '018f3398-c100-731d-b7ba-748e4a291569'],
  ['a fractional mtime is floored to its millisecond', MAY1 + 0.75, 'git:g-1714557600-42.rec', '018f3398-c100-731d-b7ba-748e4a291569'],
  ['a negative time is clamped to the epoch', -5, 'k', '00000000-0000-7254-8329-a92850f6d539'],
];
for (const [name, now, key, expected] of stableCases) {
  test(`stableUid: ${name}`, () => {
    const u = stableUid(now, key);
    assert.is(u, expected);
    assert.is(u, derived(now, key));
    assert.ok(UUID_V7.test(u), u);
  });
}

test('stableUid: the same event twice is the same id; another key or time is another id', () => {
  const keys = ['git:g-1-1.rec', 'git:g-1-2.rec', 'pre-commit:42:1714557600000', '', 'é'];
  const seen = new Set<string>();
  for (const key of keys) {
    for (const now of [MAY1, MAY1 + 1]) {
      const u = stableUid(now, key);
      assert.is(stableUid(now, key), u, key);
      assert.is(millis(u), now);
      assert.ok(UUID_V7.test(u), u);
      seen.add(u);
    }
  }
  assert.is(seen.size, keys.length * 2);
});

test('stableUid: ids sort by time, whatever the key', () => {
  const ids = [0, 1, 1_700_000_000_000, 1_700_000_000_001, 2 ** 48 - 1].map((t, i) => stableUid(t, `key ${9 - i}`));
  assert.equal([...ids].sort(), ids);
});

// Pinned values: clones running different versions must derive the same uid for the same row.
const legacyCases: Array<[string, string, unknown[], string]> = [
  [
    'an action row',
    'codex_actions',
    [1, 's1', '2024-05-01 10:00:00', 'edit', 'changed a file', null],
    'legacy-2e1cd01a059a0b439c0fd664c8cf8937',
  ],
];
for (const [name, table, values, expected] of legacyCases) {
  test(`legacyUid: pinned value for ${name}`, () => {
    assert.is(legacyUid(table, values), expected);
  });
}

test('legacyUid: deterministic, the documented sha256 prefix, and legacy- prefixed', () => {
  const values = [7, null, '2024-05-01T10:00:00+00:00', 'run', 'npm test', '{"ok":true}'];
  const a = legacyUid('codex_actions', values);
  assert.is(a, legacyUid('codex_actions', [...values]));
  const hex = createHash('sha256')
    .update(JSON.stringify(['codex_actions', ...values]))
    .digest('hex')
    .slice(0, 32);
  assert.is(a, `legacy-${hex}`);
  assert.ok(/^legacy-[0-9a-f]{32}$/.test(a));
});

test('legacyUid: rows that differ in any way get different uids', () => {
  const base: unknown[] = [1, 's1', '2024-05-01 10:00:00', 'edit', 'x', null];
  const variants: Array<[string, unknown[]]> = [
    ['other table', base],
    ['other id (identical rows stay two rows)', [2, ...base.slice(1)]],
    ['NULL vs the string "null"', [1, 's1', '2024-05-01 10:00:00', 'edit', 'x', 'null']],
    ['NULL session', [1, null, '2024-05-01 10:00:00', 'edit', 'x', null]],
    ['other timestamp form', [1, 's1', '2024-05-01T10:00:00+00:00', 'edit', 'x', null]],
    ['swapped columns', [1, 's1', '2024-05-01 10:00:00', 'x', 'edit', null]],
    ['id as text', ['1', ...base.slice(1)]],
  ];
  const seen = new Set([legacyUid('codex_actions', base)]);
  for (const [name, values] of variants) {
    const uid = legacyUid(name === 'other table' ? 'codex_log' : 'codex_actions', values);
    assert.not.ok(seen.has(uid), name);
    seen.add(uid);
  }
  assert.is(seen.size, variants.length + 1);
});

test.run();
