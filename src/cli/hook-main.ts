// The git hooks' entry (bin/codexlog-hook.cjs; bin/codexlog-hooks.js for `hook …`): the hook
// command alone, bundled into one CommonJS file with what it runs, so that a commit loads one
// module and nothing else (node starts CommonJS a few milliseconds sooner than ES modules).
import hook from './commands/hook.js';
import { runProcess } from './process.js';

void runProcess({ hook: async () => ({ default: hook }) });
