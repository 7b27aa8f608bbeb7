// `codexlog-hooks restore <commit>`: puts back the rows a commit dropped from the log (a server's
// rebase merge replays commits without the merge driver); `check` names the commit.
import { restoreDropped } from '../../dropped.js';
import { testModeOn } from '../../env.js';
import { CodexlogError } from '../../errors.js';
import { configGet } from '../../git/config.js';
import { lfsStorageDir } from '../../git/lfs-objects.js';
import { messages } from '../../messages.js';
import { openWorkspace } from '../../workspace.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'restore <commit>';

const command: Command = {
  usage,
  summary:
    'Put back the rows <commit> dropped from the log (check names it): they wait among the uncommitted rows and the next commit carries them.',
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, usage);
    expectPositionals(positionals, 1, 1, 'the <commit> that dropped the rows', usage);
    if (testModeOn(ctx.env)) return 0;
    const ws = await openWorkspace(ctx);
    if (!ws.repo) throw new CodexlogError(messages.notARepo(ctx.cwd));
    const storage = lfsStorageDir(ws.repo.commonDir, await configGet(ws.git, 'lfs.storage'));
    const r = await restoreDropped(ws, storage, positionals[0]);
    ctx.logger.info(r.restored > 0 ? messages.restoreDone(r.restored, r.commit) : messages.restoreNothing(r.commit));
    return 0;
  },
};
export default command;
