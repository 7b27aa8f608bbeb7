// post-rewrite (amend, rebase): the old-to-new SHA mapping, so rewritten commits keep their links.
import { rewriteRow } from '../src/commit-rows.js';
import { parseRewrites } from '../src/git/parse.js';
import { hookWorkspace } from '../src/hook-workspace.js';
import { addPending } from '../src/pending.js';
import { resolveSessionId } from '../src/session.js';
import type { HookHandler } from './types.js';

const handler: HookHandler = async (ctx, args, stdin) => {
  const ws = await hookWorkspace(ctx, { config: false });
  if (!ws) return;
  const mappings = parseRewrites((await stdin()).toString('utf8'));
  if (mappings.length === 0) return;
  addPending(
    ws,
    rewriteRow(
      resolveSessionId(ws, null, () => null),
      args[0] ?? 'unknown',
      mappings,
    ),
  );
};
export default handler;
