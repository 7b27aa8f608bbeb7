// Text from the log made safe to show: control, C1 and bidirectional characters escaped for the
// terminal, JSON that escapes them losslessly, JSON that cannot end an HTML script element, HTML.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeControl, escapeHtml, inline, safeJson, scriptJson } from '../../src/read/escape.ts';
import { UNSAFE } from '../helpers/unsafe.ts';

/** Every character a terminal or a bidi-aware renderer would act on. */

// name, input, escapeControl(input), inline(input)
const cases: Array<[string, string, string, string]> = [
  ['plain text', 'npm test -- --watch', 'npm test -- --watch', 'npm test -- --watch'],
  ['empty', '', '', ''],
  ['ESC: a window-title (OSC) sequence ended by BEL', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07', '\\x1b]0;pwned\\x07'],
  ['ESC: clear the screen (CSI 2J) and home', '\u001b[2J\u001b[H', '\\x1b[2J\\x1b[H', '\\x1b[2J\\x1b[H'],
  ['a fake prompt after a carriage return', 'ok\r$ rm -rf /', 'ok\\x0d$ rm -rf /', 'ok $ rm -rf /'],
  ['BEL alone', 'ding\u0007', 'ding\\x07', 'ding\\x07'],
  ['C1 CSI (U+009B), one byte in 8-bit terminals', '\u009b31mred', '\\x9b31mred', '\\x9b31mred'],
  ['C1 OSC (U+009D) and ST (U+009C)', '\u009d0;t\u009c', '\\x9d0;t\\x9c', '\\x9d0;t\\x9c'],
  ['NUL and DEL', 'a\u0000b\u007fc', 'a\\x00b\\x7fc', 'a\\x00b\\x7fc'],
  ['RTL override hides what follows', 'file\u202etxt.exe', 'file\\u202etxt.exe', 'file\\u202etxt.exe'],
  [
    'bidi isolates and marks',
    '\u2066a\u2069\u200e\u200f\u061c',
    '\\u2066a\\u2069\\u200e\\u200f\\u061c',
    '\\u2066a\\u2069\\u200e\\u200f\\u061c',
  ],
  ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c', 'a b c'],
  ['tabs and newlines: escaped, or folded into one space inline', 'a\n\tb  c\r\n', 'a\\x0a\\x09b  c\\x0d\\x0a', 'a b c'],
  ['NEL (U+0085) is a C1 control, and whitespace', 'a\u0085b', 'a\\x85b', 'a b'],
  ['HTML is no concern of the terminal', '<script>alert(1)</script>', '<script>alert(1)</script>', '<script>alert(1)</script>'],
  ['non-ASCII text stays', 'café 日本語 🚀 ü', 'café 日本語 🚀 ü', 'café 日本語 🚀 ü'],
  ['a backslash stays a backslash', 'C:\\dir\\x1b', 'C:\\dir\\x1b', 'C:\\dir\\x1b'],
];
for (const [name, input, escaped, oneLine] of cases) {
  test(`escapeControl and inline: ${name}`, () => {
    assert.is(escapeControl(input), escaped);
    assert.is(inline(input), oneLine);
    assert.not.match(escapeControl(input), UNSAFE);
    assert.not.match(inline(input), UNSAFE);
  });
}

test('escapeControl keeps only the characters asked for', () => {
  assert.is(escapeControl('a\nb\tc\r\u001b', '\n'), 'a\nb\\x09c\\x0d\\x1b');
  assert.is(escapeControl('a\nb\tc', '\n\t'), 'a\nb\tc');
});

test('inline: null and undefined are empty; a very long value is escaped whole', () => {
  assert.is(inline(null), '');
  assert.is(inline(undefined), '');
  const long = `${'\u001b[31m'.repeat(10_000)}end`;
  const out = inline(long);
  assert.is(out, `${'\\x1b[31m'.repeat(10_000)}end`);
  assert.not.match(out, UNSAFE);
});

const hostile = {
  esc: '\u001b]0;title\u0007\u001b[2J',
  c1: '\u009b31m\u0085\u009f',
  bidi: 'a\u202eb\u2066c\u2028d\u2029',
  nul: 'a\u0000b',
  del: '\u007f',
  html: '</script><script>alert(1)</script><!--',
  quotes: '"\'\\',
  unicode: 'é日🚀',
  lone: '\ud800x',
  nested: { list: ['\u001b', '\u009b', 1, null, true] },
};

test('safeJson: valid JSON holding the same data, with no raw unsafe character', () => {
  for (const indent of [undefined, 2]) {
    const text = safeJson(hostile, indent);
    // Indented JSON has line breaks of its own, between values; none inside a string.
    assert.not.match(text.replace(/\n {0,6}/g, ''), UNSAFE);
    assert.equal(JSON.parse(text), hostile);
  }
  assert.is(safeJson('\u009b'), '"\\u009b"');
  assert.is(safeJson('\u202e'), '"\\u202e"');
  assert.is(safeJson('\u001b'), '"\\u001b"');
  assert.is(safeJson(undefined), 'null');
});

test('scriptJson: no `<` at all (nothing can close the script element or open a comment); parses back to the same data', () => {
  const text = scriptJson(hostile);
  assert.not.ok(text.includes('<'), text);
  assert.not.match(text, UNSAFE);
  assert.equal(JSON.parse(text), hostile);
  assert.is(scriptJson('</script>'), '"\\u003c/script>"');
});

test('escapeHtml: the five characters that matter, nothing else', () => {
  assert.is(escapeHtml(`<img src=x onerror="alert('1')">&amp;`), '&#60;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&#62;&#38;amp;');
  assert.is(escapeHtml('plain é'), 'plain é');
});

test.run();
