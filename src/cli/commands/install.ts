// `codexlog-hooks install`: one command to adopt the tool in a repository.

import { testModeOn } from '../../env.js';
import { install } from '../../install/install.js';
import { messages } from '../../messages.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'install [--allow-autolfs] [--prepare]';

const command: Command = {
  usage,
  summary: 'Wire husky hooks, Git LFS, .gitattributes, .gitignore, the config, the prepare script and the merge driver. Safe to run again.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { 'allow-autolfs': { type: 'boolean' }, prepare: { type: 'boolean' } }, usage);
    expectPositionals(positionals, 0, 0, '', usage);
    if (testModeOn(ctx.env)) return 0;
    const changes = await install(ctx, { allowAutoLfs: values['allow-autolfs'], prepare: values.prepare });
    if (!values.prepare || changes.length > 0) ctx.logger.info(messages.installDone(changes));
    return 0;
  },
};
export default command;
