// What git runs (bin/codexlog-hook.cjs; bin/codexlog-hooks.js for `hook …` and `merge-driver …`):
// the hook command and the merge driver alone, bundled into one CommonJS file with what they run,
// so that a commit, or each commit a rebase replays, loads one module and nothing else (node
// starts CommonJS a few milliseconds sooner than ES modules).
import hook from './commands/hook.js';
import mergeDriver from './commands/merge-driver.js';
import { runProcess } from './process.js';

void runProcess({ hook: async () => ({ default: hook }), 'merge-driver': async () => ({ default: mergeDriver }) });
