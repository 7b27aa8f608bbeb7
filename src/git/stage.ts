// Staging into the index git is using, and into the real index too during a partial commit.
import path from 'node:path';
import type { GitContext } from './exec.js';
import { add, type RepoPaths } from './repo.js';

/**
 * The index a partial commit (`git commit -- path`, `-o`) will leave behind, when git is
 * committing from a temporary one; null otherwise.
 */
export function realIndexDuringPartialCommit(ctx: GitContext, repo: RepoPaths): string | null {
  const current = ctx.env.GIT_INDEX_FILE;
  if (!current) return null;
  // git commits `-- path` from a temporary next-index-<pid>.lock while index.lock holds what
  // becomes the real index afterwards; staging into the temporary one alone leaves `MM` behind.
  if (!path.basename(current).startsWith('next-index')) return null;
  return path.join(repo.gitDir, 'index.lock');
}

/** `git add` of `paths` into the index in use, and into the real index during a partial commit. */
export async function stage(ctx: GitContext, repo: RepoPaths, paths: readonly string[]): Promise<void> {
  await add(ctx, paths);
  const real = realIndexDuringPartialCommit(ctx, repo);
  if (real) await add(ctx, paths, real);
}

/** The index file git is using now (GIT_INDEX_FILE, resolved like git does, else <gitdir>/index). */
export function indexInUse(ctx: GitContext, repo: RepoPaths): string {
  const f = ctx.env.GIT_INDEX_FILE;
  return f ? path.resolve(repo.topLevel, f) : path.join(repo.gitDir, 'index');
}
