// `uninstall`: removes exactly what install added; the databases stay committed.
import { existsSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CodexlogError } from '../errors.js';
import { configGet, configSetLocal } from '../git/config.js';
import { trackedPaths } from '../git/repo.js';
import { messages } from '../messages.js';
import type { RunContext } from '../workspace.js';
import { hasBlock, removeBlock } from './blocks.js';
import { readText } from './files.js';
import { removeCloneConfig, removeLfsFilters } from './git-config.js';
import { hookBlocks } from './hook-blocks.js';
import { huskyHooksPath } from './husky.js';
import { databasePaths, resolveLayout } from './layout.js';
import { readManifest, removeManifest } from './manifest.js';
import { removePrepare } from './package-json.js';

/** What uninstall did (a line per change) and what the user should still know. */
export interface UninstallResult {
  changes: string[];
  warnings: string[];
}

/** Removes exactly what install added. */
export async function uninstall(ctx: RunContext): Promise<UninstallResult> {
  const l = await resolveLayout(ctx);
  if (!l) throw new CodexlogError(messages.notARepo(ctx.cwd));
  const { repo } = l;
  const manifest = readManifest(repo);
  const created = new Set(manifest?.createdFiles ?? []);
  const changes: string[] = [];

  const stripFile = (rel: string) => {
    const file = path.join(l.top, rel);
    const text = readText(file);
    if (text === null || !hasBlock(text)) return;
    const rest = removeBlock(text);
    if (rest.trim() === '' && created.has(rel)) rmSync(file);
    else writeFileSync(file, rest);
    changes.push(rel);
  };
  for (const hook of Object.keys(hookBlocks(l.bin))) stripFile(`${l.huskyDir}/${hook}`);
  stripFile('.gitattributes');
  stripFile('.gitignore');

  const configFile = path.join(l.ws.settings.workspace, 'codexlog.config.json');
  if (manifest?.configCreated && readText(configFile) === manifest.configCreated) {
    rmSync(configFile);
    changes.push('codexlog.config.json');
  }

  if (removePrepare(path.join(l.pkgDir, 'package.json'), manifest?.scriptsExisted)) changes.push('package.json: prepare');

  const cloneConfig = await removeCloneConfig(l.git);
  if (cloneConfig) changes.push(cloneConfig);
  if (manifest && !manifest.lfsFiltersBefore) {
    const filters = await removeLfsFilters(l.git);
    if (filters) changes.push(filters);
  }
  const hooksPath = huskyHooksPath(l);
  if (manifest && manifest.hooksPathBefore !== hooksPath && (await configGet(l.git, 'core.hooksPath')) === hooksPath) {
    await configSetLocal(l.git, 'core.hooksPath', manifest.hooksPathBefore);
    rmSync(path.join(l.top, l.huskyDir, '_'), { recursive: true, force: true });
    const huskyDir = path.join(l.top, l.huskyDir);
    if (existsSync(huskyDir) && readdirSync(huskyDir).length === 0) rmdirSync(huskyDir);
    changes.push(`core.hooksPath ${manifest.hooksPathBefore ? `= ${manifest.hooksPathBefore}` : 'unset'}`);
  }
  removeManifest(repo);

  // The databases stay committed as LFS pointers; without the attributes the next `git add` would
  // store them raw. Removing them from the repository is the user's call, so say how.
  const warnings: string[] = [];
  if (changes.includes('.gitattributes')) {
    const tracked = await trackedPaths(l.git, databasePaths(l));
    if (tracked.length > 0) warnings.push(messages.databasesStillTracked(tracked));
  }
  return { changes, warnings };
}
