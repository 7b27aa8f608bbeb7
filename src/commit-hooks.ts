// What the git hooks do. The handlers in hooks/ are thin wrappers around these functions.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BlockedError } from './errors.js';
import { finalizeStore } from './finalize.js';
import { inspectGate, repairTracking } from './gate.js';
import { currentBranch, gitText, operationsInProgress, stagedBlobs, stagedChanges, type StagedChange } from './git.js';
import { parsePointer } from './lfs.js';
import { messages } from './messages.js';
import { addPending, claimPending } from './pending.js';
import { resolveSessionId } from './session.js';
import { indexInUse } from './stage.js';
import { LogStore } from './store.js';
import { openWorkspace, stateDir, type RunContext, type Workspace } from './workspace.js';

// Hook rows belong to the open agent session if there is one; git itself is no session.
const noSession = () => null;

function skipped(ws: Workspace): boolean {
  return ws.settings.testMode || ws.settings.hooksDisabled || ws.repo === null;
}

/**
 * TEST_MODE=1, CODEXLOG_HOOKS=0 and HUSKY=0 read straight from the environment, before anything
 * else (config, git): the escape hatch must work even when the config is broken. A malformed
 * value is not a skip; openWorkspace then reports it.
 */
export function skippedByEnv(env: NodeJS.ProcessEnv): boolean {
  const flag = (name: string) => env[name]?.trim().toLowerCase() ?? '';
  return ['1', 'true', 'yes', 'on'].includes(flag('TEST_MODE')) ||
    ['0', 'false', 'no', 'off'].includes(flag('CODEXLOG_HOOKS')) ||
    env.HUSKY === '0';
}

/** A summary of the staged paths for the pre-commit row (the databases themselves left out). */
export function summarizeStaged(changes: StagedChange[], exclude: readonly string[]): Record<string, unknown> {
  const own = changes.filter((c) => !exclude.includes(c.path) && c.path !== '.gitattributes');
  const count = (s: string) => own.filter((c) => c.status.startsWith(s)).length;
  return {
    total: own.length,
    added: count('A'),
    modified: count('M'),
    deleted: count('D'),
    other: own.length - count('A') - count('M') - count('D'),
    paths: own.slice(0, 50).map((c) => c.path),
    truncated: own.length > 50,
  };
}

/**
 * Copies of files only git and this hook write (the index, the session copy, .gitattributes),
 * taken before the hook writes, to put them back byte for byte when the commit is blocked. The log
 * itself is not restored by file: other agents may have written to it meanwhile.
 */
class Rollback {
  private readonly saved: Array<[string, string | null]> = [];
  constructor(private readonly dir: string) {}

  save(file: string): void {
    mkdirSync(this.dir, { recursive: true });
    if (!existsSync(file)) {
      this.saved.push([file, null]);
      return;
    }
    const copy = path.join(this.dir, `${this.saved.length}-${path.basename(file)}`);
    copyFileSync(file, copy);
    this.saved.push([file, copy]);
  }

