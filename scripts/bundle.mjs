#!/usr/bin/env node
// Bundles the CLI (what bin/codexlog-hooks.js runs) into dist/codexlog-hooks.mjs and the chunks it
// loads on demand (dist/chunks/). Every git hook starts this CLI: the ~40 modules tsc emits took
// ~20 ms to resolve and load; one bundle of every command took ~11 ms to compile. Split into
// chunks, a hook loads only what it runs (the read commands, the report, import, sync-branch stay
// out of a commit). esbuild (a well-kept bundler, already here through tsx) does it.
// better-sqlite3 (native), cosmiconfig (loaded only for non-JSON configs), husky (install only) and
// secretlint's rule preset (216 KB, imported only when a row could hold what it finds) stay
// external, loaded from node_modules when needed.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
rmSync(path.join(dist, 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: { 'codexlog-hooks': path.join(root, 'src', 'cli', 'main.ts') },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Less to parse at every start; names are kept, so stack traces (DEBUG=codexlog) stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['better-sqlite3', 'cosmiconfig', 'husky', '@secretlint/secretlint-rule-preset-recommend'],
  logLevel: 'warning',
  legalComments: 'none',
});
