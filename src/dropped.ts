// Rows a commit dropped from the log. A server's rebase merge replays a branch's commits without
// our merge driver, so a replayed commit's log can lack rows its new parent had (the base's). Here
// each commit of HEAD's recent first-parent history is compared with its parent: the rows of the
// parent's log (and of segments the commit removed) that neither the commit's log nor the segments
// it added hold are "dropped by" it. `check` reports those HEAD still lacks; `restore <commit>`
// puts them back among the uncommitted rows, and the next commit carries them.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodexlogError } from './errors.js';
import { blobAt, commitFacts, filesAt, firstParentChanges, readBlobs, resolveCommit } from './git/branch.js';
import type { GitContext } from './git/exec.js';
import { lfsObjectPath } from './git/lfs-objects.js';
import type { RawCommit } from './git/parse.js';
import { parsePointer } from './git/pointer.js';
import { uuidv7 } from './ids.js';
import { messages } from './messages.js';
import { lostRows, segmentObject } from './restore.js';
import type { EventRow } from './rows.js';
import { stateDir, uncommittedDb, viewDb } from './state.js';
import { loadSqlite } from './store/sqlite.js';
import { type StoredAction, UncommittedStore } from './store/uncommitted.js';
import { actionsSelect, attachLog, detachLog, eventsSelect, registerLegacyUid } from './store/untrusted.js';
import { isSegmentName, LogView } from './store/view.js';
import { logPaths } from './sync-branch.js';
import type { Workspace } from './workspace.js';

/** How many of HEAD's first-parent commits that changed the log `check` looks at. */
export const HISTORY_LIMIT = 100;

/** What a commit did to the log against its first parent: the logs' LFS oids, the segments it added and removed. */
export interface LogStep {
  parentLog: string;
  /** null when the commit deleted the log. */
  childLog: string | null;
  added: string[];
  removed: string[];
}

/** The rows a commit dropped. */
export interface Dropped {
  actions: StoredAction[];
  events: EventRow[];
}

/**
 * The step a commit's raw changes (against its first parent) describe, given the pointers of their
 * blobs; null when it cannot have dropped a row (the log untouched or added) or the log is not an
 * LFS pointer.
 */
export function logStep(
  changes: RawCommit['changes'],
  logDb: string,
  segmentsDir: string,
  pointerOid: (blob: string) => string | null,
): LogStep | null {
  const log = changes.find((c) => c.path === logDb);
  const segment = (c: { path: string }) => path.posix.dirname(c.path) === segmentsDir && isSegmentName(path.posix.basename(c.path));
  const added = changes.filter((c) => segment(c) && c.status !== 'D').map((c) => path.posix.basename(c.path));
  const removed = changes.filter((c) => segment(c) && c.status !== 'A').map((c) => path.posix.basename(c.path));
  // A commit that leaves the log alone moves no row out of it (finalize changes the log whenever it
  // seals a segment); one that adds the log has no earlier log to drop from.
  if (!log || (log.status !== 'M' && log.status !== 'D')) return null;
  const parentLog = pointerOid(log.before);
  const childLog = log.status === 'D' ? null : pointerOid(log.after);
  if (!parentLog || (log.status !== 'D' && !childLog)) return null;
  return { parentLog, childLog, added, removed };
}

/** The uids the given log files hold (actions and events). */
function heldUids(files: readonly string[]): Set<string> {
  const held = new Set<string>();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'codexlog-dropped-'));
  const db = new (loadSqlite())(':memory:');
  try {
    db.pragma('trusted_schema = OFF');
    registerLegacyUid(db);
    files.forEach((file, i) => {
      // A copy: an LFS object must never change, and SQLite attaches files read-write.
      const copy = path.join(tmp, `${i}.db`);
      copyFileSync(file, copy);
      const shape = attachLog(db, copy, 'src', { integrity: false });
      try {
        for (const uid of db
          .prepare(`SELECT uid FROM (${actionsSelect('src', shape)})`)
          .pluck()
          .all() as string[])
          held.add(uid);
        const ev = eventsSelect('src', shape);
        if (ev) for (const uid of db.prepare(`SELECT uid FROM (${ev})`).pluck().all() as string[]) held.add(uid);
      } finally {
        detachLog(db, 'src');
      }
    });
  } finally {
    db.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return held;
}

