// `codexlog-hooks install`: one command to adopt the tool in a repository.

import { testModeOn } from '../../env.js';
import { UsageError } from '../../errors.js';
import { AGENT_FILES, parseAgentsFlag } from '../../install/agent-hooks.js';
import { CI_SYSTEMS, type CiSystem } from '../../install/ci.js';
import { install } from '../../install/install.js';
import { messages } from '../../messages.js';
import { type Command, expectPositionals, flagValue, parseCommandArgs } from '../args.js';

const usage = 'install [--agents codex,claude|none] [--allow-autolfs] [--ci github] [--prepare]';

/** --ci: the CI system to write a sync workflow for. */
export function parseCi(value: string | undefined): CiSystem | undefined {
  if (value === undefined) return undefined;
  if (!(CI_SYSTEMS as readonly string[]).includes(value)) throw new UsageError(messages.ciUnknown(value));
  return value as CiSystem;
}

const command: Command = {
  usage,
  summary:
    "Wire the git hooks (kept in the git dir, chaining the ones you have), the agents' hooks (.codex/hooks.json, .claude/settings.json), " +
    'Git LFS, .gitattributes, .gitignore, the config, the prepare script and the merge driver. Safe to run again. ' +
    '--ci github: also a workflow that keeps pull requests mergeable on the server.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { agents: { type: 'string' }, 'allow-autolfs': { type: 'boolean' }, ci: { type: 'string' }, prepare: { type: 'boolean' } },
      usage,
    );
    expectPositionals(positionals, 0, 0, '', usage);
    const agents = values.agents === undefined ? undefined : flagValue(usage, () => parseAgentsFlag(values.agents as string));
    const ci = flagValue(usage, () => parseCi(values.ci));
    if (testModeOn(ctx.env)) return 0;
    if (values.prepare) {
      // Run by `npm install` in every clone: a problem here is reported, never a failed npm install.
      try {
        const r = await install(ctx, { allowAutoLfs: values['allow-autolfs'], prepare: true });
        if (r.changes.length > 0) ctx.logger.info(messages.installDone(r.changes, r.chained));
      } catch (e) {
        ctx.logger.warn(messages.prepareFailed((e as Error).message));
      }
      return 0;
    }
    const r = await install(ctx, { allowAutoLfs: values['allow-autolfs'], agents, ci });
    ctx.logger.info(messages.installDone(r.changes, r.chained));
    // What a user must do for the agents' hooks to run, said when their entries were just written.
    const wrote = (agent: 'codex' | 'claude') => r.agents.includes(agent) && r.changes.some((c) => c.startsWith(`${AGENT_FILES[agent]}:`));
    if (wrote('codex')) ctx.logger.info(messages.codexTrustNotice(AGENT_FILES.codex));
    if (wrote('claude')) ctx.logger.info(messages.claudeCwdNotice(AGENT_FILES.claude));
    return 0;
  },
};
export default command;
