// `codexlog-hooks finalize`: consistent copy to the session database, both staged.
import { finalize } from '../../actions.js';
import { messages } from '../../messages.js';
import { openWorkspace } from '../../workspace.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'finalize';

const command: Command = {
  usage,
  summary: 'Check the log, copy it consistently to the session database, stage both (git add), back up if GH_COPILOT_BACKUP_ROOT is set.',
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, usage);
    expectPositionals(positionals, 0, 0, '', usage);
    const ws = await openWorkspace(ctx);
    const r = await finalize(ws);
    if (!r) return 0; // TEST_MODE
    ctx.logger.info(
      r.staged ? messages.finalized(ws.settings.logDbRel, ws.settings.sessionDbRel) : messages.finalizedUnstaged(r.logDb, r.sessionDb),
    );
    if (r.backup) ctx.logger.info(messages.backupWritten(r.backup));
    return 0;
  },
};
export default command;
