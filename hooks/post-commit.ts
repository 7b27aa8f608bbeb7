// post-commit: a pending `git.commit` row (see src/commit-hooks.ts).
import { postCommit } from '../src/commit-hooks.js';
import type { HookHandler } from './types.js';

const handler: HookHandler = (ctx) => postCommit(ctx);
export default handler;
