// What the two transcript parsers (codex-transcript.ts, claude-transcript.ts) share: a parser is fed
// a file's lines one by one and hands back the AgentEvents each line completed, so that a caller
// maps and drops them at once (a session's tool outputs are never all held in memory). Both read
// their agent's format leniently: a line that is not a JSON object (a torn last line, garbage) is
// counted and skipped, unknown record types and fields are ignored, and no field's type is trusted.
import { isObject } from './payload.js';
import type { AgentEvent } from './types.js';

type Obj = Record<string, unknown>;

/** A streaming reader of one transcript file. */
export interface TranscriptParser {
  /** Reads one line; returns the events it completed (in order). */
  push(line: string): AgentEvent[];
  /** The file ended: returns the events that can still be told (see each parser for which). */
  finish(): AgentEvent[];
  /** The session's working directory (absolute), once a record has named it; null before. */
  readonly cwd: string | null;
  /** The session's id, once known (a Codex rollout's session_meta, a Claude line's sessionId). */
  readonly sessionId: string | null;
  /** Lines that were not a JSON object (skipped). */
  readonly unreadable: number;
}

/** One line as a JSON object, or null (blank lines too). */
export function parseRecord(line: string): Obj | null {
  if (line.length === 0 || line.trim() === '') return null;
  try {
    const v: unknown = JSON.parse(line);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/** The text of a message content: a string, or the `text` of its text blocks joined by newlines. */
export function contentText(content: unknown, types: readonly string[] = ['text', 'input_text', 'output_text']): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const parts: string[] = [];
  for (const c of content) {
    if (isObject(c) && typeof c.type === 'string' && types.includes(c.type) && typeof c.text === 'string') parts.push(c.text);
  }
  return parts.length ? parts.join('\n') : null;
}

const ISO_UTC = /^\d{4}-(0\d|1[0-2])-([0-2]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** A timestamp field as ISO 8601 (UTC), or null when it is not a date. */
export function isoTime(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 64) return null;
  // What both agents write (and toISOString gives back unchanged): no need to parse it.
  if (v.length === 24 && ISO_UTC.test(v)) return v;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** The session id a transcript's file name ends with (rollout-<time>-<uuid>.jsonl, <uuid>.jsonl), or null. */
export function sessionIdOfFileName(name: string): string | null {
  const m = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(name);
  return m ? m[1].toLowerCase() : null;
}

/** Every event of `lines`, through `parser` (the pure form, for tests and small files). */
export function parseAll(parser: TranscriptParser, lines: Iterable<string>): AgentEvent[] {
  const out: AgentEvent[] = [];
  for (const line of lines) for (const ev of parser.push(line)) out.push(ev);
  for (const ev of parser.finish()) out.push(ev);
  return out;
}

/** Splits a file's text into lines (LF or CRLF); the last line may lack its newline. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
