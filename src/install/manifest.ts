// What install remembers (in the common git dir) so that uninstall puts everything back.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RepoPaths } from '../git/repo.js';

/** The state before the first install changed it, and how the hooks it found are chained. */
export interface Manifest {
  /** core.hooksPath of the clone's own config before install (null: unset). */
  hooksPathBefore: string | null;
  /** The hook folders the dispatcher keeps running (absolute, or relative to the top level). */
  chain?: string[];
  /** The team's husky folder, relative to the top level. */
  huskyFiles?: string | null;
  /** The package folder relative to the top level, and the entry point the hooks run (absolute). */
  pkgRel?: string;
  entry?: string;
  lfsFiltersBefore: boolean;
  /**
   * Whether this clone's config had lfs.repositoryformatversion (git-lfs writes it whenever it runs
   * in a repository, so it comes with install when it was not there).
   */
  lfsMarkerBefore?: boolean;
  /** Whether install set am.threeWay (uninstall then removes it). */
  amThreeWaySet?: boolean;
  /** Files install created (0.1.0 created .husky/ files; now .gitattributes, .gitignore). */
  createdFiles: string[];
  configCreated: string | null;
  prepareBefore: string | null;
  /** Whether package.json had a "scripts" object before install added `prepare` to it. */
  scriptsExisted?: boolean;
  /** CI files `install --ci` wrote: path relative to the top level → sha256 of the text written. */
  ciFiles?: Record<string, string>;
}

// In the common git dir: one install serves every worktree of the clone.
function manifestFile(repo: RepoPaths): string {
  return path.join(repo.commonDir, 'codexlog', 'install.json');
}

/** The manifest of an earlier install, or null. */
export function readManifest(repo: RepoPaths): Manifest | null {
  try {
    return JSON.parse(readFileSync(manifestFile(repo), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/** Saves the manifest. */
export function writeManifest(repo: RepoPaths, manifest: Manifest): void {
  mkdirSync(path.dirname(manifestFile(repo)), { recursive: true });
  writeFileSync(manifestFile(repo), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Forgets the install. */
export function removeManifest(repo: RepoPaths): void {
  rmSync(manifestFile(repo), { force: true });
}
