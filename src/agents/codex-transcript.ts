// A Codex rollout ($CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<session id>.jsonl) as the events
// Codex's hooks send, with the same ids, so that a session imported after the hooks logged it adds
// nothing (rows.ts derives each uid from the session id and the turn or call id).
//
// Lines are envelopes {timestamp, type, payload}. What is read:
//   session_meta                 the session id, its cwd, whether it ran as `codex exec`      → start
//   task_started, turn_context   the turn id (the hooks' turn_id), the model, the turn's cwd
//   event_msg item_completed     UserMessage: the user's prompt (0.171)                      → prompt
//                                CommandExecution: a command's exit code and output
//                                FileChange: an apply_patch's outcome
//   event_msg user_message       the user's prompt (older rollouts)                          → prompt
//   event_msg exec_command_end   a command's exit code and output (older rollouts)
//   event_msg patch_apply_end    an apply_patch's outcome (older rollouts)
//   response_item function_call, custom_tool_call, local_shell_call: a tool call (by call_id)
//   response_item *_output       the call's output                                           → tool
//   event_msg task_complete      the turn ended, with the last agent message                 → turn.end
//   event_msg turn_aborted       the turn was interrupted: its calls without output are interrupted
// The injected messages (developer instructions, <environment_context>, …) are not prompts: only
// the records above are. Rollouts of the first releases (a bare session header, then bare
// response items, no event_msg) give their prompts from user messages that are not injected context.
//
// Calls appear as the hooks name them: exec_command / shell / shell_command / local_shell as
// "Bash" with {command}; apply_patch (a custom tool, a function, or a shell command carrying a patch)
// as "apply_patch" with {command: <patch>}; any other tool under its own name with its arguments.
// A command's output is the one the hook sees (aggregated_output), its exit code the rollout's.
//
// The end of a session is not recorded in a rollout. It is told only for `codex exec` sessions
// (session_meta source "exec"): they run one task and exit, so once their last turn completed
// (task_complete) they ended → end, at the last record's time. Interactive sessions get no end.
import { isPatch } from './patch.js';
import { exitCodeIn, idField, isObject, str } from './payload.js';
import { contentText, isoTime, parseRecord, type TranscriptParser } from './transcript.js';
import type { AgentEvent, AgentToolCall } from './types.js';

type Obj = Record<string, unknown>;

/** An event's own fields (the parser adds the agent, the session and, unless given, the model and cwd). */
type EventFields = Pick<AgentEvent, 'kind' | 'ts' | 'turnId' | 'reason' | 'text' | 'tool'> & Partial<Pick<AgentEvent, 'model' | 'cwd'>>;

/** What the rollout said about a call's execution (item_completed, exec_command_end, patch_apply_end). */
interface Execution {
  exitCode: number | null;
  output: string | null;
  failed: boolean;
}

/** A call waiting for its output (and, for a command, its exit code). */
interface PendingCall {
  name: string;
  useId: string;
  input: unknown;
  kind: 'command' | 'patch' | 'other';
  turnId: string | null;
  model: string | null;
  cwd: string | null;
  ts: string;
  /** The *_output record's text, once it came; undefined before. */
  output: string | null | undefined;
  outputExitCode: number | null;
  outputFailed: boolean;
  outputTs: string | null;
  exec: Execution | null;
}

const SHELLS = /(^|\/)(ba|z|da|k)?sh$/;

/** A shell argv as one command line: `bash -lc <script>` is the script, anything else joined by spaces. */
function commandLine(argv: string[]): string {
  if (argv.length === 3 && SHELLS.test(argv[0]) && /^-l?c$/.test(argv[1])) return argv[2];
  return argv.join(' ');
}

