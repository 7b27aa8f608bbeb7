// The replays a merge driver can merge ahead (src/merge-ahead.ts): the leading picks of a rebase's
// or a cherry-pick sequence's todo list.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { upcomingPicks } from '../../src/merge-ahead.ts';

test('upcomingPicks: the picks from the top, up to the first other command', () => {
  const todo = [
    'pick 1a2b3c4 first',
    'p 5d6e7f8 second',
    '',
    '# a comment',
    'pick 0123456789abcdef0123456789abcdef01234567 third',
    'exec npm test',
    'pick 9999999 after the exec',
  ].join('\n');
  assert.equal(upcomingPicks(todo), ['1a2b3c4', '5d6e7f8', '0123456789abcdef0123456789abcdef01234567']);
});

test('upcomingPicks: nothing foreseeable', () => {
  for (const todo of [
    '',
    'edit 1a2b3c4 stop here\npick 5d6e7f8 x',
    'squash 1a2b3c4 x',
    'label onto\nreset onto',
    'pick not-a-sha x',
    'noop',
  ])
    assert.equal(upcomingPicks(todo), [], JSON.stringify(todo));
});

test('upcomingPicks: at most 200', () => {
  const todo = Array.from({ length: 300 }, (_, i) => `pick ${(1_000_000 + i).toString(16)} c${i}`).join('\n');
  assert.is(upcomingPicks(todo).length, 200);
});

test.run();
