// Agent hook payloads → rows (src/agents/payload.ts, rows.ts): every event shape of Codex and
// Claude Code, with the documented fields plus unknown extra ones, as tables of cases with the
// exact row expected.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventFromHookPayload, exitCodeIn } from '../../src/agents/payload.ts';
import { agentUid, CAPS, cap, type RowContext, type RowPlace, repoPath, rowOfAgentEvent, toolAction } from '../../src/agents/rows.ts';
import type { AgentName } from '../../src/agents/types.ts';
import { AN, generator } from '../fixtures/secret-corpus.ts';
import { rowContextAt } from '../helpers/agent-fixtures.ts';

const { pick } = generator(0x0c0ffee);

const TOP = '/work/repo';
const CTX: RowContext = rowContextAt({ top: TOP });
const TS = '2026-11-27T10:00:00.000Z';
const CODEX_SID = '01a21c24-43c7-7c93-ac30-7fa0f6ab878c';
const CODEX_TURN = '01a21c24-43df-7191-9d66-7fbcae52a1cc';
const CLAUDE_SID = 'f0ce95b6-559c-4106-a8a8-cc5140294e74';
const CLAUDE_PROMPT = '8d4397fb-a75e-40f6-aebb-983fdf3fe0a2';
const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// Fields every payload of one agent carries, plus fields no version documents (ignored).
const codexBase = {
  session_id: CODEX_SID,
  transcript_path: null,
  cwd: TOP,
  model: 'gpt-5.5',
  permission_mode: 'bypassPermissions',
  some_future_field: { nested: [1, 2] },
};
const codexTurn = { ...codexBase, turn_id: CODEX_TURN };
const claudeBase = {
  session_id: CLAUDE_SID,
  transcript_path: null,
  cwd: TOP,
  prompt_id: CLAUDE_PROMPT,
  permission_mode: 'default',
  effort: { level: 'medium' },
  unknown_extra: true,
};

type Expected = { action: string; statement: string; metadata: Record<string, unknown> } | { event: string; summary: unknown };

