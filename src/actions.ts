// The domain's one path: record, session events, finalize and read. The public API (api.ts) and
// the CLI's commands both call these, so each behaviour is written once.
import { randomUUID } from 'node:crypto';
import { checkBackupRoot, type FinalizeResult, finalizeStore } from './finalize.js';
import { readPending } from './pending.js';
import type { ActionQuery, ActionRow, EventRow, NewAction } from './rows.js';
import { forgetSession, openSessionId, rememberSession, resolveSessionId } from './session.js';
import { LogStore } from './store/log-store.js';
import type { Workspace } from './workspace.js';

/** A row as readers return it: `pending` rows wait in the git dir for the next commit. */
export type LogEntry = ActionRow & { pending: boolean };

// Connections stay open per database for the life of the process: an agent logging from its own
// Node process records many rows. A file git replaced (checkout, pull, stash) is reopened.
const stores = new Map<string, LogStore>();
// One UUID per process when nothing else names the session, as the seed's module does.
let processSession: string | undefined;

function storeFor(ws: Workspace): LogStore {
  const file = ws.settings.logDb;
  const cached = stores.get(file);
  // One stat per call is cheap next to a durable commit.
  if (cached?.db.open && !cached.isStale()) return cached;
  cached?.close();
  const store = LogStore.open(file, { create: true });
  stores.set(file, store);
  return store;
}

/** Closes every open connection (the API at process exit, the CLI when a command ends). */
export function closeStores(): void {
  for (const store of stores.values()) store.close();
  stores.clear();
}

/** Whether a connection is open (the API installs its exit hook on the first). */
export function hasOpenStores(): boolean {
  return stores.size > 0;
}

/** The session a row belongs to: explicit, SESSION_ID_SOURCE, the open session, else this process's UUID. */
export function sessionOf(ws: Workspace, explicit: string | null | undefined): string {
  return resolveSessionId(ws, explicit, () => (processSession ??= randomUUID())) as string;
}

/** Creates (or migrates) the log; nothing under TEST_MODE. Returns its path. */
export function initLog(ws: Workspace): string {
  if (!ws.settings.env.testMode) storeFor(ws);
  return ws.settings.logDb;
}

/** Records rows (one transaction for several); under TEST_MODE returns them unwritten. */
export function recordActions(ws: Workspace, rows: readonly NewAction[]): ActionRow[] {
  if (ws.settings.env.testMode) return rows.map((r) => ({ ...r, id: null, uid: '', ts: r.ts ?? new Date().toISOString() }));
  return storeFor(ws).addActions(rows);
}

/** Records a session event (start / end) in codex_log; nothing under TEST_MODE. */
export function recordSessionEvent(ws: Workspace, sessionId: string, event: 'start' | 'end', summary: string | null): void {
  if (!ws.settings.env.testMode) storeFor(ws).addEvent({ session_id: sessionId, event, summary });
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

/** Integrity check, consistent copy to the session database, git add of both, backup. Null under TEST_MODE. */
export async function finalize(ws: Workspace): Promise<FinalizeResult | null> {
  if (ws.settings.env.testMode) return null;
  // Before opening: a refused finalize must not create the log database either.
  checkBackupRoot(ws);
  return finalizeStore(ws, storeFor(ws), { stage: true });
}

/** Stored and pending rows matching `query`, oldest first; nothing is created or written. */
export function readLog(ws: Workspace, query: ActionQuery = {}): LogEntry[] {
  const open = stores.get(ws.settings.logDb);
  const cached = open && !open.isStale() ? open : undefined;
  const store = cached ?? LogStore.openReadOnly(ws.settings.logDb);
  let stored: ActionRow[] = [];
  try {
    stored = store ? store.actions(query) : [];
  } finally {
    if (store && !cached) store.close();
  }
  const have = new Set(stored.map((r) => r.uid));
  const since = query.since ? Date.parse(query.since) : null;
  const pending = readPending(ws)
    .filter((r) => r.uid && !have.has(r.uid))
    .filter(
      (r) => (query.session === undefined || r.session_id === query.session) && (query.action === undefined || r.action === query.action),
    )
    .filter((r) => since === null || Number.isNaN(since) || Date.parse(r.ts ?? '') >= since)
    .map((r) => ({
      id: null,
      uid: r.uid as string,
      session_id: r.session_id,
      ts: r.ts as string,
      action: r.action,
      statement: r.statement,
      metadata: r.metadata,
      pending: true,
    }));
  const all: LogEntry[] = [...stored.map((r) => ({ ...r, pending: false })), ...pending];
  if (pending.length) all.sort((a, b) => (Date.parse(a.ts ?? '') || 0) - (Date.parse(b.ts ?? '') || 0));
  return query.limit !== undefined ? all.slice(Math.max(0, all.length - query.limit)) : all;
}

/** Session events (start / end), oldest first. */
export function readSessionEvents(ws: Workspace): EventRow[] {
  const store = LogStore.openReadOnly(ws.settings.logDb);
  try {
    return store ? store.events() : [];
  } finally {
    store?.close();
  }
}
