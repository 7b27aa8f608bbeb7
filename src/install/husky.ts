// Husky: running its install, and checking that it took effect (it exits 0 even when it refuses).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CodexlogError } from '../errors.js';
import { configGet } from '../git/config.js';
import { messages } from '../messages.js';
import type { Layout } from './layout.js';

/** The core.hooksPath husky sets for this layout. */
export function huskyHooksPath(l: Layout): string {
  return `${l.huskyDir}/_`;
}

function runHusky(l: Layout): string {
  const huskyBin = path.join(path.dirname(createRequire(import.meta.url).resolve('husky')), 'bin.js');
  // husky resolves `.git` and its folder from the cwd, so it runs from the top level. The node
  // running this install runs husky too (the one on PATH may be another, or none).
  const r = spawnSync(process.execPath, [huskyBin, l.huskyDir], { cwd: l.top, env: l.git.env, encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}

/** Installs husky unless it already is; returns whether it ran. Throws when husky refused. */
export async function ensureHusky(l: Layout, hooksPathNow: string | null): Promise<boolean> {
  const hooksPath = huskyHooksPath(l);
  const shim = path.join(l.top, l.huskyDir, '_', 'h');
  if (hooksPathNow === hooksPath && existsSync(shim)) return false;
  const said = runHusky(l);
  const after = await configGet(l.git, 'core.hooksPath');
  if (after !== hooksPath || !existsSync(shim)) throw new CodexlogError(messages.huskyRefused(hooksPath, after, said));
  return true;
}
