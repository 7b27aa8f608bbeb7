// Finalize: the only writer of the tracked files. It ingests the inbox, folds the uncommitted rows
// into the log, seals older rows into a segment once the log passes the threshold, copies the log
// byte for byte to the session database, stages them as LFS pointers and only then retires the
// folded rows from the uncommitted store. A failure anywhere loses no row: until the last step,
// every row is still uncommitted, and folding a row twice adds it once (rows carry their uid).
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FoldedSession } from './commit-rows.js';
import { restoreRow } from './commit-rows.js';
import { isInside } from './config.js';
import { CodexlogError, RefusedFileError } from './errors.js';
import { configGet } from './git/config.js';
import { hashFile, lfsStorageDir, pointerFor, storeLfsObject } from './git/lfs-objects.js';
import { parsePointer } from './git/pointer.js';
import { currentBranch, trackedPaths } from './git/repo.js';
import { type IndexEntry, keepSkipWorktree, stageBlobs } from './git/stage.js';
import { uuidv7 } from './ids.js';
import { ingestInbox, redactRows } from './ingest.js';
import { ledgerEntry, readLedger, recordLedger } from './ledger.js';
import { messages } from './messages.js';
import { lostRows } from './restore.js';
import type { Rollback } from './rollback.js';
import type { EventRow } from './rows.js';
import { trackedHome } from './sparse.js';
import { stateDir, uncommittedDb, viewDb } from './state.js';
import { LogStore } from './store/log-store.js';
import { Mutex } from './store/mutex.js';
import { type StoredAction, UncommittedStore } from './store/uncommitted.js';
import { validateLogFile } from './store/untrusted.js';
import { LogView, listSegments } from './store/view.js';
import type { Workspace } from './workspace.js';

/** What finalize did. */
export interface FinalizeResult {
  logDb: string;
  sessionDb: string;
  staged: boolean;
  backup: string | null;
  /** How many rows (actions and events) entered the log. */
  folded: number;
  /** The segment sealed by this finalize (its path relative to the workspace), or null. */
  sealed: string | null;
  /** The LFS object both databases now are. */
  oid: string | null;
  /** The blob (an LFS pointer) staged for both databases; null when nothing was staged. */
  blob: string | null;
  /** Retires the folded rows from the uncommitted store: the caller calls it once the commit may go on. */
  retire(): void;
}

/** What the pre-commit hook adds to a finalize. */
export interface FinalizeOptions {
  stage: boolean;
  /** Rows to fold with the uncommitted ones, built from them (the commit's own row). */
  extra?: (pending: { actions: StoredAction[]; events: EventRow[] }) => StoredAction[];
  /** Saves the tracked files before they change, so a blocked commit can put them back. */
  undo?: Rollback;
  /** lfs.storage as the gate read it (else it is read here). */
  lfsStorage?: string | null;
  /** Leave retiring the folded rows to the caller (FinalizeResult.retire), e.g. after a last check. */
  deferRetire?: boolean;
}

/** Throws when GH_COPILOT_BACKUP_ROOT points inside the workspace. */
export function checkBackupRoot(ws: Workspace): void {
  const { backupRoot, workspace } = ws.settings;
  if (backupRoot && isInside(backupRoot, workspace)) {
    throw new CodexlogError(messages.backupInsideWorkspace(backupRoot, workspace));
  }
}

/** The agent sessions rows belong to (agent and model from the rows' metadata, where they say). */
export function sessionsOf(actions: readonly StoredAction[]): FoldedSession[] {
  const by = new Map<string, FoldedSession>();
  for (const r of actions) {
    if (!r.session_id || r.action?.startsWith('git.')) continue;
    let meta: Record<string, unknown> = {};
    try {
      const m = JSON.parse(r.metadata ?? 'null');
      if (m && typeof m === 'object' && !Array.isArray(m)) meta = m;
    } catch {
      // free-text metadata names no agent
    }
    const s = by.get(r.session_id) ?? { id: r.session_id, agent: null, model: null, rows: 0 };
    s.rows += 1;
    if (typeof meta.agent === 'string') s.agent ??= meta.agent;
    if (typeof meta.model === 'string') s.model ??= meta.model;
    by.set(r.session_id, s);
  }
  return [...by.values()];
}

