// `codexlog-hooks hook <name> [git's args]`: what the .husky/ files call. Never a stack trace:
// a blocked pre-commit exits 1 with its message; the post-* hooks never fail the operation.
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import type { HookHandler } from '../../hooks/types.js';

/** The hooks we handle, and whether a failure of theirs stops git. */
export const HOOKS: Record<string, { blocking: boolean; load: () => Promise<{ default: HookHandler }> }> = {
  'pre-commit': { blocking: true, load: () => import('../../hooks/pre-commit.js') },
  'post-commit': { blocking: false, load: () => import('../../hooks/post-commit.js') },
  'post-rewrite': { blocking: false, load: () => import('../../hooks/post-rewrite.js') },
  'post-merge': { blocking: false, load: () => import('../../hooks/post-merge.js') },
};

const usage = `hook <${Object.keys(HOOKS).join('|')}> [git's arguments]`;

const command: Command = {
  usage,
  summary: 'Run one of our git hook handlers (the .husky/ files call this).',
  async run(args, ctx) {
    const [name, ...rest] = args;
    const hook = name !== undefined && Object.hasOwn(HOOKS, name) ? HOOKS[name] : undefined;
    if (!hook) throw new UsageError(name ? messages.unknownHook(name, usage) : messages.missingArgument('<hook>', usage));
    try {
      await (await hook.load()).default(ctx, rest, ctx.readStdin);
      return 0;
    } catch (e) {
      const detail = (e as Error)?.message ?? String(e);
      for (const line of detail.split('\n')) ctx.logger.warn(line);
      // Short messages only, unless asked for the stack (as the CLI does with DEBUG).
      if (ctx.env.DEBUG && /codexlog|\*/.test(ctx.env.DEBUG) && (e as Error)?.stack) ctx.logger.warn((e as Error).stack!);
      if (!hook.blocking) return 0;
      ctx.logger.warn(messages.commitBlocked);
      return 1;
    }
  },
};
export default command;
