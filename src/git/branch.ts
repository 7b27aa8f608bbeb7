// Branches, remotes and history for `sync-branch`, `restore` and the doctor's history checks: each
// function one git (or git-lfs) call with an explicit working directory; parsing in parse.ts.
import { GitError } from '../errors.js';
import { configGet } from './config.js';
import { execGit, type GitContext, gitText } from './exec.js';
import {
  type MergeTreeResult,
  parseCatFileObjects,
  parseMergeTreeZ,
  parseRawLogZ,
  parseSymrefHead,
  type RawCommit,
  splitZ,
} from './parse.js';

/** `-c key=value` pairs for one git call (never written to .git/config). */
export type GitOverrides = ReadonlyArray<readonly [string, string]>;

const overrides = (o: GitOverrides = []): string[] => o.flatMap(([k, v]) => ['-c', `${k}=${v}`]);

/** The remote a branch pushes to and pulls from (branch.<name>.remote), else origin. */
export async function remoteOf(git: GitContext, branch: string): Promise<string> {
  return (await configGet(git, `branch.${branch}.remote`)) ?? 'origin';
}

/** The name the branch has on its remote (branch.<name>.merge), else its own name. */
export async function remoteBranchName(git: GitContext, branch: string): Promise<string> {
  const merge = await configGet(git, `branch.${branch}.merge`);
  return merge?.startsWith('refs/heads/') ? merge.slice('refs/heads/'.length) : branch;
}

