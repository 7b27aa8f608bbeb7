// The merge driver: a union of log rows by uid, so merges and rebases of the log never conflict.
// The three versions arrive as LFS pointers; their objects are read straight from the local LFS
// store (git lfs smudge only when an object has to be fetched), merged in SQLite, and the result
// stored back as an LFS object, its pointer written for git. When one side's rows are a subset of
// the other's, that side is taken as it is and no file is built.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CodexlogError, RefusedFileError } from './errors.js';
import type { GitContext } from './git/exec.js';
import { lfsSmudge } from './git/lfs.js';
import { lfsObjectPath, lfsScratch, pointerFor, storeLfsObject } from './git/lfs-objects.js';
import { parsePointer } from './git/pointer.js';
import { messages } from './messages.js';
import { migrate } from './store/schema.js';
import { BUSY_TIMEOUT_MS, type Database, guard, loadSqlite } from './store/sqlite.js';
import { actionsSelect, attachLog, detachLog, eventsSelect, type LogShape, registerLegacyUid } from './store/untrusted.js';

type Side = 'base' | 'ours' | 'theirs';

/** One of git's three versions, as a database file on disk (or nothing: added on both sides). */
interface Version {
  file: string | null;
  /** The LFS oid when git handed a pointer. */
  oid: string | null;
}

/** What the driver decided. */
export interface MergeOutcome {
  /** Rows (actions and events) taken from theirs. */
  added: number;
  /** ours: kept as it was; theirs: taken as it was; union: a new file. */
  took: 'ours' | 'theirs' | 'union';
}

/** Where the driver works: the repository's LFS storage, and git to fetch missing objects. */
export interface MergeContext {
  git: GitContext;
  lfsStorage: string;
  /** A scratch folder, removed afterwards. */
  tmp?: string;
}

async function materialize(ctx: MergeContext, file: string, repoPath: string, side: Side, dir: string): Promise<Version> {
  const bytes = readFileSync(file);
  if (bytes.length === 0) return { file: null, oid: null };
  const pointer = parsePointer(bytes);
  if (!pointer) return { file, oid: null };
  const local = lfsObjectPath(ctx.lfsStorage, pointer.oid);
  const out = path.join(dir, `${side}.db`);
  if (existsSync(local)) {
    // A copy: SQLite opens attached files read-write, and an LFS object must never change.
    copyFileSync(local, out);
    return { file: out, oid: pointer.oid };
  }
  // Not here yet: git lfs smudge fetches it. GIT_LFS_SKIP_SMUDGE (set by CI jobs) must not turn
  // that into a pointer handed back, so it is off for this one call.
  const smudged = await lfsSmudge({ cwd: ctx.git.cwd, env: { ...ctx.git.env, GIT_LFS_SKIP_SMUDGE: '0' } }, repoPath, bytes);
  if (!smudged || parsePointer(smudged)) throw new CodexlogError(messages.mergeMissingObject(repoPath, side));
  writeFileSync(out, smudged);
  return { file: out, oid: pointer.oid };
}

function attachSide(db: Database, v: Version, side: Side, repoPath: string): LogShape | null {
  if (!v.file) return null;
  try {
    return attachLog(db, v.file, side, { integrity: true });
  } catch (e) {
    if (e instanceof RefusedFileError) {
      throw new CodexlogError(messages.mergeRefused(repoPath, side, e.reason), { cause: e });
    }
    throw e;
  }
}

/** Rows (by uid) of `a` missing from `b`; with `b` absent, all of them. */
function missingCount(db: Database, a: { alias: string; shape: LogShape }, b: { alias: string; shape: LogShape } | null): number {
  const count = (sel: string, other: string | null) =>
    db
      .prepare(`SELECT count(*) FROM (${sel}) WHERE ${other ? `uid NOT IN (SELECT uid FROM (${other}))` : '1'}`)
      .pluck()
      .get() as number;
  let n = count(actionsSelect(a.alias, a.shape), b ? actionsSelect(b.alias, b.shape) : null);
  const ev = eventsSelect(a.alias, a.shape);
  if (ev) n += count(ev, b ? eventsSelect(b.alias, b.shape) : null);
  return n;
}

/**
 * Merges the three versions git hands a driver (%O %A %B). On success `ours` holds the result (as
 * an LFS pointer when the inputs were pointers); on any failure it is left untouched, so git
 * reports the conflict.
 */
