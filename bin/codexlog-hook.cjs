#!/usr/bin/env node
// The stable entry of what git runs (`codexlog-hook.cjs hook <name>`, `… merge-driver %O %A %B %P`),
// in CommonJS: node starts it a few milliseconds sooner than the ES module entry. The runner in
// the git dir runs it.
require('../dist/codexlog-hook.cjs');
