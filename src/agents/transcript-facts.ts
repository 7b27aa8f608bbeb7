// What a hook payload lacks and the agent's transcript has, read at ingest (never in the hook):
// Codex reports a command's exit code only in its rollout (`item_completed`, item.id = the
// hook's tool_use_id), Claude names the model only in its transcript (`assistant` lines). The
// files are the agent's own; only the lines needed are parsed.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isObject } from './payload.js';

/** Transcripts larger than this are not searched. */
const MAX_TRANSCRIPT = 256 * 1024 * 1024;
/** How far into a Claude transcript the first assistant line is looked for. */
const MODEL_SEARCH_BYTES = 4 * 1024 * 1024;

function readUpTo(file: string, max: number): Buffer | null {
  if (!file.endsWith('.jsonl')) return null;
  let fd: number | null = null;
  try {
    const size = statSync(file).size;
    if (size > MAX_TRANSCRIPT) return null;
    const n = Math.min(size, max);
    const buf = Buffer.allocUnsafe(n);
    fd = openSync(file, 'r');
    let off = 0;
    while (off < n) {
      const r = readSync(fd, buf, off, n - off, off);
      if (r === 0) break;
      off += r;
    }
    return buf.subarray(0, off);
  } catch {
    return null; // gone, unreadable: the row keeps what the hook said
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The JSON line of `buf` around byte `at`, parsed; null when it is not an object. */
function lineAt(buf: Buffer, at: number): Record<string, unknown> | null {
  const start = buf.lastIndexOf(0x0a, at) + 1;
  let end = buf.indexOf(0x0a, at);
  if (end < 0) end = buf.length;
  try {
    const v = JSON.parse(buf.subarray(start, end).toString('utf8'));
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/** Codex: the exit code of each call id, from the rollout's `item_completed` CommandExecution items. */
export function codexExitCodes(file: string, callIds: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (callIds.length === 0) return out;
  const buf = readUpTo(file, MAX_TRANSCRIPT);
  if (!buf) return out;
  for (const id of callIds) {
    const needle = Buffer.from(`"id":${JSON.stringify(id)}`);
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + needle.length)) {
      const line = lineAt(buf, at);
      const payload = line && isObject(line.payload) ? line.payload : line;
      const item = payload && isObject(payload.item) ? payload.item : null;
      if (payload?.type === 'item_completed' && item?.id === id && typeof item.exit_code === 'number') {
        out.set(id, item.exit_code);
        break;
      }
    }
  }
  return out;
}

/** Claude: the model of the first assistant message of the transcript, or null. */
export function claudeModel(file: string): string | null {
  const buf = readUpTo(file, MODEL_SEARCH_BYTES);
  if (!buf) return null;
  const needle = Buffer.from('"type":"assistant"');
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + needle.length)) {
    const line = lineAt(buf, at);
    const message = line && isObject(line.message) ? line.message : null;
    if (line?.type === 'assistant' && typeof message?.model === 'string' && message.model.length <= 200) return message.model;
  }
  return null;
}