/** The rows `step` dropped, read from the local LFS store; null when an object it needs is not there. */
export function rowsDropped(storage: string, step: LogStep): Dropped | null {
  const child = [
    ...(step.childLog ? [lfsObjectPath(storage, step.childLog)] : []),
    ...step.added.map((name) => segmentObject(storage, name)),
  ];
  const parent = [lfsObjectPath(storage, step.parentLog), ...step.removed.map((name) => segmentObject(storage, name))];
  if (![...child, ...parent].every((f) => f !== null && existsSync(f))) return null;
  const held = heldUids(child as string[]);
  return lostRows(
    storage,
    { logOid: step.parentLog, segments: step.removed, at: '' },
    [],
    (uids) => new Set(uids.filter((u) => held.has(u))),
  );
}

// What earlier checks found, by step: the history check then reads only commits it has not seen.
interface Cache {
  steps: Record<string, string[]>;
}
const cacheFile = (ws: Workspace) => path.join(stateDir(ws), 'dropped-rows.json');
const stepKey = (s: LogStep) => `${s.parentLog}>${s.childLog ?? '-'}+${s.added.join(',')}-${s.removed.join(',')}`;

function readCache(ws: Workspace): Cache {
  try {
    const c = JSON.parse(readFileSync(cacheFile(ws), 'utf8')) as Cache;
    if (c && typeof c.steps === 'object') return c;
  } catch {
    // none yet
  }
  return { steps: {} };
}

function writeCache(ws: Workspace, cache: Cache): void {
  mkdirSync(path.dirname(cacheFile(ws)), { recursive: true });
  writeFileSync(`${cacheFile(ws)}.tmp`, `${JSON.stringify(cache)}\n`);
  renameSync(`${cacheFile(ws)}.tmp`, cacheFile(ws));
}

/** The pointers' oids of these blobs (null for a blob that is not an LFS pointer). */
async function pointerOids(git: GitContext, blobs: string[]): Promise<Map<string, string | null>> {
  const contents = await readBlobs(git, [...new Set(blobs)]);
  return new Map([...contents].map(([sha, c]) => [sha, c ? (parsePointer(c)?.oid ?? null) : null]));
}

/**
 * The commits of HEAD's last HISTORY_LIMIT first-parent commits that changed the log and dropped
 * rows from it, with the uids each dropped. Steps whose LFS objects this clone lacks are skipped;
 * steps seen before come from a cache in the git dir, so a check with nothing wrong stays fast.
 */
export async function droppedInHistory(
  ws: Workspace,
  storage: string,
  limit = HISTORY_LIMIT,
): Promise<Array<{ commit: string; uids: string[] }>> {
  const { repo } = ws;
  if (!repo) return [];
  const git: GitContext = { cwd: repo.topLevel, env: ws.git.env };
  const paths = logPaths(ws, repo.topLevel);
  const commits = (await firstParentChanges(git, [paths.dbs[0], paths.segmentsDir], limit)).filter((c) => c.parents.length > 0);
  const oids = await pointerOids(
    git,
    commits.flatMap((c) => c.changes.filter((x) => x.path === paths.dbs[0]).flatMap((x) => [x.before, x.after])),
  );
  const cache = readCache(ws);
  const next: Cache = { steps: {} };
  const found: Array<{ commit: string; uids: string[] }> = [];
  for (const c of commits) {
    const step = logStep(c.changes, paths.dbs[0], paths.segmentsDir, (blob) => oids.get(blob) ?? null);
    if (!step) continue;
    const key = stepKey(step);
    let uids = cache.steps[key];
    if (!uids) {
      const rows = rowsDropped(storage, step);
      if (!rows) continue;
      uids = [...rows.actions.map((r) => r.uid), ...rows.events.map((e) => e.uid)];
    }
    next.steps[key] = uids;
    if (uids.length > 0) found.push({ commit: c.sha, uids });
  }
  if (JSON.stringify(next) !== JSON.stringify(cache)) writeCache(ws, next);
  return found;
}

/** The uids of rows waiting in the uncommitted store (they enter the log at the next commit). */
function pendingUids(ws: Workspace): Set<string> {
  const unc = UncommittedStore.open(uncommittedDb(ws), { create: false, readonly: true });
  if (!unc) return new Set();
  try {
    const { actions, events } = unc.all();
    return new Set([...actions.map((r) => r.uid), ...events.map((e) => e.uid)]);
  } finally {
    unc.close();
  }
}

