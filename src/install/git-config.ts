// This clone's .git/config: the merge driver, the ALLOW_AUTOLFS opt-in, the LFS filters.
import { configMatching, configRemoveSection, configSetLocal } from '../git/config.js';
import type { GitContext } from '../git/exec.js';
import { lfsInstalled, lfsInstallFilters } from '../git/lfs.js';
import { MERGE_DRIVER } from './attributes.js';

/**
 * The merge driver command git runs (from a worktree's top level) for the log databases: the
 * script install keeps in the common git dir, found through git itself, so the same command
 * serves every worktree and survives the repository moving.
 */
export const DRIVER_COMMAND = 'sh "$(git rev-parse --git-common-dir)/codexlog/merge-driver" %O %A %B %P';

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
export async function ensureCloneConfig(git: GitContext, allowAutoLfs: boolean): Promise<string[]> {
  const changes: string[] = [];
  const cfg = await configMatching(git, '^(merge\\.codexlog\\.|codexlog\\.)');
  const driver = DRIVER_COMMAND;
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

/**
 * `git am` applies a patch of a log pointer only onto the very pointer it was made from; with
 * am.threeWay it falls back to a three-way merge, which our driver resolves. Set for this clone
 * unless the user chose a value. Returns whether it was set.
 */
export async function ensureAmThreeWay(git: GitContext): Promise<boolean> {
  if ((await configMatching(git, '^am\\.threeway$')).size > 0) return false;
  await configSetLocal(git, 'am.threeWay', 'true');
  return true;
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
  return 'git config filter.lfs';
}

/** Removes a config section when nothing is left in it (git leaves an empty header behind). */
export async function removeEmptySection(git: GitContext, section: string): Promise<void> {
  if ((await configMatching(git, `^${section}\\.`)).size === 0) await configRemoveSection(git, section);
}

/** Removes the marker git-lfs writes into .git/config whenever it runs in a repository. */
export async function removeLfsMarker(git: GitContext): Promise<void> {
  await configRemoveSection(git, 'lfs');
}
