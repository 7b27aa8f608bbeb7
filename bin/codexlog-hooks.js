#!/usr/bin/env node
// The stable entry point: the only path users' hook files and merge driver name. It never moves,
// whatever the build layout behind it. The git hooks (`hook …`) run their own one-file bundle.
import { createRequire } from 'node:module';

if (process.argv[2] === 'hook') createRequire(import.meta.url)('../dist/codexlog-hook.cjs');
else await import('../dist/codexlog-hooks.mjs');
