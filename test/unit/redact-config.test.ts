// The redaction section of the config: every mistake is an error that names the file and the key
// (down to the list entry) and says what is expected; a valid section is frozen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_CONFIG, validateConfig } from '../../src/config.ts';
import { CodexlogError } from '../../src/errors.ts';
import { thrown } from '../helpers/expect.ts';

const FILE = '/repo/codexlog.config.json';
const invalid = (key: string, problem: string) =>
  `Invalid config in ${FILE}: "${key}" ${problem}. Fix that key (see the README's Config section).`;

const cases: Array<[string, unknown, string, string]> = [
  ['redaction as an array', [], 'redaction', 'must be an object'],
  ['an unknown key', { pattern: [] }, 'redaction.pattern', 'is not a known key (known: patterns, allow, secretlint)'],
  ['patterns as an object', { patterns: {} }, 'redaction.patterns', 'must be an array'],
  [
    'a pattern as a string',
    { patterns: ['ACME-[0-9]+'] },
    'redaction.patterns[0]',
    'must be an object like {"name": "acme", "regex": "ACME-[0-9]{8}"}',
  ],
  [
    'a pattern without a name',
    { patterns: [{ regex: 'x+' }] },
    'redaction.patterns[0].name',
    'must be a name of letters, digits, ".", "_" or "-" (at most 64 characters)',
  ],
  [
    'a name with a space',
    { patterns: [{ name: 'my key', regex: 'x+' }] },
    'redaction.patterns[0].name',
    'must be a name of letters, digits, ".", "_" or "-" (at most 64 characters)',
  ],
  [
    'a repeated name',
    {
      patterns: [
        { name: 'a', regex: 'x+' },
        { name: 'a', regex: 'y+' },
      ],
    },
    'redaction.patterns[1].name',
    'repeats the name "a"; each pattern needs its own',
  ],
  [
    'an unknown pattern key',
    { patterns: [{ name: 'a', regex: 'x+', group: 1 }] },
    'redaction.patterns[0].group',
    'is not a known key (known: name, regex, flags)',
  ],
  ['a missing regex', { patterns: [{ name: 'a' }] }, 'redaction.patterns[0].regex', 'must be a non-empty regular expression (a string)'],
  [
    'a bad regex',
    { patterns: [{ name: 'acme', regex: 'ACME-[0-9{8}' }] },
    'redaction.patterns[0].regex',
    'is not a valid regular expression (Invalid regular expression: /ACME-[0-9{8}/: Unterminated character class)',
  ],
  [
    'a regex matching nothing',
    { patterns: [{ name: 'a', regex: 'x*' }] },
    'redaction.patterns[0].regex',
    'matches the empty string; it must match at least one character',
  ],
  [
    'a bad flag',
    { patterns: [{ name: 'a', regex: 'x', flags: 'g' }] },
    'redaction.patterns[0].flags',
    'must be a string of the flags i, m, s, u',
  ],
  ['allow as a string', { allow: 'pk_test_.*' }, 'redaction.allow', 'must be an array'],
  ['an allow entry that is not a string', { allow: ['ok', 5] }, 'redaction.allow[1]', 'must be a non-empty regular expression (a string)'],
  [
    'a bad allow regex',
    { allow: ['(unclosed'] },
    'redaction.allow[0]',
    'is not a valid regular expression (Invalid regular expression: /(unclosed/: Unterminated group)',
  ],
  [
    'an allow regex that allows everything',
    { allow: ['.*'] },
    'redaction.allow[0]',
    'matches the empty string; it must match at least one character',
  ],
  ['secretlint as a string', { secretlint: 'no' }, 'redaction.secretlint', 'must be true or false'],
];
for (const [name, redaction, key, problem] of cases) {
  test(`redaction: ${name} is an error naming the file and "${key}"`, () => {
    const e = thrown(() => validateConfig({ redaction }, FILE), CodexlogError);
    assert.is(e.message, invalid(key, problem));
  });
}

test('redaction: defaults, and a full section kept as given and frozen', () => {
  assert.equal(validateConfig({ redaction: {} }, FILE).redaction, { patterns: [], allow: [], secretlint: true });
  assert.equal(DEFAULT_CONFIG.redaction, { patterns: [], allow: [], secretlint: true });
  const c = validateConfig(
    {
      redaction: {
        patterns: [
          { name: 'acme', regex: 'ACME-[0-9]{8}' },
          { name: 'v.2', regex: 'k=(?<secret>\\w+)', flags: 'iu' },
        ],
        allow: ['pk_test_\\w+'],
        secretlint: false,
      },
    },
    FILE,
  );
  assert.equal(c.redaction, {
    patterns: [
      { name: 'acme', regex: 'ACME-[0-9]{8}', flags: '' },
      { name: 'v.2', regex: 'k=(?<secret>\\w+)', flags: 'iu' },
    ],
    allow: ['pk_test_\\w+'],
    secretlint: false,
  });
  assert.ok(Object.isFrozen(c.redaction.patterns[0]));
});

test.run();
