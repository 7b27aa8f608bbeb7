// The agent hook payloads of the inbox (a-<agent>-….json, one per event, as the agent sent it) as
// rows: parsed, completed from the transcript where the payload lacks a fact, mapped. ingest.ts
// redacts them with every other row, stores them, then deletes the files.
import type { EventRow } from '../rows.js';
import type { StoredAction } from '../store/uncommitted.js';
import { eventFromHookPayload } from './payload.js';
import { type RowContext, rowOfAgentEvent } from './rows.js';
import { claudeModel, codexExitCodes } from './transcript-facts.js';
import { type AgentEvent, type AgentName, isAgent } from './types.js';

/** One payload file of the inbox. */
export interface AgentPayloadFile {
  name: string;
  agent: string;
  buf: Buffer;
  mtimeMs: number;
}

/** Fills in what the transcripts know: Codex exit codes, Claude's model. */
export function completeFromTranscripts(events: AgentEvent[]): void {
  const byTranscript = new Map<string, AgentEvent[]>();
  for (const ev of events) {
    if (!ev.transcriptPath) continue;
    const wants = ev.agent === 'codex' ? ev.kind === 'tool' && ev.tool?.useId && ev.tool.exitCode === null : !ev.model;
    if (!wants) continue;
    const list = byTranscript.get(ev.transcriptPath) ?? [];
    list.push(ev);
    byTranscript.set(ev.transcriptPath, list);
  }
  for (const [file, list] of byTranscript) {
    if (list[0].agent === 'codex') {
      const codes = codexExitCodes(
        file,
        list.map((ev) => ev.tool?.useId as string),
      );
      for (const ev of list) {
        const t = ev.tool;
        const code = t?.useId ? codes.get(t.useId) : undefined;
        if (t && code !== undefined) {
          t.exitCode = code;
          t.failed ||= code !== 0;
        }
      }
    } else {
      const model = claudeModel(file);
      if (model) for (const ev of list) ev.model = model;
    }
  }
}

/**
 * The hook writes a payload straight into its file: one that is not JSON yet may still be being
 * written. After this long it is taken for what it is (a writer killed mid-way, or garbage).
 */
export const INCOMPLETE_GRACE_MS = 60_000;

/**
 * The rows of the payload files; files that are not a payload we log give no row. `waiting`: the
 * files that may still be being written (read again next time).
 */
export function rowsOfAgentPayloads(
  files: readonly AgentPayloadFile[],
  ctx: RowContext,
  now = Date.now(),
): { actions: StoredAction[]; events: EventRow[]; waiting: string[] } {
  const parsed: AgentEvent[] = [];
  const actions: StoredAction[] = [];
  const events: EventRow[] = [];
  const waiting: string[] = [];
  for (const f of files) {
    if (!isAgent(f.agent)) continue;
    let payload: unknown;
    try {
      payload = JSON.parse(f.buf.toString('utf8'));
    } catch {
      if (now - f.mtimeMs < INCOMPLETE_GRACE_MS) waiting.push(f.name);
      else actions.push(unreadable(f.agent, f));
      continue;
    }
    const ev = eventFromHookPayload(f.agent, payload, new Date(f.mtimeMs).toISOString());
    if (ev) parsed.push(ev);
  }
  completeFromTranscripts(parsed);
  for (const ev of parsed) {
    const row = rowOfAgentEvent(ev, ctx);
    if ('action' in row) actions.push(row.action);
    else events.push(row.event);
  }
  return { actions, events, waiting };
}

/** A payload that never became JSON: said in the log (its text is not kept). */
function unreadable(agent: AgentName, f: AgentPayloadFile): StoredAction {
  return {
    uid: `${agent}-unreadable-${f.name.replace(/[^\w.-]/g, '_').slice(0, 80)}-${Math.floor(f.mtimeMs)}`,
    ts: new Date(f.mtimeMs).toISOString(),
    session_id: null,
    action: 'agent.unreadable',
    statement: `a ${agent} hook payload of ${f.buf.length} bytes was not JSON; it was not kept`,
    metadata: JSON.stringify({ agent, bytes: f.buf.length }),
  };
}
