// The pure parts of the history check and `restore` (issue 11): what a commit did to the log
// against its first parent, from git's raw diff, and the git.restore row restore adds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type LogStep, logStep, restoreDroppedRow } from '../../src/dropped.ts';
import type { RawChange } from '../../src/git/parse.ts';

const Z = '0'.repeat(40);
const blob = (c: string) => c.repeat(40);
const change = (status: string, before: string, after: string, path: string): RawChange => ({ status, before, after, path });
const SEG_A = '20260101T000000Z-0123456789abcdef0123456789abcdef.db';
const SEG_B = '20260102T000000Z-fedcba9876543210fedcba9876543210.db';
const oids: Record<string, string> = { [blob('1')]: 'p'.repeat(64), [blob('2')]: 'c'.repeat(64) };
const steps: Array<[string, RawChange[], LogStep | null]> = [
  ['the log untouched', [change('M', blob('1'), blob('2'), 'README.md')], null],
  ['the log added', [change('A', Z, blob('2'), 'databases/codex_log.db')], null],
  [
    'the log changed',
    [change('M', blob('1'), blob('2'), 'databases/codex_log.db')],
    { parentLog: 'p'.repeat(64), childLog: 'c'.repeat(64), added: [], removed: [] },
  ],
  [
    'the log deleted',
    [change('D', blob('1'), Z, 'databases/codex_log.db')],
    { parentLog: 'p'.repeat(64), childLog: null, added: [], removed: [] },
  ],
  [
    'a segment sealed and one removed beside the log',
    [
      change('M', blob('1'), blob('2'), 'databases/codex_log.db'),
      change('A', Z, blob('3'), `databases/codex_log.segments/${SEG_A}`),
      change('D', blob('4'), Z, `databases/codex_log.segments/${SEG_B}`),
      change('A', Z, blob('5'), 'databases/codex_log.segments/notes.txt'),
    ],
    { parentLog: 'p'.repeat(64), childLog: 'c'.repeat(64), added: [SEG_A], removed: [SEG_B] },
  ],
  ['the log not an LFS pointer', [change('M', blob('9'), blob('2'), 'databases/codex_log.db')], null],
  ['a segment removed while the log stays', [change('D', blob('4'), Z, `databases/codex_log.segments/${SEG_B}`)], null],
];
for (const [name, changes, expected] of steps) {
  test(`logStep: ${name}`, () =>
    assert.equal(
      logStep(changes, 'databases/codex_log.db', 'databases/codex_log.segments', (b) => oids[b] ?? null),
      expected,
    ));
}

test('restoreDroppedRow: a git.restore row naming the commit and the log the rows came from', () => {
  const row = restoreDroppedRow({ actions: 4, events: 1 }, 'f'.repeat(40), 'a'.repeat(64));
  assert.match(row.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(Math.abs(Date.parse(row.ts ?? '') - Date.now()) < 60_000, row.ts ?? '');
  assert.equal(
    { ...row, uid: '', ts: '' },
    {
      uid: '',
      ts: '',
      session_id: null,
      action: 'git.restore',
      statement: `put back 5 rows that ${'f'.repeat(12)} dropped (a rebase replayed it without the merge driver)`,
      metadata: JSON.stringify({ actions: 4, events: 1, droppedBy: 'f'.repeat(40), fromLog: 'a'.repeat(64) }),
    },
  );
});

test.run();
