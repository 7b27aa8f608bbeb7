// What 0.1.0's hook files and merge driver named (node_modules/codexlog-hooks/dist/src/bin.js).
// Kept so that a repository installed by 0.1.0 keeps logging until `install` upgrades it to the
// stable entry point, bin/codexlog-hooks.js.
import './cli/main.js';