const cases: Array<[string, AgentName, Record<string, unknown>, Expected]> = [
  [
    'codex SessionStart',
    'codex',
    { ...codexBase, hook_event_name: 'SessionStart', source: 'startup' },
    { event: 'start', summary: { agent: 'codex', model: 'gpt-5.5', source: 'startup', cwd: '.' } },
  ],
  [
    'codex UserPromptSubmit',
    'codex',
    { ...codexTurn, hook_event_name: 'UserPromptSubmit', prompt: 'fix the login bug' },
    { action: 'prompt', statement: 'fix the login bug', metadata: { agent: 'codex', model: 'gpt-5.5', turn_id: CODEX_TURN } },
  ],
  [
    'codex Bash (string output, no exit code)',
    'codex',
    {
      ...codexTurn,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      tool_response: 'Tests: 12 passed\n',
      tool_use_id: 'call_9Qx',
    },
    {
      action: 'tool.Bash',
      statement: 'npm test',
      metadata: {
        agent: 'codex',
        model: 'gpt-5.5',
        turn_id: CODEX_TURN,
        tool_use_id: 'call_9Qx',
        output: { text: 'Tests: 12 passed\n', preview: true },
      },
    },
  ],
  [
    'codex apply_patch from a subdirectory: paths relative to the repository',
    'codex',
    {
      ...codexTurn,
      cwd: `${TOP}/sub/dir`,
      hook_event_name: 'PostToolUse',
      tool_name: 'apply_patch',
      tool_input: {
        command:
          '*** Begin Patch\n*** Add File: new.txt\n+hello\n*** Update File: ../../src/a.ts\n*** Move to: ../../src/b.ts\n@@\n-x\n+y\n*** Delete File: old.txt\n*** End Patch\n',
      },
      tool_response: 'Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\nA new.txt\n',
      tool_use_id: 'call_Zk',
    },
    {
      action: 'tool.apply_patch',
      statement: 'A sub/dir/new.txt, R src/a.ts -> src/b.ts, D sub/dir/old.txt',
      metadata: {
        agent: 'codex',
        model: 'gpt-5.5',
        turn_id: CODEX_TURN,
        tool_use_id: 'call_Zk',
        files: ['sub/dir/new.txt', 'src/a.ts', 'src/b.ts', 'sub/dir/old.txt'],
        exit_code: 0,
        output: { text: 'Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\nA new.txt\n', preview: true },
        cwd: 'sub/dir',
      },
    },
  ],
  [
    'codex MCP tool: the input sketched, long strings cut',
    'codex',
    {
      ...codexTurn,
      hook_event_name: 'PostToolUse',
      tool_name: 'mcp__github__create_issue',
      tool_input: { title: 'Bug', body: 'b'.repeat(500) },
      tool_response: { content: [{ type: 'text', text: 'created #12' }] },
      tool_use_id: 'call_mcp',
    },
    {
      action: 'tool.mcp__github__create_issue',
      statement: `{"title":"Bug","body":"${'b'.repeat(200)}… [300 more characters]"}`,
      metadata: {
        agent: 'codex',
        model: 'gpt-5.5',
        turn_id: CODEX_TURN,
        tool_use_id: 'call_mcp',
        output: { text: JSON.stringify({ content: [{ type: 'text', text: 'created #12' }] }), preview: false },
      },
    },
  ],
  [
    'codex Stop',
    'codex',
    { ...codexTurn, hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: 'Done.' },
    { event: 'turn.end', summary: 'Done.' },
  ],
  [
    'codex SessionEnd (no model, no turn)',
    'codex',
    { session_id: CODEX_SID, transcript_path: null, cwd: TOP, hook_event_name: 'SessionEnd', reason: 'other' },
    { event: 'end', summary: { agent: 'codex', reason: 'other' } },
  ],
  [
    'claude SessionStart (no model)',
    'claude',
    { session_id: CLAUDE_SID, transcript_path: null, cwd: TOP, hook_event_name: 'SessionStart', source: 'startup' },
    { event: 'start', summary: { agent: 'claude', source: 'startup', cwd: '.' } },
  ],
  [
    'claude UserPromptSubmit: prompt_id is the turn',
    'claude',
    { ...claudeBase, hook_event_name: 'UserPromptSubmit', prompt: 'add a test' },
    { action: 'prompt', statement: 'add a test', metadata: { agent: 'claude', turn_id: CLAUDE_PROMPT } },
  ],
  [
    'claude Bash: stdout and stderr are the output',
    'claude',
    {
      ...claudeBase,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'ls', description: 'List' },
      tool_response: { stdout: 'a\nb\n', stderr: 'warn', interrupted: false, isImage: false },
      tool_use_id: 'toolu_01',
      duration_ms: 41,
    },
    {
      action: 'tool.Bash',
      statement: 'ls',
      metadata: {
        agent: 'claude',
        turn_id: CLAUDE_PROMPT,
        tool_use_id: 'toolu_01',
        duration_ms: 41,
        output: { text: 'a\nb\n\nwarn', preview: true },
      },
    },
  ],
  [
    'claude Write: the path, never the content',
    'claude',
    {
      ...claudeBase,
      hook_event_name: 'PostToolUse',
      tool_name: 'Write',
      tool_input: { file_path: `${TOP}/src/secret-config.ts`, content: 'CONTENT-NEVER-STORED' },
      tool_response: {
        type: 'create',
        filePath: `${TOP}/src/secret-config.ts`,
        content: 'CONTENT-NEVER-STORED',
        structuredPatch: [],
        originalFile: null,
      },
      tool_use_id: 'toolu_02',
    },
    {
      action: 'tool.Write',
      statement: 'src/secret-config.ts',
      metadata: {
        agent: 'claude',
        turn_id: CLAUDE_PROMPT,
        tool_use_id: 'toolu_02',
        files: ['src/secret-config.ts'],
        output: { json: true },
      },
    },
  ],
  [
    'claude Edit: originalFile never stored',
    'claude',
    {
      ...claudeBase,
      hook_event_name: 'PostToolUse',
      tool_name: 'Edit',
      tool_input: { file_path: `${TOP}/a.txt`, old_string: 'OLD-TEXT', new_string: 'NEW-TEXT', replace_all: false },
      tool_response: {
        filePath: `${TOP}/a.txt`,
        oldString: 'OLD-TEXT',
        newString: 'NEW-TEXT',
        originalFile: 'WHOLE-FILE-TEXT',
        structuredPatch: [],
      },
      tool_use_id: 'toolu_03',
    },
    {
      action: 'tool.Edit',
      statement: 'a.txt',
      metadata: { agent: 'claude', turn_id: CLAUDE_PROMPT, tool_use_id: 'toolu_03', files: ['a.txt'], output: { json: true } },
    },
  ],
  [
    'claude Read outside the repository: the path stays absolute',
    'claude',
    {
      ...claudeBase,
      hook_event_name: 'PostToolUse',
      tool_name: 'Read',
      tool_input: { file_path: '/etc/hosts' },
      tool_response: { type: 'text', file: { filePath: '/etc/hosts', content: '127.0.0.1 localhost\n' } },
      tool_use_id: 'toolu_04',
    },
    {
      action: 'tool.Read',
      statement: '/etc/hosts',
      metadata: { agent: 'claude', turn_id: CLAUDE_PROMPT, tool_use_id: 'toolu_04', files: ['/etc/hosts'], output: { json: true } },
    },
  ],
  [
    'claude Grep: pattern and folder',
    'claude',
    {
      ...claudeBase,
      hook_event_name: 'PostToolUse',
      tool_name: 'Grep',
      tool_input: { pattern: 'TODO', path: `${TOP}/src` },
      tool_response: { filenames: [] },
      tool_use_id: 'toolu_05',
    },
    {
      action: 'tool.Grep',
      statement: 'TODO in src',
      metadata: { agent: 'claude', turn_id: CLAUDE_PROMPT, tool_use_id: 'toolu_05', output: { json: true } },
    },
  ],
  [
    'claude PostToolUseFailure: failed, exit code from the error text',
    'claude',
    {
      ...claudeBase,
      hook_event_name: 'PostToolUseFailure',
      tool_name: 'Bash',
      tool_input: { command: 'echo oops >&2; exit 3' },
      tool_use_id: 'toolu_06',
      error: 'Exit code 3\noops',
      is_interrupt: false,
      duration_ms: 223,
    },
    {
      action: 'tool.Bash',
      statement: 'echo oops >&2; exit 3',
      metadata: {
        agent: 'claude',
        turn_id: CLAUDE_PROMPT,
        tool_use_id: 'toolu_06',
        failed: true,
        exit_code: 3,
        error: 'Exit code 3\noops',
        duration_ms: 223,
      },
    },
  ],
  [
    'claude interrupted tool',
    'claude',
    {
      ...claudeBase,
      hook_event_name: 'PostToolUseFailure',
      tool_name: 'Bash',
      tool_input: { command: 'sleep 100' },
      tool_use_id: 'toolu_07',
      error: 'Interrupted by user',
      is_interrupt: true,
    },
    {
      action: 'tool.Bash',
      statement: 'sleep 100',
      metadata: {
        agent: 'claude',
        turn_id: CLAUDE_PROMPT,
        tool_use_id: 'toolu_07',
        failed: true,
        interrupted: true,
        error: 'Interrupted by user',
      },
    },
  ],
  [
    'claude Stop',
    'claude',
    {
      ...claudeBase,
      hook_event_name: 'Stop',
      stop_hook_active: false,
      last_assistant_message: 'Done.',
      background_tasks: [],
      session_crons: [],
    },
    { event: 'turn.end', summary: 'Done.' },
  ],
  [
    'claude SessionEnd',
    'claude',
    {
      session_id: CLAUDE_SID,
      transcript_path: null,
      cwd: TOP,
      prompt_id: CLAUDE_PROMPT,
      hook_event_name: 'SessionEnd',
      reason: 'prompt_input_exit',
    },
    { event: 'end', summary: { agent: 'claude', reason: 'prompt_input_exit' } },
  ],
];

