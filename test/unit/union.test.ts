// unionLogs: ours kept as is, theirs' new rows appended once, duplicates by uid dropped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unionLogs } from '../../src/merge.ts';
import type { ActionRow, EventRow } from '../../src/rows.ts';

const row = (id: number, uid: string, statement = uid): ActionRow => ({
  id,
  uid,
  session_id: 's',
  ts: '2026-01-01T00:00:00Z',
  action: 'a',
  statement,
  metadata: null,
});
const ev = (uid: string): EventRow => ({ uid, session_id: 's', event: 'start', summary: null, ts: '2026-01-01T00:00:00Z' });

const cases: Array<[string, ActionRow[], ActionRow[], string[], number]> = [
  ['disjoint', [row(1, 'a'), row(2, 'b')], [row(1, 'c')], ['a', 'b', 'c'], 1],
  ['shared base', [row(1, 'base'), row(2, 'ours')], [row(1, 'base'), row(2, 'theirs')], ['base', 'ours', 'theirs'], 1],
  ['identical', [row(1, 'x')], [row(7, 'x')], ['x'], 0],
  ['empty ours', [], [row(1, 'y'), row(2, 'z')], ['y', 'z'], 2],
  ['duplicate uid inside theirs', [row(1, 'a')], [row(1, 'n'), row(2, 'n')], ['a', 'n'], 1],
];

for (const [name, ours, theirs, uids, added] of cases) {
  test(`unionLogs: ${name}`, () => {
    const r = unionLogs({ actions: ours, events: [] }, { actions: theirs, events: [] });
    assert.equal(
      r.contents.actions.map((a) => a.uid),
      uids,
    );
    assert.is(r.added, added);
  });
}

test('unionLogs keeps our rows (ids and data) unchanged and gives theirs fresh ids', () => {
  const r = unionLogs(
    { actions: [row(5, 'same', 'our text')], events: [] },
    { actions: [row(5, 'same', 'their text'), row(5, 'new')], events: [] },
  );
  assert.equal(r.contents.actions, [row(5, 'same', 'our text'), { ...row(5, 'new'), id: null }]);
});

test('unionLogs merges session events by uid too', () => {
  const r = unionLogs({ actions: [], events: [ev('e1')] }, { actions: [], events: [ev('e1'), ev('e2')] });
  assert.equal(
    r.contents.events.map((e) => e.uid),
    ['e1', 'e2'],
  );
  assert.is(r.added, 1);
});

test.run();
