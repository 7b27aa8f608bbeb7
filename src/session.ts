// Session ids: explicit, else SESSION_ID_SOURCE, else the session opened by `session start`
// (kept in the state folder, never in the work tree), else a fallback (a UUID per process for
// agents, none for git's own rows).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from './state.js';
import type { Workspace } from './workspace.js';

function sessionFile(ws: Workspace): string {
  return path.join(stateDir(ws), 'session');
}

/** The id of the session opened by `codexlog-hooks session start`, if one is open. */
export function openSessionId(ws: Workspace): string | null {
  try {
    return readFileSync(sessionFile(ws), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Resolves the session id by the rules above; `fallback` supplies the last resort. */
export function resolveSessionId(ws: Workspace, explicit: string | null | undefined, fallback: () => string | null): string | null {
  if (explicit) return explicit;
  return ws.settings.env.sessionId ?? openSessionId(ws) ?? fallback();
}

/** Remembers `id` as the open session of this worktree. */
export function rememberSession(ws: Workspace, id: string): void {
  const file = sessionFile(ws);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${id}\n`);
}

/** Forgets the open session. */
export function forgetSession(ws: Workspace): void {
  rmSync(sessionFile(ws), { force: true });
}
