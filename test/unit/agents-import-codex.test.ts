// The Codex rollout parser (src/agents/codex-transcript.ts): the real rollouts of every recorded
// variant give exactly the rows the hooks of the same session gave (same uids, same statements,
// files, exit codes and failures), and made-up lines cover older rollout shapes and what a
// rollout may hold that the hooks never saw (unknown records, torn and non-JSON lines, huge outputs).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CodexTranscriptParser } from '../../src/agents/codex-transcript.ts';
import { CAPS } from '../../src/agents/rows.ts';
import { parseAll, splitLines } from '../../src/agents/transcript.ts';
import type { AgentEvent } from '../../src/agents/types.ts';
import { fixture, hookRows, type Rows, rowContextAt, rowsOf, timeless, VARIANTS } from '../helpers/agent-fixtures.ts';

const TOP = '/work/repo';
const ctx = rowContextAt({ top: TOP });

const parse = (lines: string[]): AgentEvent[] => parseAll(new CodexTranscriptParser(), lines);
const rowsOfFixture = (variant: string): Rows => rowsOf(parse(splitLines(fixture('codex', variant).transcript(TOP))), ctx);

/** action, statement, files, exit code, failed: what a reader sees of each action. */
function sketch(rows: Rows): unknown[] {
  return [
    ...rows.actions.map((a) => {
      const m = JSON.parse(a.metadata as string);
      return [a.action, a.statement, m.files ?? [], m.exit_code ?? null, m.failed ?? false];
    }),
    ...rows.events.map((e) => [e.event, e.summary]),
  ];
}

const START = (cwd = '.') => ['start', JSON.stringify({ agent: 'codex', model: 'gpt-5.5', source: 'startup', cwd })];
const END = ['end', JSON.stringify({ agent: 'codex' })];
const expected: Record<string, unknown[]> = {
  default: [
    ['prompt', 'real-agents scripted session codex-default', [], null, false],
    ['tool.Bash', 'echo codex-default > agent-out.txt', [], 0, false],
    ['tool.apply_patch', 'A agent-edit.txt', ['agent-edit.txt'], 0, false],
    START(),
    ['turn.end', 'Done codex-default.'],
    END,
  ],
  fail: [
    ['prompt', 'real-agents scripted session codex-fail', [], null, false],
    ['tool.Bash', 'echo oops >&2; exit 3', [], 3, true],
    ['tool.apply_patch', 'A agent-edit.txt', ['agent-edit.txt'], 0, false],
    START(),
    ['turn.end', 'Done codex-fail.'],
    END,
  ],
  subdir: [
    ['prompt', 'real-agents scripted session codex-subdir', [], null, false],
    ['tool.Bash', 'echo codex-subdir > agent-out.txt', [], 0, false],
    // The patch's paths are relative to the session's cwd (sub/dir); the log's to the repository.
    ['tool.apply_patch', 'A sub/dir/agent-edit.txt', ['sub/dir/agent-edit.txt'], 0, false],
    START('sub/dir'),
    ['turn.end', 'Done codex-subdir.'],
    END,
  ],
  'trust-none': [
    ['prompt', 'real-agents scripted session codex-trust-none', [], null, false],
    ['tool.Bash', 'echo codex-trust-none > agent-out.txt', [], 0, false],
    ['tool.apply_patch', 'A agent-edit.txt', ['agent-edit.txt'], 0, false],
    START(),
    ['turn.end', 'Done codex-trust-none.'],
    END,
  ],
  'trust-review': [
    ['prompt', 'real-agents scripted session codex-trust-review', [], null, false],
    ['tool.Bash', 'echo codex-trust-review > agent-out.txt', [], 0, false],
    ['tool.apply_patch', 'A agent-edit.txt', ['agent-edit.txt'], 0, false],
    START(),
    ['turn.end', 'Done codex-trust-review.'],
    END,
  ],
  update: [
    ['prompt', 'real-agents scripted session codex-update', [], null, false],
    ['tool.Bash', 'echo codex-update > agent-out.txt', [], 0, false],
    ['tool.apply_patch', 'M agent-out.txt', ['agent-out.txt'], 0, false],
    START(),
    ['turn.end', 'Done codex-update.'],
    END,
  ],
};

for (const variant of VARIANTS.codex) {
  test(`real rollout ${variant}: the rows`, () => {
    assert.equal(sketch(rowsOfFixture(variant)), expected[variant]);
  });
}

