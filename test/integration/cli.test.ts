// The built CLI's contract: usage errors exit 2 with the usage text, --help and --version exit 0,
// and a usage error never creates or writes anything (in the work tree or the git dir).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messages } from '../../src/messages.ts';
import { logJson } from '../helpers/log.ts';
import { BIN, listFiles, ROOT, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const USAGE = {
  record: 'record <action> <statement> [--metadata <text|json>] [--session <id>]',
  session: 'session start [--id <id>] | session end [--summary <text>]',
  finalize: 'finalize',
  log: 'log [--session <id>] [--action <name>] [--since <time>] [--limit <n>] [--json]',
};

const { repo } = throwawayRepos(test);
let r: TestRepo;
test.before.each(() => {
  r = repo();
});

/** Nothing in the work tree, nothing in the git dir's state folder (where records wait). */
function nothingWritten(): void {
  assert.equal(listFiles(r.dir), []);
  assert.not.ok(existsSync(path.join(r.dir, '.git', 'codexlog')), '.git/codexlog was created');
}

function usageError(args: string[], stderr: string): void {
  const out = r.cli(args);
  assert.equal([out.status, out.stdout, out.stderr], [2, '', stderr], args.join(' '));
}

const cases: Array<[string, string[], string]> = [
  ['unknown flag on log', ['log', '--bogus'], `Unknown option '--bogus'.\nUsage: codexlog-hooks ${USAGE.log}`],
  [
    'unknown short flag on record',
    ['record', 'a', 'b', '-x'],
    `Unknown option '-x'.\ncodexlog-hooks: A value starting with '-' goes after \`--\`: codexlog-hooks record a b -- -x\nUsage: codexlog-hooks ${USAGE.record}`,
  ],
  [
    'a statement that looks like options',
    ['record', 'tool', '-rf /'],
    `Unknown option '-r'.\ncodexlog-hooks: A value starting with '-' goes after \`--\`: codexlog-hooks record tool -- '-rf /'\nUsage: codexlog-hooks ${USAGE.record}`,
  ],
  ['unknown flag on finalize', ['finalize', '--force'], `Unknown option '--force'.\nUsage: codexlog-hooks ${USAGE.finalize}`],
  [
    'a flag without its value',
    ['record', 'a', 'b', '--session'],
    `Option '--session <value>' argument missing\nUsage: codexlog-hooks ${USAGE.record}`,
  ],
  ['a boolean flag given a value', ['log', '--json=yes'], `Option '--json' does not take an argument\nUsage: codexlog-hooks ${USAGE.log}`],
  ['record without arguments', ['record'], `Missing <action> and <statement>.\nUsage: codexlog-hooks ${USAGE.record}`],
  ['record without a statement', ['record', 'edit'], `Missing <statement>.\nUsage: codexlog-hooks ${USAGE.record}`],
  ['record with too many arguments', ['record', 'a', 'b', 'c'], `Too many arguments.\nUsage: codexlog-hooks ${USAGE.record}`],
  ['session without start or end', ['session'], `Missing start or end.\nUsage: codexlog-hooks ${USAGE.session}`],
  ['session with another verb', ['session', 'pause'], `Unknown session command "pause".\nUsage: codexlog-hooks ${USAGE.session}`],
  [
    'session start --summary',
    ['session', 'start', '--summary', 'x'],
    `--summary belongs to session end.\nUsage: codexlog-hooks ${USAGE.session}`,
  ],
  ['session end --id', ['session', 'end', '--id', 'x'], `--id belongs to session start.\nUsage: codexlog-hooks ${USAGE.session}`],
  ['finalize with an argument', ['finalize', 'now'], `Too many arguments.\nUsage: codexlog-hooks ${USAGE.finalize}`],
  ['log with an argument', ['log', 'all'], `Too many arguments.\nUsage: codexlog-hooks ${USAGE.log}`],
  ['log --limit 0', ['log', '--limit', '0'], `--limit 0: expected a positive whole number.\nUsage: codexlog-hooks ${USAGE.log}`],
  ['log --limit -3', ['log', '--limit=-3'], `--limit -3: expected a positive whole number.\nUsage: codexlog-hooks ${USAGE.log}`],
  ['log --limit ten', ['log', '--limit', 'ten'], `--limit ten: expected a positive whole number.\nUsage: codexlog-hooks ${USAGE.log}`],
  [
    'log --since yesterday',
    ['log', '--since', 'yesterday'],
    `--since yesterday: expected a date or time such as 2026-11-23 or 2026-11-23T10:00:00Z.\nUsage: codexlog-hooks ${USAGE.log}`,
  ],
];
for (const [name, args, message] of cases) {
  test(`usage error, exit 2 with the usage text: ${name}`, () => {
    usageError(args, `codexlog-hooks: ${message}\n`);
    nothingWritten();
  });
}

test('unknown command: exit 2, the message and then the full help on stderr', () => {
  const help = r.cli(['--help']);
  assert.is(help.status, 0);
  for (const name of ['bogus', 'records', 'Log']) {
    usageError([name], `codexlog-hooks: Unknown command "${name}". Run \`codexlog-hooks --help\` for the list.\n\n${help.stdout}`);
  }
  // Object.prototype names are not commands either.
  usageError(
    ['constructor'],
    `codexlog-hooks: Unknown command "constructor". Run \`codexlog-hooks --help\` for the list.\n\n${help.stdout}`,
  );
  nothingWritten();
});

test('--help, -h and help: exit 0, every core command with its usage line', () => {
  const outs = [r.cli(['--help']), r.cli(['-h']), r.cli(['help'])];
  for (const out of outs) {
    assert.equal([out.status, out.stderr], [0, '']);
    assert.is(out.stdout, outs[0].stdout);
  }
  const text = outs[0].stdout;
  assert.ok(text.startsWith(`codexlog-hooks ${VERSION}: `), text);
  assert.ok(text.includes('\nUsage:\n'), text);
  for (const usage of Object.values(USAGE)) assert.ok(text.includes(`\n  codexlog-hooks ${usage}\n`), usage);
  assert.ok(text.endsWith("Run `codexlog-hooks <command> --help` for a command's options. Docs: README.md\n"), text);
});

test('no arguments: the help on stderr (a usage error), exit 2', () => {
  const out = r.cli([]);
  assert.is(out.status, 2);
  assert.is(out.stdout, '');
  assert.is(out.stderr, r.cli(['--help']).stdout);
});

const summaries: Array<[keyof typeof USAGE, string]> = [
  ['record', 'Record one action (what an agent did) in the log.'],
  ['session', 'Open a session (kept in the git dir) that later records use, or close it with a summary.'],
  [
    'finalize',
    'Check the log, copy it consistently to the session database, stage both (git add), back up if GH_COPILOT_BACKUP_ROOT is set.',
  ],
  ['log', 'Show the log (oldest first): committed rows, and the uncommitted ones waiting in the git dir (marked *).'],
];
for (const [name, summary] of summaries) {
  test(`${name} --help and -h: exit 0, usage and summary, nothing run`, () => {
    for (const flag of ['--help', '-h']) {
      // Even with arguments that would be a usage error or a write.
      for (const args of [
        [name, flag],
        [name, 'extra', flag],
      ]) {
        const out = r.cli(args);
        assert.equal([out.status, out.stdout, out.stderr], [0, `Usage: codexlog-hooks ${USAGE[name]}\n\n${summary}\n`, ''], args.join(' '));
      }
    }
    nothingWritten();
  });
}

test('--help and -h after `--` are values: the row is recorded with them, no help printed', () => {
  for (const flag of ['--help', '-h']) {
    const out = r.cli(['record', 'bash', '--', flag]);
    assert.equal([out.status, out.stdout], [0, ''], `record bash -- ${flag}: ${out.stderr}`);
    assert.match(out.stderr, /^codexlog-hooks: Recorded /);
  }
  assert.equal(
    logJson(r).map((x) => [x.action, x.statement]),
    [
      ['bash', '--help'],
      ['bash', '-h'],
    ],
  );
  // Before `--`, still the help.
  assert.is(r.cli(['record', '--help', '--', 'x']).stdout, `Usage: codexlog-hooks ${USAGE.record}\n\n${summaries[0][1]}\n`);
});

test('stdout that cannot be written (a full disk): one line saying so, exit 1, no stack', () => {
  assert.is(r.cli(['record', 'note', 'a row to show']).status, 0);
  for (const args of ['--version', 'log', 'export', 'log --json']) {
    const res = r.run('sh', ['-c', `'${process.execPath}' '${BIN}' ${args} > /dev/full`]);
    const line = `codexlog-hooks: ${messages.stdoutFailed('ENOSPC', 'no space left on device, write')}\n`;
    assert.equal([res.status, res.stderr], [1, line], args);
  }
});

test('every listed command answers --help with exit 0', () => {
  const names = [...r.cli(['--help']).stdout.matchAll(/^ {2}codexlog-hooks ([a-z-]+)/gm)].map((m) => m[1]);
  assert.ok(names.length >= 4, names.join(','));
  for (const name of names) {
    const out = r.cli([name, '--help']);
    assert.is(out.status, 0, name);
    assert.ok(out.stdout.startsWith(`Usage: codexlog-hooks ${name}`), out.stdout);
  }
});

test('--version and -v: exit 0, the package version', () => {
  for (const flag of ['--version', '-v']) {
    const out = r.cli([flag]);
    assert.equal([out.status, out.stdout, out.stderr], [0, `${VERSION}\n`, '']);
  }
});

test.run();
