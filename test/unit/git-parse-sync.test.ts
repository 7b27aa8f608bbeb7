// The parsers of git output that sync-branch and the history check read (src/git/parse.ts), as
// tables of cases taken from git 2.39's real output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMergeTreeZ, parseRawLogZ, parseSymrefHead, type RawCommit } from '../../src/git/parse.ts';
import { thrown } from '../helpers/expect.ts';

const TREE = 'ab5ea4819ca6b1efbbfd76f848d53d50eb26f923';
const mergeTrees: Array<[string, string, { tree: string; conflicts: string[] }]> = [
  ['clean: the tree alone', `${TREE}\0`, { tree: TREE, conflicts: [] }],
  ['two conflicts', `${TREE}\0f1\0newf\0`, { tree: TREE, conflicts: ['f1', 'newf'] }],
  [
    'odd names stay whole, a path listed twice once',
    `${TREE}\0a b\0new\nline\0a b\0databases/codex_log.db\0`,
    { tree: TREE, conflicts: ['a b', 'new\nline', 'databases/codex_log.db'] },
  ],
];
for (const [name, text, expected] of mergeTrees) test(`parseMergeTreeZ: ${name}`, () => assert.equal(parseMergeTreeZ(text), expected));

const symrefs: Array<[string, string, string | null]> = [
  ['a default branch', 'ref: refs/heads/main\tHEAD\n3a97d5ffa54000334478520acd352fc3092a8969\tHEAD\n', 'main'],
  ['a branch with slashes', 'ref: refs/heads/release/2.x\tHEAD\n3a97\tHEAD\n', 'release/2.x'],
  ['a detached remote HEAD', '3a97d5ffa54000334478520acd352fc3092a8969\tHEAD\n', null],
  ['nothing (an empty remote)', '', null],
  ['a symref that is not a branch', 'ref: refs/tags/v1\tHEAD\n', null],
];
for (const [name, text, expected] of symrefs) test(`parseSymrefHead: ${name}`, () => assert.is(parseSymrefHead(text), expected));

const A = 'caff5f73077fab8f368a35c130aa2bfa60549ca3';
const P1 = '706f6d3186d8c959df01606ceb1e909ff8cb89d2';
const P2 = '42ba3c208db7b9db1ac9017f3bcc3cd33449d745';
const B1 = 'd00491fd7e5bb6fa28c517a0bb32b8b506539d4d';
const B2 = '587be6b4c3f93f93c489c0111bba559614a26cb5';
const Z = '0000000000000000000000000000000000000000';
const logs: Array<[string, string, RawCommit[]]> = [
  ['no commit', '', []],
  [
    // As git prints it: the format, a NUL, a newline, then ":modes blobs status\0path\0" per change.
    'a merge (diff against its first parent) and a root commit',
    `\x01${A} ${P1} ${P2}\0\n:100644 100644 ${B1} ${B2} M\0databases/codex_log.db\0:000000 100644 ${Z} ${B2} A\0databases/codex_log.segments/s.db\0` +
      `\x01${P1}\0\n:000000 100644 ${Z} ${B1} A\0databases/codex_log.db\0`,
    [
      {
        sha: A,
        parents: [P1, P2],
        changes: [
          { status: 'M', before: B1, after: B2, path: 'databases/codex_log.db' },
          { status: 'A', before: Z, after: B2, path: 'databases/codex_log.segments/s.db' },
        ],
      },
      { sha: P1, parents: [], changes: [{ status: 'A', before: Z, after: B1, path: 'databases/codex_log.db' }] },
    ],
  ],
  [
    'a deletion, a type change and a path with a newline',
    `\x01${A} ${P1}\0\n:100644 000000 ${B1} ${Z} D\0x\ny\0:100644 120000 ${B1} ${B2} T\0l\0`,
    [
      {
        sha: A,
        parents: [P1],
        changes: [
          { status: 'D', before: B1, after: Z, path: 'x\ny' },
          { status: 'T', before: B1, after: B2, path: 'l' },
        ],
      },
    ],
  ],
];
for (const [name, text, expected] of logs) test(`parseRawLogZ: ${name}`, () => assert.equal(parseRawLogZ(text), expected));

test('parseRawLogZ: an entry it does not know is an error, not a silent skip', () => {
  const e = thrown(() => parseRawLogZ(`\x01${A} ${P1}\0\n:100644 100644 ${B1} ${B2} M3x\0p\0`));
  assert.match(e.message, /unexpected entry/);
});

test.run();
