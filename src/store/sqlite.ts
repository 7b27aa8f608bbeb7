// Opening SQLite safely: the driver loaded only when needed, files checked before SQLite touches
// them, and SqliteError codes turned into our own errors.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { CodexlogError, RefusedFileError } from '../errors.js';
import { looksLikePointer } from '../git/pointer.js';
import { messages } from '../messages.js';

/** A better-sqlite3 connection. */
export type Database = BetterSqlite3.Database;
/** A prepared statement. */
export type Statement = BetterSqlite3.Statement;

/** How long a writer waits for another one before giving up. */
export const BUSY_TIMEOUT_MS = 15_000;

// better-sqlite3 is a native module: load it only on paths that open a database.
let sqlite: typeof BetterSqlite3 | undefined;
/**
 * The better-sqlite3 constructor, loaded on first use. Its native addon is loaded from the
 * package's build folder directly (the `bindings` lookup it does by default probes a dozen paths:
 * ~2 ms on every commit); where it is elsewhere (a custom build), the default lookup runs.
 */
export function loadSqlite(): typeof BetterSqlite3 {
  if (sqlite) return sqlite;
  const req = createRequire(import.meta.url);
  const Base = req('better-sqlite3') as typeof BetterSqlite3;
  let addon: unknown;
  try {
    addon = req(path.join(path.dirname(req.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node'));
  } catch {
    sqlite = Base;
    return sqlite;
  }
  const WithAddon = function (this: unknown, file?: string | Buffer, options?: BetterSqlite3.Options) {
    return new Base(file, { nativeBinding: addon as string, ...options });
  } as unknown as typeof BetterSqlite3;
  WithAddon.prototype = Base.prototype;
  sqlite = WithAddon;
  return sqlite;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether a file's first bytes are SQLite's header magic. */
export function looksLikeSqlite(head: Buffer): boolean {
  return head.length >= SQLITE_MAGIC.length && head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC);
}

/** What a file at the database path turned out to be, before SQLite is let near it. */
export type FileKind = 'missing' | 'empty' | 'sqlite';

/** Classifies `file` by its first bytes; throws RefusedFileError for a pointer or a non-database. */
export function inspectDatabaseFile(file: string): FileKind {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new CodexlogError(messages.sqliteFailed(file, (e as NodeJS.ErrnoException).code ?? 'EIO', (e as Error).message), { cause: e });
  }
  try {
    const head = Buffer.alloc(100);
    const n = readSync(fd, head, 0, 100, 0);
    if (n === 0) return 'empty';
    if (looksLikePointer(head.subarray(0, n))) throw new RefusedFileError(file, messages.lfsPointer(file), undefined, 'a Git LFS pointer');
    if (!looksLikeSqlite(head.subarray(0, n)))
      throw new RefusedFileError(file, messages.notADatabase(file), undefined, 'not an SQLite database');
    return 'sqlite';
  } finally {
    closeSync(fd);
  }
}

/** Turns an SqliteError into our error for `file`; anything else passes through. */
export function translateSqliteError(file: string, e: unknown): unknown {
  const code = (e as { code?: string })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  if (code === 'SQLITE_NOTADB') return new RefusedFileError(file, messages.notADatabase(file), e, 'not an SQLite database');
  if (code.startsWith('SQLITE_CORRUPT'))
    return new RefusedFileError(file, messages.corrupt(file, (e as Error).message), e, (e as Error).message);
  if (code.startsWith('SQLITE_BUSY')) return new CodexlogError(messages.busy(file, BUSY_TIMEOUT_MS), { cause: e });
  return new CodexlogError(messages.sqliteFailed(file, code, (e as Error).message), { cause: e });
}

/** Runs `fn`, translating SQLite's errors into ours for `file`. */
export function guard<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw translateSqliteError(file, e);
  }
}

/**
 * The column names of `table` in the main database (none when it does not exist). Always main:
 * an unqualified name would find a table of an attached file, and the migration would rewrite it.
 */
export function tableColumns(db: Database, table: string): string[] {
  return (db.pragma(`main.table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

/** The identity of the file at a path (device and inode), to notice that git replaced it. */
export function fileIdentity(file: string): string {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return 'missing';
  }
}
