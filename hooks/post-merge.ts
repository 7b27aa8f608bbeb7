// post-merge (pull, merge without conflicts): a `git.merge` row, since no commit hook fires.
import { mergeRow } from '../src/commit-rows.js';
import { headCommit } from '../src/git/repo.js';
import { hookWorkspace } from '../src/hook-workspace.js';
import { addPending } from '../src/pending.js';
import { resolveSessionId } from '../src/session.js';
import type { HookHandler } from './types.js';

const handler: HookHandler = async (ctx, args) => {
  const ws = await hookWorkspace(ctx, { config: false });
  if (!ws) return;
  const head = await headCommit(ws.git);
  addPending(
    ws,
    mergeRow(
      resolveSessionId(ws, null, () => null),
      head,
      args[0] === '1',
    ),
  );
};
export default handler;
