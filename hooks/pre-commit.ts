// pre-commit: gate, then finalize (ingest, fold the uncommitted rows and this commit's own row,
// seal when due, copy, stage as LFS pointers), and only then retire the folded rows. A block or a
// failure leaves the index and the tracked files as they were and loses no row. What is staged is
// an LFS pointer by construction: finalize stores the object and stages the pointer itself (no
// filter runs), and the gate has read from the index that the paths are LFS-tracked.
import path from 'node:path';
import { recordActions } from '../src/actions.js';
import { blockedRow, type FoldedSession, preCommitRow } from '../src/commit-rows.js';
import { hooksSkipped } from '../src/env.js';
import { BlockedError, CodexlogError } from '../src/errors.js';
import { finalizeLog, sessionsOf } from '../src/finalize.js';
import { inspectGate, repairTracking } from '../src/gate.js';
import { commitsAnyway, findGitCommit } from '../src/git/commit-args.js';
import { currentBranch, operationsInProgress, stagedChanges } from '../src/git/repo.js';
import { indexInUse } from '../src/git/stage.js';
import { hookWorkspace } from '../src/hook-workspace.js';
import { stableUid } from '../src/ids.js';
import { messages } from '../src/messages.js';
import { writePrecommitMarker } from '../src/precommit-marker.js';
import { Rollback } from '../src/rollback.js';
import { resolveSessionId } from '../src/session.js';
import { stateDir } from '../src/state.js';
import { loadSqlite } from '../src/store/sqlite.js';
import { writeTrailerFile } from '../src/trailer.js';
import type { HookHandler } from './types.js';

const handler: HookHandler = async (ctx) => {
  // git runs hooks at the top of the work tree: the staged paths can be asked for at once, side by
  // side with finding the workspace (asked again below in the rare case it is elsewhere).
  const early = hooksSkipped(ctx.env) ? null : stagedChanges({ cwd: ctx.cwd, env: ctx.env });
  early?.catch(() => {});
  const found = hookWorkspace(ctx);
  found.catch(() => {});
  // SQLite's native module takes ~10 ms to load: load it while those git processes run.
  if (early) loadSqlite();
  const ws = await found;
  if (!ws) return;
  const { settings, git, repo } = ws;
  // Hook rows belong to the open agent session if there is one; git itself is no session.
  const session = resolveSessionId(ws, null, () => null);
  const ours = (p: string) => p === settings.logDbRel || p === settings.sessionDbRel || p.startsWith(`${settings.segmentsDirRel}/`);

  // 1. Everything knowable before a single write: a blocked commit then changes nothing.
  const facts = Promise.all([early && git.cwd === ctx.cwd ? early : stagedChanges(git), currentBranch(git, repo)]);
  facts.catch(() => {}); // awaited below; a block first must not leave it unhandled
  const gate = await inspectGate(git, settings);
  const [changes, branch] = await facts;
  const operations = operationsInProgress(repo);
  // 2. Nothing staged but our own files, and no merge to conclude: git will say "nothing to
  // commit", so nothing may be staged (unless the commit is --allow-empty or --amend).
  if (!changes.some((c) => !ours(c.path)) && operations.length === 0) {
    const args = ctx.parentPid ? findGitCommit(ctx.parentPid) : null;
    if (!args || !commitsAnyway(args)) return;
  }
  if (gate.problems.length > 0) {
    const reasons = gate.problems.map((p) => p.message);
    recordActions(ws, [blockedRow(session, reasons)]);
    throw new BlockedError(reasons.join('\n'));
  }

  const undo = new Rollback(path.join(stateDir(ws), 'rollback'));
  undo.save(indexInUse(git, repo));
  try {
    if (gate.untracked.length > 0) {
      undo.save(path.join(settings.workspace, '.gitattributes'));
      await repairTracking(git, repo, gate, { dbs: [settings.logDbRel, settings.sessionDbRel], segmentsDir: settings.segmentsDirRel });
      ctx.logger?.info(messages.trackingRepaired(gate.untracked));
    }
    const now = Date.now();
    const ownUid = stableUid(now, `pre-commit:${process.pid}:${now}`);
    let sessions: FoldedSession[] = [];
    const result = await finalizeLog(ws, {
      stage: true,
      undo,
      lfsStorage: gate.lfsStorage,
      deferRetire: true,
      extra: (pending) => {
        sessions = sessionsOf(pending.actions);
        return [
          {
            ...preCommitRow(session, { branch, changes, exclude: ours, operations, sessions }),
            uid: ownUid,
            ts: new Date(now).toISOString(),
          },
        ];
      },
    });
    // 3. The commit may go on: the folded rows leave the uncommitted store, and post-commit learns
    // which row and log blob were this commit's.
    result.retire();
    if (result.blob) writePrecommitMarker(ws, ownUid, result.blob);
    writeTrailerFile(ws, result.blob, sessions);
    undo.discard();
  } catch (e) {
    if (!(e instanceof BlockedError)) {
      try {
        undo.restore();
      } catch (r) {
        // What failed first is what the user needs to know; then that not everything was put back.
        throw new CodexlogError(`${(e as Error).message}\n${messages.rollbackFailed(undo.dir, (r as Error).message)}`, { cause: e });
      }
    }
    throw e;
  }
};
export default handler;
