// git config: reading, and writing this clone's own .git/config.
import { execGit, type GitContext } from './exec.js';
import { parseConfigZ } from './parse.js';

/** The value of a git config key, or null when unset. */
export async function configGet(ctx: GitContext, key: string): Promise<string | null> {
  const r = await execGit(ctx, ['config', '--get', key], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** All git config entries whose key matches `regexp`, as a map (one call instead of many). */
export async function configMatching(ctx: GitContext, regexp: string): Promise<Map<string, string>> {
  const r = await execGit(ctx, ['config', '-z', '--get-regexp', regexp], { allowFailure: true });
  return r.code === 0 ? parseConfigZ(r.stdout.toString('utf8')) : new Map();
}

/** Sets (or with `value === null` unsets) a key in this clone's .git/config. */
export async function configSetLocal(ctx: GitContext, key: string, value: string | null): Promise<void> {
  if (value === null) await execGit(ctx, ['config', '--local', '--unset-all', key], { allowFailure: true });
  else await execGit(ctx, ['config', '--local', key, value]);
}

/** Removes a whole section from this clone's .git/config (nothing when absent). */
export async function configRemoveSection(ctx: GitContext, section: string): Promise<void> {
  await execGit(ctx, ['config', '--local', '--remove-section', section], { allowFailure: true });
}
