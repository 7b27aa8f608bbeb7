// The seed's API, for agents and tools that log from their own Node process: defaults for cwd and
// env, a cached workspace per (cwd, environment), and the calls of actions.ts.
import {
  closeStores,
  endSession,
  finalize,
  hasOpenStores,
  initLog,
  type LogEntry,
  readLog,
  readSessionEvents,
  recordActions,
  sessionOf,
  startSession,
} from './actions.js';
import { ENV_VARIABLES, GIT_LOCATION_VARIABLES } from './env.js';
import type { FinalizeResult } from './finalize.js';
import { type ActionQuery, type ActionRow, type EventRow, normalizeMetadata } from './rows.js';
import { openWorkspace, type Workspace } from './workspace.js';

export type { LogEntry } from './actions.js';

/** Options every API call accepts; all optional. */
export interface ApiOptions {
  /** Where to resolve the workspace from (default: process.cwd()). */
  cwd?: string;
  /** The environment to read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** One action of a batch for recordCodexActions. */
export interface ActionInput {
  action: string;
  statement: string;
  metadata?: unknown;
  sessionId?: string | null;
}

const workspaces = new Map<string, Promise<Workspace>>();
let exitHookInstalled = false;

function workspace(options: ApiOptions): Promise<Workspace> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const key = JSON.stringify([cwd, ...[...ENV_VARIABLES, ...GIT_LOCATION_VARIABLES].map((k) => env[k] ?? null)]);
  let ws = workspaces.get(key);
  if (!ws) {
    ws = openWorkspace({ cwd, env });
    workspaces.set(key, ws);
    ws.catch(() => workspaces.delete(key));
  }
  return ws;
}

/** The API's edge: close cached connections when the host process ends. Never throws there. */
function closeAtExit(): void {
  if (exitHookInstalled || !hasOpenStores()) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    try {
      closeStores();
    } catch {
      // nothing left to do at exit: every committed row is already in the file
    }
  });
}

async function withWorkspace<T>(options: ApiOptions, fn: (ws: Workspace) => T | Promise<T>): Promise<T> {
  const result = await fn(await workspace(options));
  closeAtExit();
  return result;
}

/** Closes every cached connection. */
export function closeCodexLogDb(): void {
  closeStores();
}

/** Creates (or migrates) the log database; returns its path. Writes nothing under TEST_MODE. */
export function initCodexLogDb(options: ApiOptions = {}): Promise<string> {
  return withWorkspace(options, (ws) => initLog(ws));
}

/** Records one action. `metadata`: a string is stored as is, an object or array as JSON text. */
export function recordCodexAction(
  sessionId: string | null | undefined,
  action: string,
  statement: string,
  metadata?: unknown,
  options: ApiOptions = {},
): Promise<ActionRow> {
  return withWorkspace(
    options,
    (ws) => recordActions(ws, [{ session_id: sessionOf(ws, sessionId), action, statement, metadata: normalizeMetadata(metadata) }])[0],
  );
}

/**
 * Records several actions in one transaction: all or none, and one durable commit for the lot
 * (each recordCodexAction call is its own). Session ids resolve per row as for recordCodexAction.
 */
export function recordCodexActions(actions: readonly ActionInput[], options: ApiOptions = {}): Promise<ActionRow[]> {
  return withWorkspace(options, (ws) =>
    recordActions(
      ws,
      actions.map((a) => ({
        session_id: sessionOf(ws, a.sessionId),
        action: a.action,
        statement: a.statement,
        metadata: normalizeMetadata(a.metadata),
      })),
    ),
  );
}

/** Records a session start event in codex_log; returns the session id used. */
export function logCodexStart(sessionId?: string | null, options: ApiOptions = {}): Promise<string> {
  return withWorkspace(options, (ws) => startSession(ws, sessionId, { remember: false }));
}

/** Records a session end event with an optional summary; returns the session id used. */
export function logCodexEnd(sessionId?: string | null, summary?: string | null, options: ApiOptions = {}): Promise<string> {
  return withWorkspace(options, (ws) => endSession(ws, sessionId, summary ?? null, { remember: false }) as string);
}

/**
 * Integrity-checks the log, writes a consistent copy to the session database, stages both with
 * `git add` and, with GH_COPILOT_BACKUP_ROOT, writes a backup. Returns null under TEST_MODE.
 */
export function finalizeCodexLogDb(options: ApiOptions = {}): Promise<FinalizeResult | null> {
  return withWorkspace(options, (ws) => finalize(ws));
}

/** Reads the log (and the rows still pending in the git dir), oldest first. */
export function readCodexLog(query: ActionQuery = {}, options: ApiOptions = {}): Promise<LogEntry[]> {
  return withWorkspace(options, (ws) => readLog(ws, query));
}

/** Session events (start / end), oldest first. */
export function readCodexSessions(options: ApiOptions = {}): Promise<EventRow[]> {
  return withWorkspace(options, (ws) => readSessionEvents(ws));
}
