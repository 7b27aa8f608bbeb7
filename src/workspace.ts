// Where we are: the workspace root, the repository's git dir, and the resolved settings.
import path from 'node:path';
import { DEFAULT_CONFIG, loadConfig, resolveSettings, type Settings, workspaceFromEnv } from './config.js';
import { readEnv } from './env.js';
import { GitError } from './errors.js';
import type { GitContext } from './git/exec.js';
import { isNotARepository } from './git/parse.js';
import { type RepoPaths, repoPaths } from './git/repo.js';
import { assertInsideWorkspace } from './paths.js';

/** What every command is handed: where to run, which environment, and where to report. */
export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger?: Logger;
  /** The process that started this one (git hooks look for the `git commit` above them). */
  parentPid?: number;
}

/** Progress and warnings go through here; the CLI decides how (and whether) to print them. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** A resolved workspace: settings plus the git context to run git in (repo null outside a repo). */
export interface Workspace {
  settings: Settings;
  git: GitContext;
  repo: RepoPaths | null;
}

/**
 * The repository at `git.cwd`, or null when git says there is none. Any other failure (git
 * missing, a safe.directory refusal, a broken .git) is thrown with git's own words.
 */
export async function findRepo(git: GitContext): Promise<RepoPaths | null> {
  try {
    return await repoPaths(git);
  } catch (e) {
    if (e instanceof GitError && !e.notFound && isNotARepository(e.stderr)) return null;
    throw e;
  }
}

/** Resolves the workspace (GH_COPILOT_WORKSPACE, else the git top level, else cwd) and settings. */
export async function openWorkspace(ctx: RunContext, options: { config?: boolean } = {}): Promise<Workspace> {
  const rules = readEnv(ctx.env);
  const fromEnv = workspaceFromEnv(rules, ctx.cwd);
  const repo = await findRepo({ cwd: fromEnv ?? ctx.cwd, env: ctx.env });
  const workspace = fromEnv ?? repo?.topLevel ?? path.resolve(ctx.cwd);
  // Hooks that only append to the git dir skip the config (and cosmiconfig's import cost).
  const loaded = options.config === false ? { config: DEFAULT_CONFIG, file: null } : await loadConfig(workspace);
  const settings = resolveSettings(rules, workspace, loaded);
  for (const file of [settings.logDb, settings.sessionDb, settings.segmentsDir]) assertInsideWorkspace(workspace, file);
  return { settings, git: { cwd: workspace, env: ctx.env }, repo };
}
