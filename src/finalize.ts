// Finalize: integrity check, consistent copy to the session database, staging, optional backup.
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isInside } from './config.js';
import { CodexlogError, RefusedFileError } from './errors.js';
import { stage } from './git/stage.js';
import { messages } from './messages.js';
import type { LogStore } from './store/log-store.js';
import type { Workspace } from './workspace.js';

/** What finalize did. */
export interface FinalizeResult {
  logDb: string;
  sessionDb: string;
  staged: boolean;
  backup: string | null;
}

/** Throws when GH_COPILOT_BACKUP_ROOT points inside the workspace. */
export function checkBackupRoot(ws: Workspace): void {
  const { backupRoot, workspace } = ws.settings;
  if (backupRoot && isInside(backupRoot, workspace)) {
    throw new CodexlogError(messages.backupInsideWorkspace(backupRoot, workspace));
  }
}

/**
 * Checks the log's integrity, writes a consistent copy to the session database and, inside a
 * repository, stages both while holding the write lock, so the staged file has every committed row.
 */
export async function finalizeStore(ws: Workspace, store: LogStore, options: { stage: boolean }): Promise<FinalizeResult> {
  const { settings } = ws;
  checkBackupRoot(ws);
  const problems = store.integrityProblems();
  if (problems.length > 0) throw new RefusedFileError(settings.logDb, messages.corrupt(settings.logDb, problems.slice(0, 3).join('; ')));
  const repo = ws.repo;
  const doStage = options.stage && repo !== null;
  await store.withWriteLock(async () => {
    store.snapshotTo(settings.sessionDb);
    if (doStage) await stage(ws.git, repo, [settings.logDbRel, settings.sessionDbRel]);
  });
  let backup: string | null = null;
  if (settings.backupRoot) backup = writeBackup(settings.sessionDb, settings.backupRoot, path.basename(settings.logDb));
  return { logDb: settings.logDb, sessionDb: settings.sessionDb, staged: doStage, backup };
}

/** Copies the (closed, consistent) session copy to `<root>/<name>-<timestamp>.db`. */
function writeBackup(source: string, root: string, name: string): string {
  mkdirSync(root, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dest = path.join(root, `${path.parse(name).name}-${stamp}.db`);
  const tmp = `${dest}.tmp`;
  try {
    copyFileSync(source, tmp);
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return dest;
}
