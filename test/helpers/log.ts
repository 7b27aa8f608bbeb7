// Helpers about where the log's rows are (issue #6): the inbox and uncommitted store in the git dir,
// the tracked databases finalize writes, and the LFS pointers it stages for them.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import type { FinalizeResult } from '../../src/finalize.ts';
import { hashFile, lfsObjectPath } from '../../src/git/lfs-objects.ts';
import { parsePointer } from '../../src/git/pointer.ts';
import type { LogEntry } from '../../src/store/view.ts';
import { listFiles, queryDb, type TestRepo } from './repo.ts';

export const LOG = 'databases/codex_log.db';
export const SESSION = 'databases/codex_session_logs.db';

/** This clone's state folder (`<git dir>/codexlog`), where rows wait between commits. */
export function stateDir(r: TestRepo): string {
  return path.join(r.dir, '.git', 'codexlog');
}

/** The files of the inbox, sorted (empty when it does not exist). */
export function inboxFiles(r: TestRepo): string[] {
  const dir = path.join(stateDir(r), 'inbox');
  return existsSync(dir) ? listFiles(dir) : [];
}

/** The rows waiting in the uncommitted store (ingested, not yet finalized), in ingest order. */
export async function uncommittedRows(r: TestRepo): Promise<Array<{ uid: string; action: string; statement: string }>> {
  const file = path.join(stateDir(r), 'uncommitted.db');
  if (!existsSync(file)) return [];
  return queryDb(file, 'SELECT uid, action, statement FROM actions ORDER BY seq');
}

/** `log --json` through the CLI (fails the test on a non-zero exit or any stderr). */
export function logJson(r: TestRepo, args: string[] = [], env: NodeJS.ProcessEnv = {}): LogEntry[] {
  const out = r.cli(['log', '--json', ...args], { env });
  assert.equal([out.status, out.stderr], [0, ''], `log --json ${args.join(' ')}`);
  return JSON.parse(out.stdout) as LogEntry[];
}

/** What a FinalizeResult says, without its retire() callback. */
export function facts(res: FinalizeResult | null): Omit<FinalizeResult, 'retire'> | null {
  if (!res) return null;
  const { retire: _retire, ...rest } = res;
  return rest;
}

/** The blob staged for `file` (in the index of `env`'s GIT_INDEX_FILE, else the real one). */
export function stagedBlob(r: TestRepo, file: string, env: NodeJS.ProcessEnv = {}): Buffer {
  return execFileSync('git', ['cat-file', 'blob', `:${file}`], { cwd: r.dir, env: { ...r.env, ...env } });
}

/**
 * Each file is staged as the canonical LFS pointer of its bytes in the work tree, and that object
 * is in the clone's LFS store, byte for byte. Returns the oid of each.
 */
export function expectStagedPointers(r: TestRepo, files: string[], env: NodeJS.ProcessEnv = {}): string[] {
  return files.map((file) => {
    const pointer = parsePointer(stagedBlob(r, file, env));
    assert.ok(pointer, `${file} is staged as an LFS pointer`);
    assert.equal(pointer, hashFile(path.join(r.dir, file)), `${file}: the pointer names the file's bytes`);
    const object = lfsObjectPath(path.join(r.dir, '.git', 'lfs'), pointer.oid);
    assert.ok(readFileSync(object).equals(r.read(file)), `${file}: its LFS object is stored`);
    return pointer.oid;
  });
}

/**
 * The work tree is clean, and not only as far as `git status` looks (finalize records the stat data
 * of the databases in the index, so status does not re-read them): where they exist, the log and
 * its session copy are byte for byte the same, and each is what the LFS pointer staged for it names.
 */
export function expectCleanTree(r: TestRepo, what = 'work tree clean'): void {
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '', what);
  expectDatabasesStaged(r, what);
}

/** Where they exist: the log and the session copy have the same bytes, each named by the pointer staged for it. */
export function expectDatabasesStaged(r: TestRepo, what = 'databases'): void {
  const sha = (file: string) =>
    createHash('sha256')
      .update(readFileSync(path.join(r.dir, file)))
      .digest('hex');
  const present = [LOG, SESSION].filter((f) => existsSync(path.join(r.dir, f)));
  if (present.length === 2) assert.is(sha(SESSION), sha(LOG), `${what}: the session copy is the log, byte for byte`);
  for (const file of present) {
    const staged = spawnSync('git', ['cat-file', 'blob', `:${file}`], { cwd: r.dir, env: r.env, encoding: 'utf8' });
    if (staged.status !== 0) continue; // not in the index (yet)
    const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(staged.stdout)?.[1];
    assert.ok(oid, `${what}: ${file} is staged as an LFS pointer:\n${staged.stdout}`);
    assert.is(sha(file), oid, `${what}: ${file} holds what its staged pointer names`);
  }
}
