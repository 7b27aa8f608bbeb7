// `codexlog-hooks finalize`: consistent copy to the session database, both staged.
import { expectPositionals, parseCommandArgs, type Command } from '../command.js';
import { checkBackupRoot, finalizeStore } from '../finalize.js';
import { messages } from '../messages.js';
import { LogStore } from '../store.js';
import { openWorkspace } from '../workspace.js';

const usage = 'finalize';

const command: Command = {
  usage,
  summary: 'Check the log, copy it consistently to the session database, stage both (git add), back up if GH_COPILOT_BACKUP_ROOT is set.',
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, usage);
    expectPositionals(positionals, 0, 0, '', usage);
    const ws = await openWorkspace(ctx);
    if (ws.settings.testMode) return 0;
    // Before opening: a refused finalize must not create the log database either.
    checkBackupRoot(ws);
    const store = LogStore.open(ws.settings.logDb, { create: true });
    try {
      const r = await finalizeStore(ws, store, { stage: true });
      ctx.logger.info(r.staged ? messages.finalized(ws.settings.logDbRel, ws.settings.sessionDbRel) : messages.finalizedUnstaged(r.logDb, r.sessionDb));
      if (r.backup) ctx.logger.info(messages.backupWritten(r.backup));
    } finally {
      store.close();
    }
    return 0;
  },
};
export default command;
