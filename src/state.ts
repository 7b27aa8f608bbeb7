// Where this clone keeps what must never dirty the work tree: per worktree, in the git dir
// (`<git dir>/codexlog`, which git never checks out, replaces or cleans). Outside a repository
// there is no work tree to keep clean, and a hidden folder in the workspace stands in.
import path from 'node:path';
import type { Workspace } from './workspace.js';

/** The state folder of this worktree. */
export function stateDir(ws: Pick<Workspace, 'repo' | 'settings'>): string {
  return ws.repo ? path.join(ws.repo.gitDir, 'codexlog') : path.join(ws.settings.workspace, '.codexlog');
}

/** Where rows wait, raw, until they are ingested: writers append or drop files here. */
export function inboxDir(ws: Pick<Workspace, 'repo' | 'settings'>): string {
  return path.join(stateDir(ws), 'inbox');
}

/** The uncommitted store: ingested (redacted) rows waiting for the next finalize. */
export function uncommittedDb(ws: Pick<Workspace, 'repo' | 'settings'>): string {
  return path.join(stateDir(ws), 'uncommitted.db');
}

/** The read model: every committed row of the checkout, rebuilt from the tracked files at will. */
export function viewDb(ws: Pick<Workspace, 'repo' | 'settings'>): string {
  return path.join(stateDir(ws), 'view.db');
}
