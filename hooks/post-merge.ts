// post-merge: a pending `git.merge` row for merges and pulls (see src/commit-hooks.ts).
import { postMerge } from '../src/commit-hooks.js';
import type { HookHandler } from './types.js';

const handler: HookHandler = (ctx, args) => postMerge(ctx, args[0] ?? '0');
export default handler;
