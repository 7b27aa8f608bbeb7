// `codexlog-hooks record <action> <statement>`: one action into the log.
import { recordActions, sessionOf } from '../../actions.js';
import { messages } from '../../messages.js';
import { openWorkspace } from '../../workspace.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'record <action> <statement> [--metadata <text|json>] [--session <id>]';

/** Parses --metadata: JSON objects and arrays are stored as JSON text, anything else as given. */
export function parseMetadataFlag(value: string | undefined): string | null {
  if (value === undefined) return null;
  const t = value.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(t));
    } catch {
      return value; // not JSON after all: keep the text as the user wrote it
    }
  }
  return value;
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
