// What every git hook handler starts with: the escape hatches, then the workspace.
import { hooksSkipped } from './env.js';
import type { RepoPaths } from './git/repo.js';
import { openWorkspace, type RunContext, type Workspace } from './workspace.js';

/** A workspace inside a repository. */
export type RepoWorkspace = Workspace & { repo: RepoPaths };

/**
 * The workspace a hook works in, or null when the hook must do nothing: TEST_MODE=1,
 * CODEXLOG_HOOKS=0 or HUSKY=0 (checked before the config is read, so they work even when it is
 * broken), or no repository.
 */
export async function hookWorkspace(ctx: RunContext, options: { config?: boolean } = {}): Promise<RepoWorkspace | null> {
  if (hooksSkipped(ctx.env)) return null;
  const ws = await openWorkspace(ctx, options);
  if (ws.settings.env.testMode || ws.settings.env.hooksDisabled || ws.repo === null) return null;
  return ws as RepoWorkspace;
}
