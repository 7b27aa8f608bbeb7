// `sync-branch`: merges a branch's base into it where only the log databases conflict, so that a
// hosting server, which never runs our merge driver, finds nothing left to merge. It runs the same
// locally and in a CI checkout that has no hooks, no merge driver in .git/config, no LFS objects
// (GIT_LFS_SKIP_SMUDGE=1) and a shallow history: the driver is passed for this one merge with
// `git -c`, shallow history is deepened until the branch and its base meet, and the LFS objects
// the merge reads are fetched. When any other file conflicts, it refuses before touching anything.
import path from 'node:path';
import { CodexlogError, GitError } from './errors.js';
import {
  askRemoteHead,
  deepen,
  differsAt,
  fetchBranch,
  type GitOverrides,
  identityOverrides,
  isShallow,
  lfsFetch,
  lfsPush,
  localRemoteHead,
  merge,
  mergeAbort,
  mergeBase,
  mergeTree,
  push,
  remoteBranchName,
  remoteOf,
  resolveCommit,
  trackedChanges,
  unmergedPaths,
} from './git/branch.js';
import type { GitContext } from './git/exec.js';
import { currentBranch, operationsInProgress } from './git/repo.js';
import { MERGE_DRIVER } from './install/attributes.js';
import { shQuote } from './install/shell.js';
import { messages, PREFIX } from './messages.js';
import { ownEntry } from './self.js';
import { openWorkspace, type RunContext, type Workspace } from './workspace.js';

/** The exit code of a refusal that needs a person (a conflict outside the log): CI tells it from a failure. */
export const SYNC_REFUSED_EXIT = 3;

/** sync-branch refused: the branch needs a person (a conflict outside the log). Nothing was changed. */
export class SyncRefusedError extends CodexlogError {
  readonly files: string[];
  constructor(message: string, files: string[]) {
    super(message, { exitCode: SYNC_REFUSED_EXIT });
    this.name = 'SyncRefusedError';
    this.files = files;
  }
}

/** What sync-branch is asked to do. */
export interface SyncOptions {
  /** The base branch on the remote; null: the remote's default branch. */
  base: string | null;
  push: boolean;
}

/** What sync-branch did. */
export type SyncResult =
  | { kind: 'up-to-date' | 'no-conflict'; branch: string; base: string }
  | { kind: 'merged'; branch: string; base: string; commit: string; pushed: boolean; remote: string };

/** The identity of the merge commit where git config has none (a CI checkout). */
export const FALLBACK_IDENTITY = { name: 'codexlog-hooks sync', email: 'sync@codexlog.invalid' } as const;

/** How far a shallow clone is deepened, step by step, before it fetches the whole history. */
export const DEEPEN_STEPS = [20, 100, 500] as const;

/** The merge driver command for one `git -c merge.codexlog.driver=…`: this very CLI, through node. */
export function syncDriverCommand(node: string, entry: string): string {
  return `${shQuote(node)} ${shQuote(entry)} merge-driver %O %A %B %P`;
}

/** The paths (relative to the top level) that hold the log: both databases, and the segments folder. */
export interface LogPaths {
  dbs: string[];
  segmentsDir: string;
}

/** Splits conflicted paths into the log's (which our driver merges) and every other file's. */
export function classifyConflicts(conflicts: readonly string[], log: LogPaths): { log: string[]; other: string[] } {
  const isLog = (p: string) => log.dbs.includes(p);
  return { log: conflicts.filter(isLog), other: conflicts.filter((p) => !isLog(p)) };
}

/**
 * Whether `name` is a branch name git accepts (`git check-ref-format --branch` rules, checked
 * without git): it ends up in refspecs and messages.
 */
export function isBranchName(name: string): boolean {
  if (!name || name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name === '@') return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what git refuses.
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|\.lock(\/|$)|(^|\/)\./.test(name)) return false;
  return true;
}

/** The log's paths relative to the top level (the workspace may be a folder below it). */
export function logPaths(ws: Workspace, topLevel: string): LogPaths {
  const rel = (abs: string) => path.relative(topLevel, abs).split(path.sep).join('/');
  return { dbs: [rel(ws.settings.logDb), rel(ws.settings.sessionDb)], segmentsDir: rel(ws.settings.segmentsDir) };
}

/** The base to sync with: the one asked, else the remote's default branch (as last fetched, else asked). */
async function resolveBase(git: GitContext, remote: string, asked: string | null): Promise<string> {
  const base = asked ?? (await localRemoteHead(git, remote)) ?? (await askRemoteHead(git, remote));
  if (!base) throw new CodexlogError(messages.syncNoBase(remote));
  if (!isBranchName(base)) throw new CodexlogError(messages.syncBadBranchName(base));
  return base;
}

/** Deepens a shallow clone until HEAD and the base tip meet; returns their merge base, or null. */
async function meet(
  git: GitContext,
  where: { remote: string; branch: string; base: string; baseTip: string },
  say: (m: string) => void,
): Promise<string | null> {
  const { remote, branch, base, baseTip } = where;
  let mb = await mergeBase(git, 'HEAD', baseTip);
  if (mb || !(await isShallow(git))) return mb;
  for (const step of [...DEEPEN_STEPS, null]) {
    await deepen(git, remote, base, step);
    say(messages.syncDeepened(step, branch, base));
    mb = await mergeBase(git, 'HEAD', baseTip);
    if (mb || !(await isShallow(git))) return mb;
  }
  return mb;
}

