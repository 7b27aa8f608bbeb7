// `install`: husky, our blocks in its hook files, the LFS filters, attributes, ignores, the default
// config, the teammates' `prepare` script and the merge driver. Running it again changes nothing.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../config.js';
import { CodexlogError } from '../errors.js';
import { configGet } from '../git/config.js';
import { lfsInstalled } from '../git/lfs.js';
import { messages } from '../messages.js';
import type { RunContext } from '../workspace.js';
import { attributeLines, IGNORE_LINES } from './attributes.js';
import { upsertBlock } from './blocks.js';
import { readText, writeIfChanged } from './files.js';
import { ensureCloneConfig, ensureLfsFilters, hasLfsFilters } from './git-config.js';
import { hookBlocks } from './hook-blocks.js';
import { ensureHusky, huskyHooksPath } from './husky.js';
import { databasePaths, resolveLayout, toPosix } from './layout.js';
import { type Manifest, readManifest, writeManifest } from './manifest.js';
import { addPrepare } from './package-json.js';

/** The text of the config file install writes when the repository has none: every key, its default. */
export function defaultConfigText(): string {
  return `${JSON.stringify({ paths: DEFAULT_CONFIG.paths, lfs: DEFAULT_CONFIG.lfs }, null, 2)}\n`;
}

/** Installs everything; returns a line per change (empty when already installed). */
export async function install(ctx: RunContext, options: { allowAutoLfs?: boolean; prepare?: boolean }): Promise<string[]> {
  if (options.prepare && ctx.env.HUSKY === '0') return [];
  const l = await resolveLayout(ctx);
  if (!l) {
    if (options.prepare) return []; // `npm install` outside a git checkout (a tarball, CI image)
    throw new CodexlogError(messages.notARepo(ctx.cwd));
  }
  const { repo } = l;
  const changes: string[] = [];
  const hooksPathBefore = await configGet(l.git, 'core.hooksPath');
  const previous = readManifest(repo);
  const manifest: Manifest = previous ?? {
    hooksPathBefore,
    lfsFiltersBefore: lfsInstalled(l.git.env) && (await hasLfsFilters(l.git)),
    createdFiles: [],
    configCreated: null,
    prepareBefore: null,
  };

  if (await ensureHusky(l, hooksPathBefore)) changes.push(`husky: core.hooksPath = ${huskyHooksPath(l)}`);

  // Our blocks in the .husky/ files, next to whatever the user has there. A block written by an
  // earlier version (naming another entry point) is replaced in place.
  for (const [hook, body] of Object.entries(hookBlocks(l.bin))) {
    const file = path.join(l.top, l.huskyDir, hook);
    const before = readText(file);
    if (before === null) manifest.createdFiles.push(toPosix(path.relative(l.top, file)));
    if (writeIfChanged(file, upsertBlock(before ?? '', body), 0o755)) changes.push(`${l.huskyDir}/${hook}`);
  }

  // LFS filters for this clone, without LFS's own hooks (they would collide with husky's stubs).
  const filters = await ensureLfsFilters(l.git);
  if (filters) changes.push(filters);
  if (!lfsInstalled(l.git.env)) ctx.logger?.warn(messages.installLfsAbsent);

  // Attributes, ignores and config, all at the top level.
  for (const [name, body] of [
    ['.gitattributes', attributeLines({ dbs: databasePaths(l), segmentsDir: toPosix(path.relative(l.top, l.ws.settings.segmentsDir)) })],
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

  // Teammates get the hooks when they run `npm install`.
  const prepare = addPrepare(path.join(l.pkgDir, 'package.json'));
  if (prepare) {
    manifest.prepareBefore = prepare.before;
    manifest.scriptsExisted = prepare.scriptsExisted;
    changes.push(`package.json: "prepare": "${prepare.now}"`);
  }

  changes.push(...(await ensureCloneConfig(l.git, l.bin, options.allowAutoLfs === true)));

  if (!previous || changes.length > 0) writeManifest(repo, manifest);
  return changes;
}
