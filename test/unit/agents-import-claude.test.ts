// The Claude Code transcript parser (src/agents/claude-transcript.ts): the real transcripts of every
// recorded variant give exactly the rows the hooks of the same session gave (same uids, same
// statements, files, exit codes and failures), and made-up lines cover subagents, interrupted
// prompts, injected lines, several sessions in one file and what the hooks never saw.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClaudeTranscriptParser } from '../../src/agents/claude-transcript.ts';
import { parseAll, splitLines } from '../../src/agents/transcript.ts';
import type { AgentEvent } from '../../src/agents/types.ts';
import { fixture, hookRows, type Rows, rowContextAt, rowsOf, timeless, VARIANTS } from '../helpers/agent-fixtures.ts';

const TOP = '/work/repo';
const ctx = rowContextAt({ top: TOP });

const parse = (lines: string[]): AgentEvent[] => parseAll(new ClaudeTranscriptParser(), lines);
const rowsOfFixture = (variant: string): Rows => rowsOf(parse(splitLines(fixture('claude', variant).transcript(TOP))), ctx);

/** action, statement, files, exit code, failed, error: what a reader sees of each action. */
function sketch(rows: Rows): unknown[] {
  return [
    ...rows.actions.map((a) => {
      const m = JSON.parse(a.metadata as string);
      return [a.action, a.statement, m.files ?? [], m.exit_code ?? null, m.failed ?? false, m.error ?? null];
    }),
    ...rows.events.map((e) => [e.event, e.summary]),
  ];
}

const START = (cwd = '.') => ['start', JSON.stringify({ agent: 'claude', model: 'claude-opus-5-5', source: 'startup', cwd })];
const END = ['end', JSON.stringify({ agent: 'claude' })];
const expected: Record<string, unknown[]> = {
  default: [
    ['prompt', 'real-agents scripted session claude-default', [], null, false, null],
    ['tool.Bash', 'echo claude-default > agent-out.txt', [], null, false, null],
    ['tool.Write', 'agent-edit.txt', ['agent-edit.txt'], null, false, null],
    START(),
    ['turn.end', 'Done claude-default.'],
    END,
  ],
  fail: [
    ['prompt', 'real-agents scripted session claude-fail', [], null, false, null],
    ['tool.Bash', 'echo oops >&2; exit 3', [], 3, true, 'Exit code 3\noops'],
    ['tool.Write', 'agent-edit.txt', ['agent-edit.txt'], null, false, null],
    START(),
    ['turn.end', 'Done claude-fail.'],
    END,
  ],
  subdir: [
    ['prompt', 'real-agents scripted session claude-subdir', [], null, false, null],
    ['tool.Bash', 'echo claude-subdir > agent-out.txt', [], null, false, null],
    ['tool.Write', 'sub/dir/agent-edit.txt', ['sub/dir/agent-edit.txt'], null, false, null],
    START('sub/dir'),
    ['turn.end', 'Done claude-subdir.'],
    END,
  ],
  'subdir-ctl': [
    ['prompt', 'real-agents scripted session claude-subdir-ctl', [], null, false, null],
    ['tool.Bash', 'echo claude-subdir-ctl > agent-out.txt', [], null, false, null],
    ['tool.Write', 'sub/dir/agent-edit.txt', ['sub/dir/agent-edit.txt'], null, false, null],
    START('sub/dir'),
    ['turn.end', 'Done claude-subdir-ctl.'],
    END,
  ],
  update: [
    ['prompt', 'real-agents scripted session claude-update', [], null, false, null],
    ['tool.Bash', 'echo claude-update > agent-out.txt', [], null, false, null],
    ['tool.Read', 'agent-out.txt', ['agent-out.txt'], null, false, null],
    ['tool.Edit', 'agent-out.txt', ['agent-out.txt'], null, false, null],
    START(),
    ['turn.end', 'Done claude-update.'],
    END,
  ],
};

for (const variant of VARIANTS.claude) {
  test(`real transcript ${variant}: the rows`, () => {
    assert.equal(sketch(rowsOfFixture(variant)), expected[variant]);
  });
}

/** The hooks' metadata without duration_ms (PostToolUse has it; the transcript does not). */
function withoutDuration(a: Rows['actions'][number]): Rows['actions'][number] {
  const m = JSON.parse(a.metadata as string);
  delete m.duration_ms;
  return { ...a, metadata: JSON.stringify(m) };
}

