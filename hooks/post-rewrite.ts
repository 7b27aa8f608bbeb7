// post-rewrite: old-to-new SHA mappings after amend and rebase (see src/commit-hooks.ts).
import { postRewrite } from '../src/commit-hooks.js';
import type { HookHandler } from './types.js';

const handler: HookHandler = async (ctx, args, stdin) => postRewrite(ctx, args[0] ?? 'unknown', (await stdin()).toString('utf8'));
export default handler;
