// Session ids: explicit, else SESSION_ID_SOURCE, else the session opened by `session start`
// (kept in the git dir, never in the work tree), else a fresh UUID.

import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir, type Workspace } from './workspace.js';

function sessionFile(ws: Workspace): string | null {
  return ws.repo ? path.join(stateDir(ws.repo), 'session') : null;
}

/** The id of the session opened by `codexlog-hooks session start`, if one is open. */
export function openSessionId(ws: Workspace): string | null {
  const file = sessionFile(ws);
  if (!file) return null;
  try {
    const id = readFileSync(file, 'utf8').trim();
    return id || null;
  } catch {
    return null;
  }
}

/** Resolves the session id by the rules above; `fallback` supplies the last resort. */
export function resolveSessionId(
  ws: Workspace,
  explicit: string | null | undefined,
  fallback: () => string | null = randomUUID,
): string | null {
  if (explicit) return explicit;
  return ws.settings.env.sessionId ?? openSessionId(ws) ?? fallback();
}

/** Remembers `id` as the open session of this clone (or worktree). */
export function rememberSession(ws: Workspace, id: string): void {
  const file = sessionFile(ws);
  if (!file) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${id}\n`);
}

/** Forgets the open session. */
export function forgetSession(ws: Workspace): void {
  const file = sessionFile(ws);
  if (file) rmSync(file, { force: true });
}
