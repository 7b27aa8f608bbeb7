// `codexlog-hooks record <action> <statement>`: one action into the log.
import { recordActions, sessionOf } from '../../actions.js';
import { messages } from '../../messages.js';
import { metadataText } from '../../rows.js';
import { openWorkspace } from '../../workspace.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'record <action> <statement> [--metadata <text|json>] [--session <id>]';

/** --metadata as stored: as the API stores a string (a JSON object or array as written, trimmed; any other text as given). */
export function parseMetadataFlag(value: string | undefined): string | null {
  return value === undefined ? null : metadataText(value);
}

const command: Command = {
  usage,
  summary: 'Record one action (what an agent did) in the log.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { metadata: { type: 'string' }, session: { type: 'string' } }, usage);
    expectPositionals(positionals, 2, 2, positionals.length === 0 ? '<action> and <statement>' : '<statement>', usage);
    const ws = await openWorkspace(ctx);
    const [written] = recordActions(ws, [
      {
        session_id: sessionOf(ws, values.session),
        action: positionals[0],
        statement: positionals[1],
        metadata: parseMetadataFlag(values.metadata),
      },
    ]);
    if (!ws.settings.env.testMode) ctx.logger.info(messages.recorded(written.uid));
    return 0;
  },
};
export default command;