export async function mergeLogFiles(
  ctx: MergeContext,
  files: { base: string; ours: string; theirs: string },
  repoPath: string,
): Promise<MergeOutcome> {
  const dir = ctx.tmp ?? lfsScratch(ctx.lfsStorage, 'merge');
  try {
    const ours = await materialize(ctx, files.ours, repoPath, 'ours', dir);
    const theirs = await materialize(ctx, files.theirs, repoPath, 'theirs', dir);
    if (ours.oid && ours.oid === theirs.oid) return { added: 0, took: 'ours' };
    const base = await materialize(ctx, files.base, repoPath, 'base', dir);
    const mergedFile = path.join(dir, 'merged.db');
    const db = new (loadSqlite())(mergedFile, { timeout: BUSY_TIMEOUT_MS });
    let outcome: MergeOutcome;
    try {
      // main. only: an unqualified journal_mode would also switch the files attached below.
      db.pragma('main.journal_mode = DELETE');
      db.pragma('trusted_schema = OFF');
      registerLegacyUid(db);
      // The schema first, before any file is attached.
      migrate(db, mergedFile);
      // The base is checked too: a hostile or broken base is as much a reason to stop as a side.
      if (attachSide(db, base, 'base', repoPath)) detachLog(db, 'base');
      const o = attachSide(db, ours, 'ours', repoPath);
      const t = attachSide(db, theirs, 'theirs', repoPath);
      const os_ = o ? { alias: 'ours', shape: o } : null;
      const ts_ = t ? { alias: 'theirs', shape: t } : null;
      const fromTheirs = ts_ ? missingCount(db, ts_, os_) : 0;
      if (fromTheirs === 0) {
        outcome = { added: 0, took: 'ours' };
      } else if (os_ && missingCount(db, os_, ts_) === 0) {
        outcome = { added: fromTheirs, took: 'theirs' };
      } else {
        guard(mergedFile, () =>
          db.transaction(() => {
            // Our rows keep their ids; theirs get new ones (their ids may collide with ours).
            if (os_)
              db.prepare(
                `INSERT INTO main.codex_actions (id, uid, session_id, ts, action, statement, metadata) SELECT * FROM (${actionsSelect('ours', o as LogShape)}) ORDER BY id`,
              ).run();
            if (ts_) {
              db.prepare(
                `INSERT INTO main.codex_actions (uid, session_id, ts, action, statement, metadata)
                 SELECT uid, session_id, ts, action, statement, metadata FROM (${actionsSelect('theirs', t as LogShape)})
                 WHERE uid NOT IN (SELECT uid FROM main.codex_actions) ORDER BY id`,
              ).run();
            }
            for (const side of [os_, ts_]) {
              const ev = side ? eventsSelect(side.alias, side.shape) : null;
              if (ev) db.prepare(`INSERT OR IGNORE INTO main.codex_log (uid, session_id, event, summary, ts) SELECT * FROM (${ev})`).run();
            }
          })(),
        );
        outcome = { added: fromTheirs, took: 'union' };
      }
      for (const side of ['ours', 'theirs'] as const) if ((side === 'ours' ? o : t) !== null) detachLog(db, side);
    } finally {
      db.close();
    }
    if (outcome.took === 'ours') return outcome;
    const wasPointer = ours.oid !== null || theirs.oid !== null;
    if (outcome.took === 'theirs') {
      writeFileSync(files.ours, readFileSync(files.theirs));
      return outcome;
    }
    writeFileSync(files.ours, wasPointer ? pointerFor(storeLfsObject(ctx.lfsStorage, mergedFile)) : readFileSync(mergedFile));
    return outcome;
  } finally {
    if (!ctx.tmp) rmSync(dir, { recursive: true, force: true });
  }
}

/** How long a cached merge result is kept (the session copy merges right after the log). */
const CACHE_MS = 24 * 60 * 60 * 1000;

/**
 * Remembers the result of merging three pointers (`<O>-<A>-<B>` → the pointer written to %A), so
 * that bin's merge-driver script answers the session copy's identical merge without node. Old
 * entries are dropped as it goes.
 */
export function rememberMerge(cacheDir: string, pointers: { base: Buffer; ours: Buffer; theirs: Buffer }, result: Buffer): void {
  const [o, a, b] = [pointers.base, pointers.ours, pointers.theirs].map((p) => parsePointer(p)?.oid);
  if (!o || !a || !b || !parsePointer(result)) return;
  mkdirSync(cacheDir, { recursive: true });
  const now = Date.now();
  for (const name of readdirSync(cacheDir)) {
    try {
      if (now - statSync(path.join(cacheDir, name)).mtimeMs > CACHE_MS) rmSync(path.join(cacheDir, name), { force: true });
    } catch {
      // another merge removed it
    }
  }
  const file = path.join(cacheDir, `${o}-${a}-${b}`);
  writeFileSync(`${file}.tmp`, result);
  renameSync(`${file}.tmp`, file);
}