for (const variant of VARIANTS.claude.filter((v) => v !== 'subdir')) {
  test(`real transcript ${variant}: the rows the hooks of the same session gave, uid for uid (import after the hooks adds nothing)`, () => {
    const f = fixture('claude', variant);
    const fromTranscript = rowsOfFixture(variant);
    const fromHooks = hookRows(f, TOP, ctx);
    // Actions: identical but for the time and the hooks' duration_ms.
    assert.equal(fromTranscript.actions.map(timeless), fromHooks.actions.map(withoutDuration).map(timeless));
    assert.equal(
      fromTranscript.events.map((e) => [e.uid, e.session_id, e.event]),
      fromHooks.events.map((e) => [e.uid, e.session_id, e.event]),
    );
    assert.equal(
      fromTranscript.events.filter((e) => e.event !== 'end').map((e) => e.summary),
      fromHooks.events.filter((e) => e.event !== 'end').map((e) => e.summary),
    );
  });
}

// --- made-up lines -------------------------------------------------------------------------------

const SID = '5e55a0b1-1111-4222-8333-444455556666';
let clock = 0;
const at = () => new Date(Date.UTC(2026, 0, 5, 9, 0, clock++)).toISOString();
const base = (extra: Record<string, unknown> = {}) => ({
  isSidechain: false,
  sessionId: SID,
  cwd: TOP,
  entrypoint: 'cli',
  timestamp: at(),
  uuid: `u${clock}`,
  ...extra,
});
const prompt = (text: unknown, promptId: string | undefined, extra: Record<string, unknown> = {}) =>
  JSON.stringify(base({ type: 'user', promptId, message: { role: 'user', content: text }, ...extra }));
const assistant = (content: unknown[], extra: Record<string, unknown> = {}, model = 'claude-sonnet-9') =>
  JSON.stringify(
    base({
      type: 'assistant',
      message: { id: extra.messageId ?? `m${clock}`, role: 'assistant', model, content, stop_reason: null },
      ...extra,
    }),
  );
const toolUse = (id: string, name: string, input: unknown) => ({ type: 'tool_use', id, name, input });
const result = (id: string, content: unknown, toolUseResult: unknown, extra: Record<string, unknown> = {}, isError?: boolean) =>
  JSON.stringify(
    base({
      type: 'user',
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: id, content, ...(isError === undefined ? {} : { is_error: isError }) }],
      },
      toolUseResult,
      ...extra,
    }),
  );

const kinds = (events: AgentEvent[]) => events.map((e) => [e.kind, e.turnId]);
const tools = (events: AgentEvent[]) =>
  events
    .filter((e) => e.kind === 'tool')
    .map((e) => {
      const t = e.tool as NonNullable<AgentEvent['tool']>;
      return [e.sessionId, t.name, t.useId, t.response, t.exitCode, t.failed, t.error, t.interrupted];
    });

test('an interactive session of two prompts: each answered prompt ends its turn with the last reply; no end', () => {
  const events = parse([
    JSON.stringify({ type: 'summary', summary: 'Old chat', leafUuid: 'x' }),
    prompt('list the files', 'P1'),
    assistant([{ type: 'thinking', thinking: 'hmm' }]),
    assistant([toolUse('toolu_1', 'Bash', { command: 'ls' })]),
    result('toolu_1', 'a.txt', { stdout: 'a.txt\n', stderr: '', interrupted: false }, { promptId: 'P1' }, false),
    assistant([{ type: 'text', text: 'There is a.txt.' }], { messageId: 'mA' }),
    assistant([{ type: 'text', text: 'Anything else?' }], { messageId: 'mA' }),
    prompt([{ type: 'text', text: 'no, thanks' }], 'P2'),
    assistant([{ type: 'text', text: 'Bye.' }]),
  ]);
  assert.equal(kinds(events), [
    ['start', null],
    ['prompt', 'P1'],
    ['tool', 'P1'],
    ['turn.end', 'P1'],
    ['prompt', 'P2'],
    ['turn.end', 'P2'],
  ]);
  assert.equal(
    events.filter((e) => e.kind === 'turn.end').map((e) => e.text),
    ['There is a.txt.\nAnything else?', 'Bye.'],
  );
  // The reply's model; turn ends have none (their row does not show one).
  assert.equal(
    events.map((e) => e.model),
    ['claude-sonnet-9', 'claude-sonnet-9', 'claude-sonnet-9', null, 'claude-sonnet-9', null],
  );
  assert.equal(tools(events), [[SID, 'Bash', 'toolu_1', { stdout: 'a.txt\n', stderr: '', interrupted: false }, null, false, null, false]]);
});