/** Of `uids`, those neither HEAD's committed log (segments included) nor the uncommitted rows hold. */
function stillMissing(ws: Workspace, uids: readonly string[]): string[] {
  const view = LogView.open(viewDb(ws));
  try {
    view.refresh({ logDb: ws.settings.logDb, segmentsDir: ws.settings.segmentsDir });
    const known = view.known(uids);
    const pending = pendingUids(ws);
    return uids.filter((u) => !known.has(u) && !pending.has(u));
  } finally {
    view.close();
  }
}

/** The doctor's findings: a message per commit of recent history whose dropped rows HEAD still lacks. */
export async function droppedRowsProblems(ws: Workspace, storage: string, alreadyReported: ReadonlySet<string>): Promise<string[]> {
  const found = await droppedInHistory(ws, storage);
  if (found.length === 0 || !ws.repo) return [];
  const git: GitContext = { cwd: ws.repo.topLevel, env: ws.git.env };
  const missing = new Set(stillMissing(ws, [...new Set(found.flatMap((f) => f.uids))]));
  const out: string[] = [];
  const counted = new Set(alreadyReported);
  for (const f of found.reverse()) {
    // Oldest first; a row dropped twice is counted at the first commit that dropped it.
    const rows = f.uids.filter((u) => missing.has(u) && !counted.has(u));
    for (const u of rows) counted.add(u);
    if (rows.length > 0) out.push(messages.rowsDroppedBy(rows.length, f.commit, (await commitFacts(git, f.commit)).subject));
  }
  return out;
}

/** The `git.restore` row `restore` adds beside the rows it puts back. */
export function restoreDroppedRow(counts: { actions: number; events: number }, commit: string, fromLog: string): StoredAction {
  const n = counts.actions + counts.events;
  return {
    uid: uuidv7(),
    ts: new Date().toISOString(),
    session_id: null,
    action: 'git.restore',
    statement: `put back ${n} row${n === 1 ? '' : 's'} that ${commit.slice(0, 12)} dropped (a rebase replayed it without the merge driver)`,
    metadata: JSON.stringify({ ...counts, droppedBy: commit, fromLog }),
  };
}

/**
 * `restore <commit>`: the rows `rev` dropped (against its first parent) that HEAD lacks go into the
 * uncommitted store, with a `git.restore` row. Returns the commit and how many rows were put back.
 */
export async function restoreDropped(ws: Workspace, storage: string, rev: string): Promise<{ commit: string; restored: number }> {
  const { repo } = ws;
  if (!repo) throw new CodexlogError(messages.notARepo(ws.settings.workspace));
  const git: GitContext = { cwd: repo.topLevel, env: ws.git.env };
  const commit = await resolveCommit(git, rev);
  if (!commit) throw new CodexlogError(messages.restoreNoCommit(rev));
  const { parent } = await commitFacts(git, commit);
  if (!parent) throw new CodexlogError(messages.restoreRootCommit(commit));
  const paths = logPaths(ws, repo.topLevel);
  const oidAt = async (at: string): Promise<string | null> => {
    const blob = await blobAt(git, at, paths.dbs[0]);
    if (!blob) return null;
    const p = parsePointer(blob);
    if (!p) throw new CodexlogError(messages.restoreNotPointer(at, paths.dbs[0]));
    return p.oid;
  };
  const parentLog = await oidAt(parent);
  if (!parentLog) return { commit, restored: 0 };
  const [before, after] = [await filesAt(git, parent, paths.segmentsDir), await filesAt(git, commit, paths.segmentsDir)].map((l) =>
    l.filter(isSegmentName),
  );
  const step: LogStep = {
    parentLog,
    childLog: await oidAt(commit),
    added: after.filter((n) => !before.includes(n)),
    removed: before.filter((n) => !after.includes(n)),
  };
  const rows = rowsDropped(storage, step);
  if (!rows) throw new CodexlogError(messages.restoreMissingObjects(commit, parent));
  const missing = new Set(stillMissing(ws, [...rows.actions.map((r) => r.uid), ...rows.events.map((e) => e.uid)]));
  const actions = rows.actions.filter((r) => missing.has(r.uid));
  const events = rows.events.filter((e) => missing.has(e.uid));
  if (actions.length + events.length === 0) return { commit, restored: 0 };
  const unc = UncommittedStore.open(uncommittedDb(ws), { create: true }) as UncommittedStore;
  try {
    unc.transaction(() =>
      unc.insert([...actions, restoreDroppedRow({ actions: actions.length, events: events.length }, commit, parentLog)], events),
    );
  } finally {
    unc.close();
  }
  return { commit, restored: actions.length + events.length };
}
