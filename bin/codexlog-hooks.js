#!/usr/bin/env node
// The stable entry point: the only path users' hook files and merge driver name. It never moves,
// whatever the build layout behind it. What git runs (`hook …`, `merge-driver …`) has a one-file
// bundle of its own.
import { createRequire } from 'node:module';

if (process.argv[2] === 'hook' || process.argv[2] === 'merge-driver') createRequire(import.meta.url)('../dist/codexlog-hook.cjs');
else await import('../dist/codexlog-hooks.mjs');