for (const variant of VARIANTS.codex.filter((v) => v !== 'trust-none')) {
  test(`real rollout ${variant}: the rows the hooks of the same session gave, uid for uid (import after the hooks adds nothing)`, () => {
    const f = fixture('codex', variant);
    const fromRollout = rowsOfFixture(variant);
    const fromHooks = hookRows(f, TOP, ctx);
    // Actions: identical but for the time (the hook's arrival, the record's timestamp).
    assert.equal(fromRollout.actions.map(timeless), fromHooks.actions.map(timeless));
    // Session events: the same ids; only the end's summary differs (the rollout has no end reason).
    assert.equal(
      fromRollout.events.map((e) => [e.uid, e.session_id, e.event]),
      fromHooks.events.map((e) => [e.uid, e.session_id, e.event]),
    );
    assert.equal(
      fromRollout.events.filter((e) => e.event !== 'end').map((e) => e.summary),
      fromHooks.events.filter((e) => e.event !== 'end').map((e) => e.summary),
    );
  });
}

// --- made-up lines -------------------------------------------------------------------------------

const SID = '0197a1b2-0000-7000-8000-00000000c0de';
let clock = 0;
const at = () => new Date(Date.UTC(2025, 5, 1, 10, 0, clock++)).toISOString();
const rec = (type: string, payload: unknown) => JSON.stringify({ timestamp: at(), type, payload });
const meta = (extra: Record<string, unknown> = {}) => rec('session_meta', { id: SID, cwd: TOP, originator: 'codex_cli_rs', ...extra });
const userMessage = (message: string) => rec('event_msg', { type: 'user_message', message, images: [] });
const fnCall = (name: string, args: unknown, callId: string) =>
  rec('response_item', { type: 'function_call', name, arguments: JSON.stringify(args), call_id: callId });
const fnOutput = (callId: string, output: string) => rec('response_item', { type: 'function_call_output', call_id: callId, output });
const taskComplete = (last: string | null, turnId?: string) =>
  rec('event_msg', { type: 'task_complete', last_agent_message: last, ...(turnId ? { turn_id: turnId } : {}) });

const tools = (events: AgentEvent[]) =>
  events
    .filter((e) => e.kind === 'tool')
    .map((e) => {
      const t = e.tool as NonNullable<AgentEvent['tool']>;
      return [t.name, t.useId, t.input, t.response, t.exitCode, t.failed, t.interrupted];
    });
const kinds = (events: AgentEvent[]) => events.map((e) => e.kind);

test('older rollouts: user_message prompts, shell calls with argv, exec_command_end exit codes, JSON-wrapped outputs, patch_apply_end', () => {
  const patch = '*** Begin Patch\n*** Add File: notes.txt\n+hi\n*** End Patch\n';
  const lines = [
    meta(),
    rec('turn_context', { cwd: TOP, model: 'o4-mini', approval_policy: 'on-request' }),
    rec('response_item', {
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: '<environment_context>x</environment_context>' }],
    }),
    userMessage('fix the build'),
    fnCall('shell', { command: ['bash', '-lc', 'npm test'], workdir: TOP }, 'call_1'),
    rec('event_msg', { type: 'exec_command_begin', call_id: 'call_1', command: ['bash', '-lc', 'npm test'] }),
    rec('event_msg', { type: 'exec_command_end', call_id: 'call_1', stdout: 'ok\n', stderr: '', aggregated_output: 'ok\n', exit_code: 1 }),
    fnOutput('call_1', JSON.stringify({ output: 'ok\n', metadata: { exit_code: 1, duration_seconds: 0.5 } })),
    fnCall('shell', { command: ['apply_patch', patch] }, 'call_2'),
    rec('event_msg', { type: 'patch_apply_end', call_id: 'call_2', stdout: 'Done!\n', stderr: '', success: true }),
    fnOutput('call_2', JSON.stringify({ output: 'Done!\n', metadata: { exit_code: 0 } })),
    fnCall('shell', { command: ['ls', '-la'] }, 'call_3'),
    fnOutput('call_3', JSON.stringify({ output: 'total 0\n', metadata: { exit_code: 0 } })),
    taskComplete('Fixed.'),
  ];
  const events = parse(lines);
  assert.equal(kinds(events), ['start', 'prompt', 'tool', 'tool', 'tool', 'turn.end']);
  assert.equal(
    events.map((e) => [e.model, e.turnId]),
    Array(6).fill(['o4-mini', null]),
  );
  assert.is(events[1].text, 'fix the build');
  assert.equal(tools(events), [
    ['Bash', 'call_1', { command: 'npm test' }, 'ok\n', 1, true, false],
    ['apply_patch', 'call_2', { command: patch }, 'Done!\n', 0, false, false],
    ['Bash', 'call_3', { command: 'ls -la' }, 'total 0\n', 0, false, false],
  ]);
  assert.is(events[5].text, 'Fixed.');
  const rows = rowsOf(events, ctx);
  assert.equal(
    rows.actions.map((a) => [a.action, a.statement]),
    [
      ['prompt', 'fix the build'],
      ['tool.Bash', 'npm test'],
      ['tool.apply_patch', 'A notes.txt'],
      ['tool.Bash', 'ls -la'],
    ],
  );
  // Without turn ids the keys come from the records' times: the same rollout gives the same ids again.
  assert.equal(rowsOf(parse(lines), ctx), rows);
  assert.is(new Set(rows.actions.map((a) => a.uid)).size, 4);
});

