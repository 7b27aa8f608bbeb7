// `codexlog-hooks session start|end`: open and close the session later records belong to.
import { endSession, startSession } from '../../actions.js';
import { UsageError } from '../../errors.js';
import { messages } from '../../messages.js';
import { escapeControl } from '../../read/escape.js';
import { openWorkspace } from '../../workspace.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'session start [--id <id>] | session end [--summary <text>]';

const command: Command = {
  usage,
  summary: 'Open a session (kept in the git dir) that later records use, or close it with a summary.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { id: { type: 'string' }, summary: { type: 'string' } }, usage);
    expectPositionals(positionals, 1, 1, 'start or end', usage);
    const [verb] = positionals;
    const bad = (problem: string) => new UsageError(problem, messages.usageLine(usage));
    if (verb !== 'start' && verb !== 'end') throw bad(messages.unknownSessionVerb(verb));
    if (verb === 'start' && values.summary !== undefined) throw bad(messages.flagBelongsTo('summary', 'end'));
    if (verb === 'end' && values.id !== undefined) throw bad(messages.flagBelongsTo('id', 'start'));
    const ws = await openWorkspace(ctx);
    const { testMode } = ws.settings.env;
    if (verb === 'start') {
      const id = startSession(ws, values.id, { remember: true });
      ctx.out(escapeControl(id));
      if (!testMode) ctx.logger.info(messages.sessionStarted(id));
      return 0;
    }
    const id = endSession(ws, null, values.summary ?? null, { remember: true });
    // Under TEST_MODE `session start` opened nothing, so its `end` has nothing to close: still a success.
    if (!id) {
      if (testMode) return 0;
      ctx.logger.warn(messages.noSession);
      return 1;
    }
    ctx.out(escapeControl(id));
    if (!testMode) ctx.logger.info(messages.sessionEnded(id));
    return 0;
  },
};
export default command;
