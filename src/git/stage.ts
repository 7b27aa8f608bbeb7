// Staging into the index git is using, and into the real index too during a partial commit.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { execGit, type GitContext } from './exec.js';
import { recordStatData } from './index-stat.js';
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

/** A file to put into the index as the given content (an LFS pointer) without running any filter. */
export interface IndexEntry {
  path: string;
  content: Buffer;
  /**
   * The work tree file the content stands for (what the clean filter would turn into it), when
   * there is one: its stat data goes into the entry, so that git need not read it back.
   */
  file?: string;
}

/** The id git gives a blob: the repository's hash of "blob <size>\0<content>" (gitformat-object). */
export function blobId(content: Buffer, format: 'sha1' | 'sha256'): string {
  return createHash(format).update(`blob ${content.length}\0`).update(content).digest('hex');
}

/**
 * Points the index entries at blobs of the given contents (`git update-index --index-info`), in
 * the index in use and, during a partial commit, the real one too, while `git hash-object -w`
 * writes the blobs side by side (the ids are known in advance). No clean filter runs: the caller
 * has stored the LFS objects the pointers name. Returns the blob id of each path.
 */
export async function stageBlobs(ctx: GitContext, repo: RepoPaths, entries: readonly IndexEntry[]): Promise<Map<string, string>> {
  const ids = new Map(entries.map((e) => [e.path, blobId(e.content, repo.objectFormat)]));
  const distinct = [...new Map(entries.map((e) => [ids.get(e.path) as string, e.content])).entries()];
  const info = entries.map((e) => `100644 ${ids.get(e.path)} 0\t${e.path}\0`).join('');
  const real = realIndexDuringPartialCommit(ctx, repo);
  await Promise.all([
    // --no-filters: the content is the blob (a pointer), whatever .gitattributes says of the path.
    ...distinct.map(async ([id, content]) => {
      const written = (await execGit(ctx, ['hash-object', '-w', '--no-filters', '--stdin'], { input: content })).stdout
        .toString('utf8')
        .trim();
      if (written !== id) throw new Error(`git hash-object wrote ${written}, expected ${id}`);
    }),
    // -z: paths are NUL-terminated, so any file name is safe.
    execGit(ctx, ['update-index', '-z', '--add', '--index-info'], { input: info }),
    ...(real ? [execGit(ctx, ['update-index', '-z', '--add', '--index-info'], { input: info, extraEnv: { GIT_INDEX_FILE: real } })] : []),
  ]);
  const files = new Map(entries.filter((e) => e.file).map((e) => [e.path, e.file as string]));
  if (files.size > 0) for (const index of [indexInUse(ctx, repo), ...(real ? [real] : [])]) recordStatData(index, repo.objectFormat, files);
  return ids;
}

/** Marks index entries skip-worktree again (a sparse checkout's files outside its cone), in every index staged. */
export async function keepSkipWorktree(ctx: GitContext, repo: RepoPaths, paths: readonly string[]): Promise<void> {
  await execGit(ctx, ['update-index', '--skip-worktree', '--', ...paths]);
  const real = realIndexDuringPartialCommit(ctx, repo);
  if (real) await execGit(ctx, ['update-index', '--skip-worktree', '--', ...paths], { extraEnv: { GIT_INDEX_FILE: real } });
}
