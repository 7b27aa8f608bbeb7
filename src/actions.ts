// The domain's one path: record, session events, finalize and read. The public API (api.ts) and
// the CLI's commands both call these, so each behaviour is written once. Writes go to the inbox in
// the git dir (never the work tree); reads see committed and uncommitted rows as one log.
import { randomUUID } from 'node:crypto';
import { checkBackupRoot, type FinalizeResult, finalizeLog } from './finalize.js';
import { configGet } from './git/config.js';
import { uuidv7 } from './ids.js';
import { appendToInbox, closeInboxWriters, type InboxLine } from './inbox.js';
import { ingestInbox, readInbox } from './ingest.js';
import type { ActionQuery, ActionRow, EventRow, NewAction } from './rows.js';
import { forgetSession, openSessionId, rememberSession, resolveSessionId } from './session.js';
import { trackedHome } from './sparse.js';
import { inboxDir, uncommittedDb, viewDb } from './state.js';
import { inspectDatabaseFile } from './store/sqlite.js';
import { type StoredAction, UncommittedStore } from './store/uncommitted.js';
import { type EventEntry, type LogEntry, LogView } from './store/view.js';
import type { Workspace } from './workspace.js';

export type { EventEntry, LogEntry } from './store/view.js';

// One UUID per process when nothing else names the session, as the seed's module does.
let processSession: string | undefined;

/** Closes this process's inbox files (the API at process exit, the CLI when a command ends). */
export function closeStores(): void {
  closeInboxWriters();
}

/** The session a row belongs to: explicit, SESSION_ID_SOURCE, the open session, else this process's UUID. */
export function sessionOf(ws: Workspace, explicit: string | null | undefined): string {
  return resolveSessionId(ws, explicit, () => (processSession ??= randomUUID())) as string;
}

/**
 * Checks the tracked log without writing it (an LFS pointer or a non-database is refused, naming
 * the fix) and prepares the uncommitted store. Returns the log's path. Nothing under TEST_MODE.
 */
export function initLog(ws: Workspace): string {
  inspectDatabaseFile(ws.settings.logDb);
  if (!ws.settings.env.testMode) UncommittedStore.open(uncommittedDb(ws), { create: true })?.close();
  return ws.settings.logDb;
}

/** Records rows: appended to the inbox at once (one write, no lock); under TEST_MODE returned unwritten. */
export function recordActions(ws: Workspace, rows: readonly NewAction[]): ActionRow[] {
  const now = Date.now();
  const full = rows.map((r) => ({
    id: null,
    uid: r.uid ?? uuidv7(now),
    ts: r.ts ?? new Date(now).toISOString(),
    session_id: r.session_id,
    action: r.action,
    statement: r.statement,
    metadata: r.metadata,
  }));
  if (!ws.settings.env.testMode) {
    appendToInbox(
      inboxDir(ws),
      full.map(
        (r): InboxLine => ({
          t: 'a',
          uid: r.uid,
          ts: r.ts,
          session_id: r.session_id,
          action: r.action,
          statement: r.statement,
          metadata: r.metadata,
        }),
      ),
    );
  }
  return full;
}

/**
 * Records rows that carry their own uid and ts (rows imported from an agent's transcript): appended
 * to the inbox as they are, so that ingest redacts and stores them like every other row. Nothing
 * under TEST_MODE.
 */
export function recordRows(ws: Workspace, actions: readonly StoredAction[], events: readonly EventRow[]): void {
  if (ws.settings.env.testMode || actions.length + events.length === 0) return;
  appendToInbox(inboxDir(ws), [
    ...actions.map((r): InboxLine => ({ t: 'a', ...r, ts: r.ts ?? new Date().toISOString() })),
    ...events.map((r): InboxLine => ({ t: 'e', ...r, ts: r.ts ?? new Date().toISOString() })),
  ]);
}

/** Moves what waits in the inbox into the uncommitted store now; returns how many rows were new. Nothing under TEST_MODE. */
export async function ingestNow(ws: Workspace): Promise<number> {
  if (ws.settings.env.testMode) return 0;
  closeInboxWriters(); // this process's files are complete: ingest removes them instead of blanking them
  const unc = UncommittedStore.open(uncommittedDb(ws), { create: true }) as UncommittedStore;
  try {
    return await ingestInbox(ws, unc);
  } finally {
    unc.close();
  }
}

