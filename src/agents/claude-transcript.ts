// A Claude Code transcript ($CLAUDE_CONFIG_DIR/projects/<launch cwd, / as ->/<session id>.jsonl) as the
// events Claude Code's hooks send, with the same ids, so that a session imported after the hooks
// logged it adds nothing (rows.ts derives each uid from the session id and the prompt or call id).
//
// Each line is one record with the session's `sessionId` and `cwd`. What is read:
//   the first record of the main chain                            → start (source "startup")
//   user, a prompt (promptId: the hooks' prompt_id)               → prompt
//   assistant, tool_use blocks (id: the hooks' tool_use_id)         a call, waiting for its result
//   user, tool_result (+ toolUseResult: the hooks' tool_response)  → tool; is_error → failed, with
//                                                                   the result text as the error
//                                                                   ("Exit code 3\n…" → exit code 3)
//   the prompt's last assistant message, when it is text          → turn.end (when the next prompt
//                                                                   starts or the file ends; not
//                                                                   for an interrupted prompt)
// The model of a prompt is that of the assistant message answering it (Claude's hooks send none;
// ingest fills it from the transcript the same way); a tool's is that of the message that called it.
// Injected user lines (isMeta, compact summaries, local slash-command output, interruption notes)
// are not prompts.
//
// Subagents (isSidechain lines, inline or in <session>/subagents/agent-*.jsonl): their tool calls
// are imported under the parent session's id (the lines carry it), because Claude Code runs the
// PostToolUse hooks for a subagent's calls too, in the parent session: the rows match the hooks'.
// Their prompts and replies are not (no UserPromptSubmit or Stop fires for them: the parent's Task
// call already holds the subagent's prompt), and they start no session.
//
// The end of a session is not recorded in a transcript. It is told only for `claude -p` sessions
// (entrypoint "sdk-cli"): the process exits once its prompt is answered, so when the last prompt
// ended with a reply → end, at the last record's time. Interactive sessions get no end (they may
// be resumed at any time).
import { exitCodeIn, idField, isObject, str } from './payload.js';
import { contentText, isoTime, parseRecord, type TranscriptParser } from './transcript.js';
import type { AgentEvent, AgentToolCall } from './types.js';

type Obj = Record<string, unknown>;

/** A tool_use waiting for its tool_result. */
interface PendingCall {
  name: string;
  input: unknown;
  model: string | null;
  turnId: string | null;
  cwd: string | null;
}

/** The prompt being answered. */
interface OpenPrompt {
  sessionId: string;
  id: string | null;
  /** The last assistant message: text (a reply) or a tool call. */
  lastKind: 'text' | 'tool' | null;
  lastText: string;
  lastMessageId: string | null;
  lastTs: string;
  stopReason: string | null;
  interrupted: boolean;
  /** Closed: another prompt began or the file ended. */
  closed: boolean;
  /** Closed with a reply (turn.end). */
  ended: boolean;
}

