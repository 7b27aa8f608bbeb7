#!/usr/bin/env node
// Bundles the CLI for bin/codexlog-hooks.js: the ~40 modules tsc emits took ~20 ms to resolve and
// load at every git hook. Two builds:
//  - dist/codexlog-hook.cjs: what git runs (`hook …`, `merge-driver …`), in one CommonJS file with
//    what it runs: a commit loads one module, and node starts CommonJS a few ms sooner;
//  - dist/codexlog-hooks.mjs and the chunks it loads on demand (dist/chunks/): every other command
//    loads only what it runs.
// Whitespace and syntax are minified (less to parse at every start); names are kept, so stack
// traces (DEBUG=codexlog) stay readable. esbuild (a well-kept bundler, already here through tsx)
// does it. better-sqlite3 (native), cosmiconfig (loaded only for non-JSON configs), husky (install
// only) and secretlint's rule preset (216 KB, imported only when a row could hold what it finds)
// stay external, loaded from node_modules when needed.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['better-sqlite3', 'cosmiconfig', 'husky', '@secretlint/secretlint-rule-preset-recommend'],
  logLevel: 'warning',
  legalComments: 'none',
};
rmSync(path.join(dist, 'chunks'), { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: { 'codexlog-hooks': path.join(root, 'src', 'cli', 'main.ts') },
    outdir: dist,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
  }),
  build({
    ...common,
    format: 'cjs',
    entryPoints: [path.join(root, 'src', 'cli', 'hook-main.ts')],
    outfile: path.join(dist, 'codexlog-hook.cjs'),
    define: { 'import.meta.url': 'importMetaUrl' },
    inject: [path.join(root, 'scripts', 'import-meta-url.js')],
  }),
]);
