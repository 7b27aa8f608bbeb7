// Where install puts things: the repository's top level, the package folder (a monorepo package
// or the top level), husky's folder, and the stable entry point the hooks and driver name.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CodexlogError } from '../errors.js';
import type { GitContext } from '../git/exec.js';
import type { RepoPaths } from '../git/repo.js';
import { messages } from '../messages.js';
import { openWorkspace, type RunContext, type Workspace } from '../workspace.js';

/** The stable entry point, relative to the package root: the only path users' repositories name. */
export const ENTRY = 'bin/codexlog-hooks.js';

/** What 0.1.0 named instead (the build layout); install replaces it, its shim keeps old hooks working. */
export const LEGACY_ENTRY = 'dist/src/bin.js';

/** A path with forward slashes (what hook files and .gitattributes want). */
export const toPosix = (p: string): string => p.split(path.sep).join('/');

/** Where things go, resolved once for install and uninstall. */
export interface Layout {
  ws: Workspace;
  repo: RepoPaths;
  top: string;
  pkgDir: string;
  /** The package folder relative to the top level, with forward slashes ('' at the top). */
  pkgRel: string;
  /** The team's husky folder relative to the top level (where 0.1.0 wrote its blocks). */
  huskyDir: string;
  /** The installed package's root (absolute); null when it is not installed (uninstall through npx). */
  packageRoot: string | null;
  git: GitContext;
}

function findPackageDir(from: string, top: string): string | null {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === top) return null;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * Where codexlog-hooks is installed as seen from `pkgDir` (hoisting included), or null. The path
 * through node_modules is kept even when it is a symlink (pnpm, workspaces, npm link): written into
 * the hook files, it must be the same in every clone, which a resolved real path is not.
 */
function installedPackageRoot(pkgDir: string, top: string): string | null {
  for (let dir = pkgDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'codexlog-hooks');
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === top || path.dirname(dir) === dir) break;
  }
  try {
    const req = createRequire(path.join(pkgDir, 'package.json'));
    return path.dirname(req.resolve('codexlog-hooks/package.json'));
  } catch {
    return null;
  }
}

/**
 * The layout for the repository around `ctx.cwd`; null outside a repository. Install needs the
 * package in node_modules (teammates' hooks run it from there); uninstall does not (it may run
 * through `npx codexlog-hooks@latest` after the package is gone).
 */
export async function resolveLayout(ctx: RunContext, options: { needPackage: boolean }): Promise<Layout | null> {
  const ws = await openWorkspace(ctx);
  if (!ws.repo) return null;
  const top = ws.repo.topLevel;
  const pkgDir = findPackageDir(ctx.cwd, top) ?? (options.needPackage ? null : top);
  if (!pkgDir) throw new CodexlogError(messages.noPackageJson(ctx.cwd));
  const root = installedPackageRoot(pkgDir, top);
  if (!root && options.needPackage) throw new CodexlogError(messages.notADependency(pkgDir));
  return {
    ws,
    repo: ws.repo,
    top,
    pkgDir,
    pkgRel: toPosix(path.relative(top, pkgDir)),
    huskyDir: toPosix(path.relative(top, path.join(pkgDir, '.husky'))),
    packageRoot: root,
    git: { cwd: top, env: ctx.env },
  };
}

/** The databases' paths relative to the top level. */
export function databasePaths(l: Layout): string[] {
  return [l.ws.settings.logDb, l.ws.settings.sessionDb].map((p) => toPosix(path.relative(l.top, p)));
}
