// What install remembers (in the git dir) so that uninstall removes exactly what it added.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RepoPaths } from '../git/repo.js';

/** The state before install changed it. */
export interface Manifest {
  hooksPathBefore: string | null;
  lfsFiltersBefore: boolean;
  createdFiles: string[];
  configCreated: string | null;
  prepareBefore: string | null;
  /** Whether package.json had a "scripts" object before install added `prepare` to it. */
  scriptsExisted?: boolean;
}

// In the common git dir: one install serves every worktree of the clone.
function stateOf(repo: RepoPaths): string {
  return path.join(repo.commonDir, 'codexlog');
}

function manifestFile(repo: RepoPaths): string {
  return path.join(stateOf(repo), 'install.json');
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
  mkdirSync(stateOf(repo), { recursive: true });
  writeFileSync(manifestFile(repo), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Forgets the install. */
export function removeManifest(repo: RepoPaths): void {
  rmSync(manifestFile(repo), { force: true });
}
