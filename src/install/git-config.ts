// This clone's .git/config: the merge driver, the ALLOW_AUTOLFS opt-in, the LFS filters.
import { configMatching, configRemoveSection, configSetLocal } from '../git/config.js';
import type { GitContext } from '../git/exec.js';
import { lfsInstalled, lfsInstallFilters } from '../git/lfs.js';
import { MERGE_DRIVER } from './attributes.js';
import { shQuote } from './hook-blocks.js';

/** The merge driver command git runs (from the top level) for the log databases. */
export function driverCommand(bin: string): string {
  return `node ${shQuote(bin)} merge-driver %O %A %B %P`;
}

/** Whether this clone has LFS filters configured. */
export async function hasLfsFilters(git: GitContext): Promise<boolean> {
  return (await configMatching(git, '^filter\\.lfs\\.')).size > 0;
}

/** Configures the LFS filters when git-lfs is installed and they are not; returns a change line or null. */
export async function ensureLfsFilters(git: GitContext): Promise<string | null> {
  if (!lfsInstalled(git.env) || (await hasLfsFilters(git))) return null;
  await lfsInstallFilters(git);
  return 'git lfs install --local --skip-repo';
}

/** Registers the merge driver and, when asked, this clone's ALLOW_AUTOLFS opt-in; returns change lines. */
export async function ensureCloneConfig(git: GitContext, bin: string, allowAutoLfs: boolean): Promise<string[]> {
  const changes: string[] = [];
  const cfg = await configMatching(git, '^(merge\\.codexlog\\.|codexlog\\.)');
  const driver = driverCommand(bin);
  if (cfg.get(`merge.${MERGE_DRIVER}.driver`) !== driver) {
    await configSetLocal(git, `merge.${MERGE_DRIVER}.name`, 'codexlog-hooks: union of log rows');
    await configSetLocal(git, `merge.${MERGE_DRIVER}.driver`, driver);
    changes.push(`git config merge.${MERGE_DRIVER}.driver`);
  }
  if (allowAutoLfs && cfg.get('codexlog.allowautolfs') !== 'true') {
    await configSetLocal(git, 'codexlog.allowAutoLfs', 'true');
    changes.push('git config codexlog.allowAutoLfs true');
  }
  return changes;
}

/** Removes the merge driver and our config section; returns a change line or null. */
export async function removeCloneConfig(git: GitContext): Promise<string | null> {
  const cfg = await configMatching(git, '^(merge\\.codexlog\\.|codexlog\\.)');
  if (cfg.size === 0) return null;
  await configRemoveSection(git, `merge.${MERGE_DRIVER}`);
  await configRemoveSection(git, 'codexlog');
  return 'git config merge.codexlog / codexlog.*';
}

/** Removes the LFS filters install configured; returns a change line or null. */
export async function removeLfsFilters(git: GitContext): Promise<string | null> {
  if (!(await hasLfsFilters(git))) return null;
  await configRemoveSection(git, 'filter.lfs');
  // git-lfs adds this marker to .git/config whenever it runs in a repository; LFS was not set
  // up here before install, so it came with us.
  await configSetLocal(git, 'lfs.repositoryformatversion', null);
  return 'git config filter.lfs';
}
