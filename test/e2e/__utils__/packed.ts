// The package under test, exactly as a user gets it: the `npm pack` tarball, installed with
// `npm install -D` into a fresh project. better-sqlite3 compiles from source on this machine
// (~75 s), so the real install runs once; every test then copies that project's node_modules,
// package.json and package-lock.json into a fresh repository (a copy takes ~50 ms).
//
// The installed project is cached in os.tmpdir() under a folder named by the tarball's hash (and
// Node's ABI), so every test file of a run, and a later run or process with the same tarball,
// shares it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanEnv, makeRepo, ROOT, type Run, type TestRepo, type ThrowawayRepos, tempDir } from '../../helpers/repo.ts';

/** The packed tarball and the project installed from it. */
export interface Packed {
  tarball: string;
  hash: string;
  /** A folder holding the installed project's node_modules, package.json and package-lock.json. */
  template: string;
}

const CACHE_PREFIX = 'codexlog-e2e-';
// Outside the test run's own TMPDIR (scripts/test.mjs), so later runs reuse it.
const CACHE_ROOT = process.env.CODEXLOG_E2E_CACHE ?? os.tmpdir();
// Templates nobody used for this long are removed: each is ~35 MB, and every source change makes one.
const STALE_MS = 6 * 60 * 60 * 1000;

