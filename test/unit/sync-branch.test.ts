// The pure parts of sync-branch (issue 11): its command line, branch names, which conflicts the
// merge driver resolves, and the driver command passed with `git -c`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSyncArgs } from '../../src/cli/commands/sync-branch.ts';
import { UsageError } from '../../src/errors.ts';
import {
  classifyConflicts,
  FALLBACK_IDENTITY,
  isBranchName,
  SYNC_REFUSED_EXIT,
  SyncRefusedError,
  syncDriverCommand,
} from '../../src/sync-branch.ts';
import { thrown } from '../helpers/expect.ts';

const USAGE = 'Usage: codexlog-hooks sync-branch [--base <branch>] [--push]';

const args: Array<[string, string[], { base: string | null; push: boolean }]> = [
  ['nothing: the remote default branch, no push', [], { base: null, push: false }],
  ['--push', ['--push'], { base: null, push: true }],
  ['--base', ['--base', 'main'], { base: 'main', push: false }],
  ['--base= and --push', ['--base=release/2.x', '--push'], { base: 'release/2.x', push: true }],
];
for (const [name, argv, expected] of args) test(`parseSyncArgs: ${name}`, () => assert.equal(parseSyncArgs(argv), expected));

const badArgs: Array<[string, string[], string]> = [
  ['a positional', ['main'], 'Too many arguments.'],
  ['an unknown flag', ['--force'], "Unknown option '--force'."],
  ['--base without a value', ['--base'], "Option '--base <value>' argument missing"],
  ['--push with a value', ['--push=yes'], "Option '--push' does not take an argument"],
  ['--base empty', ['--base='], '--base : expected a branch name of the remote, such as main.'],
  ['--base with a space', ['--base', 'my branch'], '--base my branch: expected a branch name of the remote, such as main.'],
  ['--base with ..', ['--base', 'a..b'], '--base a..b: expected a branch name of the remote, such as main.'],
];
for (const [name, argv, message] of badArgs) {
  test(`parseSyncArgs refuses ${name}`, () => {
    const e = thrown(() => parseSyncArgs(argv), UsageError);
    assert.equal([e.message, e.detail, e.exitCode], [message, USAGE, 2]);
  });
}

const names: Array<[string, boolean]> = [
  ['main', true],
  ['release/2.x', true],
  ['feature/JIRA-12_fix', true],
  ['v1.0', true],
  ['', false],
  ['-x', false],
  ['/main', false],
  ['main/', false],
  ['a//b', false],
  ['a..b', false],
  ['.hidden', false],
  ['a/.b', false],
  ['a.lock', false],
  ['a.lock/b', false],
  ['ends.', false],
  ['a b', false],
  ['a~1', false],
  ['a^', false],
  ['a:b', false],
  ['a?', false],
  ['a*', false],
  ['a[1]', false],
  ['a\\b', false],
  ['a@{1}', false],
  ['@', false],
  ['tab\there', false],
  ['del\x7f', false],
];
for (const [name, ok] of names) test(`isBranchName(${JSON.stringify(name)}) is ${ok}`, () => assert.is(isBranchName(name), ok));

const LOG = { dbs: ['databases/codex_log.db', 'databases/codex_session_logs.db'], segmentsDir: 'databases/codex_log.segments' };
const conflicts: Array<[string, string[], { log: string[]; other: string[] }]> = [
  ['nothing', [], { log: [], other: [] }],
  [
    'only the log: the driver merges both',
    ['databases/codex_log.db', 'databases/codex_session_logs.db'],
    { log: ['databases/codex_log.db', 'databases/codex_session_logs.db'], other: [] },
  ],
  [
    'the log and a source file',
    ['README.md', 'databases/codex_log.db', 'databases/codex_session_logs.db'],
    { log: ['databases/codex_log.db', 'databases/codex_session_logs.db'], other: ['README.md'] },
  ],
  ['.gitattributes is not the log', ['.gitattributes'], { log: [], other: ['.gitattributes'] }],
  [
    'a segment is not merged by the driver',
    ['databases/codex_log.segments/x.db'],
    { log: [], other: ['databases/codex_log.segments/x.db'] },
  ],
  ['a file with the same name elsewhere', ['other/databases/codex_log.db'], { log: [], other: ['other/databases/codex_log.db'] }],
];
for (const [name, paths, expected] of conflicts)
  test(`classifyConflicts: ${name}`, () => assert.equal(classifyConflicts(paths, LOG), expected));

test('syncDriverCommand: node and the entry quoted for sh, then the four placeholders', () => {
  assert.is(
    syncDriverCommand('/usr/bin/node', '/ci/node_modules/codexlog-hooks/bin/codexlog-hooks.js'),
    "'/usr/bin/node' '/ci/node_modules/codexlog-hooks/bin/codexlog-hooks.js' merge-driver %O %A %B %P",
  );
  assert.is(
    syncDriverCommand("/opt/my node's/node", '/a b/$HOME/`x`.js'),
    `'/opt/my node'\\''s/node' '/a b/$HOME/\`x\`.js' merge-driver %O %A %B %P`,
  );
});

test('a refusal that needs a person exits 3 and names the files', () => {
  const e = new SyncRefusedError('why', ['README.md']);
  assert.equal([e.exitCode, SYNC_REFUSED_EXIT, e.files, e.message], [3, 3, ['README.md'], 'why']);
  assert.equal(FALLBACK_IDENTITY, { name: 'codexlog-hooks sync', email: 'sync@codexlog.invalid' });
});

test.run();
