// `codexlog-hooks hook <name> [git's args]`: what the .husky/ files call. Never a stack trace:
// a blocked pre-commit exits 1 with its message; the post-* hooks never fail the operation.

import type { HookHandler } from '../../../hooks/types.js';
import { CodexlogError, UsageError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { Command } from '../args.js';

/** The hooks we handle, and whether a failure of theirs stops git. */
export const HOOKS: Record<string, { blocking: boolean; load: () => Promise<{ default: HookHandler }> }> = {
  'pre-commit': { blocking: true, load: () => import('../../../hooks/pre-commit.js') },
  // What 0.1.0's hook blocks call; the current hooks run the sh recorder directly.
  'post-commit': {
    blocking: false,
    load: async () => ({ default: (await import('../../../hooks/post-record.js')).postRecord('post-commit') }),
  },
  'post-rewrite': {
    blocking: false,
    load: async () => ({ default: (await import('../../../hooks/post-record.js')).postRecord('post-rewrite') }),
  },
  'post-merge': {
    blocking: false,
    load: async () => ({ default: (await import('../../../hooks/post-record.js')).postRecord('post-merge') }),
  },
};

const usage = `hook <${Object.keys(HOOKS).join('|')}> [git's arguments]`;

/**
 * A handler's failure, as the CLI's one catch should report it: a blocking hook (pre-commit) exits
 * 1 and says the commit was blocked; the others warn and exit 0, since git ignores them anyway.
 */
function hookFailure(e: unknown, blocking: boolean): CodexlogError {
  const message = e instanceof CodexlogError ? e.message : messages.unexpected((e as Error)?.message ?? String(e));
  return new CodexlogError(blocking ? `${message}\n${messages.commitBlocked}` : message, { exitCode: blocking ? 1 : 0, cause: e });
}

const command: Command = {
  usage,
  summary: 'Run one of our git hook handlers (the .husky/ files call this).',
  async run(args, ctx) {
    const [name, ...rest] = args;
    const hook = name !== undefined && Object.hasOwn(HOOKS, name) ? HOOKS[name] : undefined;
    if (!hook) throw new UsageError(name ? messages.unknownHook(name) : messages.missingArgument('<hook>'), messages.usageLine(usage));
    const handler = (await hook.load()).default;
    await handler(ctx, rest, ctx.readStdin).catch((e: unknown) => {
      throw hookFailure(e, hook.blocking);
    });
    return 0;
  },
};
export default command;
