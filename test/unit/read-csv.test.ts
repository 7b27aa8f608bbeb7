// CSV as RFC 4180 says, checked against a strict reader: quoting, doubled quotes, CRLF, and data
// (control characters included) kept exactly as stored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvField, csvRecord } from '../../src/read/csv.ts';
import { parseCsv } from '../helpers/csv.ts';

const fields: Array<[string, unknown, string]> = [
  ['plain', 'abc', 'abc'],
  ['null is empty', null, ''],
  ['undefined is empty', undefined, ''],
  ['a number', 12.5, '12.5'],
  ['zero', 0, '0'],
  ['a boolean', true, 'true'],
  ['a comma', 'a,b', '"a,b"'],
  ['a quote, doubled', 'say "hi"', '"say ""hi"""'],
  ['a line break', 'a\nb', '"a\nb"'],
  ['CRLF', 'a\r\nb', '"a\r\nb"'],
  ['a lone CR', 'a\rb', '"a\rb"'],
  ['ESC and BEL stay as data', '\u001b]0;t\u0007', '\u001b]0;t\u0007'],
  ['C1 and RTL stay as data', '\u009b\u202e', '\u009b\u202e'],
  ['a blob', Buffer.from([0, 255]), "x'00ff'"],
  ['leading and trailing spaces are kept', ' a ', ' a '],
  ['JSON metadata', '{"a":[1,"b"]}', '"{""a"":[1,""b""]}"'],
  // Text a spreadsheet would run as a formula gets a leading ' (OWASP); numbers stay numbers.
  ['a formula (=)', '=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
  ['a formula (+)', '+1+1', "'+1+1"],
  ['a formula (-)', "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
  ['a formula (@)', '@SUM(1,2)', '"\'@SUM(1,2)"'],
  ['a leading tab', '\t=1', "'\t=1"],
  ['a leading CR, quoted', '\r=1', '"\'\r=1"'],
  ['a negative number stays a number', -3, '-3'],
  ['a formula character later on: as is', 'a=b-c', 'a=b-c'],
  ['a leading space before =: as is', ' =1', ' =1'],
];
for (const [name, value, out] of fields) {
  test(`csvField: ${name}`, () => {
    assert.is(csvField(value), out);
  });
}

test('csvRecord: fields joined by commas, ending in CRLF; a strict reader gets every value back', () => {
  const values = ['id', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '', '\u001b[2J\u009b\u202e\u0000', '<script>alert(1)</script>'];
  const text = csvRecord(values) + csvRecord(['x', null, 3]);
  assert.ok(text.endsWith('\r\n'));
  assert.equal(parseCsv(text), [values, ['x', '', '3']]);
});

test('the strict test reader refuses what RFC 4180 does not allow', () => {
  for (const bad of ['a,b\n', 'a"b\r\n', '"a\r\n', 'a,b']) {
    let threw = false;
    try {
      parseCsv(bad);
    } catch {
      threw = true;
    }
    assert.ok(threw, JSON.stringify(bad));
  }
});

test.run();