test('the first rollouts: a bare session header, then bare response items; injected context is not a prompt', () => {
  const lines = [
    JSON.stringify({ id: SID, timestamp: '2025-04-20T10:00:00.000Z', instructions: null }),
    JSON.stringify({ record_type: 'state' }),
    JSON.stringify({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: '<user_instructions>be nice</user_instructions>' }],
    }),
    JSON.stringify({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'add a README' }] }),
    JSON.stringify({ type: 'function_call', name: 'shell', arguments: '{"command":["touch","README.md"]}', call_id: 'c9' }),
    JSON.stringify({ type: 'function_call_output', call_id: 'c9', output: '{"output":"","metadata":{"exit_code":0}}' }),
    JSON.stringify({ record_type: 'state' }),
  ];
  const events = parse(lines);
  assert.equal(kinds(events), ['start', 'prompt', 'tool']);
  assert.equal(
    events.map((e) => [e.sessionId, e.ts]),
    Array(3).fill([SID, '2025-04-20T10:00:00.000Z']),
  );
  assert.is(events[1].text, 'add a README');
  assert.equal(tools(events), [['Bash', 'c9', { command: 'touch README.md' }, '', 0, false, false]]);
});

test('unknown record types and fields are ignored; non-JSON lines and a torn last line are counted and skipped', () => {
  const parser = new CodexTranscriptParser();
  const lines = [
    meta({ future_field: { x: 1 } }),
    rec('hologram', { type: 'whatever', call_id: 'c1' }),
    rec('event_msg', { type: 'brand_new_event', turn_id: 'T1' }),
    'not json at all',
    '[1,2,3]',
    '',
    rec('event_msg', { type: 'task_started', turn_id: 'T1' }),
    rec('event_msg', {
      type: 'item_completed',
      turn_id: 'T1',
      item: { type: 'UserMessage', id: 'u1', content: [{ type: 'text', text: 'go' }] },
    }),
    rec('event_msg', { type: 'item_completed', turn_id: 'T1', item: { type: 'Teleport', id: 'x' } }),
    fnCall('exec_command', { cmd: 'make', yield_time_ms: 1000 }, 'c2'),
    rec('event_msg', {
      type: 'item_completed',
      turn_id: 'T1',
      item: { type: 'CommandExecution', id: 'c2', exit_code: 0, aggregated_output: 'built\n' },
    }),
    // The output line was cut by a crash mid-write: the call never completed in this file.
    fnOutput('c2', 'Process exited with code 0').slice(0, 40),
  ];
  const events = parseAll(parser, lines);
  assert.equal(kinds(events), ['start', 'prompt']);
  assert.equal(events[1].turnId, 'T1');
  assert.is(parser.unreadable, 3);
});

test('a turn that completes without an output line still logs its command, with the exit code it has', () => {
  const events = parse([
    meta(),
    rec('event_msg', { type: 'task_started', turn_id: 'T1' }),
    fnCall('exec_command', { cmd: 'make' }, 'c2'),
    rec('event_msg', {
      type: 'item_completed',
      turn_id: 'T1',
      item: { type: 'CommandExecution', id: 'c2', exit_code: 2, aggregated_output: 'boom\n' },
    }),
    taskComplete('done', 'T1'),
  ]);
  assert.equal(kinds(events), ['start', 'tool', 'turn.end']);
  assert.equal(tools(events), [['Bash', 'c2', { command: 'make' }, 'boom\n', 2, true, false]]);
});

