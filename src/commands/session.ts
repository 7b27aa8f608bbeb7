// `codexlog-hooks session start|end`: open and close the session later records belong to.
import { randomUUID } from 'node:crypto';
import { UsageError } from '../errors.js';
import { expectPositionals, parseCommandArgs, type Command } from '../command.js';
import { messages } from '../messages.js';
import { forgetSession, openSessionId, rememberSession } from '../session.js';
import { LogStore } from '../store.js';
import { openWorkspace } from '../workspace.js';

const usage = 'session start [--id <id>] | session end [--summary <text>]';

const command: Command = {
  usage,
  summary: 'Open a session (kept in the git dir) that later records use, or close it with a summary.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { id: { type: 'string' }, summary: { type: 'string' } }, usage);
    expectPositionals(positionals, 1, 1, 'start or end', usage);
    const [verb] = positionals;
    if (verb !== 'start' && verb !== 'end') throw new UsageError(messages.unknownSessionVerb(verb, usage));
    if (verb === 'start' && values.summary !== undefined) throw new UsageError(messages.flagBelongsTo('summary', 'end', usage));
    if (verb === 'end' && values.id !== undefined) throw new UsageError(messages.flagBelongsTo('id', 'start', usage));
    const ws = await openWorkspace(ctx);
    const id = verb === 'start'
      ? values.id ?? ws.settings.sessionIdFromEnv ?? randomUUID()
      : openSessionId(ws) ?? ws.settings.sessionIdFromEnv;
    // Under TEST_MODE `session start` opened nothing, so its `end` has nothing to close: still a success.
    if (!id && ws.settings.testMode) return 0;
    if (!id) {
      ctx.logger.warn(messages.noSession);
      return 1;
    }
    if (ws.settings.testMode) {
      ctx.out(id);
      return 0;
    }
    const store = LogStore.open(ws.settings.logDb, { create: true });
    try {
      store.addEvent({ session_id: id, event: verb, summary: verb === 'end' ? values.summary ?? null : null });
    } finally {
      store.close();
    }
    if (verb === 'start') rememberSession(ws, id);
    else forgetSession(ws);
    ctx.out(id);
    ctx.logger.info(verb === 'start' ? messages.sessionStarted(id) : messages.sessionEnded(id));
    return 0;
  },
};
export default command;
