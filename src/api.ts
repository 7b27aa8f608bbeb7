// The seed's API, for agents and tools that log from their own Node process: defaults for cwd and
// env, a cached workspace per (cwd, environment), and the calls of actions.ts.
import {
  closeStores,
  type EventEntry,
  endSession,
  finalize,
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
import { type ActionQuery, type ActionRow, normalizeMetadata } from './rows.js';
import { openWorkspace, type Workspace } from './workspace.js';

export type { EventEntry, LogEntry } from './actions.js';

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

/** The API's edge: close this process's inbox files when the host process ends. Never throws there. */
function closeAtExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    try {
      closeStores();
    } catch {
      // nothing left to do at exit: every recorded row is already in its file
    }
  });
}

async function withWorkspace<T>(options: ApiOptions, fn: (ws: Workspace) => T | Promise<T>): Promise<T> {
  const result = await fn(await workspace(options));
  closeAtExit();
  return result;
}

/** Closes this process's inbox files (later records open new ones). */
export function closeCodexLogDb(): void {
  closeStores();
}

/**
 * Checks the log database (refusing an LFS pointer or a non-database) and prepares this worktree's
 * uncommitted store; returns the log's path. The log itself is written only by finalize (a commit),
 * so the work tree stays clean. Writes nothing under TEST_MODE.
 */
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
 * Records several actions in one write: all or none. Session ids resolve per row as for
 * recordCodexAction.
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
 * Folds the uncommitted rows into the log (sealing older rows into a segment past the size
 * threshold), copies it byte for byte to the session database, stages both (and a new segment) as
 * LFS pointers and, with GH_COPILOT_BACKUP_ROOT, writes a backup. Returns null under TEST_MODE.
 */
export function finalizeCodexLogDb(options: ApiOptions = {}): Promise<FinalizeResult | null> {
  return withWorkspace(options, (ws) => finalize(ws));
}

/** Reads the whole log: committed rows and the uncommitted ones (marked `pending`), oldest first. */
export function readCodexLog(query: ActionQuery = {}, options: ApiOptions = {}): Promise<LogEntry[]> {
  return withWorkspace(options, (ws) => readLog(ws, query));
}

/** Session events (start / end), oldest first. */
export function readCodexSessions(options: ApiOptions = {}): Promise<EventEntry[]> {
  return withWorkspace(options, (ws) => readSessionEvents(ws));
}
