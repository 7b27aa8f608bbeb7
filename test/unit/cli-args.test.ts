// parseCommandArgs' usage errors: an unknown option that may be a value (the command takes
// positionals) says how to give it, after `--`, with the arguments before it as typed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dashValueHint, parseCommandArgs } from '../../src/cli/args.ts';
import { UsageError } from '../../src/errors.ts';
import { messages } from '../../src/messages.ts';
import { thrown } from '../helpers/expect.ts';

const RECORD = 'record <action> <statement> [--metadata <text|json>] [--session <id>]';
const LOG = 'log [--session <id>] [--action <name>] [--since <time>] [--limit <n>] [--json]';

const hints: Array<[string, string, string[], string, string | null]> = [
  ['a statement like rm flags', RECORD, ['tool', '-rf /'], '-r', "codexlog-hooks record tool -- '-rf /'"],
  ['a long one', RECORD, ['tool', '--rf'], '--rf', 'codexlog-hooks record tool -- --rf'],
  ['with a value', RECORD, ['tool', '--x=1'], '--x', 'codexlog-hooks record tool -- --x=1'],
  ['a quote in it', RECORD, ['tool', "-it's"], '-i', "codexlog-hooks record tool -- '-it'\\''s'"],
  ['words before it quoted', RECORD, ['my tool', '-x'], '-x', "codexlog-hooks record 'my tool' -- -x"],
  ['options before it kept', RECORD, ['--session', 's1', 'tool', '-x'], '-x', 'codexlog-hooks record --session s1 tool -- -x'],
  ['a command without positionals: none', LOG, ['--bogus'], '--bogus', null],
  ['an option no argument starts with: none', RECORD, ['-hr'], '-r', null],
];
for (const [name, usage, args, option, example] of hints) {
  test(`dashValueHint: ${name}`, () => {
    assert.is(dashValueHint(usage, args, option), example === null ? null : messages.dashValue(example));
  });
}

test("parseCommandArgs: node's hint replaced by ours, the usage line as detail", () => {
  const e = thrown(() => parseCommandArgs(['tool', '-rf /'], { session: { type: 'string' } }, RECORD), UsageError);
  assert.is(e.message, `Unknown option '-r'.\n${messages.dashValue("codexlog-hooks record tool -- '-rf /'")}`);
  assert.is(e.detail, messages.usageLine(RECORD));
  const plain = thrown(() => parseCommandArgs(['--bogus'], {}, LOG), UsageError);
  assert.is(plain.message, "Unknown option '--bogus'.");
});

test.run();
