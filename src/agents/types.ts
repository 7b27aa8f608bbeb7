// What an agent did, in one shape for every source: the hooks of Codex and Claude Code (payload.ts)
// and their transcripts (import). rows.ts turns each event into a row of the log.

/** The agents whose hooks install wires and whose sessions `import` reads. */
export const AGENTS = ['codex', 'claude'] as const;
export type AgentName = (typeof AGENTS)[number];

/** Whether `s` names an agent we know. */
export function isAgent(s: string): s is AgentName {
  return (AGENTS as readonly string[]).includes(s);
}

/** One tool call and its outcome. */
export interface AgentToolCall {
  /** The tool's name as the agent reports it (Bash, apply_patch, Edit, mcp__server__tool, ...). */
  name: string;
  /** The agent's id of the call (Codex `call_…`, Claude `toolu_…`); null when the source has none. */
  useId: string | null;
  /** The tool's input, as the agent sent it (never stored whole). */
  input: unknown;
  /** The tool's output (a string or the agent's object; never stored whole). */
  response: unknown;
  /** The call failed (Claude's PostToolUseFailure, a non-zero exit code). */
  failed: boolean;
  /** The user interrupted it. */
  interrupted: boolean;
  /** The exit code, where the source has one. */
  exitCode: number | null;
  /** The failure text, where the source has one. */
  error: string | null;
  durationMs: number | null;
}

/** The kinds of events that become rows. */
export type AgentEventKind = 'start' | 'prompt' | 'tool' | 'turn.end' | 'end';

/** One event of an agent session. */
export interface AgentEvent {
  agent: AgentName;
  kind: AgentEventKind;
  /** The agent's own session id, so that the rows join its transcript. */
  sessionId: string;
  /** When it happened (ISO 8601): the hook's arrival, or the transcript's timestamp. */
  ts: string;
  /** Codex's turn_id, Claude's prompt_id: the same for every event of one prompt. */
  turnId: string | null;
  model: string | null;
  /** The session's working directory (absolute), against which relative paths resolve. */
  cwd: string | null;
  /** Where the agent keeps the transcript (read for what the hook payload lacks). */
  transcriptPath: string | null;
  /** start: why the session started (startup, resume, clear, compact, exec, ...). end: why it ended. */
  reason: string | null;
  /** prompt: the user's prompt. turn.end: the last assistant message. */
  text: string | null;
  tool: AgentToolCall | null;
}
