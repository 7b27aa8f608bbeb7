// A repository exactly as codexlog-hooks 0.1.0's `install` left it (its src/install.ts): husky
// pointed at .husky/_ in the work tree, a marked block in six .husky files (node through the build
// layout, dist/src/bin.js, in every hook), .gitattributes without the segments line, its config
// file, the bare `prepare` command, a merge driver naming dist/src/bin.js, and its manifest in the
// git dir. The package installed is today's: 0.1.0's entry point is still in it (a shim).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { IGNORE_LINES } from '../../../src/install/attributes.ts';
import { upsertBlock } from '../../../src/install/blocks.ts';
import { shQuote } from '../../../src/install/shell.ts';
import { messages, PREFIX } from '../../../src/messages.ts';
import { DBS } from './checks.ts';
import { writeHook } from './hooks.ts';
import type { AppRepo } from './packed.ts';

/** What 0.1.0 wrote into its hooks and merge driver (relative to the package folder). */
export const V010_BIN = 'node_modules/codexlog-hooks/dist/src/bin.js';

/** 0.1.0's `prepare` command (without the fallback today's install adds). */
export const V010_PREPARE = 'codexlog-hooks install --prepare';

/** The hook blocks exactly as 0.1.0's install wrote them: node in every hook. */
export function v010HookBlocks(bin = V010_BIN): Record<string, string> {
  const q = shQuote(bin);
  const missing = shQuote(`${PREFIX} ${messages.hookNotInstalled(bin)}`);
  const lfs = (hook: string) =>
    `command -v git-lfs >/dev/null 2>&1 || { echo >&2 ${shQuote(`${PREFIX} ${messages.lfsMissing}`)}; exit 2; }\n` + `git lfs ${hook} "$@"`;
  const ours = (hook: string, blocking: boolean) =>
    blocking
      ? `if [ -f ${q} ]; then node ${q} hook ${hook} "$@"; else echo >&2 ${missing}; exit 1; fi`
      : `if [ -f ${q} ]; then node ${q} hook ${hook} "$@" || true; fi`;
  return {
    'pre-commit': ours('pre-commit', true),
    'post-commit': ours('post-commit', false),
    'post-rewrite': ours('post-rewrite', false),
    'post-merge': `${lfs('post-merge')}\n${ours('post-merge', false)}`,
    'post-checkout': lfs('post-checkout'),
    'pre-push': lfs('pre-push'),
  };
}

/** The .husky files 0.1.0 wrote a block into. */
export const V010_HOOKS = Object.keys(v010HookBlocks());

/** 0.1.0's .gitattributes block: the two databases, no segments. */
export const V010_ATTRIBUTES = DBS.map((db) => `${db} filter=lfs diff=lfs merge=codexlog -text`).join('\n');

/** 0.1.0's merge driver command. */
export function v010DriverCommand(bin = V010_BIN): string {
  return `node ${shQuote(bin)} merge-driver %O %A %B %P`;
}

/** 0.1.0's default config file: paths and lfs, no segments. */
export const V010_CONFIG = `${JSON.stringify(
  { paths: { log: DBS[0], sessionLog: DBS[1] }, lfs: { requireAllowAutoLfs: true } },
  null,
  2,
)}\n`;

/** What 0.1.0's manifest (.git/codexlog/install.json) held. */
export interface V010Manifest {
  hooksPathBefore: string | null;
  lfsFiltersBefore: boolean;
  createdFiles: string[];
  configCreated: string | null;
  prepareBefore: string | null;
  scriptsExisted?: boolean;
}

/**
 * Does in `repo` (the package at its top level, not installed by today's version) what 0.1.0's
 * `install` did, in its order; returns the manifest it wrote.
 */
export function installAsV010(repo: AppRepo): V010Manifest {
  const configValue = (key: string) => {
    const r = repo.tryGit(['config', '--local', '--get', key]);
    return r.status === 0 ? r.stdout.trim() : null;
  };
  const filtersBefore = repo.tryGit(['config', '--local', '--get-regexp', '^filter\\.lfs\\.']).status === 0;
  const manifest: V010Manifest = {
    hooksPathBefore: configValue('core.hooksPath'),
    lfsFiltersBefore: filtersBefore,
    createdFiles: [],
    configCreated: null,
    prepareBefore: null,
  };
  // husky 9 into .husky (its stubs under .husky/_, core.hooksPath = .husky/_).
  const husky = spawnSync(process.execPath, [path.join(repo.dir, 'node_modules', 'husky', 'bin.js'), '.husky'], {
    cwd: repo.dir,
    env: repo.env,
    encoding: 'utf8',
  });
  assert.is(husky.status, 0, `husky: ${husky.stdout}${husky.stderr}`);
  assert.is(configValue('core.hooksPath'), '.husky/_');
  for (const [hook, body] of Object.entries(v010HookBlocks())) {
    const rel = `.husky/${hook}`;
    const file = path.join(repo.dir, rel);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (before === null) manifest.createdFiles.push(rel);
    writeHook(file, upsertBlock(before ?? '', body));
  }
  if (!filtersBefore) repo.git(['lfs', 'install', '--local', '--skip-repo']);
  for (const [name, body] of [
    ['.gitattributes', V010_ATTRIBUTES],
    ['.gitignore', IGNORE_LINES],
  ] as const) {
    const file = path.join(repo.dir, name);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (before === null) manifest.createdFiles.push(name);
    writeFileSync(file, upsertBlock(before ?? '', body));
  }
  if (!existsSync(path.join(repo.dir, 'codexlog.config.json'))) {
    writeFileSync(path.join(repo.dir, 'codexlog.config.json'), V010_CONFIG);
    manifest.configCreated = V010_CONFIG;
  }
  const pkgFile = path.join(repo.dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { scripts?: Record<string, string> };
  const prepare = pkg.scripts?.prepare;
  manifest.prepareBefore = prepare ?? null;
  manifest.scriptsExisted = pkg.scripts !== undefined;
  pkg.scripts = { ...pkg.scripts, prepare: prepare ? `${prepare} && ${V010_PREPARE}` : V010_PREPARE };
  writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
  repo.git(['config', 'merge.codexlog.name', 'codexlog-hooks: union of log rows']);
  repo.git(['config', 'merge.codexlog.driver', v010DriverCommand()]);
  const manifestFile = path.join(repo.dir, '.git', 'codexlog', 'install.json');
  mkdirSync(path.dirname(manifestFile), { recursive: true });
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