const sha256 = async (s: string) => (await import('node:crypto')).createHash('sha256').update(s).digest('hex');

for (const [name, agent, payload, expected] of cases) {
  test(`payload → row: ${name}`, async () => {
    const ev = eventFromHookPayload(agent, payload, TS);
    assert.ok(ev, 'an event');
    const row = rowOfAgentEvent(ev, CTX);
    if ('event' in expected) {
      assert.ok('event' in row, 'a session event');
      assert.is(row.event.event, expected.event);
      assert.is(row.event.session_id, payload.session_id);
      assert.is(row.event.ts, TS);
      assert.equal(typeof expected.summary === 'string' ? row.event.summary : JSON.parse(row.event.summary ?? 'null'), expected.summary);
      return;
    }
    assert.ok('action' in row, 'an action');
    const a = row.action;
    assert.is(a.action, expected.action);
    assert.is(a.statement, expected.statement);
    assert.is(a.session_id, payload.session_id);
    assert.is(a.ts, TS);
    const meta = JSON.parse(a.metadata ?? 'null');
    // The output: its size and hash, and a preview of command output (never of file contents).
    const want = structuredClone(expected.metadata);
    const out = want.output as { text?: string; preview?: boolean; json?: true } | undefined;
    if (out) {
      const text = out.json ? JSON.stringify(payload.tool_response) : (out.text as string);
      const summary: Record<string, unknown> = { bytes: Buffer.byteLength(text), sha256: await sha256(text) };
      if (out.preview && text) summary.preview = cap(text, CAPS.preview);
      want.output = summary;
    }
    assert.equal(meta, want);
    // Nothing of a file's content or of the original file reaches the row.
    for (const text of ['CONTENT-NEVER-STORED', 'WHOLE-FILE-TEXT', 'OLD-TEXT', 'NEW-TEXT', '127.0.0.1 localhost']) {
      assert.not.ok(`${a.statement}${a.metadata}`.includes(text), `${text} stored`);
    }
  });
}

