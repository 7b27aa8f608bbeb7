// What the CLI's edge decides about its terminal (width, colour with NO_COLOR honoured, progress
// on a TTY only), and the progress line it draws on stderr.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { progressLine, progressText } from '../../src/cli/progress.ts';
import { type StreamFacts, type Terminal, terminalOf } from '../../src/cli/terminal.ts';

const cases: Array<[string, StreamFacts, NodeJS.ProcessEnv, Terminal]> = [
  [
    'a terminal 120 wide',
    { stdoutIsTTY: true, stderrIsTTY: true, columns: 120 },
    {},
    { width: 120, color: true, stdoutIsTTY: true, stderrIsTTY: true },
  ],
  [
    'NO_COLOR set (any value)',
    { stdoutIsTTY: true, stderrIsTTY: true, columns: 100 },
    { NO_COLOR: '1' },
    { width: 100, color: false, stdoutIsTTY: true, stderrIsTTY: true },
  ],
  [
    'NO_COLOR empty does not count',
    { stdoutIsTTY: true, columns: 100 },
    { NO_COLOR: '' },
    { width: 100, color: true, stdoutIsTTY: true, stderrIsTTY: false },
  ],
  ['TERM=dumb', { stdoutIsTTY: true, columns: 90 }, { TERM: 'dumb' }, { width: 90, color: false, stdoutIsTTY: true, stderrIsTTY: false }],
  [
    'a pipe: no colour, no width',
    { stdoutIsTTY: false, stderrIsTTY: false },
    {},
    { width: null, color: false, stdoutIsTTY: false, stderrIsTTY: false },
  ],
  [
    'a pipe with COLUMNS',
    { stdoutIsTTY: false, stderrIsTTY: true },
    { COLUMNS: '72' },
    { width: 72, color: false, stdoutIsTTY: false, stderrIsTTY: true },
  ],
  ['a bad COLUMNS is ignored', {}, { COLUMNS: 'wide' }, { width: null, color: false, stdoutIsTTY: false, stderrIsTTY: false }],
  [
    'a terminal whose width is unknown',
    { stdoutIsTTY: true, columns: 0 },
    {},
    { width: 80, color: true, stdoutIsTTY: true, stderrIsTTY: false },
  ],
  [
    'a terminal whose width is unknown, COLUMNS set',
    { stdoutIsTTY: true },
    { COLUMNS: '132' },
    { width: 132, color: true, stdoutIsTTY: true, stderrIsTTY: false },
  ],
];
for (const [name, streams, env, expected] of cases) {
  test(`terminalOf: ${name}`, () => {
    assert.equal(terminalOf(streams, env), expected);
  });
}

test('progressText: with and without a total', () => {
  assert.is(progressText('exporting rows', 12_345, 100_000), 'exporting rows: 12,345 / 100,000 (12%)');
  assert.is(progressText('exporting rows', 5, null), 'exporting rows: 5');
  assert.is(progressText('x', 7, 0), 'x: 7');
  assert.is(progressText('x', 11, 10), 'x: 11 / 10 (100%)');
});

test('progressLine: nothing at all when stderr is not a terminal', () => {
  const written: string[] = [];
  const p = progressLine('x', (t) => written.push(t), { tty: false });
  p.update(1, 2);
  p.end();
  assert.is(p.enabled, false);
  assert.equal(written, []);
});

test('progressLine on a terminal: redrawn in place at most every interval, the last step always, cleared at the end', () => {
  const written: string[] = [];
  let now = 0;
  const p = progressLine('rows', (t) => written.push(t), { tty: true, interval: 100, now: () => now });
  assert.is(p.enabled, true);
  p.update(10, 40); // drawn
  now = 50;
  p.update(20, 40); // too soon
  now = 150;
  p.update(30, 40); // drawn
  now = 160;
  p.update(40, 40); // the end: drawn however soon
  p.end();
  assert.equal(written, ['\rrows: 10 / 40 (25%)\u001b[K', '\rrows: 30 / 40 (75%)\u001b[K', '\rrows: 40 / 40 (100%)\u001b[K', '\r\u001b[K']);
});

test.run();
