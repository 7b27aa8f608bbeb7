// Terminal tables: display widths in cells, clipping with an ellipsis, columns shrunk to fit the
// terminal (the free text first), cells escaped and folded to one line, colour only when asked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Column, clip, displayWidth, layout, renderTable } from '../../src/read/table.ts';

const widths: Array<[string, number]> = [
  ['abc', 3],
  ['', 0],
  ['日本語', 6],
  ['🚀x', 3],
  ['e\u0301', 1], // e + combining acute
  ['a\u200bb', 2], // zero-width space
  ['한국', 4],
  ['ｆｕｌｌ', 8], // fullwidth Latin
  ['…', 1],
];
for (const [text, w] of widths) {
  test(`displayWidth(${JSON.stringify(text)}) = ${w}`, () => {
    assert.is(displayWidth(text), w);
  });
}

const clips: Array<[string, number, string]> = [
  ['short', 10, 'short'],
  ['exactly10!', 10, 'exactly10!'],
  ['eleven char', 10, 'eleven ch…'],
  ['日本語テキスト', 7, '日本語…'], // 3 wide chars (6 cells) + ellipsis
  ['日本語テキスト', 6, '日本…'], // a wide char never straddles the edge
  ['abc', 1, '…'],
  ['abc', 0, ''],
];
for (const [text, width, out] of clips) {
  test(`clip(${JSON.stringify(text)}, ${width}) = ${JSON.stringify(out)}`, () => {
    assert.is(clip(text, width), out);
    assert.ok(displayWidth(clip(text, width)) <= Math.max(width, 0));
  });
}

const COLS: Column[] = [
  { header: 'ID', shrink: false },
  { header: 'NAME', max: 12, min: 4 },
  { header: 'TEXT', min: 6 },
];
const ROWS = [
  ['1', 'alpha', 'the quick brown fox jumps over the lazy dog'],
  ['22', 'a-rather-long-name', 'short'],
];

test('renderTable without a width: natural widths, capped columns, no trailing spaces', () => {
  assert.is(
    renderTable(COLS, ROWS, { width: null, color: false }),
    ['ID  NAME          TEXT', '1   alpha         the quick brown fox jumps over the lazy dog', '22  a-rather-lo…  short'].join('\n'),
  );
});

const fits: Array<[number, string[]]> = [
  [
    40,
    [
      'ID  NAME          TEXT', //
      '1   alpha         the quick brown fox j…',
      '22  a-rather-lo…  short',
    ],
  ],
  [
    26,
    [
      'ID  NAME        TEXT', //
      '1   alpha       the quick…',
      '22  a-rather-…  short',
    ],
  ],
  [
    // Narrower than the columns' minimums: they all give way, to the last cell.
    10,
    [
      'ID  N…  T…', //
      '1   a…  t…',
      '22  a…  s…',
    ],
  ],
];
for (const [width, lines] of fits) {
  test(`renderTable fits ${width} cells: the widest shrinkable column gives way first, every line within the width`, () => {
    const out = renderTable(COLS, ROWS, { width, color: false });
    assert.is(out, lines.join('\n'));
    for (const line of out.split('\n')) assert.ok(displayWidth(line) <= width, line);
  });
}

test('renderTable escapes hostile cells and keeps every row on one line', () => {
  const out = renderTable(
    [{ header: 'A' }, { header: 'B' }],
    [
      ['\u001b]0;pwned\u0007', 'two\nlines\r\n'],
      ['\u009b2J', 'rtl\u202eoverride'],
      [null, '\u0000'],
    ],
    { width: null, color: false },
  );
  assert.is(
    out,
    [
      'A                 B', //
      '\\x1b]0;pwned\\x07  two lines',
      '\\x9b2J            rtl\\u202eoverride',
      '                  \\x00',
    ].join('\n'),
  );
});

test('renderTable: right-aligned numbers; colour only when asked, never counted as width', () => {
  const cols: Column[] = [
    { header: 'N', align: 'right' },
    { header: 'WHAT', style: (c) => (c === 'hot' ? 'red' : null) },
  ];
  const rows = [
    ['7', 'hot'],
    ['1234', 'cold'],
  ];
  const plain = renderTable(cols, rows, { width: null, color: false });
  assert.is(plain, ['   N  WHAT', '   7  hot', '1234  cold'].join('\n'));
  const coloured = renderTable(cols, rows, { width: null, color: true });
  assert.ok(coloured.includes('\u001b[1mWHAT\u001b[22m'), coloured);
  assert.ok(coloured.includes('\u001b[31mhot\u001b[39m'), coloured);
  // Without the escape codes, the same text as the plain table.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping SGR codes to compare
  assert.is(coloured.replace(/\u001b\[[0-9;]*m/g, ''), plain);
});

test('layout: columns with a drop rank are hidden, lowest rank first, before anything is cut to the bone', () => {
  const cols: Column[] = [
    { header: 'WHEN', shrink: false },
    { header: 'WHO', drop: 2 },
    { header: 'WHERE', drop: 1 },
    { header: 'WHAT', min: 6 },
  ];
  const rows = [['2026-01-02 03:04:05', 'someone', 'somewhere', 'did something rather long']];
  assert.equal(layout(cols, rows, null), [19, 7, 9, 25]);
  assert.equal(layout(cols, rows, 45), [19, 7, 0, 15]);
  assert.equal(layout(cols, rows, 40), [19, 7, 0, 10]);
  assert.equal(layout(cols, rows, 27), [19, 0, 0, 6]);
  // Narrower than that: even the column that must not shrink gives way, so every line fits.
  assert.equal(layout(cols, rows, 20), [12, 0, 0, 6]);
  assert.is(renderTable(cols, rows, { width: 27, color: false }), ['WHEN                 WHAT', '2026-01-02 03:04:05  did s…'].join('\n'));
  for (const line of renderTable(cols, rows, { width: 20, color: false }).split('\n')) assert.ok(displayWidth(line) <= 20, line);
});

test('layout: a column that must not shrink keeps its width', () => {
  assert.equal(layout([{ header: 'TS', shrink: false }, { header: 'X' }], [['2026-01-01 00:00:00', 'x'.repeat(50)]], 30), [19, 9]);
});

test.run();
