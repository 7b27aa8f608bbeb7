// The `log` command's pure parts: --limit, --since and the table renderer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LogEntry } from '../../src/actions.ts';
import { formatTable, parseLimit, parseSince } from '../../src/cli/commands/log.ts';
import { UsageError } from '../../src/errors.ts';
import { thrown } from '../helpers/expect.ts';

function usageError(fn: () => unknown): UsageError {
  const e = thrown(fn, UsageError);
  assert.is(e.exitCode, 2);
  return e;
}

const limits: Array<[string | undefined, number | undefined]> = [
  [undefined, undefined],
  ['1', 1],
  ['25', 25],
  ['1000000', 1_000_000],
];
for (const [value, expected] of limits) {
  test(`parseLimit(${JSON.stringify(value)}) is ${expected}`, () => {
    assert.is(parseLimit(value), expected);
  });
}
for (const value of ['0', '-1', '1.5', 'abc', '', ' 1', '01', '1e3', '+3', '0x10']) {
  test(`parseLimit(${JSON.stringify(value)}) is a usage error`, () => {
    assert.is(usageError(() => parseLimit(value)).message, `--limit ${value}: expected a positive whole number.`);
  });
}

const sinces: Array<[string | undefined, string | undefined]> = [
  [undefined, undefined],
  ['2024-05-01', '2024-05-01T00:00:00.000Z'],
  ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T10:00:00.250Z', '2024-05-01T10:00:00.250Z'],
  ['2024-05-01T10:00:00+02:00', '2024-05-01T08:00:00.000Z'],
  ['2024-05-01T10:00:00+00:00', '2024-05-01T10:00:00.000Z'],
  // The seed's own forms carry no zone and are UTC (SQLite datetime('now')), whatever the machine's zone.
  ['2024-05-01 10:00:00', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T10:00:00', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T10:00', '2024-05-01T10:00:00.000Z'],
];
for (const [value, expected] of sinces) {
  test(`parseSince(${JSON.stringify(value)}) is ${expected}, in UTC and in New York`, () => {
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      assert.is(parseSince(value), expected);
      process.env.TZ = 'America/New_York';
      assert.is(parseSince(value), expected);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
}
for (const value of ['yesterday', '', '2024-13-45', 'not a date']) {
  test(`parseSince(${JSON.stringify(value)}) is a usage error`, () => {
    assert.is(
      usageError(() => parseSince(value)).message,
      `--since ${value}: expected a date or time such as 2026-11-23 or 2026-11-23T10:00:00Z.`,
    );
  });
}

const row = (over: Partial<LogEntry>): LogEntry => ({
  id: 1,
  uid: 'u',
  session_id: 's1',
  ts: '2024-05-01T10:00:00.000Z',
  action: 'edit',
  statement: 'changed a file',
  metadata: null,
  pending: false,
  ...over,
});

test('formatTable: header, aligned columns, no trailing spaces', () => {
  const out = formatTable([row({}), row({ id: 12, session_id: 'session-two', action: 'run', statement: 'npm test' })]);
  assert.is(
    out,
    [
      'ID  TS                        SESSION      ACTION  STATEMENT',
      '1   2024-05-01T10:00:00.000Z  s1           edit    changed a file',
      '12  2024-05-01T10:00:00.000Z  session-two  run     npm test',
    ].join('\n'),
  );
});

test('formatTable: NULLs render empty, long values are clipped, whitespace folds', () => {
  const out = formatTable([
    row({ id: 3, session_id: null, ts: null, action: null, statement: null }),
    row({
      id: 4,
      session_id: '0123456789abcdefghijklmn',
      ts: '2024-05-01 10:00:00',
      action: 'a'.repeat(25),
      statement: `line one\n\tline  two ${'x'.repeat(60)}`,
    }),
  ]);
  assert.is(
    out,
    [
      'ID  TS                   SESSION               ACTION                STATEMENT',
      '3',
      `4   2024-05-01 10:00:00  0123456789abcdefghi…  ${'a'.repeat(19)}…  line one line two ${'x'.repeat(41)}…`,
    ].join('\n'),
  );
});

test('formatTable: uncommitted rows (id null) are starred and explained once', () => {
  const out = formatTable([
    row({}),
    row({ id: null, pending: true, action: 'git.commit', statement: 'abc123 fix' }),
    row({ id: null, pending: true, session_id: 's2', action: 'edit', statement: 'later' }),
  ]);
  assert.is(
    out,
    [
      'ID  TS                        SESSION  ACTION      STATEMENT',
      '1   2024-05-01T10:00:00.000Z  s1       edit        changed a file',
      '*   2024-05-01T10:00:00.000Z  s1       git.commit  abc123 fix',
      '*   2024-05-01T10:00:00.000Z  s2       edit        later',
      '',
      '* uncommitted: waits in the git dir, enters the log at the next commit',
    ].join('\n'),
  );
});

test('formatTable: only uncommitted rows', () => {
  assert.is(
    formatTable([row({ id: null, pending: true })]),
    [
      'ID  TS                        SESSION  ACTION  STATEMENT',
      '*   2024-05-01T10:00:00.000Z  s1       edit    changed a file',
      '',
      '* uncommitted: waits in the git dir, enters the log at the next commit',
    ].join('\n'),
  );
});

test('formatTable: no rows gives the header alone', () => {
  assert.is(formatTable([]), 'ID  TS  SESSION  ACTION  STATEMENT');
});

test.run();