test('the empty output has the empty hash; Bash with no output keeps bytes 0 and no preview', () => {
  const ev = eventFromHookPayload(
    'codex',
    {
      ...codexTurn,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'true' },
      tool_response: '',
      tool_use_id: 'c1',
    },
    TS,
  );
  const row = rowOfAgentEvent(ev as NonNullable<typeof ev>, CTX);
  assert.ok('action' in row);
  assert.equal(JSON.parse(row.action.metadata as string).output, { bytes: 0, sha256: EMPTY_SHA });
});

test('events that are not logged, and payloads without a usable session id, give no event', () => {
  const ignored: Array<[AgentName, unknown]> = [
    ['codex', { ...codexTurn, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: {}, tool_use_id: 'x' }],
    ['claude', { ...claudeBase, hook_event_name: 'PostToolBatch', tool_calls: [] }],
    ['claude', { ...claudeBase, hook_event_name: 'MessageDisplay', delta: 'x' }],
    ['codex', { ...codexTurn, hook_event_name: 'PostToolUseFailure' }], // Codex has no such event
    ['codex', { ...codexTurn, session_id: '', hook_event_name: 'Stop' }],
    ['codex', { ...codexTurn, session_id: 42, hook_event_name: 'Stop' }],
    ['claude', { ...claudeBase, session_id: 'a\nb', hook_event_name: 'Stop' }],
    ['claude', { ...claudeBase, session_id: 'x'.repeat(201), hook_event_name: 'Stop' }],
    ['codex', null],
    ['codex', []],
    ['codex', 'SessionStart'],
  ];
  for (const [agent, p] of ignored) assert.is(eventFromHookPayload(agent, p, TS), null, JSON.stringify(p)?.slice(0, 80));
});

