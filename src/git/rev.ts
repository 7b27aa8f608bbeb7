// Names of commits, resolved by git: what `show <commit-ish>` turns into a full SHA.
import { execGit, type GitContext } from './exec.js';

/** The full SHA of the commit `rev` names (a SHA, a branch, HEAD~2, a tag), or null when git knows none. */
export async function resolveCommit(ctx: GitContext, rev: string): Promise<string | null> {
  // --verify --quiet: one object or an exit code, no noise; ^{commit} peels tags and refuses trees
  // and blobs; --end-of-options keeps a name starting with "-" from reading as an option.
  const r = await execGit(ctx, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { allowFailure: true });
  const sha = r.stdout.toString('utf8').trim();
  return r.code === 0 && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha) ? sha : null;
}
