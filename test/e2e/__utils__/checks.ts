// Assertions the e2e tests share: LFS pointers in commits, the LFS objects a commit adds, the rows
// a commit carries, the log as the installed CLI shows it, "no stack trace", and snapshots that
// prove nothing changed (the index, the databases, the state in the git dir).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { listFiles, queryDb, type Run, tempDir } from '../../helpers/repo.ts';
import type { AppRepo } from './packed.ts';

export const LOG_DB = 'databases/codex_log.db';
export const SESSION_DB = 'databases/codex_session_logs.db';
export const DBS = [LOG_DB, SESSION_DB];
/** The .gitattributes pattern of the sealed segments, as the gate and the repair name it. */
export const SEGMENTS = 'databases/codex_log.segments/*.db';

/** The canonical pointer format (GIT-FACTS.md): exactly these three lines. */
export const POINTER = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:([0-9a-f]{64})\nsize (\d+)\n$/;

/** A row as `codexlog-hooks log --json` prints it. */
export interface LogRow {
  id: number | null;
  uid: string;
  session_id: string | null;
  ts: string;
  action: string;
  statement: string | null;
  metadata: string | null;
  pending: boolean;
}

/** Fails with the command's output when it did not exit with `code`. */
export function expectExit(r: Run, code: number, what: string): void {
  assert.is(r.status, code, `${what}: expected exit ${code}, got ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

/** Hooks print short prefixed messages, never a stack trace. */
export function expectNoStack(r: Run, what: string): void {
  const out = `${r.stdout}\n${r.stderr}`;
  assert.not.match(out, /^ {4}at /m, `${what} printed a stack trace:\n${out}`);
}

/** The LFS pointer stored at `rev:file`; fails unless the blob is a canonical pointer. */
export function pointerAt(repo: AppRepo, rev: string, file: string): { oid: string; size: number; text: string } {
  const text = repo.git(['cat-file', '-p', `${rev}:${file}`]);
  const m = POINTER.exec(text);
  assert.ok(m, `${rev}:${file} is not a canonical LFS pointer:\n${text.slice(0, 200)}`);
  return { oid: m?.[1], size: Number(m?.[2]), text };
}

/** Where git-lfs keeps an object in a repository's git dir (or a bare repository). */
export function lfsObjectPath(gitDir: string, oid: string): string {
  return path.join(gitDir, 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid);
}

/** Both databases at `rev` are pointers, and their objects are in the local LFS store. */
export function expectPointers(repo: AppRepo, rev = 'HEAD'): Record<string, string> {
  const oids: Record<string, string> = {};
  for (const db of DBS) {
    const p = pointerAt(repo, rev, db);
    const obj = lfsObjectPath(path.join(repo.dir, '.git'), p.oid);
    assert.ok(existsSync(obj), `the LFS object of ${rev}:${db} is missing (${obj})`);
    assert.is(readFileSync(obj).length, p.size, `${rev}:${db}: object size differs from the pointer's`);
    oids[db] = p.oid;
  }
  return oids;
}

/** Every object in the repository's local LFS store (its oids). */
export function lfsObjects(repo: AppRepo): Set<string> {
  const root = path.join(repo.dir, '.git', 'lfs', 'objects');
  if (!existsSync(root)) return new Set();
  return new Set(
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name),
  );
}

/**
 * A commit whose pre-commit ran (finalize) stores exactly ONE new LFS object, and both databases
 * at `rev` are pointers to it. `before`: the store's objects before the commit. Returns the oid.
 */
export function expectOneNewObject(repo: AppRepo, before: Set<string>, what: string, rev = 'HEAD'): string {
  const oids = expectPointers(repo, rev);
  assert.is(oids[SESSION_DB], oids[LOG_DB], `${what}: both databases at ${rev} should be one LFS object`);
  const added = [...lfsObjects(repo)].filter((o) => !before.has(o));
  assert.equal(added, [oids[LOG_DB]], `${what}: the commit should add exactly one LFS object, ${rev}'s`);
  return oids[LOG_DB];
}

/** sha256 of a work-tree file (what its LFS oid would be). */
export function fileOid(repo: AppRepo, file: string): string {
  return createHash('sha256').update(repo.read(file)).digest('hex');
}