/** User lines that are Claude Code's own, not the user's prompt. */
const NOT_A_PROMPT = /^\s*(<local-command-(stdout|stderr|caveat)>|<command-(name|message|args)>|\[Request interrupted by user)/;
const INTERRUPTED = /^\s*\[Request interrupted by user/;

/** Reads one Claude Code transcript; see the file's header for what becomes which event. */
export class ClaudeTranscriptParser implements TranscriptParser {
  cwd: string | null = null;
  sessionId: string | null = null;
  unreadable = 0;
  private readonly fallbackSessionId: string | null;
  private firstTs: string | null = null;
  private lastTs: string | null = null;
  private model: string | null = null;
  private entrypoint: string | null = null;
  private readonly started = new Set<string>();
  private prompt: OpenPrompt | null = null;
  private readonly calls = new Map<string, PendingCall>();
  /** Events waiting for the model (the start and prompts: the answer names it). */
  private held: AgentEvent[] = [];
  private out: AgentEvent[] = [];

  /** `fallbackSessionId`: the id for lines that lack one (the file name's). */
  constructor(options: { fallbackSessionId?: string | null } = {}) {
    this.fallbackSessionId = options.fallbackSessionId ?? null;
  }

  push(line: string): AgentEvent[] {
    const rec = parseRecord(line);
    if (!rec) {
      if (line.trim() !== '') this.unreadable += 1;
      return [];
    }
    this.out = [];
    const ts = isoTime(rec.timestamp) ?? this.lastTs;
    if (ts) {
      this.lastTs = ts;
      this.firstTs ??= ts;
    }
    // The file name's id stands in only on Claude's own records (not on any JSON line of any file).
    const sessionId = idField(rec, 'sessionId') ?? (rec.type === 'user' || rec.type === 'assistant' ? this.fallbackSessionId : null);
    if (!sessionId || !ts) return this.out;
    this.sessionId ??= sessionId;
    const cwd = str(rec, 'cwd');
    if (cwd) this.cwd ??= cwd;
    const side = rec.isSidechain === true;
    if (!side) {
      this.entrypoint = str(rec, 'entrypoint') ?? this.entrypoint;
      // The first record of the main chain starts the session (a sidechain file starts none).
      if (rec.isSidechain === false && !this.started.has(sessionId)) {
        this.started.add(sessionId);
        if (this.prompt && this.prompt.sessionId !== sessionId) this.closeTurn();
        this.hold(
          this.event(sessionId, { kind: 'start', ts: this.firstTs ?? ts, turnId: null, reason: 'startup', text: null, tool: null }),
        );
      }
    }
    const message = isObject(rec.message) ? rec.message : null;
    if (rec.type === 'user' && message) this.user(rec, message, sessionId, ts, side, cwd);
    else if (rec.type === 'assistant' && message) this.assistant(rec, message, ts, side, cwd);
    return this.out;
  }

  finish(): AgentEvent[] {
    this.out = [];
    this.release();
    this.closeTurn();
    const last = this.prompt;
    if (last?.ended && this.entrypoint === 'sdk-cli' && this.lastTs) {
      this.emit(this.event(last.sessionId, { kind: 'end', ts: this.lastTs, turnId: null, reason: null, text: null, tool: null }));
    }
    // Calls without a result are left out: the session may still be running (a later import brings them).
    return this.out;
  }

  private user(rec: Obj, message: Obj, sessionId: string, ts: string, side: boolean, cwd: string | null): void {
    const content = message.content;
    const results = Array.isArray(content) ? content.filter((c): c is Obj => isObject(c) && c.type === 'tool_result') : [];
    if (results.length > 0) {
      for (const r of results) this.result(rec, r, results.length === 1, ts, cwd);
      return;
    }
    if (side) return;
    const text = contentText(content);
    if (text === null) return;
    if (INTERRUPTED.test(text)) {
      if (this.prompt) this.prompt.interrupted = true;
      return;
    }
    if (rec.isMeta === true || rec.isCompactSummary === true || rec.isVisibleInTranscriptOnly === true || NOT_A_PROMPT.test(text)) return;
    const promptId = idField(rec, 'promptId');
    // Several lines of one prompt (an image and its text, a queued message): the first is the prompt.
    if (promptId && this.prompt?.id === promptId) return;
    this.closeTurn();
    this.prompt = {
      sessionId,
      id: promptId,
      lastKind: null,
      lastText: '',
      lastMessageId: null,
      lastTs: ts,
      stopReason: null,
      interrupted: false,
      closed: false,
      ended: false,
    };
    this.hold(this.event(sessionId, { kind: 'prompt', ts, turnId: promptId, reason: null, text, tool: null, cwd }));
  }

  private assistant(rec: Obj, message: Obj, ts: string, side: boolean, cwd: string | null): void {
    const raw = idField(message, 'model');
    // "<synthetic>": Claude Code's own messages (API errors, interruptions), no model's.
    const model = raw && raw !== '<synthetic>' ? raw : null;
    if (!side && model) {
      this.model = model;
      this.release();
    }
    const content = Array.isArray(message.content) ? message.content : [];
    const messageId = idField(message, 'id');
    const p = side ? null : this.prompt;
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === 'tool_use') {
        const id = idField(block, 'id');
        if (!id) continue;
        this.calls.set(id, {
          name: idField(block, 'name') ?? 'unknown',
          input: block.input,
          model: model ?? this.model,
          turnId: idField(rec, 'promptId') ?? this.prompt?.id ?? null,
          cwd: cwd ?? this.cwd,
        });
        if (p) p.lastKind = 'tool';
      } else if (block.type === 'text' && typeof block.text === 'string' && p) {
        // Claude Code writes one line per content block: the blocks of one message are one reply.
        if (p.lastKind === 'text' && messageId && p.lastMessageId === messageId) p.lastText += `\n${block.text}`;
        else p.lastText = block.text;
        p.lastKind = 'text';
        p.lastMessageId = messageId;
        p.lastTs = ts;
        p.stopReason = str(message, 'stop_reason');
      }
    }
  }

  private result(rec: Obj, r: Obj, only: boolean, ts: string, cwd: string | null): void {
    const id = idField(r, 'tool_use_id');
    const call = id ? this.calls.get(id) : undefined;
    if (!id || !call) return; // a result without its call (a transcript cut at the front)
    this.calls.delete(id);
    const failed = r.is_error === true;
    const text = contentText(r.content);
    // toolUseResult is the hooks' tool_response; a line holding several results cannot say whose it is.
    const result = only ? rec.toolUseResult : undefined;
    const error = failed ? (text ?? (typeof result === 'string' ? result.replace(/^Error: /, '') : '')) : null;
    const response = failed ? null : result !== undefined ? result : text;
    const exitCode = failed ? exitCodeIn(error) : typeof response === 'string' ? exitCodeIn(response) : null;
    const tool: AgentToolCall = {
      name: call.name,
      useId: id,
      input: call.input,
      response,
      failed: failed || (exitCode !== null && exitCode !== 0),
      interrupted: (isObject(result) && result.interrupted === true) || (failed && INTERRUPTED.test(error ?? '')),
      exitCode,
      error,
      durationMs: null,
    };
    const sessionId = idField(rec, 'sessionId') ?? this.fallbackSessionId ?? (this.sessionId as string);
    this.emit(
      this.event(sessionId, {
        kind: 'tool',
        ts,
        turnId: idField(rec, 'promptId') ?? call.turnId,
        reason: null,
        text: null,
        tool,
        model: call.model,
        cwd: cwd ?? call.cwd,
      }),
    );
  }

  /** The open prompt is over (another began, or the file ended): its reply, if it ended with one → turn.end. */
  private closeTurn(): void {
    const p = this.prompt;
    if (!p || p.closed) return;
    p.closed = true;
    if (p.lastKind !== 'text' || p.interrupted || p.stopReason === 'tool_use') return;
    p.ended = true;
    this.emit(this.event(p.sessionId, { kind: 'turn.end', ts: p.lastTs, turnId: p.id, reason: null, text: p.lastText, tool: null }));
  }

  private event(
    sessionId: string,
    e: Pick<AgentEvent, 'kind' | 'ts' | 'turnId' | 'reason' | 'text' | 'tool'> & Partial<Pick<AgentEvent, 'model' | 'cwd'>>,
  ): AgentEvent {
    return {
      agent: 'claude',
      kind: e.kind,
      sessionId,
      ts: e.ts,
      turnId: e.turnId,
      model: e.model ?? null,
      cwd: e.cwd ?? this.cwd,
      transcriptPath: null,
      reason: e.reason,
      text: e.text,
      tool: e.tool,
    };
  }

  /** Keeps an event until the model is known (the next assistant message, or the end of the file). */
  private hold(ev: AgentEvent): void {
    this.held.push(ev);
  }

  /** Events go out in order: behind any that wait for the model. */
  private emit(ev: AgentEvent): void {
    if (this.held.length) this.held.push(ev);
    else this.out.push(ev);
  }

  /** Gives the waiting events the model (and the session's cwd) and lets them out. */
  private release(): void {
    for (const ev of this.held) {
      if ((ev.kind === 'start' || ev.kind === 'prompt') && !ev.model) ev.model = this.model;
      ev.cwd ??= this.cwd;
      this.out.push(ev);
    }
    this.held = [];
  }
}