/** Brings the current branch up to date with its base (see the top of this file). Never prints. */
export async function syncBranch(ctx: RunContext, options: SyncOptions): Promise<SyncResult> {
  const ws = await openWorkspace(ctx);
  const { repo } = ws;
  if (!repo) throw new CodexlogError(messages.notARepo(ctx.cwd));
  const git: GitContext = { cwd: repo.topLevel, env: ctx.env };
  const say = (m: string) => ctx.logger?.info(m);

  const ops = operationsInProgress(repo);
  if (ops.length > 0) throw new CodexlogError(messages.syncInProgress(ops));
  const branch = await currentBranch(git, repo);
  if (!branch) throw new CodexlogError(messages.syncDetached);
  const remote = await remoteOf(git, branch);
  const base = await resolveBase(git, remote, options.base);
  if (branch === base) throw new CodexlogError(messages.syncOnBase(base));
  const dirty = await trackedChanges(git);
  if (dirty.length > 0) throw new CodexlogError(messages.syncDirty(dirty));

  const baseRef = `refs/remotes/${remote}/${base}`;
  const shallow = await isShallow(git);
  try {
    await fetchBranch(git, remote, base, { depth1: shallow && (await resolveCommit(git, baseRef)) === null });
  } catch (e) {
    if (e instanceof GitError && /couldn't find remote ref/i.test(e.stderr)) {
      throw new CodexlogError(messages.syncNoBaseBranch(remote, base), { cause: e });
    }
    throw e;
  }
  const baseTip = (await resolveCommit(git, baseRef)) as string;
  const mb = await meet(git, { remote, branch, base, baseTip }, say);
  if (!mb) throw new CodexlogError(messages.syncUnrelated(branch, base));
  if (mb === baseTip) return { kind: 'up-to-date', branch, base };

  // The server's view first: its merge, without our driver (`false` always conflicts, as a text
  // merge of two different pointers does). Nothing in the index or the work tree changes here.
  const paths = logPaths(ws, repo.topLevel);
  const server = await mergeTree(git, 'HEAD', baseTip, [[`merge.${MERGE_DRIVER}.driver`, 'false']]);
  if (server.clean) return { kind: 'no-conflict', branch, base };
  const { other } = classifyConflicts(server.conflicts, paths);
  if (other.length > 0) throw new SyncRefusedError(messages.syncRefused(branch, base, other, remote), other);

  // The LFS objects the driver reads, in one batch (a CI checkout has none); should this fail,
  // the driver still fetches each one it misses through `git lfs smudge`.
  await lfsFetch(git, remote, [mb, baseTip, 'HEAD'], paths.dbs);
  const config: GitOverrides = [
    [`merge.${MERGE_DRIVER}.name`, 'codexlog-hooks: union of log rows'],
    [`merge.${MERGE_DRIVER}.driver`, syncDriverCommand(process.execPath, ownEntry())],
    ...(await identityOverrides(git, FALLBACK_IDENTITY)),
  ];
  const r = await merge(git, baseRef, messages.syncMergeMessage(base, branch), config);
  if (r.code !== 0) {
    const unmerged = await unmergedPaths(git);
    if (operationsInProgress(repo).includes('merge')) await mergeAbort(git);
    // The driver's own one-line reason, when it gave one (about the first file left unmerged, if it says).
    const reasons = r.stderr.split('\n').filter((l) => l.startsWith(PREFIX));
    const reason = reasons.find((l) => unmerged[0] && l.includes(unmerged[0])) ?? reasons[0] ?? '';
    const detail = reason.slice(PREFIX.length).trim();
    if (unmerged.length === 0) throw new CodexlogError(messages.gitFailed(`git merge ${baseRef}`, r.code, r.stderr));
    // Not a conflict for a person (those were refused above): something is wrong, so a failure (exit 1).
    throw new CodexlogError(messages.syncMergeFailed(branch, base, unmerged, detail));
  }
  const commit = (await resolveCommit(git, 'HEAD')) as string;
  if (options.push) {
    // LFS objects first: a CI checkout has no pre-push hook to send them.
    await lfsPush(git, remote, branch);
    await push(git, remote, branch, await remoteBranchName(git, branch));
  }
  return { kind: 'merged', branch, base, commit, pushed: options.push, remote };
}

/**
 * The doctor's hint: when this branch's base (the remote's default branch, as last fetched) is not
 * in it and both changed the log since they parted, the message saying what to run; else null.
 * Only local refs are read: no network.
 */
export async function behindOnLog(ws: Workspace): Promise<string | null> {
  const { repo } = ws;
  if (!repo) return null;
  const git: GitContext = { cwd: repo.topLevel, env: ws.git.env };
  const branch = await currentBranch(git, repo);
  if (!branch) return null;
  const remote = await remoteOf(git, branch);
  // The remote's default branch as the clone saw it, else its main or master.
  let base = await localRemoteHead(git, remote);
  let baseTip = base ? await resolveCommit(git, `refs/remotes/${remote}/${base}`) : null;
  for (const guess of base ? [] : ['main', 'master']) {
    baseTip = await resolveCommit(git, `refs/remotes/${remote}/${guess}`);
    if (baseTip) {
      base = guess;
      break;
    }
  }
  if (!base || !baseTip || base === branch) return null;
  const mb = await mergeBase(git, 'HEAD', baseTip);
  if (!mb || mb === baseTip) return null;
  const { dbs } = logPaths(ws, repo.topLevel);
  if (!(await differsAt(git, mb, baseTip, dbs)) || !(await differsAt(git, mb, 'HEAD', dbs))) return null;
  return messages.behindOnLog(`${remote}/${base}`);
}