/** The environment for npm: the user's HOME (npm's cache), no GIT_*, no npm_* of a surrounding `npm run`. */
export function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = cleanEnv({ HOME: os.homedir(), ...extra });
  for (const k of Object.keys(env)) if (k.toLowerCase().startsWith('npm_')) delete env[k];
  return env;
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Run {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

function must(r: Run, what: string): Run {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** cp -a: keeps node_modules/.bin's relative symlinks relative (fs.cpSync would make them absolute). */
function copyInto(dest: string, sources: string[]): void {
  mkdirSync(dest, { recursive: true });
  must(sh('cp', ['-a', ...sources, dest + path.sep], dest, process.env), `cp -a ${sources.join(' ')} ${dest}`);
}

/** `npm install -D <tarball>` in `dir`, as a user would (the slow step: it compiles better-sqlite3). */
export function npmInstallTarball(dir: string, tarball: string): Run {
  return must(sh('npm', ['install', '-D', tarball], dir, npmEnv()), `npm install -D ${tarball} in ${dir}`);
}

let packedOnce: Packed | undefined;

/** Blocks the thread for `ms` (no event loop needed: packing is synchronous). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding this checkout's pack lock: `npm pack` runs `prepack`, which deletes and rebuilds
 * dist/, so two test processes of one checkout must not pack at the same time. The lock is a folder
 * beside the cache holding its owner's pid; a lock whose owner is gone is taken over.
 */
function withPackLock<T>(fn: () => T): T {
  const lock = path.join(CACHE_ROOT, `codexlog-e2e-pack-${createHash('sha256').update(ROOT).digest('hex').slice(0, 16)}.lock`);
  const owner = path.join(lock, 'pid');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(owner, `${process.pid}\n`);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let pid = 0;
    try {
      pid = Number(readFileSync(owner, 'utf8').trim());
    } catch {
      // being created (or removed) right now
    }
    let age = 0;
    try {
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue; // released: try again at once
    }
    if ((pid > 0 && !processAlive(pid)) || (pid === 0 && age > 60_000)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${lock} is held by process ${pid} for more than 15 minutes`);
    sleepSync(500);
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
let freshFromThisProcess: TestRepo | undefined;

function evictStale(keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(CACHE_ROOT)) {
    if (!/^codexlog-e2e-[0-9a-f]{16}$/.test(name)) continue;
    const dir = path.join(CACHE_ROOT, name);
    if (dir === keep) continue;
    try {
      if (now - statSync(dir).mtimeMs > STALE_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another process removed or is replacing it
    }
  }
}

/**
 * Packs this checkout (once per process, one process at a time; `npm pack` runs the `prepack` build) and returns the
 * installed template for that tarball, building it on the first use of a new tarball.
 */
export function packed(): Packed {
  if (packedOnce) return packedOnce;
  const packDir = tempDir('codexlog-pack-');
  process.on('exit', () => rmSync(packDir, { recursive: true, force: true }));
  withPackLock(() => must(sh('npm', ['pack', '--pack-destination', packDir], ROOT, npmEnv()), 'npm pack'));
  const name = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (!name) throw new Error(`npm pack wrote no tarball into ${packDir}`);
  const tarball = path.join(packDir, name);
  const hash = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  // The template holds a compiled better-sqlite3: a Node with another ABI needs its own.
  const key = createHash('sha256').update(`${hash}\0${process.versions.modules}\0${process.platform}-${process.arch}`).digest('hex');
  const cache = path.join(CACHE_ROOT, `${CACHE_PREFIX}${key.slice(0, 16)}`);
  const template = path.join(cache, 'template');
  if (!existsSync(path.join(cache, 'ready'))) {
    // The real user path: a fresh repository, a package.json, `npm install -D <tarball>`.
    const fresh = makeRepo();
    writeFileSync(
      path.join(fresh.dir, 'package.json'),
      `${JSON.stringify({ name: 'e2e-app', version: '1.0.0', private: true }, null, 2)}\n`,
    );
    try {
      npmInstallTarball(fresh.dir, tarball);
    } catch (e) {
      fresh.cleanup();
      throw e;
    }
    // Built aside, then renamed into place: a concurrent process sees all of it or none.
    const staging = tempDir('codexlog-e2e-staging-');
    copyInto(
      path.join(staging, 'template'),
      ['node_modules', 'package.json', 'package-lock.json'].map((f) => path.join(fresh.dir, f)),
    );
    writeFileSync(path.join(staging, 'ready'), `${tarball}\n`);
    try {
      renameSync(staging, cache);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process got there first
    }
    freshFromThisProcess = fresh;
    // Removed at exit unless a test took it over (and cleans it up itself).
    process.on('exit', () => freshFromThisProcess?.cleanup());
  }
  const now = new Date();
  utimesSync(cache, now, now);
  evictStale(cache);
  packedOnce = { tarball, hash, template };
  return packedOnce;
}

/**
 * A fresh repository in which `npm install -D <tarball>` really ran, removed by `repos`. It is the
 * one the template was built from when this process built it; otherwise a new install (so every
 * run proves the real user path once).
 */
export function freshInstallRepo(repos: ThrowawayRepos): TestRepo {
  const { tarball } = packed();
  if (freshFromThisProcess) {
    const repo = freshFromThisProcess;
    freshFromThisProcess = undefined;
    repos.later(() => repo.cleanup());
    return repo;
  }
  const repo = repos.repo();
  writeFileSync(path.join(repo.dir, 'package.json'), `${JSON.stringify({ name: 'e2e-app', version: '1.0.0', private: true }, null, 2)}\n`);
  npmInstallTarball(repo.dir, tarball);
  return repo;
}

/** A repository with the packed package installed, as most tests want it. */
export interface AppRepo extends TestRepo {
  /** The folder holding package.json and node_modules (the top level, or a monorepo package). */
  pkgDir: string;
  /** The installed CLI, `node node_modules/.bin/codexlog-hooks` (cwd: the top level unless given). */
  hooks(args: string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string }): Run;
  /** `git <args>` without throwing (for commits, merges and friends whose exit code matters). */
  tryGit(args: string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string }): Run;
}

/** Adds `hooks` and `tryGit` to a repository (one of a test's `throwawayRepos`) whose package lives in `pkgDir`. */
export function asApp(repo: TestRepo, pkgDir = repo.dir): AppRepo {
  const bin = path.join(pkgDir, 'node_modules', '.bin', 'codexlog-hooks');
  return Object.assign(repo, {
    pkgDir,
    hooks: (args: string[], o: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) => repo.run(process.execPath, [bin, ...args], o),
    tryGit: (args: string[], o: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}) => repo.run('git', args, o),
  });
}

/** Copies the template project (node_modules, package.json, package-lock.json, or just `files`) into `dir`. */
export function copyTemplate(dir: string, files = ['node_modules', 'package.json', 'package-lock.json']): void {
  const { template } = packed();
  copyInto(
    dir,
    files.map((f) => path.join(template, f)),
  );
}

/**
 * A fresh repository of `repos` (which removes it) with the template project copied in (at the top
 * level, or in `pkg`), a .gitignore holding node_modules/, and, unless `install` is false,
 * `codexlog-hooks install` run in the package folder. `before` runs before the install (to put
 * user files in place).
 */
export function appRepo(
  repos: ThrowawayRepos,
  options: { env?: NodeJS.ProcessEnv; pkg?: string; install?: boolean; installArgs?: string[]; before?: (repo: AppRepo) => void } = {},
): AppRepo {
  const repo = repos.repo({ env: options.env });
  const app = asApp(repo, path.join(repo.dir, options.pkg ?? ''));
  copyTemplate(app.pkgDir);
  app.write('.gitignore', 'node_modules/\n');
  options.before?.(app);
  if (options.install !== false) {
    const r = app.hooks(['install', ...(options.installArgs ?? [])], { cwd: app.pkgDir });
    if (r.status !== 0) throw new Error(`codexlog-hooks install failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return app;
}
