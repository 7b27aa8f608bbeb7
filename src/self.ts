// Where this copy of codexlog-hooks is installed: the command git must run to reach this very CLI
// where no hook script of ours exists (a CI checkout runs `sync-branch` without install).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENTRY } from './install/layout.js';

/** The root of the codexlog-hooks package this module belongs to (in dist/, the bundle or src/). */
export function ownPackageRoot(from = fileURLToPath(import.meta.url)): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'codexlog-hooks') return dir;
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) throw new Error(`no codexlog-hooks package.json above ${from}`);
  }
}

/** The stable entry point of this copy (bin/codexlog-hooks.js), absolute. */
export function ownEntry(): string {
  return path.join(ownPackageRoot(), ENTRY);
}
