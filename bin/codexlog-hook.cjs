#!/usr/bin/env node
// The git hooks' stable entry (`codexlog-hook.cjs hook <name>`), in CommonJS: node starts it a
// few milliseconds sooner than the ES module entry. The hook runner in the git dir runs it.
require('../dist/codexlog-hook.cjs');