/** Records a session event (start / end); nothing under TEST_MODE. */
export function recordSessionEvent(ws: Workspace, sessionId: string, event: 'start' | 'end', summary: string | null): void {
  if (ws.settings.env.testMode) return;
  appendToInbox(inboxDir(ws), [{ t: 'e', uid: uuidv7(), ts: new Date().toISOString(), session_id: sessionId, event, summary }]);
}

/**
 * `session start`: records the start and, with `remember`, keeps the id in the git dir so that
 * later processes (CLI records, hooks) use it. Returns the id.
 */
export function startSession(ws: Workspace, explicit: string | null | undefined, options: { remember: boolean }): string {
  const id = explicit || (options.remember ? (ws.settings.env.sessionId ?? randomUUID()) : sessionOf(ws, null));
  recordSessionEvent(ws, id, 'start', null);
  if (options.remember && !ws.settings.env.testMode) rememberSession(ws, id);
  return id;
}

/**
 * `session end`: records the end of the given session, or of the open one (forgetting it).
 * Returns the id, or null when no session is open.
 */
export function endSession(
  ws: Workspace,
  explicit: string | null | undefined,
  summary: string | null,
  options: { remember: boolean },
): string | null {
  const id = explicit || (options.remember ? (openSessionId(ws) ?? ws.settings.env.sessionId) : sessionOf(ws, null));
  if (!id) return null;
  recordSessionEvent(ws, id, 'end', summary);
  if (options.remember && !ws.settings.env.testMode) forgetSession(ws);
  return id;
}

/** Folds the uncommitted rows into the log, copies it to the session database, stages both. Null under TEST_MODE. */
export async function finalize(ws: Workspace): Promise<FinalizeResult | null> {
  if (ws.settings.env.testMode) return null;
  checkBackupRoot(ws);
  return finalizeLog(ws, { stage: true });
}

/**
 * Opens the whole log for reading: committed rows (segments and the log file) and uncommitted
 * ones (ingested first; under TEST_MODE read in memory, writing nothing), then runs `fn` (which
 * may stream: the view stays open until its promise settles).
 */
export async function withLog<T>(ws: Workspace, fn: (view: LogView) => T | Promise<T>): Promise<T> {
  if (ws.settings.env.testMode) {
    const sources = { logDb: ws.settings.logDb, segmentsDir: ws.settings.segmentsDir };
    const unc = UncommittedStore.open(uncommittedDb(ws), { create: false, readonly: true });
    const view = LogView.open(':memory:');
    try {
      const stored = unc?.all() ?? { actions: [], events: [] };
      const inbox = await readInbox(ws, unc?.progress() ?? new Map());
      view.refresh(sources);
      view.setPending([...stored.actions, ...inbox.actions], [...stored.events, ...inbox.events]);
      return await fn(view);
    } finally {
      unc?.close();
      view.close();
    }
  }
  // In a sparse checkout without databases/, the committed log is read from a mirror (sparse.ts).
  const { settings } = await trackedHome(ws, ws.repo ? await configGet(ws.git, 'lfs.storage') : null);
  const sources = { logDb: settings.logDb, segmentsDir: settings.segmentsDir };
  const unc = UncommittedStore.open(uncommittedDb(ws), { create: true }) as UncommittedStore;
  let view: LogView | undefined;
  try {
    await ingestInbox(ws, unc);
    const pending = unc.all();
    view = LogView.open(viewDb(ws));
    view.refresh(sources);
    view.setPending(pending.actions, pending.events);
    return await fn(view);
  } finally {
    view?.close();
    unc.close();
  }
}

/** Actions matching `query`, committed and uncommitted, oldest first. */
export function readLog(ws: Workspace, query: ActionQuery = {}): Promise<LogEntry[]> {
  return withLog(ws, (view) => view.actions(query));
}

/** Session events (start / end), oldest first. */
export function readSessionEvents(ws: Workspace): Promise<EventEntry[]> {
  return withLog(ws, (view) => view.events());
}
