#!/usr/bin/env node
// The stable entry point: the only path users' hook files and merge driver name. It never moves,
// whatever the build layout behind it.
import '../dist/codexlog-hooks.mjs';
