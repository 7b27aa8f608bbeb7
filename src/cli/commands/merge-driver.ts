// `codexlog-hooks merge-driver %O %A %B %P`: git's merge driver for the log databases.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testModeOn } from '../../env.js';
import { CodexlogError } from '../../errors.js';
import { configGet } from '../../git/config.js';
import { lfsStorageDir } from '../../git/lfs-objects.js';
import { mergeLogFiles, rememberMerge } from '../../merge.js';
import { mergeAhead } from '../../merge-ahead.js';
import { messages } from '../../messages.js';
import { findRepo } from '../../workspace.js';
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
    // Any failure leaves %A untouched and exits 1: git then reports a normal conflict, and the one
    // catch prints the reason in one line.
    const git = { cwd: ctx.cwd, env: ctx.env };
    const repo = await findRepo(git);
    if (!repo) throw new CodexlogError(messages.notARepo(ctx.cwd));
    const lfsStorage = lfsStorageDir(repo.commonDir, await configGet(git, 'lfs.storage'));
    const pointers = { base: readFileSync(base), ours: readFileSync(ours), theirs: readFileSync(theirs) };
    const outcome = await mergeLogFiles({ git, lfsStorage }, { base, ours, theirs }, repoPath);
    const cache = path.join(repo.commonDir, 'codexlog', 'merge-cache');
    const result = readFileSync(ours);
    rememberMerge(cache, pointers, result);
    ctx.logger.info(messages.mergeDone(repoPath, outcome.added));
    // In a rebase, the replays still to come are merged now, into the cache (one node for them all).
    await mergeAhead({ git, lfsStorage }, repo.gitDir, repoPath, result, cache);
    return 0;
  },
};
export default command;
