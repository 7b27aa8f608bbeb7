// pre-commit: gate, log, finalize and stage (see src/commit-hooks.ts).
import { preCommit } from '../src/commit-hooks.js';
import type { HookHandler } from './types.js';

const handler: HookHandler = (ctx) => preCommit(ctx);
export default handler;