test('hostile field types are ignored, not trusted', () => {
  const ev = eventFromHookPayload(
    'claude',
    {
      session_id: CLAUDE_SID,
      hook_event_name: 'PostToolUse',
      tool_name: { evil: true },
      tool_input: 'not an object',
      tool_use_id: ['x'],
      model: 7,
      cwd: 12,
      duration_ms: 'slow',
      tool_response: 5,
    },
    TS,
  );
  assert.ok(ev);
  const row = rowOfAgentEvent(ev, CTX);
  assert.ok('action' in row);
  assert.is(row.action.action, 'tool.unknown');
  assert.is(row.action.statement, '"not an object"');
  const meta = JSON.parse(row.action.metadata as string);
  assert.equal(Object.keys(meta).sort(), ['agent', 'output']);
  assert.is(meta.output.bytes, 1);
});

test('long texts are capped: prompt, command, preview, message', () => {
  const long = 'x'.repeat(10_000);
  const prompt = rowOfAgentEvent(
    eventFromHookPayload('codex', { ...codexTurn, hook_event_name: 'UserPromptSubmit', prompt: long }, TS) as never,
    CTX,
  );
  assert.ok('action' in prompt);
  assert.is(prompt.action.statement, `${'x'.repeat(CAPS.prompt)}… [${10_000 - CAPS.prompt} more characters]`);
  const tool = rowOfAgentEvent(
    eventFromHookPayload(
      'codex',
      {
        ...codexTurn,
        hook_event_name: 'PostToolUse',
        tool_name: 'Bash',
        tool_input: { command: long },
        tool_response: long,
        tool_use_id: 't',
      },
      TS,
    ) as never,
    CTX,
  );
  assert.ok('action' in tool);
  assert.is(tool.action.statement?.length, CAPS.command + `… [${10_000 - CAPS.command} more characters]`.length);
  const meta = JSON.parse(tool.action.metadata as string);
  assert.is(meta.output.bytes, 10_000);
  assert.is(meta.output.preview, `${'x'.repeat(CAPS.preview)}… [${10_000 - CAPS.preview} more characters]`);
  const stop = rowOfAgentEvent(
    eventFromHookPayload('codex', { ...codexTurn, hook_event_name: 'Stop', last_assistant_message: long }, TS) as never,
    CTX,
  );
  assert.ok('event' in stop);
  assert.is(stop.event.summary?.length, CAPS.message + `… [${10_000 - CAPS.message} more characters]`.length);
});

// A secret that straddles a cap: each text is redacted whole before it is cut, so no part of the
// secret survives (cut first, its tail gone, no rule would match what is left).
const ghp = `ghp_${pick(AN, 36)}`;
const pgUrl = `postgres://app:${pick(AN, 20)}@db.internal:5432/app`;
/** `secret` placed so that the cap at `max` falls 10 characters into it. */
const straddling = (max: number, secret: string, pad = 'x') => `${pad.repeat(max - 11)} ${secret} and more`;
const claudeTool = { ...claudeBase, hook_event_name: 'PostToolUse', tool_use_id: 'toolu_cut', tool_response: 'ok' };
const straddlingCases: Array<
  [string, AgentName, Record<string, unknown>, (row: ReturnType<typeof rowOfAgentEvent>) => string, string, boolean]
