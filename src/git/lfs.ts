// The git-lfs commands we run (filters, smudge, clean), always through execGit.
import { findOnPath } from '../which.js';
import { execGit, type GitContext } from './exec.js';

/** Whether git-lfs can be run from this environment. */
export function lfsInstalled(env: NodeJS.ProcessEnv): boolean {
  return findOnPath(env, 'git-lfs') !== null;
}

/** Configures the LFS filters for this clone only, leaving hooks alone (husky owns them). */
export async function lfsInstallFilters(ctx: GitContext): Promise<void> {
  // --skip-repo: do not write LFS's own hooks; they would collide with husky's stubs.
  await execGit(ctx, ['lfs', 'install', '--local', '--skip-repo']);
}

/** The content behind an LFS pointer (`git lfs smudge`); null when the object is missing. */
export async function lfsSmudge(ctx: GitContext, file: string, pointer: Buffer): Promise<Buffer | null> {
  const r = await execGit(ctx, ['lfs', 'smudge', '--', file], { input: pointer, allowFailure: true });
  return r.code === 0 ? r.stdout : null;
}

/** The LFS pointer for `content` (`git lfs clean`), which also stores the object locally. */
export async function lfsClean(ctx: GitContext, file: string, content: Buffer): Promise<Buffer> {
  return (await execGit(ctx, ['lfs', 'clean', '--', file], { input: content })).stdout;
}

/** `git lfs ls-files` output, for the doctor's cross-check only (slow on big repos). */
export async function lfsLsFiles(ctx: GitContext): Promise<string> {
  const r = await execGit(ctx, ['lfs', 'ls-files'], { allowFailure: true });
  return r.stdout.toString('utf8');
}