test('a prompt takes the model of the reply that answers it (the user switched models)', () => {
  const events = parse([
    prompt('one', 'P1'),
    assistant([{ type: 'text', text: 'a' }], {}, 'model-a'),
    prompt('two', 'P2'),
    assistant([{ type: 'text', text: 'b' }], {}, 'model-b'),
  ]);
  assert.equal(
    events.map((e) => [e.kind, e.model]),
    [
      ['start', 'model-a'],
      ['prompt', 'model-a'],
      ['turn.end', null],
      ['prompt', 'model-b'],
      ['turn.end', null],
    ],
  );
});

test('an interrupted prompt, or one whose last message is a tool call, gets no turn.end', () => {
  const events = parse([
    prompt('long job', 'P1'),
    assistant([{ type: 'text', text: 'Starting…' }]),
    assistant([toolUse('toolu_9', 'Bash', { command: 'sleep 999' })]),
    result(
      'toolu_9',
      '[Request interrupted by user for tool use]',
      'Error: [Request interrupted by user for tool use]',
      { promptId: 'P1' },
      true,
    ),
    prompt([{ type: 'text', text: '[Request interrupted by user for tool use]' }], undefined),
    prompt('something else', 'P2'),
    assistant([{ type: 'text', text: 'Sure: ' }]),
    assistant([toolUse('toolu_10', 'Read', { file_path: `${TOP}/a.txt` })]),
  ]);
  assert.equal(kinds(events), [
    ['start', null],
    ['prompt', 'P1'],
    ['tool', 'P1'],
    ['prompt', 'P2'],
  ]);
  assert.equal(tools(events), [[SID, 'Bash', 'toolu_9', null, null, true, '[Request interrupted by user for tool use]', true]]);
});

test("Claude Code's own user lines are not prompts: meta lines, compact summaries, local command output", () => {
  const events = parse([
    prompt('<command-name>/model</command-name>', 'P0'),
    prompt('<local-command-stdout>Set model to opus</local-command-stdout>', 'P0b'),
    prompt('Caveat: the messages below were generated by the user while running local commands.', 'P0c', { isMeta: true }),
    prompt('This session is being continued from a previous conversation…', 'P0d', { isCompactSummary: true }),
    prompt('real prompt', 'P1'),
  ]);
  assert.equal(kinds(events), [
    ['start', null],
    ['prompt', 'P1'],
  ]);
});

test('subagents: their tool calls under the parent session (as the hooks log them), no prompt, no turn.end, no start', () => {
  const side = { isSidechain: true, agentId: 'a1b2' };
  const subagentFile = [
    prompt('Find the config loader', undefined, side),
    assistant([toolUse('toolu_s1', 'Grep', { pattern: 'loadConfig', path: `${TOP}/src` })], side, 'claude-haiku-9'),
    result('toolu_s1', 'src/config.ts', { mode: 'files_with_matches', filenames: ['src/config.ts'] }, side),
    assistant([{ type: 'text', text: 'It is in src/config.ts.' }], side, 'claude-haiku-9'),
  ];
  const events = parse(subagentFile);
  assert.equal(kinds(events), [['tool', null]]);
  assert.equal(events[0].model, 'claude-haiku-9');
  assert.equal(
    rowsOf(events, ctx).actions.map((a) => [a.session_id, a.action, a.statement]),
    [[SID, 'tool.Grep', 'loadConfig in src']],
  );
  // Inline (older transcripts): the same, with the parent's prompt id.
  const inline = parse([prompt('look around', 'P1'), ...subagentFile, assistant([{ type: 'text', text: 'Found it.' }])]);
  assert.equal(kinds(inline), [
    ['start', null],
    ['prompt', 'P1'],
    ['tool', 'P1'],
    ['turn.end', 'P1'],
  ]);
});

test('`claude -p` (entrypoint sdk-cli): the session ended once its prompt was answered; not while unanswered', () => {
  const sdk = { entrypoint: 'sdk-cli' };
  const answered = parse([prompt('hi', 'P1', sdk), assistant([{ type: 'text', text: 'hello' }], sdk)]);
  assert.equal(kinds(answered), [
    ['start', null],
    ['prompt', 'P1'],
    ['turn.end', 'P1'],
    ['end', null],
  ]);
  const running = parse([prompt('hi', 'P1', sdk), assistant([toolUse('toolu_1', 'Bash', { command: 'make' })], sdk)]);
  assert.equal(kinds(running), [
    ['start', null],
    ['prompt', 'P1'],
  ]);
});

