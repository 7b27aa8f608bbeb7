// `codexlog-hooks merge-driver %O %A %B %P`: git's merge driver for the log databases.

import { testModeOn } from '../../env.js';
import { mergeLogFiles } from '../../merge.js';
import { messages } from '../../messages.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'merge-driver <base %O> <ours %A> <theirs %B> <path %P>';

const command: Command = {
  usage,
  summary: 'Merge two versions of a log database by the union of their rows (git runs this; install registers it).',
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, usage);
    expectPositionals(positionals, 4, 4, 'the four files git passes (%O %A %B %P)', usage);
    const [base, ours, theirs, repoPath] = positionals;
    // Under TEST_MODE nothing is written: leave the conflict to git.
    if (testModeOn(ctx.env)) return 1;
    try {
      const added = await mergeLogFiles({ cwd: ctx.cwd, env: ctx.env }, { base, ours, theirs }, repoPath);
      ctx.logger.info(messages.mergeDone(repoPath, added));
      return 0;
    } catch (e) {
      ctx.logger.warn((e as Error).message);
      return 1;
    }
  },
};
export default command;
