// The whole log out: JSON Lines, CSV (RFC 4180) or one SQLite database with the seed's schema.
// Rows stream from a prepared statement straight to the output, a piece at a time, so a log of
// a million rows never sits in memory. Oldest first; session events (codex_log) among the actions
// (codex_actions) at their time in the text formats, in their own table in the database.
import type { Progress } from '../progress.js';
import { type SeedAction, type SeedEvent, SeedFileWriter } from '../store/seed-file.js';
import { csvRecord } from './csv.js';
import { escapeJsonText } from './escape.js';
import { Buffered, type Sink } from './output.js';
import { actionsOf, eventsOf, type ReadScope, TIME_ORDER } from './query.js';

/** The formats `export` writes. */
export const EXPORT_FORMATS = ['jsonl', 'csv', 'sqlite'] as const;
/** One of EXPORT_FORMATS. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How many rows went out. */
export interface ExportCounts {
  actions: number;
  events: number;
}

/** The CSV columns: both tables' columns, `table` saying which one a record belongs to. */
export const CSV_COLUMNS = [
  'table',
  'id',
  'uid',
  'session_id',
  'ts',
  'action',
  'statement',
  'metadata',
  'event',
  'summary',
  'pending',
] as const;

/** A row of codex_actions as the export reads it: id, uid, session_id, ts, action, statement, metadata, pending, julianday(ts). */
type ActionTuple = [
  number | null,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number,
  number | null,
];
/** A row of codex_log: uid, session_id, event, summary, ts, pending, julianday(ts). */
type EventTuple = [string, string | null, string | null, string | null, string | null, number, number | null];

const EVERY = 10_000;

function count(scope: ReadScope): number {
  return (
    scope.view.all<{ n: number }>(`SELECT (SELECT count(*) FROM ${actionsOf(scope)}) + (SELECT count(*) FROM ${eventsOf(scope)}) AS n`)[0]
      ?.n ?? 0
  );
}

/** One JSON Lines record of an action: its table's columns, `table` first (escaped later, see exportText). */
function actionLine(a: ActionTuple): string {
  return `${JSON.stringify({ table: 'codex_actions', id: a[0], uid: a[1], session_id: a[2], ts: a[3], action: a[4], statement: a[5], metadata: a[6], pending: a[7] === 1 })}\n`;
}

/** One JSON Lines record of a session event. */
function eventLine(e: EventTuple): string {
  return `${JSON.stringify({ table: 'codex_log', uid: e[0], session_id: e[1], event: e[2], summary: e[3], ts: e[4], pending: e[5] === 1 })}\n`;
}

const actionCsv = (a: ActionTuple) => csvRecord(['codex_actions', a[0], a[1], a[2], a[3], a[4], a[5], a[6], null, null, a[7]]);
const eventCsv = (e: EventTuple) => csvRecord(['codex_log', null, e[0], e[1], e[4], null, null, null, e[2], e[3], e[5]]);

/**
 * Writes the log of `scope` as JSON Lines or CSV to `sink`, oldest first: the actions stream from
 * one statement (arrays, not objects), the session events (a few per session) are read first and
 * merged in at their time, ahead of actions of the same time. `progress`, when given, hears of
 * every 10,000 rows.
 */
export async function exportText(scope: ReadScope, format: 'jsonl' | 'csv', sink: Sink, progress?: Progress): Promise<ExportCounts> {
  const total = progress ? count(scope) : null;
  // JSON.stringify leaves C1 and bidirectional characters raw; they can only sit inside strings,
  // so one pass over each piece escapes them (safeJson's rule) at a fraction of a pass per row.
  const out = new Buffered(format === 'jsonl' ? { write: (chunk) => sink.write(escapeJsonText(chunk)) } : sink);
  const eventTuples = [
    ...scope.view.iterate<EventTuple>(
      `SELECT uid, session_id, event, summary, ts, pending, julianday(ts) AS jd FROM ${eventsOf(scope)} ORDER BY jd, pending, uid`,
      {},
      { raw: true },
    ),
  ];
  const counts: ExportCounts = { actions: 0, events: 0 };
  if (format === 'csv') await out.add(csvRecord(CSV_COLUMNS));
  const writeEvent = format === 'jsonl' ? eventLine : eventCsv;
  const writeAction = format === 'jsonl' ? actionLine : actionCsv;
  const before = (e: EventTuple, jd: number | null) => (jd === null ? e[6] === null : e[6] === null || e[6] <= jd);
  let next = 0;
  let n = 0;
  const rows = scope.view.iterate<ActionTuple>(
    `SELECT id, uid, session_id, ts, action, statement, metadata, pending, julianday(ts) AS jd FROM ${actionsOf(scope)} ORDER BY jd, pending, id, uid`,
    {},
    { raw: true },
  );
  try {
    for (const a of rows) {
      while (next < eventTuples.length && before(eventTuples[next], a[8])) {
        await out.add(writeEvent(eventTuples[next++]));
        counts.events += 1;
      }
      await out.add(writeAction(a));
      counts.actions += 1;
      if (++n % EVERY === 0) progress?.(n + counts.events, total);
    }
  } finally {
    // An output that failed (a closed pipe) stops the statement: the view closes after this.
    rows.return(undefined);
  }
  while (next < eventTuples.length) {
    await out.add(writeEvent(eventTuples[next++]));
    counts.events += 1;
  }
  await out.flush();
  progress?.(counts.actions + counts.events, total);
  return counts;
}

/** Writes the log of `scope` as one database with the seed's schema at `file` (replacing it when complete). */
export function exportSqlite(scope: ReadScope, file: string, progress?: Progress): ExportCounts {
  const total = progress ? count(scope) : null;
  const writer = SeedFileWriter.create(file);
  const counts: ExportCounts = { actions: 0, events: 0 };
  try {
    for (const a of scope.view.iterate<SeedAction>(
      `SELECT id, uid, session_id, ts, action, statement, metadata FROM ${actionsOf(scope)} ORDER BY ${TIME_ORDER}`,
      {},
      { raw: true },
    )) {
      writer.action(a);
      if (++counts.actions % EVERY === 0) progress?.(counts.actions, total);
    }
    for (const e of scope.view.iterate<SeedEvent>(
      `SELECT uid, session_id, event, summary, ts FROM ${eventsOf(scope)} ORDER BY julianday(ts), pending, uid`,
      {},
      { raw: true },
    )) {
      writer.event(e);
      counts.events += 1;
    }
    writer.finish();
  } catch (e) {
    writer.abort();
    throw e;
  }
  progress?.(counts.actions + counts.events, total);
  return counts;
}