/** Finalizes the log of `ws` (see the top of this file). Under TEST_MODE callers do not call it. */
export async function finalizeLog(ws: Workspace, options: FinalizeOptions): Promise<FinalizeResult> {
  const { repo } = ws;
  checkBackupRoot(ws);
  const storageConfig = options.lfsStorage !== undefined ? options.lfsStorage : repo ? await configGet(ws.git, 'lfs.storage') : null;
  // In a sparse checkout without databases/, the log is read and written in a mirror (sparse.ts).
  const home = await trackedHome(ws, storageConfig);
  const { settings } = home;
  // One finalize at a time in a worktree, until its rows are retired: a second one would copy the
  // log this one is about to replace, and put it back without this one's rows.
  const lock = Mutex.acquire(path.join(stateDir(ws), 'finalize.lock'));
  let unc: UncommittedStore | undefined;
  let view: LogView | undefined;
  let log: LogStore | undefined;
  try {
    unc = UncommittedStore.open(uncommittedDb(ws), { create: true }) as UncommittedStore;
    await ingestInbox(ws, unc);
    const pending = unc.all();
    // Ids in the log follow time, whichever writer's rows were ingested first.
    const byTime = (a: { ts: string | null }, b: { ts: string | null }) => (Date.parse(a.ts ?? '') || 0) - (Date.parse(b.ts ?? '') || 0);
    pending.actions.sort(byTime);
    pending.events.sort(byTime);
    const extra = options.extra?.(pending) ?? [];
    // Something other than this finalize changed the log or its segments since the last one (a
    // merge, a pull, a revert, a reset, a checkout): then the view, which holds every segment's and
    // the log's rows, tells which rows another clone sealed, and which rows git took out.
    const segments = listSegments(settings.segmentsDir);
    const changed = sealState(segments, settings.logDb) !== readSealState(ws);
    // Segments the index lacks, after a change: one a finalize sealed before it was killed (the
    // rows it holds leave the log below, since a segment holds them). They are staged with this
    // commit, so that no row lives in an untracked file only.
    const unstaged =
      changed && options.stage && repo && segments.length > 0 && home.skipWorktree.length === 0
        ? trackedPaths(ws.git, [`${settings.segmentsDirRel}/`]).then((staged) => {
            const inIndex = new Set(staged);
            return segments.filter((name) => !inIndex.has(`${settings.segmentsDirRel}/${name}`));
          })
        : Promise.resolve([]);
    unstaged.catch(() => {}); // awaited below
    const branch = repo ? await currentBranch(ws.git, repo) : null;
    const last = repo && changed ? ledgerEntry(readLedger(ws), branch) : null;
    if (changed && (segments.length > 0 || last)) {
      view = LogView.open(viewDb(ws));
      view.refresh({ logDb: settings.logDb, segmentsDir: settings.segmentsDir });
    }
    const restoredView = view;
    if (last && restoredView && repo) {
      const pendingUids = new Set([...pending.actions, ...extra].map((r) => r.uid).concat(pending.events.map((e) => e.uid)));
      const lost = lostRows(lfsStorageDir(repo.commonDir, storageConfig), last, segments, (uids) => {
        const held = restoredView.known(uids);
        for (const u of uids) if (pendingUids.has(u)) held.add(u);
        return held;
      });
      if (lost.actions.length + lost.events.length > 0) {
        // Rows of older logs may predate redaction: they enter the log again only redacted.
        const back = await redactRows(ws, lost.actions, lost.events);
        pending.actions.push(...back.actions);
        pending.events.push(...back.events);
        extra.push({ ...restoreRow(lost.actions.length, lost.events.length, last.logOid), uid: uuidv7(), ts: new Date().toISOString() });
      }
    }
    // Rows finalize adds itself (the commit's own row, a git.restore row) are redacted as ingested ones are.
    const own = (await redactRows(ws, extra, [])).actions;
    // Both tracked files are only ever replaced (renamed over), never written in place: a hard
    // link keeps each as it was, for a blocked commit to put back.
    options.undo?.keep(settings.logDb);
    options.undo?.keep(settings.sessionDb);
    // A working copy of the log in the git dir; opening refuses a pointer, a non-database, a newer
    // schema, and the tracked file stays as it was.
    log = LogStore.open(settings.logDb, path.join(stateDir(ws), 'finalize.db'));
    const problems = log.integrityProblems();
    if (problems.length > 0) throw new RefusedFileError(settings.logDb, messages.corrupt(settings.logDb, problems.slice(0, 3).join('; ')));
    const sealedView = view;
    const fold = log.fold([...pending.actions, ...own], pending.events, sealedView ? (uids) => sealedView.sealed(uids) : null);
    let sealed: string | null = null;
    if (log.size() > settings.config.segments.sealAboveBytes) {
      // Every row goes but the newest, this commit's too: keeping a big commit's rows active would
      // store them twice (in this commit's log, then in the next commit's segment). The newest stays
      // so that the ids of the log go on from where they were.
      const newest = log.newestUid();
      const name = log.seal(settings.segmentsDir, new Set(newest ? [newest] : []));
      if (name) {
        sealed = path.join(settings.segmentsDirRel, name).split(path.sep).join('/');
        // A blocked commit takes the segment away again (the log it came from is put back too).
        options.undo?.created(path.join(settings.segmentsDir, name));
      }
    }
    log.close();
    // What is about to be committed must read back as a valid log (a few ms for an active log).
    validateLogFile(log.file);
    log.replaceTracked(settings.sessionDb);
    let oid: string | null = null;
    let blob: string | null = null;
    const doStage = options.stage && repo !== null;
    if (doStage && repo) {
      const storage = lfsStorageDir(repo.commonDir, storageConfig);
      const obj = storeLfsObject(storage, settings.logDb);
      oid = obj.oid;
      const pointer = pointerFor(obj);
      // A canonical pointer, or nothing is staged (what the gate promised git-lfs would write).
      if (!parsePointer(pointer)) throw new CodexlogError(messages.notAPointer(settings.logDbRel));
      // In the work tree (not a sparse checkout's mirror), the files are what the entries say.
      const inTree = home.skipWorktree.length === 0;
      const entries: IndexEntry[] = [
        { path: settings.logDbRel, content: pointer, file: inTree ? settings.logDb : undefined },
        { path: settings.sessionDbRel, content: pointer, file: inTree ? settings.sessionDb : undefined },
      ];
      for (const name of [...(await unstaged), ...(sealed ? [path.basename(sealed)] : [])]) {
        const segment = path.join(settings.segmentsDir, name);
        // What goes into a commit must read back as a log (a segment a killed finalize left is whole:
        // it is renamed into place only once written and synced).
        validateLogFile(segment);
        const rel = path.posix.join(settings.segmentsDirRel, name);
        entries.push({ path: rel, content: pointerFor(storeLfsObject(storage, segment)), file: inTree ? segment : undefined });
      }
      blob = (await stageBlobs(ws.git, repo, entries)).get(settings.logDbRel) ?? null;
      if (home.skipWorktree.length > 0)
        await keepSkipWorktree(
          ws.git,
          repo,
          entries.map((e) => e.path),
        );
    } else {
      oid = hashFile(settings.logDb).oid;
    }
    // The backup is the last step that may fail: the state below says the log was finalized.
    let backup: string | null = null;
    if (settings.backupRoot) backup = writeBackup(settings.sessionDb, settings.backupRoot, path.basename(settings.logDb));
    const segmentsNow = sealed ? [...segments, path.basename(sealed)].sort() : segments;
    const folded = [...pending.actions.map((r) => r.uid), ...pending.events.map((e) => e.uid)];
    let retired = false;
    // Once the commit may go on (the caller says when): what this worktree last finalized, the
    // ledger entry of its branch, and only then do the folded rows leave the uncommitted store.
    const store = unc;
    const retire = () => {
      if (retired) return;
      retired = true;
      try {
        writeSealState(ws, sealState(segmentsNow, settings.logDb));
        if (repo && oid) recordLedger(ws, branch, { logOid: oid, segments: segmentsNow });
        store.retire(folded);
      } finally {
        store.close();
        lock.release();
      }
    };
    if (!options.deferRetire) retire();
    return {
      logDb: settings.logDb,
      sessionDb: settings.sessionDb,
      staged: doStage,
      backup,
      folded: fold.added.length,
      sealed,
      oid,
      blob,
      retire,
    };
  } catch (e) {
    unc?.close();
    log?.discard();
    lock.release();
    throw e;
  } finally {
    view?.close();
  }
}

/** What the checkout's segments and log file were when this worktree last finalized. */
function sealState(segments: readonly string[], logDb: string): string {
  let id = 'missing';
  try {
    const st = statSync(logDb);
    id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    // no log yet
  }
  return `${id}\n${segments.join('\n')}`;
}

const sealStateFile = (ws: Workspace) => path.join(stateDir(ws), 'finalized');

function readSealState(ws: Workspace): string | null {
  try {
    return readFileSync(sealStateFile(ws), 'utf8');
  } catch {
    return null;
  }
}

function writeSealState(ws: Workspace, state: string): void {
  mkdirSync(path.dirname(sealStateFile(ws)), { recursive: true });
  writeFileSync(sealStateFile(ws), state);
}

/** Copies the (closed, consistent) session copy to `<root>/<name>-<timestamp>.db`. */
function writeBackup(source: string, root: string, name: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dest = path.join(root, `${path.parse(name).name}-${stamp}.db`);
  const tmp = `${dest}.tmp`;
  try {
    mkdirSync(root, { recursive: true });
    copyFileSync(source, tmp);
    renameSync(tmp, dest);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written (the root is not a folder)
    }
    throw new CodexlogError(messages.backupFailed(root, (e as Error).message), { cause: e });
  }
  return dest;
}