  restore(): void {
    for (const [file, copy] of this.saved.reverse()) {
      if (copy) renameSync(copy, file);
      else rmSync(file, { force: true });
    }
    this.discard();
  }

  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * pre-commit: gate, fold pending rows, record a `git.pre-commit` row, finalize, stage, verify.
 * Throws BlockedError (leaving index and databases as they were) when the commit must not go on.
 */
export async function preCommit(ctx: RunContext): Promise<void> {
  if (skippedByEnv(ctx.env)) return;
  const ws = await openWorkspace(ctx);
  if (skipped(ws)) return;
  const repo = ws.repo!;
  const { settings, git } = ws;
  const block = (reason: string[]): never => {
    addPending(ws, {
      session_id: resolveSessionId(ws, null, noSession),
      action: 'git.blocked',
      statement: 'commit blocked by the Git LFS gate',
      metadata: JSON.stringify({ reasons: reason }),
    });
    throw new BlockedError(reason.join('\n'));
  };

  // 1. Everything knowable before a single write: a blocked commit then changes nothing. What the
  // commit's row needs is read meanwhile (read-only git calls run side by side).
  const facts = Promise.all([stagedChanges(git), currentBranch(git)]);
  facts.catch(() => {}); // awaited below; a block first must not leave it unhandled
  const gate = await inspectGate(git, settings);
  if (gate.problems.length > 0) block(gate.problems.map((p) => p.message));

  const undo = new Rollback(path.join(stateDir(repo), 'rollback'));
  const dbs = [settings.logDbRel, settings.sessionDbRel];
  undo.save(indexInUse(git, repo));
  undo.save(settings.sessionDb);
  const pending = claimPending(ws);
  const written: string[] = [];
  let store: LogStore | undefined;
  // Undo: the index, .gitattributes and session copy by file; the log by deleting exactly the rows
  // this hook wrote (other writers' rows stay); the claimed pending rows go back to the git dir.
  const rollBack = () => {
    try {
      if (written.length) (store ??= LogStore.open(settings.logDb, { create: false })).deleteActions(written);
    } finally {
      store?.close();
      store = undefined;
      undo.restore();
      pending.release();
    }
  };
  try {
    if (gate.untracked.length > 0) {
      undo.save(path.join(settings.workspace, '.gitattributes'));
      await repairTracking(git, repo, gate, dbs);
      ctx.logger?.info(messages.trackingRepaired(gate.untracked));
    }
    store = LogStore.open(settings.logDb, { create: true });
    // 2. Rows that waited in the git dir (post-commit, post-rewrite, blocked attempts), and 3. this
    // commit's own row: one transaction. Pending rows already in the log (folded before, then
    // handed back) come back with no id and are not ours to undo.
    const [changes, branch] = await facts;
    const staged = summarizeStaged(changes, dbs);
    const operations = operationsInProgress(repo);
    const own = {
      session_id: resolveSessionId(ws, null, noSession),
      action: 'git.pre-commit',
      statement: `pre-commit on ${branch ?? '(detached HEAD)'}: ${staged.total} staged path${staged.total === 1 ? '' : 's'}`,
      metadata: JSON.stringify({ branch, staged, operations }),
    };
    for (const r of store.addActions([...pending.rows, own])) if (r.id !== null) written.push(r.uid);
    // 4. Finalize (integrity check, consistent copy, git add into the right index).
    await finalizeStore(ws, store, { stage: true });
    // 5. Verify what was staged is an LFS pointer, reading the blobs from the index itself.
    const blobs = await stagedBlobs(git, [...dbs, '.gitattributes']);
    const problems: string[] = [];
    if (!blobs.get('.gitattributes')) problems.push(messages.gitattributesNotStaged);
    for (const db of dbs) {
      const blob = blobs.get(db);
      if (!blob || !parsePointer(blob)) problems.push(messages.notAPointer(db));
    }
    if (problems.length > 0) {
      rollBack();
      block(problems);
    }
    pending.done();
    undo.discard();
  } catch (e) {
    if (!(e instanceof BlockedError)) rollBack();
    throw e;
  } finally {
    store?.close();
  }
}

/** Facts about HEAD for the commit rows: full SHA, parents, subject. */
async function headCommit(ws: Workspace): Promise<{ sha: string; parents: string[]; subject: string }> {
  const [sha, parents, ...subject] = (await gitText(ws.git, ['log', '-1', '--format=%H%n%P%n%s', 'HEAD'])).split('\n');
  return { sha, parents: parents ? parents.split(' ') : [], subject: subject.join('\n') };
}

/**
 * post-commit: a `git.commit` row with the commit's SHA, parents and subject. It waits in the git
 * dir, because writing the tracked database now would leave the work tree dirty.
 */
export async function postCommit(ctx: RunContext): Promise<void> {
  if (skippedByEnv(ctx.env)) return;
  const ws = await openWorkspace(ctx, { config: false });
  if (skipped(ws)) return;
  const head = await headCommit(ws);
  const operations = operationsInProgress(ws.repo!);
  addPending(ws, {
    session_id: resolveSessionId(ws, null, noSession),
    action: 'git.commit',
    statement: head.subject,
    metadata: JSON.stringify({ ...head, operations }),
  });
}

/** Parses post-rewrite's stdin ("<old> <new> [extra]" per line) into a mapping list. */
export function parseRewrites(stdin: string): Array<{ old: string; new: string }> {
  return stdin.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length >= 2 && p[0]).map(([o, n]) => ({ old: o, new: n }));
}

/** post-rewrite (amend, rebase): the old-to-new SHA mapping, so rewritten commits keep their links. */
export async function postRewrite(ctx: RunContext, kind: string, stdin: string): Promise<void> {
  if (skippedByEnv(ctx.env)) return;
  const ws = await openWorkspace(ctx, { config: false });
  if (skipped(ws)) return;
  const mappings = parseRewrites(stdin);
  if (mappings.length === 0) return;
  addPending(ws, {
    session_id: resolveSessionId(ws, null, noSession),
    action: 'git.rewrite',
    statement: `${kind}: ${mappings.length} commit${mappings.length === 1 ? '' : 's'} rewritten`,
    metadata: JSON.stringify({ kind, mappings }),
  });
}

/** post-merge (pull, merge without conflicts): a `git.merge` row, since no commit hook fires. */
export async function postMerge(ctx: RunContext, squash: string): Promise<void> {
  if (skippedByEnv(ctx.env)) return;
  const ws = await openWorkspace(ctx, { config: false });
  if (skipped(ws)) return;
  const head = await headCommit(ws);
  addPending(ws, {
    session_id: resolveSessionId(ws, null, noSession),
    action: 'git.merge',
    statement: head.subject,
    metadata: JSON.stringify({ ...head, squash: squash === '1', fastForward: head.parents.length < 2 }),
  });
}
