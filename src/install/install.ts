// `install`: the clone's hooks in its git dir (husky pointed there, the hooks it had chained), the
// LFS filters, attributes, ignores, the default config, the teammates' `prepare` script and the
// merge driver. Running it again changes nothing; `npm install` runs it (prepare) in every clone.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AGENTS, type AgentName } from '../agents/types.js';
import { DEFAULT_CONFIG } from '../config.js';
import { CodexlogError } from '../errors.js';
import { localRemoteHead } from '../git/branch.js';
import { configGet } from '../git/config.js';
import { execGit } from '../git/exec.js';
import { lfsInstalled } from '../git/lfs.js';
import { currentBranch } from '../git/repo.js';
import { messages } from '../messages.js';
import type { RunContext } from '../workspace.js';
import { AGENT_FILES, readHooksFile, setAgentHooks, wiredAgents } from './agent-hooks.js';
import { attributeLines, IGNORE_LINES } from './attributes.js';
import { hasBlock, removeBlock, upsertBlock } from './blocks.js';
import { type CiSystem, planCiWorkflow, writeCiWorkflow } from './ci.js';
import { chainedHooks, findHookSetup } from './coexist.js';
import {
  type DispatcherConfig,
  dispatcherPaths,
  dispatchScript,
  HOOK_NAMES,
  HUSKY_HOOKS,
  hookScript,
  mergeDriverScript,
  runnerScript,
  trailerScript,
} from './dispatcher.js';
import { readText, writeIfChanged } from './files.js';
import { ensureAmThreeWay, ensureCloneConfig, ensureLfsFilters, hasLfsFilters } from './git-config.js';
import { ensureHusky, huskyHooksPath } from './husky.js';
import { databasePaths, ENTRY, type Layout, resolveLayout, toPosix } from './layout.js';
import { type Manifest, readManifest, writeManifest } from './manifest.js';
import { addPrepare } from './package-json.js';

/** The branch the CI workflow syncs with: the remote's default branch, else this one, else main. */
async function ciBase(l: Layout): Promise<string> {
  return (await localRemoteHead(l.git, 'origin')) ?? (await currentBranch(l.git, l.repo)) ?? 'main';
}

/** The text of the config file install writes when the repository has none: every key, its default. */
export function defaultConfigText(): string {
  const { paths, lfs, segments, agents, redaction } = DEFAULT_CONFIG;
  return `${JSON.stringify({ paths, lfs, segments, agents, redaction }, null, 2)}\n`;
}

/** The hook names the 0.1.0-era blocks were written into (under the package's .husky/). */
const LEGACY_BLOCK_HOOKS = ['pre-commit', 'post-commit', 'post-rewrite', 'post-merge', 'post-checkout', 'pre-push'];

/** What install did: a line per change, the hooks it keeps running, and what the user must do. */
export interface InstallResult {
  changes: string[];
  chained: string[];
  /** The agents whose hooks are wired after install. */
  agents: AgentName[];
}

/** What install is asked to do. */
export interface InstallOptions {
  allowAutoLfs?: boolean;
  /** Run by `npm install` in a clone: the clone's own setup only, never the committed agent files. */
  prepare?: boolean;
  /** The agents to wire (the others are unwired); by default those already wired, or all at the first install. */
  agents?: AgentName[];
  /** Also write a CI workflow that keeps pull requests mergeable on the server. */
  ci?: CiSystem;
}

function packageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Writes the clone's hook scripts into its git dir; returns the files that changed. */
function writeDispatcher(l: Layout, c: DispatcherConfig): string[] {
  const p = dispatcherPaths(l.repo.commonDir);
  const changed: string[] = [];
  const put = (file: string, text: string) => {
    if (writeIfChanged(file, text, 0o755)) changed.push(file);
    chmodSync(file, 0o755);
  };
  const chained = new Set(chainedHooks(l.top, c.chain, c.huskyFiles).map((h) => h.name));
  for (const name of HOOK_NAMES) {
    put(path.join(p.husky, name), hookScript(name, c.version));
    // husky writes stubs for its own list; another name gets the same stub only when a chained
    // folder has that hook (git runs nothing, and forks nothing, for a hook without a stub).
    const stub = path.join(p.husky, '_', name);
    if ((HUSKY_HOOKS as readonly string[]).includes(name) || chained.has(name)) {
      if (!existsSync(stub)) put(stub, '#!/usr/bin/env sh\n. "$(dirname "$0")/h"');
    } else if (existsSync(stub)) {
      rmSync(stub);
      changed.push(stub);
    }
  }
  put(p.dispatch, dispatchScript(c));
  put(p.run, runnerScript(c));
  put(p.mergeDriver, mergeDriverScript(c.version));
  put(p.trailer, trailerScript(c.version));
  // The sh recorders of the post-* hooks and of the agents' hooks live beside them: they work even
  // with node_modules gone, in every worktree.
  put(p.record, readFileSync(path.join(l.packageRoot as string, 'bin', 'codexlog-hook.sh'), 'utf8'));
  put(p.agentHook, readFileSync(path.join(l.packageRoot as string, 'bin', 'codexlog-agent-hook.sh'), 'utf8'));
  return changed;
}

/** Removes the blocks 0.1.0 wrote into .husky/ files (deleting files it created that are now empty). */
function removeLegacyBlocks(l: Layout, manifest: Manifest): string[] {
  const changed: string[] = [];
  for (const hook of LEGACY_BLOCK_HOOKS) {
    const rel = `${l.huskyDir}/${hook}`;
    const file = path.join(l.top, rel);
    const text = readText(file);
    if (text === null || !hasBlock(text)) continue;
    const rest = removeBlock(text);
    if (rest.trim() === '' && manifest.createdFiles.includes(rel)) {
      rmSync(file);
      manifest.createdFiles = manifest.createdFiles.filter((f) => f !== rel);
    } else {
      writeFileSync(file, rest);
    }
    changed.push(`${rel}: the old codexlog-hooks block removed (the hooks now run from the git dir)`);
  }
  return changed;
}

