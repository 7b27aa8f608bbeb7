// The Git LFS gate: the facts that decide whether the log databases can be committed safely.
// Shared by the pre-commit hook (which blocks on them) and `check` (which lists them).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Settings } from './config.js';
import { parseYesNo } from './env.js';
import { configMatching } from './git/config.js';
import type { GitContext } from './git/exec.js';
import { lfsInstalled } from './git/lfs.js';
import { filterAttrs, type RepoPaths } from './git/repo.js';
import { stage } from './git/stage.js';
import { attributeLines, segmentProbe, type TrackedPaths } from './install/attributes.js';
import { removeBlock, upsertBlock } from './install/blocks.js';
import { messages } from './messages.js';

/** One thing standing between the user and a safe commit, with its fix in the message. */
export interface Problem {
  id: 'lfs-missing' | 'lfs-filters' | 'allow-autolfs' | 'not-tracked' | 'gitattributes-unstaged' | 'not-a-pointer' | string;
  message: string;
}

/** What the gate learned; `problems` empty means the commit may go ahead. */
export interface GateState {
  lfsInstalled: boolean;
  filtersConfigured: boolean;
  allowAutoLfs: boolean;
  /** Database paths (workspace-relative) whose `filter` attribute in the index is not lfs. */
  untracked: string[];
  /** Of those, the ones the work tree's .gitattributes does not track either. */
  untrackedInTree: string[];
  /** What is wrong with the tracking (null when tracked), whether or not ALLOW_AUTOLFS repairs it. */
  tracking: Problem | null;
  problems: Problem[];
  /** lfs.storage, when this clone moved its LFS objects elsewhere. */
  lfsStorage: string | null;
}

/** Whether ALLOW_AUTOLFS is on: the environment wins (1 or 0), else this clone's opt-in. */
export function allowAutoLfsFrom(settings: Settings, clone: string | undefined): boolean {
  if (settings.env.allowAutoLfs !== null) return settings.env.allowAutoLfs;
  // git's booleans are the same words (true, yes, on, 1); a key set without a value means true.
  return clone !== undefined && (clone === '' || parseYesNo(clone) === true);
}

/** Reads every fact of the gate with two git calls side by side (a third when tracking is missing); changes nothing. */
export async function inspectGate(git: GitContext, settings: Settings): Promise<GateState> {
  const installed = lfsInstalled(git.env);
  // One config call answers both "are the LFS filters configured" and "has this clone opted in".
  const dbs = [settings.logDbRel, settings.sessionDbRel, segmentProbe(settings.segmentsDirRel)];
  // Both read-only, so they run side by side.
  const [cfg, attrs] = await Promise.all([configMatching(git, '^(filter\\.lfs\\.|codexlog\\.|lfs\\.storage$)'), filterAttrs(git, dbs)]);
  const filtersConfigured = Boolean(cfg.get('filter.lfs.process') || (cfg.get('filter.lfs.clean') && cfg.get('filter.lfs.smudge')));
  // The filter git will run must be git-lfs itself: anything else stores the databases raw, and
  // that is cheaper to refuse here than to undo after staging.
  const filterCommand = cfg.get('filter.lfs.process') || cfg.get('filter.lfs.clean') || '';
  const foreignFilter = filtersConfigured && !/\bgit(-| )lfs\b/.test(filterCommand);
  const allowAutoLfs = allowAutoLfsFrom(settings, cfg.get('codexlog.allowautolfs'));
  // Named as .gitattributes would name them (the segments by their folder's pattern).
  const shown = (p: string) => (p === dbs[2] ? `${settings.segmentsDirRel}/*.db` : p);
  const untracked = dbs.filter((p) => attrs.get(p) !== 'lfs');
  const problems: Problem[] = [];
  if (!installed) problems.push({ id: 'lfs-missing', message: messages.lfsMissing });
  else if (!filtersConfigured) problems.push({ id: 'lfs-filters', message: messages.lfsFiltersMissing });
  else if (foreignFilter) problems.push({ id: 'lfs-filters', message: messages.lfsFiltersForeign(filterCommand) });
  if (!allowAutoLfs && settings.config.lfs.requireAllowAutoLfs) problems.push({ id: 'allow-autolfs', message: messages.allowAutoLfsOff });
  let untrackedInTree: string[] = [];
  let tracking: Problem | null = null;
  if (untracked.length > 0) {
    // Tracked in the work tree but not in the index: the fix is to stage .gitattributes.
    const worktree = await filterAttrs(git, untracked, 'worktree');
    untrackedInTree = untracked.filter((p) => worktree.get(p) !== 'lfs').map(shown);
    tracking =
      untrackedInTree.length === 0
        ? { id: 'gitattributes-unstaged', message: messages.gitattributesNotStaged }
        : { id: 'not-tracked', message: messages.notTracked(untracked.map(shown)) };
    if (!allowAutoLfs) problems.push(tracking);
  }
  return {
    lfsInstalled: installed,
    filtersConfigured,
    allowAutoLfs,
    untracked: untracked.map(shown),
    untrackedInTree,
    tracking,
    problems,
    lfsStorage: cfg.get('lfs.storage') ?? null,
  };
}

/**
 * With ALLOW_AUTOLFS on: track the databases and segments with LFS when the gate found some not
 * tracked in the work tree either, and stage .gitattributes.
 */
export async function repairTracking(git: GitContext, repo: RepoPaths, gate: GateState, tracked: TrackedPaths): Promise<void> {
  if (gate.untrackedInTree.length > 0) {
    // install's block rather than `git lfs track`, whose `merge=lfs` would bypass our merge
    // driver, and moved to the end of the file, where it wins over earlier lines (as track's would).
    const file = path.join(git.cwd, '.gitattributes');
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // no .gitattributes yet
    }
    writeFileSync(file, upsertBlock(removeBlock(text), attributeLines(tracked)));
  }
  await stage(git, repo, ['.gitattributes']);
}
