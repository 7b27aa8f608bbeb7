// `uninstall`: puts the clone back as install found it (core.hooksPath included) and removes what
// install added; the databases stay committed. It runs without the package in node_modules
// (`npx codexlog-hooks@latest uninstall` after `npm uninstall codexlog-hooks`).
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CodexlogError } from '../errors.js';
import { configGet, configSetLocal } from '../git/config.js';
import { trackedPaths } from '../git/repo.js';
import { messages } from '../messages.js';
import type { RunContext } from '../workspace.js';
import { setAgentHooks } from './agent-hooks.js';
import { hasBlock, removeBlock } from './blocks.js';
import { removeCiFiles } from './ci.js';
import { dispatcherPaths } from './dispatcher.js';
import { readText } from './files.js';
import { removeCloneConfig, removeEmptySection, removeLfsFilters, removeLfsMarker } from './git-config.js';
import { huskyHooksPath } from './husky.js';
import { databasePaths, resolveLayout } from './layout.js';
import { readManifest, removeManifest } from './manifest.js';
import { removePrepare } from './package-json.js';

/** What uninstall did (a line per change) and what the user should still know. */
export interface UninstallResult {
  changes: string[];
  warnings: string[];
}

/** The .husky/ files 0.1.0 wrote blocks into. */
const LEGACY_BLOCK_HOOKS = ['pre-commit', 'post-commit', 'post-rewrite', 'post-merge', 'post-checkout', 'pre-push'];

/** Removes what install added and restores what it changed. */
export async function uninstall(ctx: RunContext): Promise<UninstallResult> {
  const l = await resolveLayout(ctx, { needPackage: false });
  if (!l) throw new CodexlogError(messages.notARepo(ctx.cwd));
  const { repo } = l;
  const manifest = readManifest(repo);
  const created = new Set(manifest?.createdFiles ?? []);
  const changes: string[] = [];

  // core.hooksPath back to what it was, before the hooks it points at go.
  const paths = dispatcherPaths(repo.commonDir);
  if ((await configGet(l.git, 'core.hooksPath')) === huskyHooksPath(paths.husky)) {
    const before = manifest?.hooksPathBefore ?? null;
    await configSetLocal(l.git, 'core.hooksPath', before);
    changes.push(`core.hooksPath ${before ? `= ${before}` : 'unset'}`);
  }
  for (const p of [
    paths.husky,
    paths.dispatch,
    paths.run,
    paths.record,
    paths.mergeDriver,
    paths.trailer,
    paths.agentHook,
    path.join(paths.root, 'merge-cache'),
  ]) {
    rmSync(p, { recursive: true, force: true });
  }

  const stripFile = (rel: string) => {
    const file = path.join(l.top, rel);
    const text = readText(file);
    if (text === null || !hasBlock(text)) return;
    const rest = removeBlock(text);
    if (rest.trim() === '' && created.has(rel)) rmSync(file);
    else writeFileSync(file, rest);
    changes.push(rel);
  };
  // A repository installed by 0.1.0 and never reinstalled still has blocks there.
  for (const hook of LEGACY_BLOCK_HOOKS) stripFile(`${l.huskyDir}/${hook}`);
  changes.push(...setAgentHooks(l.top, []));
  stripFile('.gitattributes');
  stripFile('.gitignore');

  // The CI workflow install wrote, unless it was changed since.
  const ci = removeCiFiles(l.top, manifest?.ciFiles);
  changes.push(...ci.removed);

  const configFile = path.join(l.ws.settings.workspace, 'codexlog.config.json');
  if (manifest?.configCreated && readText(configFile) === manifest.configCreated) {
    rmSync(configFile);
    changes.push('codexlog.config.json');
  }
  if (removePrepare(path.join(l.pkgDir, 'package.json'), manifest?.scriptsExisted)) changes.push('package.json: prepare');

  if (manifest?.amThreeWaySet && (await configGet(l.git, 'am.threeWay')) === 'true') {
    await configSetLocal(l.git, 'am.threeWay', null);
    await removeEmptySection(l.git, 'am');
    changes.push('git config am.threeWay');
  }
  const cloneConfig = await removeCloneConfig(l.git);
  if (cloneConfig) changes.push(cloneConfig);
  if (manifest && !manifest.lfsFiltersBefore) {
    const filters = await removeLfsFilters(l.git);
    if (filters) changes.push(filters);
  }
  // Before install the clone had no such marker (0.1.0's manifests do not say: then only with the filters).
  if (manifest && (manifest.lfsMarkerBefore === false || (manifest.lfsMarkerBefore === undefined && !manifest.lfsFiltersBefore))) {
    await removeLfsMarker(l.git);
  }
  removeManifest(repo);

  // The databases stay committed as LFS pointers; without the attributes the next `git add` would
  // store them raw. Removing them from the repository is the user's call, so say how.
  const warnings: string[] = ci.kept.map((rel) => messages.ciKeptChanged(rel));
  if (changes.includes('.gitattributes')) {
    const tracked = await trackedPaths(l.git, databasePaths(l));
    if (tracked.length > 0) warnings.push(messages.databasesStillTracked(tracked));
  }
  return { changes, warnings };
}
