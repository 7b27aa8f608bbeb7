#!/usr/bin/env node
// Bundles the CLI into one file, dist/codexlog-hooks.mjs (what bin/codexlog-hooks.js runs). Every
// git hook starts this CLI: one file parses in a few milliseconds where the ~40 modules tsc emits
// took ~20 ms to resolve and load. esbuild (a well-kept bundler, already here through tsx) does it.
// better-sqlite3 (native), cosmiconfig (loaded only for non-JSON configs), husky (install only) and
// secretlint's rule preset (216 KB, imported only when rows need redacting: bundled, every hook
// start would parse it) stay external, loaded from node_modules when needed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
  outfile: path.join(root, 'dist', 'codexlog-hooks.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'cosmiconfig', 'husky', '@secretlint/secretlint-rule-preset-recommend'],
  logLevel: 'warning',
  legalComments: 'none',
});
