// `codexlog-hooks install`: one command to adopt the tool in a repository.

import { testModeOn } from '../../env.js';
import { UsageError } from '../../errors.js';
import { CI_SYSTEMS, type CiSystem } from '../../install/ci.js';
import { install } from '../../install/install.js';
import { messages } from '../../messages.js';
import { type Command, expectPositionals, flagValue, parseCommandArgs } from '../args.js';

const usage = 'install [--allow-autolfs] [--prepare] [--ci github]';

/** --ci: the CI system to write a sync workflow for (issue 11). */
export function parseCi(value: string | undefined): CiSystem | undefined {
  if (value === undefined) return undefined;
  if (!(CI_SYSTEMS as readonly string[]).includes(value)) throw new UsageError(messages.ciUnknown(value));
  return value as CiSystem;
}

const command: Command = {
  usage,
  summary:
    'Wire the git hooks (kept in the git dir, chaining the ones you have), Git LFS, .gitattributes, .gitignore, the config, the prepare script and the merge driver. Safe to run again. --ci github: also a workflow that keeps pull requests mergeable on the server.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'allow-autolfs': { type: 'boolean' }, prepare: { type: 'boolean' }, ci: { type: 'string' } },
      usage,
    );
    expectPositionals(positionals, 0, 0, '', usage);
    const ci = flagValue(usage, () => parseCi(values.ci));
    if (testModeOn(ctx.env)) return 0;
    if (values.prepare) {
      // Run by `npm install` in every clone: a problem here is reported, never a failed npm install.
      try {
        const r = await install(ctx, { allowAutoLfs: values['allow-autolfs'], prepare: true, ci });
        if (r.changes.length > 0) ctx.logger.info(messages.installDone(r.changes, r.chained));
      } catch (e) {
        ctx.logger.warn(messages.prepareFailed((e as Error).message));
      }
      return 0;
    }
    const r = await install(ctx, { allowAutoLfs: values['allow-autolfs'], ci });
    ctx.logger.info(messages.installDone(r.changes, r.chained));
    return 0;
  },
};
export default command;
