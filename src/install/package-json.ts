// The `prepare` script in package.json, so that teammates get the hooks on `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';
import { CodexlogError } from '../errors.js';
import { messages } from '../messages.js';

/** What `prepare` runs. */
export const PREPARE_COMMAND = 'codexlog-hooks install --prepare';

/**
 * The fragment install adds to `prepare`: once the package is gone (npm uninstall before
 * `codexlog-hooks uninstall`), it says how to clean up instead of failing every `npm install`.
 */
export const PREPARE = `(${PREPARE_COMMAND} || echo 'codexlog-hooks is not installed: its git hooks log nothing; run npx codexlog-hooks@latest uninstall to remove them' >&2)`;

interface PackageJson {
  data: Record<string, unknown>;
  indent: string | number;
}

function readPackageJson(file: string): PackageJson {
  const text = readFileSync(file, 'utf8');
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new CodexlogError(messages.configUnreadable(file, (e as Error).message));
  }
  // Keep the file's own indentation.
  const indent = /^\{\s*\n(\s+)"/.exec(text)?.[1] ?? 2;
  return { data, indent };
}

function writePackageJson(file: string, pkg: PackageJson): void {
  writeFileSync(file, `${JSON.stringify(pkg.data, null, pkg.indent)}\n`);
}

/** `script` without our fragment (either form: 0.1.0 added the bare command). */
export function withoutPrepare(script: string): string {
  return script
    .replace(` && ${PREPARE}`, '')
    .replace(PREPARE, '')
    .replace(` && ${PREPARE_COMMAND}`, '')
    .replace(PREPARE_COMMAND, '')
    .trim();
}

/**
 * Adds PREPARE to the `prepare` script (replacing the bare command 0.1.0 added). Returns what was
 * there before (for the manifest), or undefined when it already runs PREPARE.
 */
export function addPrepare(file: string): { before: string | null; scriptsExisted: boolean; now: string } | undefined {
  const pkg = readPackageJson(file);
  const scripts = (pkg.data.scripts ?? {}) as Record<string, string>;
  const prepare = scripts.prepare;
  if (prepare?.includes(PREPARE)) return undefined;
  const scriptsExisted = pkg.data.scripts !== undefined;
  const rest = prepare ? withoutPrepare(prepare) : '';
  scripts.prepare = rest ? `${rest} && ${PREPARE}` : PREPARE;
  pkg.data.scripts = scripts;
  writePackageJson(file, pkg);
  return { before: prepare ?? null, scriptsExisted, now: scripts.prepare };
}

/** Removes our fragment from `prepare` (and the scripts object install created). Returns whether it changed. */
export function removePrepare(file: string, scriptsExisted: boolean | undefined): boolean {
  const pkg = readPackageJson(file);
  const scripts = (pkg.data.scripts ?? {}) as Record<string, string>;
  if (!scripts.prepare?.includes(PREPARE_COMMAND)) return false;
  const rest = withoutPrepare(scripts.prepare);
  if (rest) scripts.prepare = rest;
  else delete scripts.prepare;
  if (Object.keys(scripts).length === 0 && scriptsExisted === false) delete pkg.data.scripts;
  writePackageJson(file, pkg);
  return true;
}