> = [
  // [name, agent, payload, the kept text, the secret, counted in the row's redactions]
  [
    'a command',
    'claude',
    { ...claudeTool, tool_name: 'Bash', tool_input: { command: straddling(CAPS.command, ghp) } },
    (r) => ('action' in r ? (r.action.statement ?? '') : ''),
    ghp,
    true,
  ],
  [
    'a command (a URL password)',
    'claude',
    { ...claudeTool, tool_name: 'Bash', tool_input: { command: straddling(CAPS.command - 15, `psql ${pgUrl}`) } },
    (r) => ('action' in r ? (r.action.statement ?? '') : ''),
    pgUrl.slice(15, 35),
    true,
  ],
  [
    'a prompt',
    'codex',
    { ...codexTurn, hook_event_name: 'UserPromptSubmit', prompt: straddling(CAPS.prompt, ghp, 'y') },
    (r) => ('action' in r ? (r.action.statement ?? '') : ''),
    ghp,
    true,
  ],
  [
    "a turn's last message",
    'codex',
    { ...codexTurn, hook_event_name: 'Stop', last_assistant_message: straddling(CAPS.message, ghp) },
    (r) => ('event' in r ? (r.event.summary ?? '') : ''),
    ghp,
    false,
  ],
  [
    "a tool's error",
    'claude',
    {
      ...claudeBase,
      hook_event_name: 'PostToolUseFailure',
      tool_name: 'Bash',
      tool_input: { command: 'git push' },
      tool_use_id: 'toolu_err',
      error: straddling(CAPS.error, ghp),
    },
    (r) => ('action' in r ? JSON.parse(r.action.metadata as string).error : ''),
    ghp,
    true,
  ],
  [
    'a string of a sketched input',
    'claude',
    { ...claudeTool, tool_name: 'mcp__db__query', tool_input: { note: straddling(CAPS.inputString, ghp) } },
    (r) => ('action' in r ? (r.action.statement ?? '') : ''),
    ghp,
    true,
  ],
  [
    'a command far longer than its cap',
    'claude',
    { ...claudeTool, tool_name: 'Bash', tool_input: { command: `${straddling(CAPS.command, ghp)}${'z'.repeat(300_000)}` } },
    (r) => ('action' in r ? (r.action.statement ?? '') : ''),
    ghp,
    true,
  ],
];
for (const [name, agent, payload, keptText, secret, counted] of straddlingCases) {
  test(`a secret straddling the cap of ${name} is redacted whole before the cut`, () => {
    const ev = eventFromHookPayload(agent, payload, TS);
    assert.ok(ev);
    const row = rowOfAgentEvent(ev, CTX);
    const text = keptText(row);
    assert.ok(text.includes('more characters]'), 'the text was cut');
    assert.not.ok(text.includes(secret.slice(0, 10)), `no part of the secret is kept: ${text.slice(-80)}`);
    // What is kept ends in the label (cut too: the label holds no secret).
    const kept = text.slice(0, text.lastIndexOf('… ['));
    assert.ok(/\[R[A-Za-z:-]*$/.test(kept) && '[REDACTED:'.startsWith(kept.slice(kept.lastIndexOf('[')).slice(0, 10)), kept.slice(-40));
    if (counted && 'action' in row) assert.ok(JSON.parse(row.action.metadata as string).redactions, 'counted in the redactions');
  });
}

// A tool's input sketched as JSON is redacted as metadata is, before it becomes a string: a value under
// a secret-ish key goes whole (however it looks), and so does the value a {name, value} pair names.
const sketched: Array<[string, Record<string, unknown>, string]> = [
  // [name, tool input, statement]
  ['a passphrase of words', { passphrase: 'correct horse battery staple' }, '{"passphrase":"[REDACTED:secret-field]"}'],
  ['a {name, value} pair', { name: 'DB_PASSWORD', value: 'S3cr3tPassw0rd' }, '{"name":"DB_PASSWORD","value":"[REDACTED:secret-field]"}'],
  ['a nested token', { auth: { token: 'abc12345678' }, page: 2 }, '{"auth":{"token":"[REDACTED:secret-field]"},"page":2}'],
  ['nothing secret', { name: 'LOG_LEVEL', value: 'debug' }, '{"name":"LOG_LEVEL","value":"debug"}'],
];
for (const [name, input, statement] of sketched) {
  test(`a sketched input is redacted as metadata before it is a string: ${name}`, () => {
    const ev = eventFromHookPayload('claude', { ...claudeTool, tool_name: 'mcp__vault__unlock', tool_input: input }, TS);
    const row = rowOfAgentEvent(ev as never, CTX);
    assert.ok('action' in row);
    assert.is(row.action.statement, statement);
  });
}

test("paths and working folders are cut as commands are, after redaction: files, the tool's cwd, the start's cwd", () => {
  const long = `/work/repo/${'a'.repeat(3_000_000)}`;
  const capped = (text: string) => text.length <= CAPS.command + '… [3000000 more characters]'.length;
  const write = rowOfAgentEvent(
    eventFromHookPayload('claude', { ...claudeTool, tool_name: 'Write', tool_input: { file_path: long, content: 'x' } }, TS) as never,
    CTX,
  );
  assert.ok('action' in write);
  assert.ok(capped(write.action.statement ?? ''));
  assert.ok(write.action.metadata && write.action.metadata.length < 3 * CAPS.command, `${write.action.metadata?.length} characters`);
  const patch = `*** Begin Patch\n${Array.from({ length: 100 }, (_, i) => `*** Add File: ${'p'.repeat(100_000)}${i}\n+x\n`).join('')}*** End Patch\n`;
  const patched = rowOfAgentEvent(
    eventFromHookPayload(
      'codex',
      {
        ...codexTurn,
        hook_event_name: 'PostToolUse',
        tool_name: 'apply_patch',
        tool_input: { command: patch },
        tool_response: 'ok',
        tool_use_id: 'p1',
      },
      TS,
    ) as never,
    CTX,
  );
  assert.ok('action' in patched);
  const files = JSON.parse(patched.action.metadata as string).files as string[];
  assert.is(files.length, 100);
  assert.ok(files.every(capped));
  const farCwd = `/elsewhere/${'c'.repeat(2_000_000)}`;
  const tool = rowOfAgentEvent(
    eventFromHookPayload('claude', { ...claudeTool, cwd: farCwd, tool_name: 'Bash', tool_input: { command: 'ls' } }, TS) as never,
    CTX,
  );
  assert.ok('action' in tool);
  assert.ok(capped(JSON.parse(tool.action.metadata as string).cwd));
  const start = rowOfAgentEvent(
    eventFromHookPayload(
      'claude',
      { session_id: CLAUDE_SID, hook_event_name: 'SessionStart', source: 'startup', cwd: farCwd },
      TS,
    ) as never,
    CTX,
  );
  assert.ok('event' in start);
  assert.ok((start.event.summary ?? '').length < 3 * CAPS.command);
  // A token in a path is redacted whole, then the path cut; the start's summary counts it.
  const tokenCwd = rowOfAgentEvent(
    eventFromHookPayload(
      'claude',
      { session_id: CLAUDE_SID, hook_event_name: 'SessionStart', source: 'startup', cwd: `/x/${'d'.repeat(CAPS.command - 8)}/${ghp}` },
      TS,
    ) as never,
    CTX,
  );
  assert.ok('event' in tokenCwd);
  const summary = JSON.parse(tokenCwd.event.summary as string);
  assert.not.ok(summary.cwd.includes(ghp.slice(0, 8)), summary.cwd.slice(-60));
  assert.equal(summary.redactions, { 'github-token': 1 });
});

test('a text far longer than its cap: the count of the characters cut is of the whole text', () => {
  const ev = eventFromHookPayload('claude', { ...claudeTool, tool_name: 'Bash', tool_input: { command: 'q'.repeat(500_000) } }, TS);
  const row = rowOfAgentEvent(ev as never, CTX);
  assert.ok('action' in row);
  assert.is(row.action.statement, `${'q'.repeat(CAPS.command)}… [${500_000 - CAPS.command} more characters]`);
  assert.is(JSON.parse(row.action.metadata as string).redactions, undefined);
});

test('cap never splits a surrogate pair', () => {
  assert.is(cap('ab😀cd', 3), 'ab… [4 more characters]');
  assert.is(cap('short', 10), 'short');
});

test('uids come from the agent ids, not from the time: the same event twice is one row', () => {
  const payload = {
    ...codexTurn,
    hook_event_name: 'PostToolUse',
    tool_name: 'Bash',
    tool_input: { command: 'ls' },
    tool_response: '',
    tool_use_id: 'call_1',
  };
  const a = rowOfAgentEvent(eventFromHookPayload('codex', payload, TS) as never, CTX);
  const b = rowOfAgentEvent(eventFromHookPayload('codex', payload, '2027-01-01T00:00:00.000Z') as never, CTX);
  assert.ok('action' in a && 'action' in b);
  assert.is(a.action.uid, b.action.uid);
  assert.match(a.action.uid, /^codex-[0-9a-f]{32}$/);
  assert.is(a.action.uid, agentUid({ agent: 'codex', sessionId: CODEX_SID }, 'tool:call_1'));
  // Another call, another session or another agent: another uid.
  const others = [
    agentUid({ agent: 'codex', sessionId: CODEX_SID }, 'tool:call_2'),
    agentUid({ agent: 'codex', sessionId: 'other' }, 'tool:call_1'),
    agentUid({ agent: 'claude', sessionId: CODEX_SID }, 'tool:call_1'),
  ];
  assert.is(new Set([a.action.uid, ...others]).size, 4);
  // A start after a resume is a row of its own; a second startup start is the same row.
  const start = (source: string, ts: string) =>
    rowOfAgentEvent(eventFromHookPayload('claude', { session_id: CLAUDE_SID, hook_event_name: 'SessionStart', source }, ts) as never, CTX);
  const uidOf = (r: ReturnType<typeof start>) => ('event' in r ? r.event.uid : '');
  assert.is(uidOf(start('startup', TS)), uidOf(start('startup', '2027-01-01T00:00:00.000Z')));
  assert.is.not(uidOf(start('resume', TS)), uidOf(start('startup', TS)));
  assert.is.not(uidOf(start('resume', TS)), uidOf(start('resume', '2027-01-01T00:00:00.000Z')));
});

test('exit codes in tool texts', () => {
  const table: Array<[string | null, number | null]> = [
    ['Exit code 3\noops', 3],
    ['Error: Exit code 127\nnot found', 127],
    ['Exit code: 0\nWall time: 0 seconds', 0],
    ['Chunk ID: 4b2b0c\nWall time: 0.0630 seconds\nProcess exited with code 3\n', 3],
    ['all good', null],
    ['', null],
    [null, null],
    ['the Exit code 3 appears mid-text', null],
  ];
  for (const [text, code] of table) assert.is(exitCodeIn(text), code, String(text));
});

test('repoPath: inside, above, outside, through the real path of the top', () => {
  const ctx: RowPlace = { top: '/link/repo', topReal: '/real/repo' };
  assert.is(repoPath('a.txt', '/link/repo/sub', ctx), 'sub/a.txt');
  assert.is(repoPath('/real/repo/src/x.ts', null, ctx), 'src/x.ts');
  assert.is(repoPath('../x', '/link/repo', ctx), '/link/x');
  assert.is(repoPath('.', '/link/repo', ctx), '.');
  assert.is(repoPath('b.txt', null, ctx), 'b.txt');
});

test('toolAction keeps names readable and bounded', () => {
  assert.is(toolAction('Bash'), 'tool.Bash');
  assert.is(toolAction('mcp__github__create_issue'), 'tool.mcp__github__create_issue');
  assert.is(toolAction('a b\u001b[31m'), 'tool.a_b__31m');
  assert.is(toolAction('x'.repeat(200)).length, 'tool.'.length + 80);
  assert.is(toolAction(''), 'tool.unknown');
});

test.run();
