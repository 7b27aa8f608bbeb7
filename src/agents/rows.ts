// An agent event as a row of the log (the shapes are listed in the README, "What the log holds"):
//   start, turn.end, end  → a codex_log event of the agent's own session id
//   prompt                → a `prompt` action
//   tool                  → a `tool.<name>` action: the command, or the files touched, relative to
//                           the repository; metadata with the ids, the files, the failure, and the
//                           output's size, hash and a short preview. Whole inputs and outputs
//                           (file contents, megabytes of output) are never stored.
// Ids derive from the agent's own ids, never from the time: the same event delivered twice, or
// logged by the hook and later imported from the transcript, is one row.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { EventRow } from '../rows.js';
import type { StoredAction } from '../store/uncommitted.js';
import { isPatch, type PatchedFile, parsePatch } from './patch.js';
import { isObject } from './payload.js';
import type { AgentEvent, AgentToolCall } from './types.js';

/** What is kept of each text, in characters (a cut text ends with "… [N more characters]"); a path or a cwd is cut as a command. */
export const CAPS = { prompt: 4000, command: 2000, message: 1000, preview: 400, error: 400, inputJson: 1000, inputString: 200, files: 100 };

/** Where the rows are written: paths are made relative to `top`. */
export interface RowPlace {
  /** The repository's top level (absolute). */
  top: string;
  /** The same top level with symbolic links resolved, when it differs. */
  topReal?: string;
}

/** Counts of redactions per rule. */
type Counts = Record<string, number>;

/** How texts are cleaned before they are hashed or cut (a RowRedactor of src/redact/redact.ts). */
export interface RowCleaner {
  /** A text with its secrets replaced, and how many of each rule. */
  text(text: string): { text: string; counts: Counts };
  /** A JSON value walked as metadata is (a string under a secret-ish key goes whole). */
  json(value: unknown): { value: unknown; counts: Counts };
}

/**
 * Where the rows are written and how their texts are cleaned. Every text is redacted whole before
 * it is cut (a secret split by the cut matches no rule afterwards) or hashed (a hash of a short
 * secret could be guessed back): the cleaner is required.
 */
export interface RowContext extends RowPlace {
  redact: RowCleaner;
}

/**
 * A text cut to `max` characters (never inside a surrogate pair); `more` characters were already
 * cut off its end before.
 */
