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

/** Normalises metadata: strings as they are, anything else (object, array, number) as JSON text. */
export function normalizeMetadata(metadata: unknown): string | null {
  if (metadata === undefined || metadata === null) return null;
  if (typeof metadata === 'string') return metadata;
  return JSON.stringify(metadata);
}
