// The one throwaway-repository helper every integration and e2e test uses: a real git repo in the
// OS temp dir with its own identity, no signing, no auto-gc, and no GIT_* variables inherited
// from a surrounding hook (so the suite also runs from inside a git hook).
import { execFileSync, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'uvu';
import { closeCodexLogDb } from '../../src/index.ts';

/** The project root (where package.json and dist/ live). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The CLI's stable entry point (it runs the build; `npm test` builds before the suite). */
export const BIN = path.join(ROOT, 'bin', 'codexlog-hooks.js');

/** process.env without GIT_* and codexlog variables, plus a fixed identity and a home of its own. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      k.startsWith('GIT_') ||
      [
        'GH_COPILOT_WORKSPACE',
        'GH_COPILOT_BACKUP_ROOT',
        'SESSION_ID_SOURCE',
        'TEST_MODE',
        'ALLOW_AUTOLFS',
        'CODEXLOG_HOOKS',
        'HUSKY',
        'DEBUG',
      ].includes(k)
    )
      continue;
    env[k] = v;
  }
  return {
    ...env,
    GIT_AUTHOR_NAME: 'Test Agent',
    GIT_AUTHOR_EMAIL: 'agent@example.test',
    GIT_COMMITTER_NAME: 'Test Agent',
    GIT_COMMITTER_EMAIL: 'agent@example.test',
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  };
}

/** A temp folder, resolved through symlinks (macOS /var vs /private/var). */
export function tempDir(prefix = 'codexlog-test-'): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Every file and folder under `dir` (relative, sorted, folders ending in /), skipping `.git`. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (rel === '' && e.name === '.git') continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push(`${p}/`);
        walk(p);
      } else {
        out.push(p);
      }
    }
  };
  walk('');
  return out.sort();
}

/** Result of a command run in the repo. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, if one did. */
  signal?: NodeJS.Signals | null;
}

function asRun(r: SpawnSyncReturns<string>): Run {
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', signal: r.signal };
}

/** A throwaway repository. */
export interface TestRepo {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** git with args; throws on failure unless `allowFail`. Returns stdout. */
  git(args: string[], options?: { allowFail?: boolean; env?: NodeJS.ProcessEnv; input?: string }): string;
  /** Any command, never throws. */
  run(cmd: string, args: string[], options?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string }): Run;
  /** The CLI through its stable entry point (node bin/codexlog-hooks.js). */
  cli(args: string[], options?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string }): Run;
  write(file: string, content: string | Buffer): void;
  read(file: string): Buffer;
  cleanup(): void;
}

/** Options of a throwaway repository. */
export interface RepoOptions {
  /** A bare repository (no identity config). */
  bare?: boolean;
  /** A clone of this URL instead of `git init`. */
  clone?: string;
  /** A HOME to share (kept at cleanup); by default one of its own, removed at cleanup. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the repository goes (an empty or missing folder); by default a new temp folder. */
  dir?: string;
}

/**
 * Creates a repo (or, with `bare`, a bare one; with `clone`, a clone of that URL) with a HOME of
 * its own so global git config and ~/.config/husky never leak in. Tests get theirs from
 * `throwawayRepos`, which removes them; this is for helpers that manage the lifetime themselves.
 */
