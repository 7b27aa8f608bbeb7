// pre-commit: gate, fold pending rows, record the commit's row, finalize, stage, verify.
// A block leaves the index and both databases as they were (see src/rollback.ts).
import path from 'node:path';
import { blockedRow, preCommitRow } from '../src/commit-rows.js';
import { BlockedError } from '../src/errors.js';
import { finalizeStore } from '../src/finalize.js';
import { inspectGate, repairTracking } from '../src/gate.js';
import { parsePointer } from '../src/git/pointer.js';
import { currentBranch, operationsInProgress, stagedBlobs, stagedChanges } from '../src/git/repo.js';
import { indexInUse } from '../src/git/stage.js';
import { hookWorkspace } from '../src/hook-workspace.js';
import { messages } from '../src/messages.js';
import { addPending, claimPending } from '../src/pending.js';
import { Rollback } from '../src/rollback.js';
import { resolveSessionId } from '../src/session.js';
import { LogStore } from '../src/store/log-store.js';
import { stateDir } from '../src/workspace.js';
import type { HookHandler } from './types.js';

// Hook rows belong to the open agent session if there is one; git itself is no session.
const noSession = () => null;

const handler: HookHandler = async (ctx) => {
  const ws = await hookWorkspace(ctx);
  if (!ws) return;
  const { settings, git, repo } = ws;
  const session = resolveSessionId(ws, null, noSession);
  const block = (reasons: string[]): never => {
    addPending(ws, blockedRow(session, reasons));
    throw new BlockedError(reasons.join('\n'));
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
      if (written.length) {
        store ??= LogStore.open(settings.logDb, { create: false });
        store.deleteActions(written);
      }
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
    const own = preCommitRow(session, { branch, changes, exclude: dbs, operations: operationsInProgress(repo) });
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
};
export default handler;
