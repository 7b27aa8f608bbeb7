// Row ids (src/ids.ts): UUIDv7 layout and ordering, and legacy uids that every clone derives alike.
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { legacyUid, uuidv7 } from '../../src/ids.ts';

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
