// Where we are: the workspace root, the repository's git dir, and the resolved settings.
import path from 'node:path';
import { DEFAULT_CONFIG, loadConfig, resolveSettings, workspaceFromEnv, type Settings } from './config.js';
import { repoPaths, type GitContext, type RepoPaths } from './git.js';

/** What every command is handed: where to run, which environment, and where to report. */
export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger?: Logger;
}

/** Progress and warnings go through here; the CLI decides how (and whether) to print them. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** A resolved workspace: settings plus the git context to run git in (null outside a repo). */
export interface Workspace {
  settings: Settings;
  git: GitContext;
  repo: RepoPaths | null;
}

/** Resolves the workspace (GH_COPILOT_WORKSPACE, else the git top level, else cwd) and settings. */
export async function openWorkspace(ctx: RunContext, options: { config?: boolean } = {}): Promise<Workspace> {
  const fromEnv = workspaceFromEnv(ctx.env, ctx.cwd);
  const git: GitContext = { cwd: fromEnv ?? ctx.cwd, env: ctx.env };
  let repo: RepoPaths | null = null;
  try {
    repo = await repoPaths(git);
  } catch {
    repo = null; // not a repository: logging still works, staging is skipped
  }
  const workspace = fromEnv ?? repo?.topLevel ?? path.resolve(ctx.cwd);
  // Hooks that only append to the git dir skip the config (and cosmiconfig's import cost).
  const loaded = options.config === false ? { config: DEFAULT_CONFIG, file: null } : await loadConfig(workspace);
  const settings = resolveSettings(ctx.env, workspace, loaded);
  return { settings, git: { cwd: workspace, env: ctx.env }, repo };
}

/** The folder in the git dir where we keep state that must not dirty the work tree. */
export function stateDir(repo: RepoPaths): string {
  return path.join(repo.gitDir, 'codexlog');
}
