// `codexlog-hooks sync-branch [--base <branch>] [--push]`: merges the base into the current branch
// where only the log conflicts, so that a server can merge the pull request (see src/sync-branch.ts).
import { testModeOn } from '../../env.js';
import { UsageError } from '../../errors.js';
import { messages } from '../../messages.js';
import { isBranchName, type SyncOptions, syncBranch } from '../../sync-branch.js';
import { type Command, expectPositionals, flagValue, parseCommandArgs } from '../args.js';

const usage = 'sync-branch [--base <branch>] [--push]';

/** The command line as sync-branch options (usage errors for anything else). */
export function parseSyncArgs(args: string[]): SyncOptions {
  const { values, positionals } = parseCommandArgs(args, { base: { type: 'string' }, push: { type: 'boolean' } }, usage);
  expectPositionals(positionals, 0, 0, '', usage);
  const base = flagValue(usage, () => {
    if (values.base !== undefined && !isBranchName(values.base)) {
      throw new UsageError(messages.badFlagValue('base', values.base, 'a branch name of the remote, such as main'));
    }
    return values.base ?? null;
  });
  return { base, push: values.push === true };
}

const command: Command = {
  usage,
  summary:
    "Merge the base branch (default: the remote's default branch) into this one where only the log conflicts, so a server can merge it; --push pushes the result. Works in a CI checkout without install. Exit 3: another file conflicts, nothing changed.",
  async run(args, ctx) {
    const options = parseSyncArgs(args);
    // Under TEST_MODE nothing is written: no merge, no push.
    if (testModeOn(ctx.env)) return 0;
    const r = await syncBranch(ctx, options);
    if (r.kind === 'merged') {
      ctx.logger.info(messages.syncMerged(r.branch, r.base, r.commit));
      ctx.logger.info(r.pushed ? messages.syncPushed(r.remote, r.branch) : messages.syncNotPushed(r.branch));
    } else {
      ctx.logger.info(r.kind === 'up-to-date' ? messages.syncUpToDate(r.branch, r.base) : messages.syncNoConflict(r.branch, r.base));
    }
    return 0;
  },
};
export default command;
