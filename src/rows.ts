// The rows of the log, as every layer passes them around (the seed's columns keep their names).

/** One row of codex_actions. The six seed columns keep their names and meanings. */
export interface ActionRow {
  id: number | null;
  uid: string;
  session_id: string | null;
  ts: string | null;
  action: string | null;
  statement: string | null;
  metadata: string | null;
}

/** One session event of codex_log (start / end), as in the seed's later version. */
export interface EventRow {
  uid: string;
  session_id: string | null;
  event: string | null;
  summary: string | null;
  ts: string | null;
}

/** A row to insert; `uid` and `ts` are filled in when absent. */
export type NewAction = Omit<ActionRow, 'id' | 'uid' | 'ts'> & { uid?: string; ts?: string };

/** Filters of `codexlog-hooks log`. */
export interface ActionQuery {
  session?: string;
  action?: string;
  /** ISO 8601 (any form SQLite's julianday() reads). */
  since?: string;
  limit?: number;
}

/**
 * A metadata string as it is stored (the API's and `record --metadata`'s): a JSON object or array
 * as written, without the whitespace around it, never parsed and written again (a big integer,
 * 1e400, a key given twice stay as they were); any other text exactly as given.
 */
export function metadataText(text: string): string {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return text;
  try {
    JSON.parse(t);
    return t;
  } catch {
    return text; // not JSON after all: free text, kept as written
  }
}

/** Normalises metadata: strings as metadataText stores them, anything else (object, array, number) as JSON text. */
export function normalizeMetadata(metadata: unknown): string | null {
  if (metadata === undefined || metadata === null) return null;
  if (typeof metadata === 'string') return metadataText(metadata);
  return JSON.stringify(metadata);
}