test('an aborted turn: its call without output is logged as interrupted, and the session gets no end', () => {
  const events = parse([
    meta({ source: 'exec' }),
    rec('turn_context', { turn_id: 'T1', cwd: TOP, model: 'gpt-5' }),
    fnCall('exec_command', { cmd: 'sleep 100' }, 'c1'),
    rec('event_msg', { type: 'turn_aborted', turn_id: 'T1', reason: 'interrupted' }),
  ]);
  assert.equal(kinds(events), ['start', 'tool']);
  assert.equal(tools(events), [['Bash', 'c1', { command: 'sleep 100' }, null, null, false, true]]);
});

test('end: only a `codex exec` session whose last turn completed; an interactive one, or one cut mid-turn, has none', () => {
  const session = (source: string, complete: boolean) =>
    kinds(
      parse([
        meta({ source }),
        rec('event_msg', { type: 'task_started', turn_id: 'T1' }),
        rec('event_msg', {
          type: 'item_completed',
          turn_id: 'T1',
          item: { type: 'UserMessage', id: 'u', content: [{ type: 'text', text: 'x' }] },
        }),
        ...(complete ? [taskComplete('ok', 'T1')] : []),
      ]),
    );
  assert.equal(session('exec', true), ['start', 'prompt', 'turn.end', 'end']);
  assert.equal(session('exec', false), ['start', 'prompt']);
  assert.equal(session('cli', true), ['start', 'prompt', 'turn.end']);
  assert.equal(session('vscode', true), ['start', 'prompt', 'turn.end']);
});

test('one prompt per turn: a turn that repeats its user message in two record kinds gives one prompt', () => {
  const events = parse([
    meta(),
    rec('event_msg', { type: 'task_started', turn_id: 'T1' }),
    rec('event_msg', {
      type: 'item_completed',
      turn_id: 'T1',
      item: { type: 'UserMessage', id: 'u', content: [{ type: 'text', text: 'once' }] },
    }),
    rec('event_msg', { type: 'user_message', turn_id: 'T1', message: 'once' }),
  ]);
  assert.equal(kinds(events), ['start', 'prompt']);
});

test('other tools keep their name and arguments; custom tools too', () => {
  const events = parse([
    meta(),
    fnCall('mcp__github__create_issue', { title: 'bug', body: 'it broke' }, 'c1'),
    fnOutput('c1', 'created #12'),
    rec('response_item', { type: 'custom_tool_call', name: 'grep_files', input: 'TODO', call_id: 'c2' }),
    rec('response_item', { type: 'custom_tool_call_output', call_id: 'c2', output: 'a.ts:1: TODO' }),
  ]);
  assert.equal(tools(events), [
    ['mcp__github__create_issue', 'c1', { title: 'bug', body: 'it broke' }, 'created #12', null, false, false],
    ['grep_files', 'c2', 'TODO', 'a.ts:1: TODO', null, false, false],
  ]);
});

test('a huge output: the row keeps its size and hash and a capped preview, never the output', () => {
  const big = `${'x'.repeat(5 * 1024 * 1024)}\nend\n`;
  const events = parse([
    meta(),
    fnCall('exec_command', { cmd: 'cat big.log' }, 'c1'),
    rec('event_msg', { type: 'item_completed', item: { type: 'CommandExecution', id: 'c1', exit_code: 0, aggregated_output: big } }),
    fnOutput('c1', 'Chunk ID: 1\nProcess exited with code 0\nOutput:\n(truncated)'),
  ]);
  const [row] = rowsOf(events, ctx).actions;
  assert.ok(row.metadata && row.metadata.length < 2000, `metadata is ${row.metadata?.length} characters`);
  const output = JSON.parse(row.metadata as string).output;
  assert.is(output.bytes, big.length);
  assert.is(output.preview.length, CAPS.preview + `… [${big.length - CAPS.preview} more characters]`.length);
});

test('a rollout without session_meta takes the session id it is given (its file name); without any, nothing', () => {
  const lines = [userMessage('hi'), taskComplete('yo')];
  assert.equal(parse(lines), []);
  const events = parseAll(new CodexTranscriptParser({ fallbackSessionId: SID }), lines);
  assert.equal(
    events.map((e) => [e.kind, e.sessionId]),
    [
      ['start', SID],
      ['prompt', SID],
      ['turn.end', SID],
    ],
  );
});

test.run();
