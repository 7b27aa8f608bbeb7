// Questions about the repository and its index, each one git call (parsing in parse.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execGit, type GitContext, gitText } from './exec.js';
import {
  parseCatFileBatch,
  parseCheckAttrZ,
  parseCommitHeader,
  parseNameStatusZ,
  parseWorktreeList,
  type StagedChange,
  splitZ,
} from './parse.js';

export type { StagedChange } from './parse.js';

/** Facts about the repository that one `git rev-parse` call gives. */
export interface RepoPaths {
  topLevel: string;
  /** This worktree's git dir (absolute). */
  gitDir: string;
  /** The git dir shared by every worktree of the repository (absolute). */
  commonDir: string;
  /** The hash of the repository's objects: sha1, or sha256 in a repository made with it. */
  objectFormat: 'sha1' | 'sha256';
  /** Paths of the marker files that tell a merge, cherry-pick, revert or rebase is in progress. */
  markers: Record<'merge' | 'cherryPick' | 'revert' | 'rebaseMerge' | 'rebaseApply', string>;
}

/** The `git rev-parse` arguments repoPaths asks, in the order its answer lines come back. */
export const REPO_PATHS_ARGS = [
  'rev-parse',
  '--show-toplevel',
  '--absolute-git-dir',
  '--git-common-dir',
  '--show-object-format',
  // --git-path resolves per-worktree paths correctly; relative answers are relative to cwd.
  '--git-path',
  'MERGE_HEAD',
  '--git-path',
  'CHERRY_PICK_HEAD',
  '--git-path',
  'REVERT_HEAD',
  '--git-path',
  'rebase-merge',
  '--git-path',
  'rebase-apply',
] as const;

/** Turns the answer to REPO_PATHS_ARGS (run in `cwd`) into RepoPaths. */
export function parseRepoPaths(text: string, cwd: string): RepoPaths {
  const lines = text.split('\n');
  const abs = (p: string) => path.resolve(cwd, p);
  return {
    topLevel: lines[0],
    gitDir: lines[1],
    commonDir: abs(lines[2]),
    objectFormat: lines[3] === 'sha256' ? 'sha256' : 'sha1',
    markers: {
      merge: abs(lines[4]),
      cherryPick: abs(lines[5]),
      revert: abs(lines[6]),
      rebaseMerge: abs(lines[7]),
      rebaseApply: abs(lines[8]),
    },
  };
}

/** Resolves the top level, git dir and operation markers in one git call (works in worktrees). */
export async function repoPaths(ctx: GitContext): Promise<RepoPaths> {
  return parseRepoPaths(await gitText(ctx, REPO_PATHS_ARGS), ctx.cwd);
}

/** Names of the operations in progress (merge, cherry-pick, revert, rebase). */
export function operationsInProgress(paths: RepoPaths): string[] {
  const names: Record<keyof RepoPaths['markers'], string> = {
    merge: 'merge',
    cherryPick: 'cherry-pick',
    revert: 'revert',
    rebaseMerge: 'rebase',
    rebaseApply: 'rebase',
  };
  const found = new Set<string>();
  for (const [key, file] of Object.entries(paths.markers)) {
    if (existsSync(file)) found.add(names[key as keyof RepoPaths['markers']]);
  }
  // A rebase replays each commit as a pick and writes CHERRY_PICK_HEAD while it commits it:
  // that is the rebase at work, not a cherry-pick of the user's.
  if (found.has('rebase')) found.delete('cherry-pick');
  return [...found];
}

/**
 * The current branch, read from the worktree's HEAD file (gitrepository-layout: "ref: refs/heads/<name>"
 * on a branch, a SHA when detached), which saves a git process on the commit path. Falls back to
 * git when the file cannot be read.
 */
export async function currentBranch(ctx: GitContext, repo?: RepoPaths): Promise<string | null> {
  if (repo) {
    try {
      const head = readFileSync(path.join(repo.gitDir, 'HEAD'), 'utf8').trim();
      const m = /^ref: refs\/heads\/(.+)$/.exec(head);
      return m ? m[1] : null;
    } catch {
      // not readable as a file (a reftable or other backend): ask git
    }
  }
  // symbolic-ref works on an unborn branch too, unlike rev-parse --abbrev-ref.
  const r = await execGit(ctx, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** The top level of every work tree of the repository (`git worktree list`); empty when git cannot tell. */
export async function worktreeTops(ctx: GitContext): Promise<string[]> {
  const r = await execGit(ctx, ['worktree', 'list', '--porcelain'], { allowFailure: true });
  return r.code === 0 ? parseWorktreeList(r.stdout.toString('utf8')) : [];
}

/** Facts about HEAD for the commit rows: full SHA, parents, subject. */
export async function headCommit(ctx: GitContext): Promise<{ sha: string; parents: string[]; subject: string }> {
  return parseCommitHeader(await gitText(ctx, ['log', '-1', '--format=%H%n%P%n%s', 'HEAD']));
}

/** Paths staged in the index git is using (honours GIT_INDEX_FILE from the env). */
export async function stagedChanges(ctx: GitContext): Promise<StagedChange[]> {
  // --no-renames keeps the -z output to one path per entry; -z keeps odd file names intact.
  const r = await execGit(ctx, ['diff', '--cached', '--name-status', '--no-renames', '-z']);
  return parseNameStatusZ(r.stdout.toString('utf8'));
}

/** The `filter` attribute of each path, read from the index (or, with `worktree`, the work tree). */
export async function filterAttrs(
  ctx: GitContext,
  paths: readonly string[],
  from: 'index' | 'worktree' = 'index',
): Promise<Map<string, string>> {
  // --cached: the attributes that will be committed, not whatever the work tree says.
  const r = await execGit(ctx, ['check-attr', ...(from === 'index' ? ['--cached'] : []), '-z', '--stdin', 'filter'], {
    input: paths.map((p) => `${p}\0`).join(''),
  });
  return parseCheckAttrZ(r.stdout.toString('utf8'));
}

/** The staged blob of each path (`:path`), or null when the path is not in the index. */
export async function stagedBlobs(ctx: GitContext, paths: readonly string[]): Promise<Map<string, Buffer | null>> {
  const names = paths.map((p) => `:${p}`);
  const r = await execGit(ctx, ['cat-file', '--batch'], { input: names.map((n) => `${n}\n`).join('') });
  const byName = parseCatFileBatch(r.stdout, names);
  return new Map(paths.map((p, i) => [p, byName.get(names[i]) ?? null]));
}

/** `git add` of `paths`; with `indexFile`, into that index instead of the one in the env. */
export async function add(ctx: GitContext, paths: readonly string[], indexFile?: string): Promise<void> {
  await execGit(ctx, ['add', '--', ...paths], indexFile ? { extraEnv: { GIT_INDEX_FILE: indexFile } } : {});
}

/** The paths among `paths` (or under them, for a folder) that git tracks in the index. */
export async function trackedPaths(ctx: GitContext, paths: readonly string[]): Promise<string[]> {
  // -z: any file name comes back as it is (no C-style quoting).
  return splitZ(await gitText(ctx, ['--literal-pathspecs', 'ls-files', '-z', '--', ...paths]));
}