export function makeRepo(options: RepoOptions = {}): TestRepo {
  const dir = options.dir ?? tempDir();
  const home = options.home ?? tempDir('codexlog-home-');
  const cleanup = () => {
    rmSync(dir, { recursive: true, force: true });
    if (!options.home) rmSync(home, { recursive: true, force: true });
  };
  const env = cleanEnv({ HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), ...options.env });
  const git = (args: string[], o: { allowFail?: boolean; env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}) => {
    const r = spawnSync('git', args, { cwd: o.cwd ?? dir, env: { ...env, ...o.env }, encoding: 'utf8', input: o.input });
    if (r.status !== 0 && !o.allowFail) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  };
  try {
    if (options.clone) {
      git(['clone', '--quiet', options.clone, dir], { cwd: path.dirname(dir) });
    } else {
      git(['init', '--quiet', '--initial-branch=main', ...(options.bare ? ['--bare'] : [])]);
    }
    if (!options.bare) {
      for (const [k, v] of [
        ['user.name', 'Test Agent'],
        ['user.email', 'agent@example.test'],
        ['commit.gpgSign', 'false'],
        ['gc.auto', '0'],
        ['core.autocrlf', 'false'],
      ]) {
        git(['config', k, v]);
      }
    }
  } catch (e) {
    cleanup(); // nobody gets the repository to remove it later
    throw e;
  }
  return {
    dir,
    env,
    git,
    run(cmd, args, o = {}) {
      return asRun(
        spawnSync(cmd, args, { cwd: o.cwd ?? dir, env: { ...env, ...o.env }, encoding: 'utf8', input: o.input, maxBuffer: 1 << 30 }),
      );
    },
    cli(args, o = {}) {
      return asRun(
        spawnSync(process.execPath, [BIN, ...args], {
          cwd: o.cwd ?? dir,
          env: { ...env, ...o.env },
          encoding: 'utf8',
          input: o.input,
          maxBuffer: 1 << 30,
        }),
      );
    },
    write(file, content) {
      const p = path.join(dir, file);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
    },
    read(file) {
      return readFileSync(path.join(dir, file));
    },
    cleanup,
  };
}

/** Runs sqlite queries on a file with a fresh better-sqlite3 connection (read-only). */
export async function queryDb<T = Record<string, unknown>>(file: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const { default: Database } = await import('better-sqlite3');
  // query_only rather than readonly: a readonly connection to a WAL database leaves -wal and -shm
  // files behind in the work tree; this one, closing last, removes them.
  const db = new Database(file, { fileMustExist: true });
  db.pragma('query_only = ON');
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Writes a database exactly as the seed's Python module does (no uid, no user_version). */
export async function makeSeedDb(
  file: string,
  rows: Array<[string | null, string | null, string | null, string | null, string | null]>,
  options: { withEventsTable?: boolean } = {},
): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.exec(
    'CREATE TABLE IF NOT EXISTS codex_actions (id INTEGER PRIMARY KEY, session_id TEXT, ts TEXT, action TEXT, statement TEXT, metadata TEXT)',
  );
  if (options.withEventsTable) db.exec('CREATE TABLE IF NOT EXISTS codex_log (session_id TEXT, event TEXT, summary TEXT, ts TEXT)');
  const ins = db.prepare('INSERT INTO codex_actions (session_id, ts, action, statement, metadata) VALUES (?, ?, ?, ?, ?)');
  for (const r of rows) ins.run(...r);
  db.close();
}

/** Whether git-lfs is available on this machine (tests that need it assert it is). */
export function hasGitLfs(): boolean {
  try {
    execFileSync('git', ['lfs', 'version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What a test file makes its repositories and temp folders with (see `throwawayRepos`). */
export interface ThrowawayRepos {
  /** A new repository (see `makeRepo`), removed with its HOME at cleanup. */
  repo(options?: RepoOptions): TestRepo;
  /** A new empty temp folder (resolved through symlinks), removed at cleanup. */
  dir(prefix?: string): string;
  /** Any other cleanup, run at cleanup in the order given. */
  later(fn: () => void): void;
}

/**
 * Throwaway repositories and temp folders for one test file, the one way tests get them. After
 * each test (or, with `per: 'file'`, once after the file's last test, for a repository its tests
 * share) the API's cached connections close and everything made is removed, whether the test
 * passed or not.
 */
export function throwawayRepos(t: Test, options: { per?: 'test' | 'file' } = {}): ThrowawayRepos {
  const cleanups: Array<() => void> = [];
  const cleanup = () => {
    closeCodexLogDb();
    let failure: unknown;
    for (const c of cleanups.splice(0)) {
      try {
        c();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) throw failure;
  };
  if (options.per === 'file') t.after(cleanup);
  else t.after.each(cleanup);
  return {
    repo(o = {}) {
      const r = makeRepo(o);
      cleanups.push(() => r.cleanup());
      return r;
    },
    dir(prefix) {
      const d = tempDir(prefix);
      cleanups.push(() => rmSync(d, { recursive: true, force: true }));
      return d;
    },
    later(fn) {
      cleanups.push(fn);
    },
  };
}
