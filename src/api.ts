// The seed's API, for agents and tools that log from their own Node process. Connections are
// cached per database for throughput; each call still honours TEST_MODE and the session rules.
import { randomUUID } from 'node:crypto';
import { checkBackupRoot, finalizeStore, type FinalizeResult } from './finalize.js';
import { readPending } from './pending.js';
import { resolveSessionId } from './session.js';
import { LogStore, normalizeMetadata, type ActionQuery, type ActionRow, type EventRow } from './store.js';
import { openWorkspace, type Workspace } from './workspace.js';

/** Options every API call accepts; all optional. */
export interface ApiOptions {
  /** Where to resolve the workspace from (default: process.cwd()). */
  cwd?: string;
  /** The environment to read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** A row as the API returns it: `pending` rows wait in the git dir for the next commit. */
export type LogEntry = ActionRow & { pending: boolean };

const workspaces = new Map<string, Promise<Workspace>>();
const stores = new Map<string, LogStore>();
// One UUID per process when nothing else names the session, as the seed's module does.
let processSession: string | undefined;
let exitHookInstalled = false;

const ENV_KEYS = ['GH_COPILOT_WORKSPACE', 'GH_COPILOT_BACKUP_ROOT', 'SESSION_ID_SOURCE', 'TEST_MODE', 'ALLOW_AUTOLFS', 'GIT_DIR', 'GIT_INDEX_FILE', 'GIT_WORK_TREE'];

function workspace(options: ApiOptions): Promise<Workspace> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const key = JSON.stringify([cwd, ...ENV_KEYS.map((k) => env[k] ?? null)]);
  let ws = workspaces.get(key);
  if (!ws) {
    ws = openWorkspace({ cwd, env });
    workspaces.set(key, ws);
    ws.catch(() => workspaces.delete(key));
  }
  return ws;
}

function storeFor(ws: Workspace): LogStore {
  const file = ws.settings.logDb;
  const cached = stores.get(file);
  // git may have replaced the file (checkout, pull, stash): a connection to the old one would write
  // into a deleted inode. One stat per call is cheap next to a durable commit.
  if (cached && cached.db.open && !cached.isStale()) return cached;
  cached?.close();
  const store = LogStore.open(file, { create: true });
  stores.set(file, store);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // The API's edge: close cached connections when the host process ends. Never throw there.
    process.once('exit', () => {
      try {
        closeCodexLogDb();
      } catch {
        // nothing left to do at exit: every committed row is already in the file
      }
    });
  }
  return store;
}

/** Closes every cached connection. */
export function closeCodexLogDb(): void {
  for (const store of stores.values()) store.close();
  stores.clear();
}

/** Creates (or migrates) the log database; returns its path. Writes nothing under TEST_MODE. */
export async function initCodexLogDb(options: ApiOptions = {}): Promise<string> {
  const ws = await workspace(options);
  if (!ws.settings.testMode) storeFor(ws);
  return ws.settings.logDb;
}

function sessionOf(ws: Workspace, explicit: string | null | undefined): string | null {
  return resolveSessionId(ws, explicit, () => (processSession ??= randomUUID()));
}

/** Records one action. `metadata`: a string is stored as is, an object or array as JSON text. */
export async function recordCodexAction(
  sessionId: string | null | undefined,
  action: string,
  statement: string,
  metadata?: unknown,
  options: ApiOptions = {},
): Promise<ActionRow> {
  const ws = await workspace(options);
  const row = { session_id: sessionOf(ws, sessionId), action, statement, metadata: normalizeMetadata(metadata) };
  if (ws.settings.testMode) return { ...row, id: null, uid: '', ts: new Date().toISOString() };
  return storeFor(ws).addActions([row])[0];
}

/** One action of a batch for recordCodexActions. */
export interface ActionInput {
  action: string;
  statement: string;
  metadata?: unknown;
  sessionId?: string | null;
}

/**
 * Records several actions in one transaction: all or none, and one durable commit for the lot
 * (each recordCodexAction call is its own). Session ids resolve per row as for recordCodexAction.
 */
export async function recordCodexActions(actions: readonly ActionInput[], options: ApiOptions = {}): Promise<ActionRow[]> {
  const ws = await workspace(options);
  const rows = actions.map((a) => ({ session_id: sessionOf(ws, a.sessionId), action: a.action, statement: a.statement, metadata: normalizeMetadata(a.metadata) }));
  if (ws.settings.testMode) return rows.map((r) => ({ ...r, id: null, uid: '', ts: new Date().toISOString() }));
  return storeFor(ws).addActions(rows);
}

/** Records a session start event in codex_log; returns the session id used. */
export async function logCodexStart(sessionId?: string | null, options: ApiOptions = {}): Promise<string> {
  return logEvent(sessionId, 'start', null, options);
}

/** Records a session end event with an optional summary; returns the session id used. */
export async function logCodexEnd(sessionId?: string | null, summary?: string | null, options: ApiOptions = {}): Promise<string> {
  return logEvent(sessionId, 'end', summary ?? null, options);
}

async function logEvent(sessionId: string | null | undefined, event: string, summary: string | null, options: ApiOptions): Promise<string> {
  const ws = await workspace(options);
  const id = sessionOf(ws, sessionId) as string;
  if (!ws.settings.testMode) storeFor(ws).addEvent({ session_id: id, event, summary });
  return id;
}

/**
 * Integrity-checks the log, writes a consistent copy to the session database, stages both with
 * `git add` and, with GH_COPILOT_BACKUP_ROOT, writes a backup. Returns null under TEST_MODE.
 */
export async function finalizeCodexLogDb(options: ApiOptions = {}): Promise<FinalizeResult | null> {
  const ws = await workspace(options);
  if (ws.settings.testMode) return null;
  // Before opening: a refused finalize must not create the log database either.
  checkBackupRoot(ws);
  return finalizeStore(ws, storeFor(ws), { stage: true });
}

/** Reads the log (and the rows still pending in the git dir), oldest first. */
export async function readCodexLog(query: ActionQuery = {}, options: ApiOptions = {}): Promise<LogEntry[]> {
  const ws = await workspace(options);
  return readEntries(ws, query);
}

/** Reads stored and pending rows for `ws` without creating or writing anything. */
export function readEntries(ws: Workspace, query: ActionQuery): LogEntry[] {
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
    .filter((r) => (query.session === undefined || r.session_id === query.session) && (query.action === undefined || r.action === query.action))
    .filter((r) => since === null || Number.isNaN(since) || Date.parse(r.ts ?? '') >= since)
    .map((r) => ({ id: null, uid: r.uid!, session_id: r.session_id, ts: r.ts!, action: r.action, statement: r.statement, metadata: r.metadata, pending: true }));
  const all: LogEntry[] = [...stored.map((r) => ({ ...r, pending: false })), ...pending];
  if (pending.length) all.sort((a, b) => (Date.parse(a.ts ?? '') || 0) - (Date.parse(b.ts ?? '') || 0));
  return query.limit !== undefined ? all.slice(Math.max(0, all.length - query.limit)) : all;
}

/** Session events (start / end), oldest first. */
export async function readCodexSessions(options: ApiOptions = {}): Promise<EventRow[]> {
  const ws = await workspace(options);
  const store = LogStore.openReadOnly(ws.settings.logDb);
  try {
    return store ? store.events() : [];
  } finally {
    store?.close();
  }
}