/** A command's argv as the hooks show it: apply_patch when it carries a patch, else Bash. */
function shellCall(argv: string[]): Pick<PendingCall, 'name' | 'input' | 'kind'> {
  const patch = argv.find((a) => isPatch(a));
  if (patch) return { name: 'apply_patch', input: { command: patch }, kind: 'patch' };
  return { name: 'Bash', input: { command: commandLine(argv) }, kind: 'command' };
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A function's arguments: JSON text parsed, anything else as given. */
function parseArguments(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** The call a response item makes, as the hooks would name it; null when it is not a call. */
export function codexCall(p: Obj): Pick<PendingCall, 'name' | 'input' | 'kind'> | null {
  const name = str(p, 'name') ?? 'unknown';
  if (p.type === 'local_shell_call') {
    const action = isObject(p.action) ? p.action : {};
    return isStrings(action.command) ? shellCall(action.command) : { name: 'Bash', input: action, kind: 'command' };
  }
  if (p.type === 'custom_tool_call') {
    const input = p.input;
    if (name === 'apply_patch') return { name, input: { command: typeof input === 'string' ? input : '' }, kind: 'patch' };
    return { name, input, kind: 'other' };
  }
  if (p.type !== 'function_call') return null;
  const args = parseArguments(p.arguments);
  const a = isObject(args) ? args : {};
  if (name === 'exec_command' || name === 'shell_command' || name === 'shell' || name === 'container.exec' || name === 'local_shell') {
    const cmd = a.cmd ?? a.command;
    if (typeof cmd === 'string') return isPatch(cmd) ? shellCall([cmd]) : { name: 'Bash', input: { command: cmd }, kind: 'command' };
    if (isStrings(cmd)) return shellCall(cmd);
    return { name: 'Bash', input: args, kind: 'command' };
  }
  if (name === 'apply_patch') {
    const patch = [a.input, a.patch, a.command].find((v): v is string => typeof v === 'string');
    return { name, input: { command: patch ?? (typeof args === 'string' ? args : '') }, kind: 'patch' };
  }
  return { name, input: args, kind: 'other' };
}

/**
 * A *_output record's output: the text the model saw, and an exit code or failure when it tells one.
 * Older shells wrapped it as JSON {output, metadata: {exit_code}}; newer ones print "Exit code: N"
 * or "Process exited with code N" in a header.
 */
export function codexOutput(v: unknown): { text: string | null; exitCode: number | null; failed: boolean } {
  if (typeof v === 'string') {
    if (v.startsWith('{')) {
      const j = parseArguments(v);
      if (isObject(j) && typeof j.output === 'string') {
        const meta = isObject(j.metadata) ? j.metadata : {};
        const code = typeof meta.exit_code === 'number' && Number.isInteger(meta.exit_code) ? meta.exit_code : exitCodeIn(j.output);
        return { text: j.output, exitCode: code, failed: code !== null && code !== 0 };
      }
    }
    const code = exitCodeIn(v);
    return { text: v, exitCode: code, failed: code !== null && code !== 0 };
  }
  if (isObject(v)) {
    const text = typeof v.content === 'string' ? v.content : (contentText(v.content) ?? JSON.stringify(v));
    return { text, exitCode: null, failed: v.success === false };
  }
  const text = contentText(v);
  return { text: text ?? (v === undefined || v === null ? null : JSON.stringify(v)), exitCode: null, failed: false };
}

const intOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/** Injected context that older rollouts sent as user messages (not the user's prompt). */
const INJECTED =
  /^\s*<(environment_context|user_instructions|user_shell_command|turn_aborted|subagent_notification)\b|^\s*# AGENTS\.md instructions/;

/** Reads one Codex rollout; see the file's header for what becomes which event. */
export class CodexTranscriptParser implements TranscriptParser {
  cwd: string | null = null;
  sessionId: string | null;
  unreadable = 0;
  private exec = false;
  private legacy = false;
  private sawEventMsg = false;
  private firstTs: string | null = null;
  private lastTs: string | null = null;
  private lines = 0;
  private started = false;
  private model: string | null = null;
  private turn: string | null = null;
  private turnCwd: string | null = null;
  private turnOpen = false;
  /** The last turn ended with task_complete (not aborted, not cut short). */
  private completed = false;
  private readonly prompted = new Set<string>();
  private readonly calls = new Map<string, PendingCall>();
  /** Results that came before their call (kept until the turn ends). */
  private readonly early = new Map<string, Execution>();
  private out: AgentEvent[] = [];

  /** `fallbackSessionId`: the id to use when the rollout has no session_meta (its file name's). */
  constructor(options: { fallbackSessionId?: string | null } = {}) {
    this.sessionId = options.fallbackSessionId ?? null;
  }

  push(line: string): AgentEvent[] {
    const rec = parseRecord(line);
    if (!rec) {
      if (line.trim() !== '') this.unreadable += 1;
      return [];
    }
    this.out = [];
    this.lines += 1;
    const ts = isoTime(rec.timestamp) ?? this.lastTs;
    if (ts) {
      this.lastTs = ts;
      this.firstTs ??= ts;
    }
    const payload = isObject(rec.payload) ? rec.payload : null;
    if (payload) this.record(String(rec.type), payload, ts ?? '');
    else this.bare(rec, ts ?? '');
    return this.out;
  }

  finish(): AgentEvent[] {
    this.out = [];
    this.ensureStart();
    // Calls that got their output but no exit code (a rollout cut short, an older format): as they are.
    for (const c of [...this.calls.values()]) if (c.output !== undefined) this.emitCall(c, false);
    // Calls without output are left out: the session may still be running (a later import brings them).
    if (this.exec && this.completed && !this.turnOpen && this.sessionId && this.lastTs) {
      this.emit({ kind: 'end', ts: this.lastTs, turnId: null, reason: null, text: null, tool: null });
    }
    return this.out;
  }

  /** One enveloped record. */
  private record(type: string, p: Obj, ts: string): void {
    switch (type) {
      case 'session_meta':
        this.meta(p);
        return;
      case 'turn_context': {
        this.beginTurn(idField(p, 'turn_id'));
        this.model = idField(p, 'model') ?? this.model;
        this.turnCwd = str(p, 'cwd') ?? this.turnCwd;
        this.ensureStart();
        return;
      }
      case 'response_item':
        this.responseItem(p, ts);
        return;
      case 'event_msg':
        this.sawEventMsg = true;
        this.eventMsg(p, ts);
        return;
      default:
        return; // world_state, token_usage_record, compacted, …: nothing the hooks report
    }
  }

  /** Rollouts of the first releases: a bare session header, then bare response items. */
  private bare(rec: Obj, ts: string): void {
    if (this.lines === 1 && rec.type === undefined && typeof rec.id === 'string') {
      this.legacy = true;
      this.meta(rec);
      return;
    }
    if (this.legacy && typeof rec.type === 'string') this.responseItem(rec, ts);
  }

  private meta(p: Obj): void {
    if (this.started) return; // a second header (a resumed or forked session): the first one names it
    this.sessionId = idField(p, 'id') ?? idField(p, 'session_id') ?? this.sessionId;
    this.cwd = str(p, 'cwd') ?? this.cwd;
    this.exec = p.source === 'exec' || p.originator === 'codex_exec';
  }

  private beginTurn(turnId: string | null): void {
    // A new turn without an id (older rollouts) must not keep the last turn's.
    if (!this.turnOpen || turnId) this.turn = turnId;
    this.turnOpen = true;
  }

  private eventMsg(p: Obj, ts: string): void {
    switch (p.type) {
      case 'task_started':
        this.beginTurn(idField(p, 'turn_id'));
        return;
      case 'item_completed': {
        const item = isObject(p.item) ? p.item : null;
        if (!item) return;
        const turnId = idField(p, 'turn_id') ?? this.turn;
        if (item.type === 'UserMessage') this.prompt(contentText(item.content, ['text', 'Text', 'input_text']), turnId, ts);
        else if (item.type === 'CommandExecution') {
          const id = idField(item, 'id');
          const exitCode = intOrNull(item.exit_code);
          if (id)
            this.execution(id, {
              exitCode,
              output: typeof item.aggregated_output === 'string' ? item.aggregated_output : null,
              failed: item.status === 'failed' || (exitCode !== null && exitCode !== 0),
            });
        } else if (item.type === 'FileChange') {
          const id = idField(item, 'id');
          if (id) this.execution(id, { exitCode: null, output: null, failed: item.status === 'failed' });
        }
        return;
      }
      case 'user_message': {
        // Older rollouts tagged injected context with a kind; only plain messages are prompts.
        if (p.kind !== undefined && p.kind !== 'plain') return;
        this.prompt(typeof p.message === 'string' ? p.message : null, idField(p, 'turn_id') ?? this.turn, ts);
        return;
      }
      case 'exec_command_end': {
        const id = idField(p, 'call_id');
        const exitCode = intOrNull(p.exit_code);
        const output = typeof p.aggregated_output === 'string' ? p.aggregated_output : joinStd(p);
        if (id) this.execution(id, { exitCode, output, failed: exitCode !== null && exitCode !== 0 });
        return;
      }
      case 'patch_apply_end': {
        const id = idField(p, 'call_id');
        if (id) this.execution(id, { exitCode: null, output: joinStd(p), failed: p.success === false });
        return;
      }
      case 'task_complete': {
        const turnId = idField(p, 'turn_id') ?? this.turn;
        this.endTurn(turnId, false);
        this.emit({
          kind: 'turn.end',
          ts,
          turnId,
          reason: null,
          text: typeof p.last_agent_message === 'string' ? p.last_agent_message : null,
          tool: null,
        });
        return;
      }
      case 'turn_aborted':
        this.endTurn(idField(p, 'turn_id') ?? this.turn, true);
        return;
      default:
        return;
    }
  }

  private responseItem(p: Obj, ts: string): void {
    const type = p.type;
    if (type === 'function_call_output' || type === 'custom_tool_call_output' || type === 'local_shell_call_output') {
      const id = idField(p, 'call_id');
      const call = id ? this.calls.get(id) : undefined;
      if (!call) return;
      const o = codexOutput(p.output);
      call.output = o.text;
      call.outputExitCode = o.exitCode;
      call.outputFailed = o.failed;
      call.outputTs = ts;
      // A command waits for its exit code (item_completed / exec_command_end), unless the output told it.
      if (call.kind !== 'command' || call.exec || o.exitCode !== null) this.emitCall(call, false);
      return;
    }
    if (type === 'message' && this.legacy && !this.sawEventMsg && p.role === 'user') {
      const text = contentText(p.content);
      if (text && !INJECTED.test(text)) this.prompt(text, this.turn, ts);
      return;
    }
    const call = codexCall(p);
    const id = idField(p, 'call_id') ?? (p.type === 'local_shell_call' ? idField(p, 'id') : null);
    if (!call || !id) return;
    const passthrough = isObject(p.internal_chat_message_metadata_passthrough) ? p.internal_chat_message_metadata_passthrough : {};
    // Built field by field: a spread here made V8 build each call object the slow way.
    const pending: PendingCall = {
      name: call.name,
      input: call.input,
      kind: call.kind,
      useId: id,
      turnId: idField(passthrough, 'turn_id') ?? this.turn,
      model: this.model,
      cwd: this.turnCwd ?? this.cwd,
      ts,
      output: undefined,
      outputExitCode: null,
      outputFailed: false,
      outputTs: null,
      exec: this.early.get(id) ?? null,
    };
    this.early.delete(id);
    this.calls.set(id, pending);
  }

  private execution(id: string, e: Execution): void {
    const call = this.calls.get(id);
    if (!call) {
      this.early.set(id, e);
      return;
    }
    call.exec = e;
    if (call.output !== undefined) this.emitCall(call, false);
  }

  private prompt(text: string | null, turnId: string | null, ts: string): void {
    if (text === null) return;
    // One prompt per turn, as the hooks (whose uid is per turn) can give.
    if (turnId) {
      if (this.prompted.has(turnId)) return;
      this.prompted.add(turnId);
    }
    this.emit({ kind: 'prompt', ts, turnId, reason: null, text, tool: null });
  }

  /** A turn ended: its calls go out as they are (those without output were cut short: interrupted when aborted). */
  private endTurn(turnId: string | null, aborted: boolean): void {
    for (const c of [...this.calls.values()]) {
      if (turnId && c.turnId && c.turnId !== turnId) continue;
      this.emitCall(c, aborted && c.output === undefined);
    }
    this.early.clear();
    this.turnOpen = false;
    this.completed = !aborted;
  }

  private emitCall(c: PendingCall, interrupted: boolean): void {
    this.calls.delete(c.useId);
    const output = c.output === undefined ? null : c.output;
    // What the hook reports as tool_response: a command's aggregated output, else the output text.
    const response = c.kind === 'command' ? (c.exec?.output ?? output) : (output ?? c.exec?.output ?? null);
    const exitCode = c.exec?.exitCode ?? c.outputExitCode ?? (typeof response === 'string' ? exitCodeIn(response) : null);
    const tool: AgentToolCall = {
      name: c.name,
      useId: c.useId,
      input: c.input,
      response,
      failed: (exitCode !== null && exitCode !== 0) || Boolean(c.exec?.failed) || c.outputFailed,
      interrupted,
      exitCode,
      error: null,
      durationMs: null,
    };
    this.emit({ kind: 'tool', ts: c.outputTs ?? c.ts, turnId: c.turnId, reason: null, text: null, tool, model: c.model, cwd: c.cwd });
  }

  private ensureStart(): void {
    if (this.started || !this.sessionId || !this.firstTs) return;
    this.started = true;
    // The first record is the session's startup (the hook's SessionStart source "startup").
    this.out.push(this.event({ kind: 'start', ts: this.firstTs, turnId: null, reason: 'startup', text: null, tool: null }));
  }

  private emit(e: EventFields): void {
    if (!this.sessionId) return;
    this.ensureStart();
    this.out.push(this.event(e));
  }

  private event(e: EventFields): AgentEvent {
    return {
      agent: 'codex',
      kind: e.kind,
      sessionId: this.sessionId as string,
      ts: e.ts,
      turnId: e.turnId,
      model: e.model !== undefined ? e.model : this.model,
      cwd: e.cwd !== undefined ? e.cwd : (this.turnCwd ?? this.cwd),
      transcriptPath: null,
      reason: e.reason,
      text: e.text,
      tool: e.tool,
    };
  }
}

function joinStd(p: Obj): string | null {
  const out = typeof p.stdout === 'string' ? p.stdout : '';
  const err = typeof p.stderr === 'string' ? p.stderr : '';
  return out || err ? `${out}${err}` : null;
}
