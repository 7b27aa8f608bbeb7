// post-commit: a `git.commit` row (SHA, parents, subject). It waits in the git dir: writing the
// tracked database now would leave the work tree dirty.
import { commitRow } from '../src/commit-rows.js';
import { headCommit, operationsInProgress } from '../src/git/repo.js';
import { hookWorkspace } from '../src/hook-workspace.js';
import { addPending } from '../src/pending.js';
import { resolveSessionId } from '../src/session.js';
import type { HookHandler } from './types.js';

const handler: HookHandler = async (ctx) => {
  const ws = await hookWorkspace(ctx, { config: false });
  if (!ws) return;
  const head = await headCommit(ws.git);
  addPending(
    ws,
    commitRow(
      resolveSessionId(ws, null, () => null),
      head,
      operationsInProgress(ws.repo),
    ),
  );
};
export default handler;
