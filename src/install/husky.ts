// Husky, pointed at the clone's git dir: its install writes its stubs (and its `h` runner) under
// <common git dir>/codexlog/husky/_ and sets core.hooksPath there. It exits 0 even when it refuses,
// so the result is checked.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CodexlogError } from '../errors.js';
import { configGet } from '../git/config.js';
import type { GitContext } from '../git/exec.js';
import { messages } from '../messages.js';

/** The core.hooksPath husky sets for the folder `dir` (absolute). */
export function huskyHooksPath(dir: string): string {
  return `${dir}/_`;
}

/** Installs husky into `dir` (absolute) unless it is there already; returns whether it ran. */
export async function ensureHusky(git: GitContext, dir: string, hooksPathNow: string | null): Promise<boolean> {
  const hooksPath = huskyHooksPath(dir);
  const runner = path.join(dir, '_', 'h');
  if (hooksPathNow === hooksPath && existsSync(runner)) return false;
  const huskyBin = path.join(path.dirname(createRequire(import.meta.url).resolve('husky')), 'bin.js');
  // husky looks for `.git` from the cwd (the top level); the node running install runs it too.
  const r = spawnSync(process.execPath, [huskyBin, dir], { cwd: git.cwd, env: git.env, encoding: 'utf8' });
  const said = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  const after = await configGet(git, 'core.hooksPath');
  if (after !== hooksPath || !existsSync(runner)) throw new CodexlogError(messages.huskyRefused(hooksPath, after, said));
  return true;
}
