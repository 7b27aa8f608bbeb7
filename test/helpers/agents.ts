// Agent sessions for tests: the hook payloads Codex and Claude Code send (the documented fields, in
// the shapes the real clients sent when run offline), and the installed hook command run the way
// each agent runs it (Codex 0.171: /bin/bash -c, Claude Code 2.1: /bin/sh -c), payload on stdin.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import type { AgentName } from '../../src/agents/types.ts';
import { AGENT_FILES } from '../../src/install/agent-hooks.ts';
import type { TestRepo } from './repo.ts';

/** The shell each agent runs hook commands with. */
export const AGENT_SHELL: Record<AgentName, string> = { codex: '/bin/bash', claude: '/bin/sh' };

/** The command install wrote for `agent` (the PostToolUse entry of its file). */
export function installedCommand(repo: TestRepo, agent: AgentName): string {
  const data = JSON.parse(readFileSync(path.join(repo.dir, AGENT_FILES[agent]), 'utf8'));
  const groups = data.hooks.PostToolUse as Array<{ hooks: Array<{ command: string }> }>;
  const ours = groups.flatMap((g) => g.hooks).find((h) => h.command.includes('/codexlog/agent-hook'));
  assert.ok(ours, `no codexlog-hooks entry in ${AGENT_FILES[agent]}`);
  return (ours as { command: string }).command;
}

/** Runs the hook command as the agent would, from `cwd`; asserts it exits 0 and prints nothing on stdout. */
export function fireHook(
  repo: TestRepo,
  agent: AgentName,
  payload: unknown,
  options: { cwd?: string; env?: NodeJS.ProcessEnv; command?: string } = {},
): void {
  const command = options.command ?? installedCommand(repo, agent);
  const r = spawnSync(AGENT_SHELL[agent], ['-c', command], {
    cwd: options.cwd ?? repo.dir,
    env: { ...repo.env, ...options.env },
    input: typeof payload === 'string' ? payload : JSON.stringify(payload),
    encoding: 'utf8',
  });
  assert.equal([r.status, r.stdout], [0, ''], `${agent} hook: ${r.stderr}`);
}

/** Runs the hook command for every payload at once (as Claude does for parallel tool calls). */
export async function fireConcurrently(repo: TestRepo, agent: AgentName, payloads: unknown[], cwd = repo.dir): Promise<void> {
  const command = installedCommand(repo, agent);
  const results = await Promise.all(
    payloads.map(
      (p) =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(AGENT_SHELL[agent], ['-c', command], { cwd, env: repo.env, stdio: ['pipe', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (d) => {
            out += d;
          });
          child.on('close', (code) => resolve({ code, out }));
          child.stdin.end(JSON.stringify(p));
        }),
    ),
  );
  for (const r of results) assert.equal([r.code, r.out], [0, '']);
}

/** The agent's last message of a turn (the Stop payload's), naming `secret` when there is one. */
export function doneMessage(secret = ''): string {
  return secret ? `Done. The token ${secret} works.` : 'Done.';
}

/** A Codex session's payloads (SessionStart … SessionEnd) in `cwd`: a command, a patch, a failing command. */
export function codexSession(sid: string, cwd: string, options: { transcript?: string | null; secret?: string } = {}): unknown[] {
  const base = {
    session_id: sid,
    transcript_path: options.transcript ?? null,
    cwd,
    model: 'gpt-5.5',
    permission_mode: 'bypassPermissions',
  };
  const turn = { ...base, turn_id: `${sid}-turn-1` };
  const secret = options.secret ?? '';
  return [
    { ...base, hook_event_name: 'SessionStart', source: 'startup' },
    { ...turn, hook_event_name: 'UserPromptSubmit', prompt: `add a greeting${secret ? ` using ${secret}` : ''}` },
    {
      ...turn,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: secret ? `curl -H "Authorization: Bearer ${secret}" https://api.example.test` : 'ls' },
      tool_response: secret ? `token was ${secret}\n` : 'a.txt\n',
      tool_use_id: `${sid}-call-1`,
    },
    {
      ...turn,
      hook_event_name: 'PostToolUse',
      tool_name: 'apply_patch',
      tool_input: { command: '*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n' },
      tool_response: 'Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\nA hello.txt\n',
      tool_use_id: `${sid}-call-2`,
    },
    {
      ...turn,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'exit 3' },
      tool_response: '',
      tool_use_id: `${sid}-call-3`,
    },
    { ...turn, hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: doneMessage(secret) },
    { session_id: sid, transcript_path: null, cwd, hook_event_name: 'SessionEnd', reason: 'other' },
  ];
}

/** A Claude Code session's payloads in `cwd`: Bash, Write (a file's content), a failed Bash, and the events around them. */
export function claudeSession(sid: string, cwd: string, options: { transcript?: string | null; secret?: string } = {}): unknown[] {
  const base = { session_id: sid, transcript_path: options.transcript ?? null, cwd };
  const prompt = { ...base, prompt_id: `${sid}-prompt-1`, permission_mode: 'default' };
  const tool = { ...prompt, effort: { level: 'medium' } };
  const secret = options.secret ?? '';
  return [
    { ...base, hook_event_name: 'SessionStart', source: 'startup' },
    { ...prompt, hook_event_name: 'UserPromptSubmit', prompt: `write the config${secret ? `, the key is ${secret}` : ''}` },
    {
      ...tool,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: secret ? `export API_TOKEN=${secret}` : 'npm test', description: 'run' },
      tool_response: { stdout: secret ? `${secret}\n` : 'ok\n', stderr: '', interrupted: false, isImage: false },
      tool_use_id: `${sid}-toolu-1`,
      duration_ms: 12,
    },
    {
      ...tool,
      hook_event_name: 'PostToolUse',
      tool_name: 'Write',
      tool_input: { file_path: path.join(cwd, 'config.txt'), content: `FILE-CONTENT ${secret}` },
      tool_response: { type: 'create', filePath: path.join(cwd, 'config.txt'), content: `FILE-CONTENT ${secret}`, originalFile: null },
      tool_use_id: `${sid}-toolu-2`,
      duration_ms: 3,
    },
    {
      ...tool,
      hook_event_name: 'PostToolUseFailure',
      tool_name: 'Bash',
      tool_input: { command: 'exit 3' },
      tool_use_id: `${sid}-toolu-3`,
      error: 'Exit code 3\n',
      is_interrupt: false,
      duration_ms: 5,
    },
    { ...tool, hook_event_name: 'PostToolBatch', tool_calls: [] },
    {
      ...tool,
      hook_event_name: 'Stop',
      stop_hook_active: false,
      last_assistant_message: doneMessage(secret),
      background_tasks: [],
      session_crons: [],
    },
    { ...prompt, hook_event_name: 'SessionEnd', reason: 'other' },
  ];
}