async function installIn(l: Layout, ctx: RunContext, options: InstallOptions): Promise<InstallResult> {
  const { repo } = l;
  const changes: string[] = [];
  // An agent's hooks file install could not edit stops install before anything changed.
  if (!options.prepare) for (const agent of AGENTS) readHooksFile(path.join(l.top, AGENT_FILES[agent]));
  const paths = dispatcherPaths(repo.commonDir);
  const ours = huskyHooksPath(paths.husky);
  const hooksPathNow = await configGet(l.git, 'core.hooksPath');
  const previous = readManifest(repo);
  const manifest: Manifest = previous ?? {
    hooksPathBefore: null,
    lfsFiltersBefore: lfsInstalled(l.git.env) && (await hasLfsFilters(l.git)),
    lfsMarkerBefore:
      (await execGit(l.git, ['config', '--local', '--get', 'lfs.repositoryformatversion'], { allowFailure: true })).code === 0,
    createdFiles: [],
    configCreated: null,
    prepareBefore: null,
  };
  // The CI workflow, planned before anything changes (a foreign file refuses it).
  const ci = options.ci === 'github' ? planCiWorkflow(l.top, { base: await ciBase(l), pkgRel: l.pkgRel }, manifest.ciFiles) : null;

  // The hooks that run today, found once: at the first install, or when something took
  // core.hooksPath since (a team's `prepare: husky`, a hooks folder set by hand).
  if (!previous?.chain || hooksPathNow !== ours) {
    const setup = await findHookSetup(l.git, repo, ours, l.pkgRel);
    // The value before the FIRST install: an older install's manifest (0.1.0's) already holds it.
    if (!previous) manifest.hooksPathBefore = setup.localHooksPath;
    manifest.chain = [...new Set([...(manifest.chain ?? []), ...setup.chain])];
    manifest.huskyFiles = setup.huskyFiles ?? manifest.huskyFiles ?? null;
  }
  manifest.pkgRel = l.pkgRel;
  manifest.entry = path.join(l.packageRoot as string, ENTRY);
  const config: DispatcherConfig = {
    pkgRel: l.pkgRel,
    entry: path.join(l.packageRoot as string, ENTRY),
    node: process.execPath,
    chain: manifest.chain ?? [],
    huskyFiles: manifest.huskyFiles ?? null,
    version: packageVersion(l.packageRoot as string),
  };
  // The scripts first, then husky: core.hooksPath only moves once everything it leads to exists.
  const written = writeDispatcher(l, config);
  if (written.length) changes.push(`hooks in ${toPosix(path.relative(l.top, paths.root)) || paths.root}`);
  if (await ensureHusky(l.git, paths.husky, hooksPathNow)) changes.push(`core.hooksPath = ${ours}`);
  changes.push(...removeLegacyBlocks(l, manifest));

  const filters = await ensureLfsFilters(l.git);
  if (filters) changes.push(filters);
  if (!lfsInstalled(l.git.env)) ctx.logger?.warn(messages.installLfsAbsent);

  // Attributes, ignores and config, all at the top level.
  const segmentsDir = toPosix(path.relative(l.top, l.ws.settings.segmentsDir));
  for (const [name, body] of [
    ['.gitattributes', attributeLines({ dbs: databasePaths(l), segmentsDir })],
    ['.gitignore', IGNORE_LINES],
  ] as const) {
    const file = path.join(l.top, name);
    const before = readText(file);
    if (before === null && !manifest.createdFiles.includes(name)) manifest.createdFiles.push(name);
    if (writeIfChanged(file, upsertBlock(before ?? '', body))) changes.push(name);
  }
  if (!l.ws.settings.configFile) {
    const text = defaultConfigText();
    writeFileSync(path.join(l.ws.settings.workspace, 'codexlog.config.json'), text);
    manifest.configCreated = text;
    changes.push('codexlog.config.json');
  }

  // Teammates get all of this when they run `npm install`.
  const prepare = addPrepare(path.join(l.pkgDir, 'package.json'));
  if (prepare) {
    if (!previous) manifest.prepareBefore = prepare.before;
    manifest.scriptsExisted ??= prepare.scriptsExisted;
    changes.push(`package.json: "prepare": "${prepare.now}"`);
  }

  changes.push(...(await ensureCloneConfig(l.git, options.allowAutoLfs === true)));
  if (await ensureAmThreeWay(l.git)) {
    manifest.amThreeWaySet = true;
    changes.push('git config am.threeWay true (git am of a series falls back to the merge driver)');
  }
  // The agents' hook files are the team's (committed): `npm install` in a clone leaves them alone.
  let agents = wiredAgents(l.top);
  if (!options.prepare) {
    agents = options.agents ?? (agents.length > 0 ? agents : [...AGENTS]);
    changes.push(...setAgentHooks(l.top, agents));
  }
  if (ci) {
    const written = writeCiWorkflow(l.top, ci);
    if (written.change) changes.push(written.change);
    manifest.ciFiles = { ...manifest.ciFiles, [written.record[0]]: written.record[1] };
  }
  if (!previous || changes.length > 0 || ci) writeManifest(repo, manifest);
  // Relative to the top level, or absolute for a hook outside the repository (a global core.hooksPath).
  const shown = (file: string) => {
    const rel = path.relative(l.top, file);
    return toPosix(rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) ? file : rel);
  };
  const chained = chainedHooks(l.top, config.chain, config.huskyFiles).map((f) => shown(f.file));
  return { changes, chained, agents };
}

/** Installs everything; returns a line per change (empty when already installed) and the chained hooks. */
export async function install(ctx: RunContext, options: InstallOptions): Promise<InstallResult> {
  if (options.prepare && ctx.env.HUSKY === '0') return { changes: [], chained: [], agents: [] };
  const l = await resolveLayout(ctx, { needPackage: true });
  if (!l) {
    if (options.prepare) return { changes: [], chained: [], agents: [] }; // `npm install` outside a git checkout (a tarball, CI image)
    throw new CodexlogError(messages.notARepo(ctx.cwd));
  }
  return installIn(l, ctx, options);
}
