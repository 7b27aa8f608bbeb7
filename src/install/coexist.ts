// The hooks a clone runs before install (its own hooks folder, a team's core.hooksPath, a global
// one, husky's): install chains every one of them, so none goes quiet.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodexlogError } from '../errors.js';
import { execGit, type GitContext } from '../git/exec.js';
import type { RepoPaths } from '../git/repo.js';
import { messages } from '../messages.js';
import { HOOK_NAMES } from './dispatcher.js';

/** The hook setup a clone had, as install found it. */
export interface HookSetup {
  /** core.hooksPath in this clone's own config (what uninstall restores); null when unset. */
  localHooksPath: string | null;
  /** The folder git ran hooks from: absolute, or relative to the top level. */
  chain: string[];
  /** The team's husky folder (relative to the top level) when the clone ran its hooks through husky. */
  huskyFiles: string | null;
  /** Every hook that ran: name and file, for install's report. */
  found: Array<{ name: string; file: string }>;
}

async function configAt(git: GitContext, scope: '--local' | '--global' | '--system', key: string): Promise<string | null> {
  const r = await execGit(git, ['config', scope, '--get', key], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() || null : null;
}

/** git's own expansion of core.hooksPath: `~/` is the home folder. */
export function expandHooksPath(value: string, home: string): string {
  return value === '~' ? home : value.startsWith('~/') ? path.join(home, value.slice(2)) : value;
}

/** Whether `dir` is husky 9's stub folder (`<folder>/_`, holding its `h` runner). */
export function isHuskyStubDir(dir: string): boolean {
  return path.basename(dir) === '_' && existsSync(path.join(dir, 'h'));
}

/** Executable, non-sample files of a hooks folder (a hook git would run), by name. */
export function runnableHooks(dir: string): Array<{ name: string; file: string; runnable: boolean }> {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Array<{ name: string; file: string; runnable: boolean }> = [];
  for (const name of names.sort()) {
    if (name.endsWith('.sample') || name.startsWith('.')) continue;
    const file = path.join(dir, name);
    try {
      const st = statSync(file);
      if (!st.isFile()) continue;
      out.push({ name, file, runnable: (st.mode & 0o111) !== 0 });
    } catch {
      // a dangling link: nothing git could run
    }
  }
  return out;
}

/**
 * Finds the hooks the clone runs today. `ours` is the core.hooksPath install sets (a setup that is
 * already ours is read from the manifest instead). Throws, naming the hook and the fix, when a
 * hook runs today that the dispatcher cannot run.
 */
export async function findHookSetup(git: GitContext, repo: RepoPaths, ours: string, pkgRel: string): Promise<HookSetup> {
  const local = await configAt(git, '--local', 'core.hooksPath');
  const inherited = (await configAt(git, '--global', 'core.hooksPath')) ?? (await configAt(git, '--system', 'core.hooksPath'));
  const effective = local && local !== ours ? local : local === ours ? null : inherited;
  const home = git.env.HOME ?? os.homedir();
  let chain: string[] = [];
  let huskyFiles: string | null = null;
  if (effective) {
    const expanded = expandHooksPath(effective, home);
    const abs = path.resolve(repo.topLevel, expanded);
    if (isHuskyStubDir(abs)) {
      huskyFiles = path.relative(repo.topLevel, path.dirname(abs)).split(path.sep).join('/');
    } else {
      // Relative paths stay relative: git resolves them in each worktree's top level.
      chain = [path.isAbsolute(expanded) ? expanded : expanded.replace(/\/+$/, '')];
    }
  } else {
    chain = [path.join(repo.commonDir, 'hooks')];
  }
  if (!huskyFiles) {
    const pkgHusky = path.join(repo.topLevel, pkgRel, '.husky');
    if (existsSync(pkgHusky)) huskyFiles = path.relative(repo.topLevel, pkgHusky).split(path.sep).join('/') || '.husky';
  }
  for (const dir of chain) {
    for (const h of runnableHooks(path.resolve(repo.topLevel, dir))) {
      if (h.runnable && !(HOOK_NAMES as readonly string[]).includes(h.name))
        throw new CodexlogError(messages.cannotChain(h.file, h.name, HOOK_NAMES));
    }
  }
  return { localHooksPath: local === ours ? null : local, chain, huskyFiles, found: chainedHooks(repo.topLevel, chain, huskyFiles) };
}

/** The hooks a chain runs (executable files of its folders, the husky folder's hook files), skipping git-lfs's own. */
export function chainedHooks(top: string, chain: readonly string[], huskyFiles: string | null): Array<{ name: string; file: string }> {
  const found: Array<{ name: string; file: string }> = [];
  for (const dir of chain) {
    for (const h of runnableHooks(path.resolve(top, dir))) {
      if (h.runnable && (HOOK_NAMES as readonly string[]).includes(h.name) && !isLfsHook(h.file))
        found.push({ name: h.name, file: h.file });
    }
  }
  if (huskyFiles) {
    for (const h of runnableHooks(path.join(top, huskyFiles))) {
      if ((HOOK_NAMES as readonly string[]).includes(h.name)) found.push({ name: h.name, file: h.file });
    }
  }
  return found;
}

/** Whether a hook file is one git-lfs wrote (codexlog-hooks runs git lfs itself). */
export function isLfsHook(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes('configured for Git LFS');
  } catch {
    return false;
  }
}
