// A hook payload of Codex or Claude Code (the JSON the agent writes on the hook's stdin) as an
// AgentEvent. Both agents share the field names (session_id, hook_event_name, tool_name, ...);
// what differs: Codex names the prompt `turn_id` and sends tool output as a string, Claude names it
// `prompt_id`, sends objects, and reports a failed tool as PostToolUseFailure. Unknown fields are
// ignored, unknown events give null. Nothing here trusts a field's type.
import type { AgentEvent, AgentEventKind, AgentName } from './types.js';

/** The hook events that become rows, and what they become (install registers exactly these). */
export const HOOK_EVENTS: Record<AgentName, Record<string, AgentEventKind>> = {
  codex: {
    SessionStart: 'start',
    UserPromptSubmit: 'prompt',
    PostToolUse: 'tool',
    Stop: 'turn.end',
    SessionEnd: 'end',
  },
  claude: {
    SessionStart: 'start',
    UserPromptSubmit: 'prompt',
    PostToolUse: 'tool',
    PostToolUseFailure: 'tool',
    Stop: 'turn.end',
    SessionEnd: 'end',
  },
};

/** Ids longer than this are not an agent's: such payloads are dropped. */
const MAX_ID = 200;

type Obj = Record<string, unknown>;

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field, trimmed; null when absent, not a string or empty. */
export function str(o: Obj, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : null;
}

/** An id field: a non-empty string of at most MAX_ID characters without control characters. */
export function idField(o: Obj, key: string): string | null {
  const v = str(o, key);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return v && v.length <= MAX_ID && !/[\u0000-\u001f\u007f]/.test(v) ? v : null;
}

function num(o: Obj, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** "Exit code 3" (Claude's failures), "Exit code: 0" (Codex's apply_patch output), "Process exited with code 3". */
export function exitCodeIn(text: string | null): number | null {
  if (!text) return null;
  const m = /^(?:Error: )?Exit code:? (-?\d{1,4})\b/.exec(text) ?? /\bProcess exited with code (-?\d{1,4})\b/.exec(text.slice(0, 4096));
  return m ? Number(m[1]) : null;
}

/** The event a hook payload describes; null when it is not one we log or lacks a session id. */
export function eventFromHookPayload(agent: AgentName, payload: unknown, ts: string): AgentEvent | null {
  if (!isObject(payload)) return null;
  const name = str(payload, 'hook_event_name');
  const kind = name && Object.hasOwn(HOOK_EVENTS[agent], name) ? HOOK_EVENTS[agent][name] : undefined;
  const sessionId = idField(payload, 'session_id');
  if (!kind || !sessionId) return null;
  const ev: AgentEvent = {
    agent,
    kind,
    sessionId,
    ts,
    turnId: idField(payload, 'turn_id') ?? idField(payload, 'prompt_id'),
    model: idField(payload, 'model'),
    cwd: str(payload, 'cwd'),
    transcriptPath: str(payload, 'transcript_path'),
    reason: null,
    text: null,
    tool: null,
  };
  if (kind === 'start') ev.reason = idField(payload, 'source');
  else if (kind === 'end') ev.reason = idField(payload, 'reason');
  else if (kind === 'prompt') ev.text = str(payload, 'prompt') ?? '';
  else if (kind === 'turn.end') ev.text = str(payload, 'last_assistant_message');
  else {
    const failure = name === 'PostToolUseFailure';
    const error = failure ? (str(payload, 'error') ?? '') : null;
    const response = failure ? null : payload.tool_response;
    const exitCode = failure ? exitCodeIn(error) : typeof response === 'string' ? exitCodeIn(response) : null;
    ev.tool = {
      name: idField(payload, 'tool_name') ?? 'unknown',
      useId: idField(payload, 'tool_use_id'),
      input: payload.tool_input,
      response,
      failed: failure || (exitCode !== null && exitCode !== 0),
      interrupted: payload.is_interrupt === true,
      exitCode,
      error,
      durationMs: num(payload, 'duration_ms'),
    };
  }
  return ev;
}
