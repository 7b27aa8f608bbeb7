// `codexlog-hooks uninstall`: removes exactly what install added.

import { testModeOn } from '../../env.js';
import { uninstall } from '../../install/uninstall.js';
import { messages } from '../../messages.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'uninstall';

const command: Command = {
  usage,
  summary: 'Remove what install added (hook blocks, attributes, ignores, config it wrote, prepare script, git config). The databases stay.',
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, usage);
    expectPositionals(positionals, 0, 0, '', usage);
    if (testModeOn(ctx.env)) return 0;
    const { changes, warnings } = await uninstall(ctx);
    ctx.logger.info(messages.uninstallDone(changes));
    for (const w of warnings) ctx.logger.warn(w);
    return 0;
  },
};
export default command;