/** Runs `sql` on the log database as committed at `rev` (its LFS object), read-only through a copy. */
async function queryCommitted<T>(repo: AppRepo, rev: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const { oid } = pointerAt(repo, rev, LOG_DB);
  const dir = tempDir('codexlog-e2e-db-');
  const copy = path.join(dir, 'committed.db');
  // A copy: opening a WAL database, even read-only, may leave -wal/-shm files beside it.
  copyFileSync(lfsObjectPath(path.join(repo.dir, '.git'), oid), copy);
  try {
    return await queryDb<T>(copy, sql, params);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The actions of the log database as committed at `rev`, by id. */
export function committedRows(repo: AppRepo, rev = 'HEAD', action?: string): Promise<Array<LogRow & { metadata: string | null }>> {
  const where = action ? ' WHERE action = ?' : '';
  return queryCommitted(
    repo,
    rev,
    `SELECT id, uid, session_id, ts, action, statement, metadata FROM codex_actions${where} ORDER BY id`,
    action ? [action] : [],
  );
}

/** A session event (start / end) as the log's codex_log table holds it. */
export interface EventRow {
  uid: string;
  session_id: string | null;
  event: string | null;
  summary: string | null;
  ts: string | null;
}

/** The session events of the log database as committed at `rev`, in table order. */
export function committedEvents(repo: AppRepo, rev = 'HEAD'): Promise<EventRow[]> {
  return queryCommitted(repo, rev, 'SELECT uid, session_id, event, summary, ts FROM codex_log ORDER BY rowid');
}

/** `codexlog-hooks log --json` through the installed CLI. */
export function logJson(repo: AppRepo, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): LogRow[] {
  const r = repo.hooks(['log', '--json'], options);
  expectExit(r, 0, 'codexlog-hooks log --json');
  return JSON.parse(r.stdout) as LogRow[];
}

/** Parsed metadata of a row (our hook rows always store JSON). */
// biome-ignore lint/suspicious/noExplicitAny: row metadata is free-form JSON; tests read the fields they assert on.
type Meta = Record<string, any>;

export function meta(row: { metadata: string | null }): Meta {
  return JSON.parse(row.metadata ?? 'null') as Meta;
}

/** The full SHA of `rev`. */
export function sha(repo: AppRepo, rev = 'HEAD'): string {
  return repo.git(['rev-parse', rev]).trim();
}

/** The parents of `rev`, in order. */
export function parents(repo: AppRepo, rev = 'HEAD'): string[] {
  const out = repo.git(['log', '-1', '--format=%P', rev]).trim();
  return out ? out.split(' ') : [];
}

/** The `git.commit` row the log shows for commit `commitSha` (fails when absent or doubled). */
export function commitRow(rows: LogRow[], commitSha: string): LogRow {
  const found = rows.filter((r) => r.action === 'git.commit' && meta(r).sha === commitSha);
  assert.is(found.length, 1, `expected one git.commit row for ${commitSha}, found ${found.length}:\n${JSON.stringify(rows, null, 1)}`);
  return found[0];
}

/** Everything that a blocked or skipped commit must leave alone: the index and both databases. */
export interface Snapshot {
  index: Buffer;
  lsFiles: string;
  diffCached: string;
  dbs: Record<string, Buffer | null>;
}

/**
 * Settles the index before an attempt that must leave it byte-identical, so that only our hook
 * could change it. Files written in the same second as the index are racily clean: git would
 * re-read them (the databases through the LFS clean filter, which without git-lfs on PATH fails
 * with git's own message) and rewrite the index before any hook runs. Backdating every tracked
 * file makes the refresh below settle that for good; git also writes the cache-tree extension a
 * commit computes, which write-tree settles.
 */
export function settleIndex(repo: AppRepo): void {
  const past = new Date(Date.now() - 60_000);
  for (const f of repo.git(['ls-files', '-z']).split('\0').filter(Boolean)) {
    if (existsSync(path.join(repo.dir, f))) utimesSync(path.join(repo.dir, f), past, past);
  }
  repo.git(['update-index', '-q', '--refresh']);
  repo.git(['write-tree']);
}

/** Takes a snapshot of the index (bytes, entries, staged diff) and the database files. */
export function snapshot(repo: AppRepo): Snapshot {
  const dbs: Record<string, Buffer | null> = {};
  for (const db of DBS) dbs[db] = existsSync(path.join(repo.dir, db)) ? repo.read(db) : null;
  return {
    index: readFileSync(path.join(repo.dir, '.git', 'index')),
    lsFiles: repo.git(['ls-files', '-s']),
    diffCached: repo.git(['diff', '--cached', '--binary']),
    dbs,
  };
}

/** Fails unless the index and both databases are byte-identical to `before`. */
export function expectUnchanged(repo: AppRepo, before: Snapshot, what: string): void {
  const after = snapshot(repo);
  assert.is(after.lsFiles, before.lsFiles, `${what}: index entries changed`);
  assert.is(after.diffCached, before.diffCached, `${what}: staged changes differ`);
  assert.ok(after.index.equals(before.index), `${what}: .git/index is not byte-identical`);
  for (const db of DBS) {
    const [a, b] = [after.dbs[db], before.dbs[db]];
    assert.ok(a === b || (a !== null && b !== null && a.equals(b)), `${what}: ${db} changed`);
  }
}

/** The folder of this clone's state in the git dir (inbox, uncommitted store, view, install manifest). */
export function stateDir(repo: AppRepo): string {
  return path.join(repo.dir, '.git', 'codexlog');
}

/** The files waiting in the inbox (`.git/codexlog/inbox/`), by name, sorted. */
export function inboxFiles(repo: AppRepo): string[] {
  const dir = path.join(stateDir(repo), 'inbox');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** A post-commit, post-rewrite or post-merge record of bin/codexlog-hook.sh (`g-<hook>-<mktemp's 10 characters>.rec`). */
export const GIT_RECORD = /^g-(post-commit|post-rewrite|post-merge|post-applypatch)-\d+-\d+\.rec$/;

/** Every file of the state folder in the git dir with a hash of its bytes (nothing there: {}). */
export function stateFiles(repo: AppRepo): Record<string, string> {
  const dir = stateDir(repo);
  const state: Record<string, string> = {};
  if (!existsSync(dir)) return state;
  for (const f of listFiles(dir)) {
    state[f] = f.endsWith('/')
      ? '(dir)'
      : createHash('sha256')
          .update(readFileSync(path.join(dir, f)))
          .digest('hex');
  }
  return state;
}

/** The work tree's files (node_modules left out) with a hash of their bytes, plus this clone's git config. */
export function treeState(repo: AppRepo, options: { skip?: RegExp } = {}): Record<string, string> {
  const state: Record<string, string> = {};
  for (const f of listFiles(repo.dir)) {
    if (/(^|\/)node_modules\//.test(f) || options.skip?.test(f)) continue;
    state[f] = f.endsWith('/') ? '(dir)' : createHash('sha256').update(repo.read(f)).digest('hex');
  }
  state['.git/config'] = repo.git(['config', '--local', '--list']);
  return state;
}