export function cap(text: string, max: number, more = 0): string {
  if (text.length <= max) return more > 0 ? `${text}… [${more} more characters]` : text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… [${text.length - end + more} more characters]`;
}

/**
 * Past its cap a text is redacted this much further, no more: no secret is longer (a private key
 * block is at most 64 KB), so one that straddles the cut is found whole, and a megabyte command
 * is not scanned for the 2000 characters kept of it.
 */
const SCAN_PAST_CAP = 80 * 1024;

/** The texts of one row, redacted before they are cut; what was found is counted for the row's `redactions`. */
class Kept {
  readonly counts: Counts = {};
  constructor(private readonly cleaner: RowCleaner) {}

  add(counts: Counts): void {
    for (const [rule, n] of Object.entries(counts)) this.counts[rule] = (this.counts[rule] ?? 0) + n;
  }

  /** `text` redacted, then cut to `max`. */
  text(text: string, max: number): string {
    const scanned = text.length > max + SCAN_PAST_CAP ? text.slice(0, max + SCAN_PAST_CAP) : text;
    const r = this.cleaner.text(scanned);
    this.add(r.counts);
    return cap(r.text, max, text.length - scanned.length);
  }

  /** A JSON value redacted as metadata is. */
  json(value: unknown): unknown {
    const r = this.cleaner.json(value);
    this.add(r.counts);
    return r.value;
  }

  /** The counts as the `redactions` entry of the row's metadata (none when nothing was found). */
  redactions(): { redactions?: Counts } {
    return Object.keys(this.counts).length ? { redactions: { ...this.counts } } : {};
  }
}

/** The uid of an agent's event: `<agent>-` and 32 hex digits of a hash of its source ids. */
export function agentUid(ev: Pick<AgentEvent, 'agent' | 'sessionId'>, key: string): string {
  const h = createHash('sha256')
    .update(JSON.stringify([ev.agent, ev.sessionId, key]))
    .digest('hex');
  return `${ev.agent}-${h.slice(0, 32)}`;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** What identifies the event within its session (see agentUid). */
function eventKey(ev: AgentEvent): string {
  switch (ev.kind) {
    case 'start':
      // A resumed, cleared or compacted session starts again: one row per such start.
      return !ev.reason || ev.reason === 'startup' || ev.reason === 'exec' ? 'start' : `start:${ev.reason}:${ev.ts}`;
    case 'end':
      return 'end';
    case 'prompt':
      return ev.turnId ? `prompt:${ev.turnId}` : `prompt:${ev.ts}:${hashOf(ev.text ?? '')}`;
    case 'turn.end':
      return ev.turnId ? `turn.end:${ev.turnId}` : `turn.end:${ev.ts}`;
    case 'tool': {
      const t = ev.tool as AgentToolCall;
      return t.useId ? `tool:${t.useId}` : `tool:${ev.ts}:${t.name}:${hashOf(JSON.stringify(t.input) ?? '')}`;
    }
  }
}

/** A path as the repository names it (POSIX, relative to the top level); absolute when outside it. */
export function repoPath(p: string, cwd: string | null, ctx: RowPlace): string {
  const abs = path.resolve(cwd ?? ctx.top, p);
  for (const top of [ctx.top, ctx.topReal]) {
    if (!top) continue;
    const rel = path.relative(top, abs);
    if (!rel) return '.';
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return abs.split(path.sep).join('/');
}

/** A tool's name as an action suffix: letters, digits and `_.:-`, at most 80 characters. */
export function toolAction(name: string): string {
  return `tool.${name.replace(/[^\w.:-]/g, '_').slice(0, 80) || 'unknown'}`;
}

/**
 * The input redacted as metadata is (a value under a secret-ish key goes whole), then with every
 * long string cut, as compact JSON of at most CAPS.inputJson characters.
 */
function inputSketch(input: unknown, kept: Kept): string {
  const clean = kept.json(input);
  const json = JSON.stringify(clean, (_k, v) => (typeof v === 'string' ? cap(v, CAPS.inputString) : v));
  return cap(json ?? '', CAPS.inputJson);
}

/** The patch text of an apply_patch input (`{command}`, `{input}`, or the string itself). */
function patchText(input: unknown): string | null {
  if (typeof input === 'string') return isPatch(input) ? input : null;
  if (!isObject(input)) return null;
  for (const k of ['command', 'input', 'patch']) {
    const v = input[k];
    if (typeof v === 'string' && isPatch(v)) return v;
    if (Array.isArray(v)) {
      const s = v.find((x): x is string => typeof x === 'string' && isPatch(x));
      if (s) return s;
    }
  }
  return null;
}

const PATCH_LETTER = { add: 'A', update: 'M', delete: 'D' } as const;

/** Statement (redacted, then cut) and files of a tool call. */
function describeTool(t: AgentToolCall, cwd: string | null, ctx: RowContext, kept: Kept): { statement: string; files: string[] } {
  const input = isObject(t.input) ? t.input : {};
  const rel = (p: string) => repoPath(p, cwd, ctx);
  const stmt = (text: string) => kept.text(text, CAPS.command);
  const patch = patchText(t.input);
  if (patch) {
    const parsed: PatchedFile[] = parsePatch(patch);
    const files = [...new Set(parsed.flatMap((f) => (f.movedTo ? [rel(f.path), rel(f.movedTo)] : [rel(f.path)])))];
    const statement = parsed
      .map((f) => `${f.movedTo ? 'R' : PATCH_LETTER[f.op]} ${rel(f.path)}${f.movedTo ? ` -> ${rel(f.movedTo)}` : ''}`)
      .join(', ');
    return { statement: stmt(statement || 'apply_patch'), files };
  }
  const fileKey = ['file_path', 'notebook_path'].find((k) => typeof input[k] === 'string' && input[k] !== '');
  if (fileKey) {
    const f = rel(input[fileKey] as string);
    return { statement: stmt(f), files: [f] };
  }
  const text = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : null);
  const command = text('command') ?? text('cmd');
  if (command !== null) return { statement: stmt(command), files: [] };
  if (Array.isArray(input.command) && input.command.every((x) => typeof x === 'string')) {
    return { statement: stmt((input.command as string[]).join(' ')), files: [] };
  }
  const pattern = text('pattern');
  if (pattern !== null) {
    const where = text('path');
    return { statement: stmt(where ? `${pattern} in ${rel(where)}` : pattern), files: [] };
  }
  const single = text('url') ?? text('query') ?? text('description');
  if (single !== null) return { statement: stmt(single), files: [] };
  return { statement: inputSketch(t.input, kept), files: [] };
}

/** The output as text (what the agent saw), and whether a preview of it may be kept. */
function outputText(t: AgentToolCall): { text: string; preview: boolean } | null {
  const r = t.response;
  if (r === null || r === undefined) return null;
  if (typeof r === 'string') return { text: r, preview: true };
  // Claude's Bash: {stdout, stderr, ...}. Other objects hold file contents: measured, never shown.
  if (isObject(r) && typeof r.stdout === 'string') {
    const err = typeof r.stderr === 'string' && r.stderr ? `\n${r.stderr}` : '';
    return { text: `${r.stdout}${err}`, preview: true };
  }
  return { text: JSON.stringify(r) ?? '', preview: false };
}

function toolMetadata(ev: AgentEvent, t: AgentToolCall, files: string[], ctx: RowContext, kept: Kept): Record<string, unknown> {
  const meta: Record<string, unknown> = { agent: ev.agent };
  if (ev.model) meta.model = ev.model;
  if (ev.turnId) meta.turn_id = ev.turnId;
  if (t.useId) meta.tool_use_id = t.useId;
  if (files.length) {
    // Each path as long as a command at most (an agent can name a file of a megabyte's path).
    meta.files = files.slice(0, CAPS.files).map((f) => kept.text(f, CAPS.command));
    if (files.length > CAPS.files) meta.files_truncated = files.length - CAPS.files;
  }
  if (t.failed) meta.failed = true;
  if (t.interrupted) meta.interrupted = true;
  if (t.exitCode !== null) meta.exit_code = t.exitCode;
  if (t.error) meta.error = kept.text(t.error, CAPS.error);
  if (t.durationMs !== null) meta.duration_ms = t.durationMs;
  const out = outputText(t);
  if (out) {
    const clean = ctx.redact.text(out.text);
    meta.output = {
      bytes: Buffer.byteLength(out.text, 'utf8'),
      sha256: hashOf(clean.text),
      ...(out.preview && out.text ? { preview: cap(clean.text, CAPS.preview) } : {}),
    };
    // What the preview lost is counted as any redaction (the row's `redactions`, added to later).
    if (out.preview) kept.add(clean.counts);
  }
  if (ev.cwd) {
    const c = repoPath(ev.cwd, null, ctx);
    if (c !== '.') meta.cwd = kept.text(c, CAPS.command);
  }
  return { ...meta, ...kept.redactions() };
}

/** The row an event becomes: an action (prompt, tool) or a session event (start, turn.end, end). */
export function rowOfAgentEvent(ev: AgentEvent, ctx: RowContext): { action: StoredAction } | { event: EventRow } {
  const uid = agentUid(ev, eventKey(ev));
  const base = { uid, ts: ev.ts, session_id: ev.sessionId };
  const kept = new Kept(ctx.redact);
  switch (ev.kind) {
    case 'start': {
      const summary: Record<string, unknown> = { agent: ev.agent };
      if (ev.model) summary.model = ev.model;
      if (ev.reason) summary.source = ev.reason;
      if (ev.cwd) summary.cwd = kept.text(repoPath(ev.cwd, null, ctx), CAPS.command);
      return { event: { ...base, event: 'start', summary: JSON.stringify({ ...summary, ...kept.redactions() }) } };
    }
    case 'end':
      return {
        event: { ...base, event: 'end', summary: JSON.stringify({ agent: ev.agent, ...(ev.reason ? { reason: ev.reason } : {}) }) },
      };
    case 'turn.end':
      // Free text: the labels say what was there (a summary that is not JSON has no counts).
      return { event: { ...base, event: 'turn.end', summary: ev.text === null ? null : kept.text(ev.text, CAPS.message) } };
    case 'prompt': {
      const meta: Record<string, unknown> = { agent: ev.agent };
      if (ev.model) meta.model = ev.model;
      if (ev.turnId) meta.turn_id = ev.turnId;
      const statement = kept.text(ev.text ?? '', CAPS.prompt);
      return { action: { ...base, action: 'prompt', statement, metadata: JSON.stringify({ ...meta, ...kept.redactions() }) } };
    }
    case 'tool': {
      const t = ev.tool as AgentToolCall;
      const { statement, files } = describeTool(t, ev.cwd, ctx, kept);
      const metadata = JSON.stringify(toolMetadata(ev, t, files, ctx, kept));
      return { action: { ...base, action: toolAction(t.name), statement, metadata } };
    }
  }
}