test('a file holding two sessions (history copied from the session it resumed): each session its start and rows', () => {
  const OTHER = '0ther000-1111-4222-8333-444455556666';
  const events = parse([
    prompt('first', 'P1', { sessionId: OTHER }),
    assistant([{ type: 'text', text: 'one' }], { sessionId: OTHER }),
    prompt('second', 'P2'),
    assistant([{ type: 'text', text: 'two' }]),
  ]);
  assert.equal(
    events.map((e) => [e.kind, e.sessionId]),
    [
      ['start', OTHER],
      ['prompt', OTHER],
      ['turn.end', OTHER],
      ['start', SID],
      ['prompt', SID],
      ['turn.end', SID],
    ],
  );
});

test('transcripts without promptId (older Claude Code): prompts and turn ends keyed by their records', () => {
  const lines = [prompt('hi', undefined), assistant([{ type: 'text', text: 'hello' }])];
  const a = rowsOf(parse(lines), ctx);
  assert.equal(a, rowsOf(parse(lines), ctx));
  assert.equal(
    a.actions.map((x) => [x.action, x.statement, JSON.parse(x.metadata as string).turn_id ?? null]),
    [['prompt', 'hi', null]],
  );
});

test('unknown record types and fields are ignored; non-JSON lines and a torn last line are counted and skipped', () => {
  const parser = new ClaudeTranscriptParser();
  const events = parseAll(parser, [
    JSON.stringify({ type: 'hologram', sessionId: SID, payload: { x: 1 } }),
    prompt('go', 'P1', { futureField: [1, 2] }),
    '<<<garbage>>>',
    JSON.stringify({ type: 'attachment', isSidechain: false, sessionId: SID, attachment: { type: 'new-kind' } }),
    assistant([toolUse('toolu_1', 'Bash', { command: 'ls' }), { type: 'server_tool_use', id: 'srv', name: 'web_search' }]),
    result('toolu_1', 'x', { stdout: 'x', stderr: '' }, { promptId: 'P1' }, false).slice(0, 60),
  ]);
  assert.equal(kinds(events), [
    ['start', null],
    ['prompt', 'P1'],
  ]);
  assert.is(parser.unreadable, 2);
});

test('a failed tool: the result text is the error, its exit code parsed; toolUseResult of a string form too', () => {
  const events = parse([
    prompt('run it', 'P1'),
    assistant([toolUse('toolu_1', 'Bash', { command: 'make' })]),
    result(
      'toolu_1',
      [{ type: 'text', text: 'Exit code 2\nmake: *** [all] Error 2' }],
      'Error: Exit code 2\nmake: *** [all] Error 2',
      {},
      true,
    ),
    assistant([toolUse('toolu_2', 'Bash', { command: 'make -k' })]),
    // No text in the block: the error comes from toolUseResult, without its "Error: " prefix.
    result('toolu_2', [], 'Error: Exit code 1', {}, true),
  ]);
  assert.equal(tools(events), [
    [SID, 'Bash', 'toolu_1', null, 2, true, 'Exit code 2\nmake: *** [all] Error 2', false],
    [SID, 'Bash', 'toolu_2', null, 1, true, 'Exit code 1', false],
  ]);
});

test('a huge tool result: the row keeps its size and hash, never the output', () => {
  const big = 'y'.repeat(3 * 1024 * 1024);
  const events = parse([
    prompt('read it', 'P1'),
    assistant([toolUse('toolu_1', 'Bash', { command: 'cat big' })]),
    result('toolu_1', big, { stdout: big, stderr: '', interrupted: false }),
  ]);
  const row = rowsOf(events, ctx).actions[1];
  assert.ok(row.metadata && row.metadata.length < 2000);
  assert.is(JSON.parse(row.metadata as string).output.bytes, big.length);
});

test('lines without a session id take the one given (the file name); without any, nothing', () => {
  const lines = [JSON.stringify({ type: 'user', isSidechain: false, timestamp: at(), message: { role: 'user', content: 'hi' } })];
  assert.equal(parse(splitLines(lines.join('\n'))), []);
  const events = parseAll(new ClaudeTranscriptParser({ fallbackSessionId: SID }), lines);
  assert.equal(
    events.map((e) => [e.kind, e.sessionId]),
    [
      ['start', SID],
      ['prompt', SID],
    ],
  );
});

test.run();
