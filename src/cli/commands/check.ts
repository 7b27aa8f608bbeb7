// `codexlog-hooks check`: the doctor. Exit 0 only when all is well.

import { diagnose } from '../../check.js';
import { messages } from '../../messages.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'check';

const command: Command = {
  usage,
  summary: 'Diagnose git-lfs, its filters, attributes, hooks, ALLOW_AUTOLFS and the databases; print each problem with its fix.',
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, usage);
    expectPositionals(positionals, 0, 0, '', usage);
    const { problems, notes } = await diagnose(ctx);
    for (const p of problems) ctx.out(`✗ ${p.message}`);
    for (const n of notes) ctx.out(n);
    ctx.out(problems.length ? messages.checkProblems(problems.length) : messages.checkOk);
    return problems.length ? 1 : 0;
  },
};
export default command;
