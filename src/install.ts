// install / uninstall: wire husky, our hook blocks, the LFS hooks and filters, attributes,
// ignores, the default config, the teammates' `prepare` script and the merge driver.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { attributeLines, MERGE_DRIVER } from './attributes.js';
import { hasBlock, removeBlock, upsertBlock } from './blocks.js';
import { DEFAULT_CONFIG } from './config.js';
import { CodexlogError } from './errors.js';
import { configGet, configMatching, configSetLocal, execGit, lfsInstalled, lfsInstallFilters, type GitContext } from './git.js';
import { messages, PREFIX } from './messages.js';
import { TEMP_PREFIX } from './store.js';
import { openWorkspace, stateDir, type RunContext, type Workspace } from './workspace.js';

/** What `prepare` runs so that teammates get the hooks on `npm install`. */
export const PREPARE = 'codexlog-hooks install --prepare';

const toPosix = (p: string) => p.split(path.sep).join('/');

/** Quotes `s` for sh: single quotes, so backticks and $ in messages stay text. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Where things go, resolved once for install and uninstall. */
interface Layout {
  ws: Workspace;
  top: string;
  pkgDir: string;
  /** Paths relative to the top level, with forward slashes (hooks run from there). */
  huskyDir: string;
  bin: string;
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

async function layout(ctx: RunContext): Promise<Layout | null> {
  const ws = await openWorkspace(ctx);
  if (!ws.repo) return null;
  const top = ws.repo.topLevel;
  const pkgDir = findPackageDir(ctx.cwd, top);
  if (!pkgDir) throw new CodexlogError(messages.noPackageJson(ctx.cwd));
  const root = installedPackageRoot(pkgDir, top);
  if (!root) throw new CodexlogError(messages.notADependency(pkgDir));
  return {
    ws,
    top,
    pkgDir,
    huskyDir: toPosix(path.relative(top, path.join(pkgDir, '.husky'))),
    bin: toPosix(path.relative(top, path.join(root, 'dist', 'src', 'bin.js'))),
    git: { cwd: top, env: ctx.env },
  };
}

/** The shell lines of our block in each .husky/ file (husky runs them with `sh -e` from the top level). */
export function hookBlocks(bin: string): Record<string, string> {
  const q = shQuote(bin);
  const missing = shQuote(`${PREFIX} ${messages.hookNotInstalled(bin)}`);
  const lfs = (hook: string) =>
    `command -v git-lfs >/dev/null 2>&1 || { echo >&2 ${shQuote(`${PREFIX} ${messages.lfsMissing}`)}; exit 2; }\n` +
    `git lfs ${hook} "$@"`;
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


/** The .gitignore lines: SQLite's side files. */
export const IGNORE_LINES = ['*.db-wal', '*.db-shm', '*.db-journal', `${TEMP_PREFIX}*.tmp`].join('\n');

/** What install remembers (in the git dir) so uninstall removes exactly what it added. */
interface Manifest {
  hooksPathBefore: string | null;
  lfsFiltersBefore: boolean;
  createdFiles: string[];
  configCreated: string | null;
  prepareBefore: string | null;
  /** Whether package.json had a "scripts" object before install added `prepare` to it. */
  scriptsExisted?: boolean;
}

function manifestFile(l: Layout): string {
  return path.join(stateDir(l.ws.repo!), 'install.json');
}

function readManifest(l: Layout): Manifest | null {
  try {
    return JSON.parse(readFileSync(manifestFile(l), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Writes `text` to `file` if it differs; returns whether it did. */
function writeIfChanged(file: string, text: string, mode?: number): boolean {
  if (readText(file) === text) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, mode === undefined ? undefined : { mode });
  return true;
}

function defaultConfigText(): string {
  return JSON.stringify({ paths: DEFAULT_CONFIG.paths, lfs: DEFAULT_CONFIG.lfs }, null, 2) + '\n';
}

function readPackageJson(file: string): { data: Record<string, unknown>; indent: string | number } {
  const text = readFileSync(file, 'utf8');
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new CodexlogError(messages.configUnreadable(file, (e as Error).message));
  }
  const indent = /^\{\s*\n(\s+)"/.exec(text)?.[1] ?? 2;
  return { data, indent };
}

function runHusky(l: Layout): string {
  const huskyBin = path.join(path.dirname(createRequire(import.meta.url).resolve('husky')), 'bin.js');
  // husky resolves `.git` and its folder from the cwd, so it runs from the top level.
  // The node running this install runs husky too (the one on PATH may be another, or none).
  const r = spawnSync(process.execPath, [huskyBin, l.huskyDir], { cwd: l.top, env: l.git.env, encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}

/** Installs everything; returns a line per change (empty when already installed). */
export async function install(ctx: RunContext, options: { allowAutoLfs?: boolean; prepare?: boolean }): Promise<string[]> {
  if (options.prepare && ctx.env.HUSKY === '0') return [];
  const l = await layout(ctx);
  if (!l) {
    if (options.prepare) return []; // `npm install` outside a git checkout (a tarball, CI image)
    throw new CodexlogError(messages.notARepo(ctx.cwd));
  }
  const changes: string[] = [];
  const hooksPath = `${l.huskyDir}/_`;
  const hooksPathBefore = await configGet(l.git, 'core.hooksPath');
  const lfsBefore = lfsInstalled(l.git.env) && (await configMatching(l.git, '^filter\\.lfs\\.')).size > 0;
  const previous = readManifest(l);
  const manifest: Manifest = previous ?? {
    hooksPathBefore, lfsFiltersBefore: lfsBefore, createdFiles: [], configCreated: null, prepareBefore: null,
  };

  // Husky: install, then check it really did (it exits 0 when it refuses).
  const huskyShim = path.join(l.top, l.huskyDir, '_', 'h');
  if (hooksPathBefore !== hooksPath || !existsSync(huskyShim)) {
    const said = runHusky(l);
    const after = await configGet(l.git, 'core.hooksPath');
    if (after !== hooksPath || !existsSync(huskyShim)) throw new CodexlogError(messages.huskyRefused(hooksPath, after, said));
    changes.push(`husky: core.hooksPath = ${hooksPath}`);
  }

  // Our blocks in the .husky/ files, next to whatever the user has there.
  for (const [hook, body] of Object.entries(hookBlocks(l.bin))) {
    const file = path.join(l.top, l.huskyDir, hook);
    const before = readText(file);
    if (before === null) manifest.createdFiles.push(toPosix(path.relative(l.top, file)));
    if (writeIfChanged(file, upsertBlock(before ?? '', body), 0o755)) changes.push(`${l.huskyDir}/${hook}`);
  }

  // LFS filters for this clone, without LFS's own hooks (they would collide with husky's stubs).
  if (lfsInstalled(l.git.env)) {
    const had = (await configMatching(l.git, '^filter\\.lfs\\.')).size > 0;
    if (!had) {
      await lfsInstallFilters(l.git);
      changes.push('git lfs install --local --skip-repo');
    }
  } else {
    ctx.logger?.warn(messages.installLfsAbsent);
  }

  // Attributes, ignores and config, all at the top level.
  const dbs = [l.ws.settings.logDb, l.ws.settings.sessionDb].map((p) => toPosix(path.relative(l.top, p)));
  for (const [name, body] of [['.gitattributes', attributeLines(dbs)], ['.gitignore', IGNORE_LINES]] as const) {
    const file = path.join(l.top, name);
    const before = readText(file);
    if (before === null && !manifest.createdFiles.includes(name)) manifest.createdFiles.push(name);
    if (writeIfChanged(file, upsertBlock(before ?? '', body))) changes.push(name);
  }
  if (!l.ws.settings.configFile) {
    const file = path.join(l.ws.settings.workspace, 'codexlog.config.json');
    const text = defaultConfigText();
    writeFileSync(file, text);
    manifest.configCreated = text;
    changes.push('codexlog.config.json');
  }

  // Teammates get the hooks when they run `npm install`.
  const pkgFile = path.join(l.pkgDir, 'package.json');
  const { data, indent } = readPackageJson(pkgFile);
  const scripts = (data.scripts ?? {}) as Record<string, string>;
  const prepare = scripts.prepare;
  if (!prepare || !prepare.includes(PREPARE)) {
    manifest.prepareBefore = prepare ?? null;
    manifest.scriptsExisted = data.scripts !== undefined;
    scripts.prepare = prepare ? `${prepare} && ${PREPARE}` : PREPARE;
    data.scripts = scripts;
    writeFileSync(pkgFile, JSON.stringify(data, null, indent) + '\n');
    changes.push(`package.json: "prepare": "${scripts.prepare}"`);
  }

  // This clone's config: the merge driver, and the ALLOW_AUTOLFS opt-in when asked for.
  const cfg = await configMatching(l.git, '^(merge\\.codexlog\\.|codexlog\\.)');
  const driver = `node ${shQuote(l.bin)} merge-driver %O %A %B %P`;
  if (cfg.get(`merge.${MERGE_DRIVER}.driver`) !== driver) {
    await configSetLocal(l.git, `merge.${MERGE_DRIVER}.name`, 'codexlog-hooks: union of log rows');
    await configSetLocal(l.git, `merge.${MERGE_DRIVER}.driver`, driver);
    changes.push(`git config merge.${MERGE_DRIVER}.driver`);
  }
  if (options.allowAutoLfs && cfg.get('codexlog.allowautolfs') !== 'true') {
    await configSetLocal(l.git, 'codexlog.allowAutoLfs', 'true');
    changes.push('git config codexlog.allowAutoLfs true');
  }

  if (!previous || changes.length > 0) {
    mkdirSync(path.dirname(manifestFile(l)), { recursive: true });
    writeFileSync(manifestFile(l), JSON.stringify(manifest, null, 2) + '\n');
  }
  return changes;
}

/** What uninstall did (a line per change) and what the user should still know. */
export interface UninstallResult {
  changes: string[];
  warnings: string[];
}

/** Removes exactly what install added. */
export async function uninstall(ctx: RunContext): Promise<UninstallResult> {
  const l = await layout(ctx);
  if (!l) throw new CodexlogError(messages.notARepo(ctx.cwd));
  const manifest = readManifest(l);
  const created = new Set(manifest?.createdFiles ?? []);
  const changes: string[] = [];

  const stripFile = (file: string, rel: string) => {
    const text = readText(file);
    if (text === null || !hasBlock(text)) return;
    const rest = removeBlock(text);
    if (rest.trim() === '' && created.has(rel)) rmSync(file);
    else writeFileSync(file, rest);
    changes.push(rel);
  };
  for (const hook of Object.keys(hookBlocks(l.bin))) stripFile(path.join(l.top, l.huskyDir, hook), `${l.huskyDir}/${hook}`);
  stripFile(path.join(l.top, '.gitattributes'), '.gitattributes');
  stripFile(path.join(l.top, '.gitignore'), '.gitignore');

  const configFile = path.join(l.ws.settings.workspace, 'codexlog.config.json');
  if (manifest?.configCreated && readText(configFile) === manifest.configCreated) {
    rmSync(configFile);
    changes.push('codexlog.config.json');
  }

  const pkgFile = path.join(l.pkgDir, 'package.json');
  const { data, indent } = readPackageJson(pkgFile);
  const scripts = (data.scripts ?? {}) as Record<string, string>;
  if (scripts.prepare?.includes(PREPARE)) {
    const rest = scripts.prepare.replace(` && ${PREPARE}`, '').replace(PREPARE, '').trim();
    if (rest) scripts.prepare = rest;
    else delete scripts.prepare;
    if (Object.keys(scripts).length === 0 && manifest?.scriptsExisted === false) delete data.scripts;
    writeFileSync(pkgFile, JSON.stringify(data, null, indent) + '\n');
    changes.push('package.json: prepare');
  }

  const cfg = await configMatching(l.git, '^(merge\\.codexlog\\.|codexlog\\.)');
  if (cfg.size > 0) {
    await execGit(l.git, ['config', '--local', '--remove-section', `merge.${MERGE_DRIVER}`], { allowFailure: true });
    await configSetLocal(l.git, 'codexlog.allowAutoLfs', null);
    await execGit(l.git, ['config', '--local', '--remove-section', 'codexlog'], { allowFailure: true });
    changes.push('git config merge.codexlog / codexlog.*');
  }
  if (manifest && !manifest.lfsFiltersBefore && (await configMatching(l.git, '^filter\\.lfs\\.')).size > 0) {
    await execGit(l.git, ['config', '--local', '--remove-section', 'filter.lfs'], { allowFailure: true });
    // git-lfs adds this marker to .git/config whenever it runs in a repository; LFS was not set
    // up here before install, so it came with us.
    await configSetLocal(l.git, 'lfs.repositoryformatversion', null);
    changes.push('git config filter.lfs');
  }
  const hooksPath = `${l.huskyDir}/_`;
  if (manifest && manifest.hooksPathBefore !== hooksPath && (await configGet(l.git, 'core.hooksPath')) === hooksPath) {
    await configSetLocal(l.git, 'core.hooksPath', manifest.hooksPathBefore);
    rmSync(path.join(l.top, l.huskyDir, '_'), { recursive: true, force: true });
    const huskyDir = path.join(l.top, l.huskyDir);
    if (existsSync(huskyDir) && readdirSync(huskyDir).length === 0) rmdirSync(huskyDir);
    changes.push(`core.hooksPath ${manifest.hooksPathBefore ? `= ${manifest.hooksPathBefore}` : 'unset'}`);
  }
  rmSync(manifestFile(l), { force: true });
  // The databases stay committed as LFS pointers; without the attributes the next `git add` would
  // store them raw. Removing them from the repository is the user's call, so say how.
  const dbs = [l.ws.settings.logDb, l.ws.settings.sessionDb].map((p) => toPosix(path.relative(l.top, p)));
  const warnings: string[] = [];
  if (changes.includes('.gitattributes')) {
    const tracked = (await execGit(l.git, ['ls-files', '--', ...dbs])).stdout.toString('utf8').split('\n').filter(Boolean);
    if (tracked.length > 0) warnings.push(messages.databasesStillTracked(tracked));
  }
  return { changes, warnings };
}
