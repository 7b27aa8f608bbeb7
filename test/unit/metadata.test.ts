// Metadata as the API (normalizeMetadata) and the CLI (--metadata) store it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMetadataFlag } from '../../src/cli/commands/record.ts';
import { normalizeMetadata } from '../../src/rows.ts';

const apiCases: Array<[string, unknown, string | null]> = [
  ['undefined', undefined, null],
  ['null', null, null],
  ['a string, as is', 'plain text', 'plain text'],
  ['an empty string, as is', '', ''],
  ['a JSON-looking string, untouched', '{ "a" : 1 }', '{ "a" : 1 }'],
  ['an object, as JSON', { a: 1, b: 'x' }, '{"a":1,"b":"x"}'],
  ['a nested object', { a: { b: [1, null] } }, '{"a":{"b":[1,null]}}'],
  ['an array', [1, 'two', false], '[1,"two",false]'],
  ['an empty object', {}, '{}'],
  ['a JSON string with whitespace around: trimmed, not rewritten', '  { "a" : 1 }\n', '{ "a" : 1 }'],
  ['free text with whitespace around: as given', '  note  ', '  note  '],
  ['a number', 42, '42'],
  ['a boolean', false, 'false'],
  ['unicode', { s: 'é ✓' }, '{"s":"é ✓"}'],
];
for (const [name, value, expected] of apiCases) {
  test(`normalizeMetadata: ${name}`, () => {
    assert.is(normalizeMetadata(value), expected);
  });
}

const flagCases: Array<[string, string | undefined, string | null]> = [
  ['absent', undefined, null],
  ['plain text', 'ran the tests', 'ran the tests'],
  ['empty', '', ''],
  ['an object, as written', '{ "a": 1,  "b": [true] }', '{ "a": 1,  "b": [true] }'],
  ['an array with spaces around: trimmed', '  [1, 2 ]  ', '[1, 2 ]'],
  ['a big integer keeps its digits', '{"id":12345678901234567890123}', '{"id":12345678901234567890123}'],
  ['a number beyond double stays as written', '{"x":1e400}', '{"x":1e400}'],
  ['a key given twice stays twice', '{"a":1,"a":2}', '{"a":1,"a":2}'],
  ['precise decimals unchanged', '[0.1000000000000000055511151231257827]', '[0.1000000000000000055511151231257827]'],
  ['broken JSON kept as written', '{not json', '{not json'],
  ['broken JSON with spaces kept exactly', ' [1, ', ' [1, '],
  ['a number stays text', '42', '42'],
  ['a JSON string stays text', '"quoted"', '"quoted"'],
  ['true stays text', 'true', 'true'],
];
for (const [name, value, expected] of flagCases) {
  test(`parseMetadataFlag: ${name}`, () => {
    assert.is(parseMetadataFlag(value), expected);
  });
}

test.run();