/** The commit `rev` names (peeled to a commit), or null when there is none. */
export async function resolveCommit(git: GitContext, rev: string): Promise<string | null> {
  // --end-of-options: a rev that starts with a dash is a name, never an option.
  const r = await execGit(git, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** The remote's default branch as this clone last saw it (refs/remotes/<remote>/HEAD), or null. */
export async function localRemoteHead(git: GitContext, remote: string): Promise<string | null> {
  const r = await execGit(git, ['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`], { allowFailure: true });
  const ref = r.code === 0 ? r.stdout.toString('utf8').trim() : '';
  const prefix = `refs/remotes/${remote}/`;
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : null;
}

/** The remote's default branch, asked from the remote itself (one round trip), or null. */
export async function askRemoteHead(git: GitContext, remote: string): Promise<string | null> {
  const r = await execGit(git, ['ls-remote', '--symref', remote, 'HEAD'], { allowFailure: true });
  return r.code === 0 ? parseSymrefHead(r.stdout.toString('utf8')) : null;
}

/** Whether this clone is shallow (a CI checkout with fetch-depth). */
export async function isShallow(git: GitContext): Promise<boolean> {
  return (await gitText(git, ['rev-parse', '--is-shallow-repository'])) === 'true';
}

/**
 * Fetches `branch` of `remote` into refs/remotes/<remote>/<branch>. In a shallow clone that has no
 * such ref yet, only its tip comes (`depth1`): a plain fetch there would download the branch's
 * whole history, and a --depth fetch where the ref exists would cut history fetched before.
 */
export async function fetchBranch(git: GitContext, remote: string, branch: string, options: { depth1: boolean }): Promise<void> {
  await execGit(git, [
    'fetch',
    '--quiet',
    '--no-tags',
    ...(options.depth1 ? ['--depth=1'] : []),
    remote,
    `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`,
  ]);
}

/** Deepens a shallow clone by `commits` below every boundary (--deepen), or, with null, fetches all of it. */
export async function deepen(git: GitContext, remote: string, branch: string, commits: number | null): Promise<void> {
  await execGit(git, [
    'fetch',
    '--quiet',
    '--no-tags',
    commits === null ? '--unshallow' : `--deepen=${commits}`,
    remote,
    `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`,
  ]);
}

/** The best common ancestor of two commits, or null when history (or a shallow clone) shows none. */
export async function mergeBase(git: GitContext, a: string, b: string): Promise<string | null> {
  const r = await execGit(git, ['merge-base', a, b], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() || null : null;
}

/**
 * What merging `theirs` into `ours` gives, computed without touching the index or the work tree
 * (`git merge-tree --write-tree`, git 2.38+: the same merge a hosting server's merge button runs).
 * `config` sets merge drivers for this call. Throws on anything but "clean" or "conflicts".
 */
export async function mergeTree(
  git: GitContext,
  ours: string,
  theirs: string,
  config: GitOverrides = [],
): Promise<MergeTreeResult & { clean: boolean }> {
  const args = [...overrides(config), 'merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs];
  const r = await execGit(git, args, { allowFailure: true });
  if (r.code !== 0 && r.code !== 1) throw new GitError(args, r.code, r.stderr);
  return { ...parseMergeTreeZ(r.stdout.toString('utf8')), clean: r.code === 0 };
}

/** Tracked files with changes, staged or not (untracked files left out). */
export async function trackedChanges(git: GitContext): Promise<string[]> {
  const r = await execGit(git, ['status', '--porcelain=v1', '-z', '--untracked-files=no']);
  return splitZ(r.stdout.toString('utf8')).map((e) => e.slice(3));
}

/**
 * `git merge --no-ff` of `rev` with a message; `config` adds merge drivers or an identity for this
 * one call. Resolves to git's exit code (1: conflicts left in the index).
 */
export async function merge(
  git: GitContext,
  rev: string,
  message: string,
  config: GitOverrides = [],
): Promise<{ code: number | null; stderr: string }> {
  // --no-ff: the base must become a parent even where a fast-forward would do (a server's "up to date").
  const r = await execGit(git, [...overrides(config), 'merge', '--no-ff', '--no-edit', '-m', message, rev], { allowFailure: true });
  return { code: r.code, stderr: r.stderr };
}

/** Paths left unmerged in the index. */
export async function unmergedPaths(git: GitContext): Promise<string[]> {
  const r = await execGit(git, ['diff', '--name-only', '--diff-filter=U', '-z']);
  return [...new Set(splitZ(r.stdout.toString('utf8')))];
}

/** `git merge --abort`: the index and the work tree as they were before the merge. */
export async function mergeAbort(git: GitContext): Promise<void> {
  await execGit(git, ['merge', '--abort']);
}

/**
 * `-c user.name=… -c user.email=…` for the parts of a commit identity git config does not give
 * (a CI checkout has none): `fallback` is used for that one call only. GIT_AUTHOR_* and
 * GIT_COMMITTER_* in the environment still win over both, as they always do.
 */
export async function identityOverrides(git: GitContext, fallback: { name: string; email: string }): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  if ((await configGet(git, 'user.name')) === null) out.push(['user.name', fallback.name]);
  if ((await configGet(git, 'user.email')) === null) out.push(['user.email', fallback.email]);
  return out;
}

/** Downloads the LFS objects of `paths` in the trees of `revs` (commits or refs) from `remote`. */
export async function lfsFetch(git: GitContext, remote: string, revs: readonly string[], paths: readonly string[]): Promise<boolean> {
  const r = await execGit(git, ['lfs', 'fetch', `--include=${paths.join(',')}`, remote, ...revs], { allowFailure: true });
  return r.code === 0;
}

/** Uploads the LFS objects `branch` needs that `remote` lacks (a CI clone has no pre-push hook to do it). */
export async function lfsPush(git: GitContext, remote: string, branch: string): Promise<void> {
  await execGit(git, ['lfs', 'push', remote, branch]);
}

/** Pushes the local `branch` to `remoteBranch` on `remote` (never forced). */
export async function push(git: GitContext, remote: string, branch: string, remoteBranch: string): Promise<void> {
  await execGit(git, ['push', '--quiet', remote, `refs/heads/${branch}:refs/heads/${remoteBranch}`]);
}

/** Whether the trees of two commits differ at `paths`. */
export async function differsAt(git: GitContext, a: string, b: string, paths: readonly string[]): Promise<boolean> {
  const r = await execGit(git, ['diff', '--quiet', a, b, '--', ...paths], { allowFailure: true });
  if (r.code !== 0 && r.code !== 1) throw new GitError(['diff', '--quiet', a, b], r.code, r.stderr);
  return r.code === 1;
}

/**
 * The last `limit` commits of HEAD's first-parent history that changed `paths`, each with its
 * changes there against its first parent.
 */
export async function firstParentChanges(git: GitContext, paths: readonly string[], limit: number): Promise<RawCommit[]> {
  // --first-parent also makes a merge's diff the one against its first parent (git 2.31+);
  // --no-renames keeps one path per entry.
  const r = await execGit(
    git,
    [
      'log',
      '--first-parent',
      `--max-count=${limit}`,
      '--format=%x01%H %P',
      '--raw',
      '--no-abbrev',
      '--no-renames',
      '-z',
      'HEAD',
      '--',
      ...paths,
    ],
    { allowFailure: true },
  );
  // An unborn branch has no history to look at.
  return r.code === 0 ? parseRawLogZ(r.stdout.toString('utf8')) : [];
}

/** The content of each blob (null when missing), in one `git cat-file --batch`. */
export async function readBlobs(git: GitContext, shas: readonly string[]): Promise<Map<string, Buffer | null>> {
  if (shas.length === 0) return new Map();
  const r = await execGit(git, ['cat-file', '--batch'], { input: shas.map((s) => `${s}\n`).join('') });
  const objects = parseCatFileObjects(r.stdout, shas);
  return new Map(shas.map((s) => [s, objects.get(s)?.content ?? null]));
}

/** The blob at `rev:path` (null when the path is not in that commit). */
export async function blobAt(git: GitContext, rev: string, path: string): Promise<Buffer | null> {
  const name = `${rev}:${path}`;
  return (await readBlobs(git, [name])).get(name) ?? null;
}

/** The names of the files directly in folder `dir` at `rev` (empty when it has none). */
export async function filesAt(git: GitContext, rev: string, dir: string): Promise<string[]> {
  const r = await execGit(git, ['ls-tree', '-z', '--name-only', `${rev}:${dir}`], { allowFailure: true });
  return r.code === 0 ? splitZ(r.stdout.toString('utf8')) : [];
}

/** A commit's first parent (null for a root commit) and its subject. */
export async function commitFacts(git: GitContext, sha: string): Promise<{ parent: string | null; subject: string }> {
  // Not trimmed at the start: a root commit's first line (its parents) is empty.
  const out = (await execGit(git, ['log', '-1', '--format=%P%n%s', sha, '--'])).stdout.toString('utf8');
  const [parents = '', subject = ''] = out.replace(/\n$/, '').split('\n');
  return { parent: parents.split(' ')[0] || null, subject };
}
