// The hook installation as the e2e tests see it: where install keeps a clone's hooks (its git
// dir), snapshots a round trip must restore byte for byte, a team's own hook that leaves a trace
// and blocks on one file, and a `node` on PATH that notes every start.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { listFiles, type ThrowawayRepos } from '../../helpers/repo.ts';
import { treeState } from './checks.ts';
import type { AppRepo } from './packed.ts';

/** The folder install keeps a clone's hooks in: `<common git dir>/codexlog` (beside its state). */
export function hooksHome(repo: AppRepo): string {
  return path.join(repo.dir, '.git', 'codexlog');
}

/** The core.hooksPath install sets: husky's stubs in the clone's git dir, as an absolute path. */
export function oursHooksPath(repo: AppRepo): string {
  return path.join(hooksHome(repo), 'husky', '_');
}

/** The scripts install writes beside husky's folder (every one executable). */
export const GIT_DIR_SCRIPTS = ['dispatch.sh', 'merge-driver', 'record.sh', 'run'];

/** The files of install's hooks, relative to `hooksHome`: what uninstall removes. */
export function installedHookFiles(repo: AppRepo): string[] {
  const home = hooksHome(repo);
  if (!existsSync(home)) return [];
  return listFiles(home).filter((f) => GIT_DIR_SCRIPTS.includes(f) || f.startsWith('husky/') || f.startsWith('merge-cache/'));
}

/** Fails unless git runs this clone's hooks from its git dir: core.hooksPath and every script in place. */
export function expectHooksInstalled(repo: AppRepo, what: string): void {
  assert.is(repo.git(['config', '--local', 'core.hooksPath']).trim(), oursHooksPath(repo), `${what}: core.hooksPath`);
  // husky's runner `h` is sourced by its stubs; everything else git or sh runs directly.
  assert.ok(existsSync(path.join(hooksHome(repo), 'husky', '_', 'h')), `${what}: husky's runner is missing`);
  for (const f of [...GIT_DIR_SCRIPTS, 'husky/pre-commit', 'husky/post-commit', 'husky/_/pre-commit', 'husky/_/post-commit']) {
    const file = path.join(hooksHome(repo), f);
    assert.ok(existsSync(file), `${what}: ${file} is missing`);
    assert.ok((statSync(file).mode & 0o111) !== 0, `${what}: ${file} is not executable`);
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file of `dir` (recursively) with its mode and a hash of its bytes; {} when it does not exist. */
export function folderState(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  if (!existsSync(dir)) return state;
  for (const f of listFiles(dir)) {
    const st = statSync(path.join(dir, f));
    state[f] = f.endsWith('/') ? '(dir)' : `${(st.mode & 0o777).toString(8)} ${sha256(readFileSync(path.join(dir, f)))}`;
  }
  return state;
}

/**
 * A clone's whole hook setup, for round trips: the work tree (node_modules left out, modes of the
 * `folders` inside it included), .git/config byte for byte, git's own hooks folder, and any other
 * file or folder given (absolute: a global hooks folder, ~/.gitconfig).
 */
export function hookSetup(repo: AppRepo, options: { folders?: string[]; outside?: string[] } = {}): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const f of options.folders ?? []) extra[f] = folderState(path.join(repo.dir, f));
  for (const f of options.outside ?? []) {
    extra[f] = existsSync(f) && statSync(f).isFile() ? readFileSync(f, 'utf8') : folderState(f);
  }
  return {
    tree: treeState(repo),
    config: readFileSync(path.join(repo.dir, '.git', 'config'), 'utf8'),
    gitHooks: folderState(path.join(repo.dir, '.git', 'hooks')),
    ...extra,
  };
}

/** The file a `teamHook` notes its runs in (in the common git dir: never in the work tree). */
export function teamHookLog(repo: AppRepo): string {
  return path.join(repo.dir, '.git', 'team-hook.log');
}

/**
 * A team's own pre-commit hook (sh): notes every run in `teamHookLog` with the number of database
 * paths staged at that moment (0 while codexlog-hooks has not run yet), and fails with `code`
 * and `message` on stderr when `blockOn` is staged.
 */
export function teamHook(label: string, options: { blockOn: string; code: number; message: string }): string {
  return [
    '#!/bin/sh',
    `# ${label}: the team's own pre-commit hook`,
    `dbs=$(git diff --cached --name-only -- databases | grep -c . || true)`,
    `echo "${label} dbs=$dbs" >> "$(git rev-parse --git-common-dir)/team-hook.log"`,
    `if git diff --cached --name-only | grep -qx '${options.blockOn}'; then`,
    `  echo '${options.message}' >&2`,
    `  exit ${options.code}`,
    'fi',
    '',
  ].join('\n');
}

/** The runs a `teamHook` noted, in order. */
export function teamHookRuns(repo: AppRepo): string[] {
  const file = teamHookLog(repo);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** Writes an executable file (a hook) at `file` (absolute). */
export function writeHook(file: string, text: string, mode = 0o755): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, mode);
}

/**
 * A PATH whose `node` notes each start (its arguments) before running the real node: how a test
 * sees which hooks start node, and with what entry point.
 */
export function nodeSpy(repos: ThrowawayRepos): { env: NodeJS.ProcessEnv; starts(): string[]; clear(): void } {
  const dir = repos.dir('codexlog-node-spy-');
  const log = path.join(dir, 'starts.log');
  writeHook(path.join(dir, 'node'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${process.execPath}' "$@"\n`);
  return {
    env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    starts: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    clear: () => writeFileSync(log, ''),
  };
}

/** The one line the runner prints when the package is missing from a checkout (commits go on, unlogged). */
export const NOT_INSTALLED_LINE =
  'codexlog-hooks: not installed in this checkout (node_modules/codexlog-hooks is missing), so this is not logged. ' +
  'Run `npm install` to log again, or `npx codexlog-hooks@latest uninstall` to remove its hooks.';
