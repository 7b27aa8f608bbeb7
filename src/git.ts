// The one door to git and git-lfs. Every call names its working directory and passes an argument
// array (never a shell string). A thin execFile wrapper instead of simple-git: on the hook path
// simple-git's import alone costs 32-47 ms here against ~4 ms per plain git spawn (see README).
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { GitError } from './errors.js';

/** Where and how to run git. `env` is passed whole: hooks rely on GIT_INDEX_FILE and friends. */
export interface GitContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** What a finished git process left behind. */
export interface GitResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs git with `args`; rejects with GitError on a non-zero exit unless `allowFailure`. */
export function execGit(
  ctx: GitContext,
  args: readonly string[],
  options: { input?: Buffer | string; allowFailure?: boolean; extraEnv?: NodeJS.ProcessEnv } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: ctx.cwd,
      env: options.extraEnv ? { ...ctx.env, ...options.extraEnv } : ctx.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GitError(args, null, e.message)));
    child.on('close', (code) => {
      const result = { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
      if (code !== 0 && !options.allowFailure) reject(new GitError(args, code, result.stderr));
      else resolve(result);
    });
    // A child that exits early closes stdin; ignore the EPIPE that writing then raises.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and returns trimmed stdout text. */
export async function gitText(ctx: GitContext, args: readonly string[]): Promise<string> {
  return (await execGit(ctx, args)).stdout.toString('utf8').trim();
}


/** Facts about the repository that one `git rev-parse` call gives. */
export interface RepoPaths {
  topLevel: string;
  /** This worktree's git dir (absolute). */
  gitDir: string;
  /** Paths of the marker files that tell a merge, cherry-pick, revert or rebase is in progress. */
  markers: Record<'merge' | 'cherryPick' | 'revert' | 'rebaseMerge' | 'rebaseApply', string>;
}

/** Resolves the top level, git dir and operation markers in one git call (works in worktrees). */
export async function repoPaths(ctx: GitContext): Promise<RepoPaths> {
  const args = [
    'rev-parse',
    '--show-toplevel',
    '--absolute-git-dir',
    // --git-path resolves per-worktree paths correctly; relative answers are relative to cwd.
    '--git-path', 'MERGE_HEAD',
    '--git-path', 'CHERRY_PICK_HEAD',
    '--git-path', 'REVERT_HEAD',
    '--git-path', 'rebase-merge',
    '--git-path', 'rebase-apply',
  ];
  const lines = (await gitText(ctx, args)).split('\n');
  const abs = (p: string) => path.resolve(ctx.cwd, p);
  return {
    topLevel: lines[0],
    gitDir: lines[1],
    markers: {
      merge: abs(lines[2]),
      cherryPick: abs(lines[3]),
      revert: abs(lines[4]),
      rebaseMerge: abs(lines[5]),
      rebaseApply: abs(lines[6]),
    },
  };
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

/** The value of a git config key, or null when unset. */
export async function configGet(ctx: GitContext, key: string): Promise<string | null> {
  const r = await execGit(ctx, ['config', '--get', key], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** All git config entries whose key matches `regexp`, as a map (one call instead of many). */
export async function configMatching(ctx: GitContext, regexp: string): Promise<Map<string, string>> {
  const r = await execGit(ctx, ['config', '-z', '--get-regexp', regexp], { allowFailure: true });
  const map = new Map<string, string>();
  if (r.code !== 0) return map;
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    if (!entry) continue;
    const nl = entry.indexOf('\n');
    map.set(nl < 0 ? entry : entry.slice(0, nl), nl < 0 ? '' : entry.slice(nl + 1));
  }
  return map;
}

/** Sets (or with `value === null` unsets) a key in this clone's .git/config. */
export async function configSetLocal(ctx: GitContext, key: string, value: string | null): Promise<void> {
  if (value === null) await execGit(ctx, ['config', '--local', '--unset-all', key], { allowFailure: true });
  else await execGit(ctx, ['config', '--local', key, value]);
}

/** The current branch name, or null when HEAD is detached or unborn-and-unnamed. */
export async function currentBranch(ctx: GitContext): Promise<string | null> {
  // symbolic-ref works on an unborn branch too, unlike rev-parse --abbrev-ref.
  const r = await execGit(ctx, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** One staged change: git's status letter and the path (new path for renames). */
export interface StagedChange {
  status: string;
  path: string;
}

/** Paths staged in the index git is using (honours GIT_INDEX_FILE from the env). */
export async function stagedChanges(ctx: GitContext): Promise<StagedChange[]> {
  // --no-renames keeps the -z output to one path per entry; -z keeps odd file names intact.
  const r = await execGit(ctx, ['diff', '--cached', '--name-status', '--no-renames', '-z']);
  const parts = r.stdout.toString('utf8').split('\0');
  const changes: StagedChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) changes.push({ status: parts[i], path: parts[i + 1] });
  return changes;
}

/** The `filter` attribute of each path, read from the index (or, with `worktree`, the work tree). */
export async function filterAttrs(ctx: GitContext, paths: readonly string[], from: 'index' | 'worktree' = 'index'): Promise<Map<string, string>> {
  // --cached: the attributes that will be committed, not whatever the work tree says.
  const r = await execGit(ctx, ['check-attr', ...(from === 'index' ? ['--cached'] : []), '-z', '--stdin', 'filter'], {
    input: paths.map((p) => p + '\0').join(''),
  });
  const parts = r.stdout.toString('utf8').split('\0');
  const map = new Map<string, string>();
  for (let i = 0; i + 2 < parts.length; i += 3) map.set(parts[i], parts[i + 2]);
  return map;
}

/** The staged blob of each path (`:path`), or null when the path is not in the index. */
export async function stagedBlobs(ctx: GitContext, paths: readonly string[]): Promise<Map<string, Buffer | null>> {
  const r = await execGit(ctx, ['cat-file', '--batch'], { input: paths.map((p) => `:${p}\n`).join('') });
  const out = r.stdout;
  const map = new Map<string, Buffer | null>();
  let pos = 0;
  for (const p of paths) {
    const nl = out.indexOf(0x0a, pos);
    const header = out.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    if (header.endsWith(' missing')) {
      map.set(p, null);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    map.set(p, out.subarray(pos, pos + size));
    pos += size + 1;
  }
  return map;
}


/** `git add` of `paths`; with `indexFile`, into that index instead of the one in the env. */
export async function add(ctx: GitContext, paths: readonly string[], indexFile?: string): Promise<void> {
  await execGit(ctx, ['add', '--', ...paths], indexFile ? { extraEnv: { GIT_INDEX_FILE: indexFile } } : {});
}


/** Absolute path of an executable found on the env's PATH, or null. No process is spawned. */
export function findOnPath(env: NodeJS.ProcessEnv, name: string): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      const st = statSync(candidate);
      if (st.isFile() && (st.mode & 0o111) !== 0) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

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
