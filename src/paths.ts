// The databases stay inside the workspace once symlinks are followed: a committed `databases`
// link that leads elsewhere must not make the tool create or write files outside the repository.
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { isInside } from './config.js';
import { CodexlogError } from './errors.js';
import { messages } from './messages.js';

/**
 * Throws, naming the link, when a component of `file` (under `workspace`) is a symlink: one that
 * leads out of the workspace would make the tool write elsewhere, and one inside it hides the
 * files from git (which never tracks a path behind a symbolic link). Components that do not exist
 * yet are fine.
 */
export function assertInsideWorkspace(workspace: string, file: string): void {
  const root = realpathSync(workspace);
  let cur = workspace;
  for (const part of path.relative(workspace, file).split(path.sep)) {
    if (!part) continue;
    cur = path.join(cur, part);
    let link = false;
    try {
      link = lstatSync(cur).isSymbolicLink();
    } catch {
      return; // does not exist (yet): nothing below it can lead out
    }
    if (!link) continue;
    let target: string;
    try {
      target = realpathSync(cur);
    } catch {
      target = path.resolve(path.dirname(cur), '(dangling link)');
    }
    const shown = path.relative(workspace, cur);
    if (!isInside(target, root)) throw new CodexlogError(messages.pathLeavesWorkspace(shown, target, workspace));
    throw new CodexlogError(messages.pathBehindLink(shown, target));
  }
}
