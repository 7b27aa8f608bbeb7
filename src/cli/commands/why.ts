// `codexlog-hooks why <path>`: blame for agents. The agent rows that touched a path (or a folder's
// paths), newest first, with their sessions and the commits they went into.
import { realpathSync } from 'node:fs';
import { CodexlogError } from '../../errors.js';
import { messages } from '../../messages.js';
import { inline } from '../../read/escape.js';
import { type Column, renderTable, type TableOptions } from '../../read/table.js';
import { showTime } from '../../read/time.js';
import { repoPath, type WhyEntry, whyPath } from '../../read/why.js';
import { type Command, expectPositionals, flagValue, parseCommandArgs } from '../args.js';
import { COMMITTED_FLAG, printJson, reading, shortSha, tableOptions } from '../reading.js';
import { parseLimit } from './log.js';

const usage = 'why <path> [--limit <n>] [--committed] [--json]';

const COLUMNS: Column[] = [
  { header: 'TS', shrink: false, style: () => 'dim' },
  { header: 'AGENT', max: 12, min: 6, drop: 2 },
  { header: 'SESSION', max: 20, min: 8, drop: 1 },
  { header: 'ACTION', max: 20, min: 8 },
  { header: 'COMMITS', max: 22, min: 10, style: () => 'yellow' },
  { header: 'STATEMENT', max: 80, min: 10 },
];

/** The rows that touched a path, as a table (uncommitted rows starred). */
export function formatWhy(entries: readonly WhyEntry[], options: TableOptions): string {
  const body = entries.map((e) => [
    `${showTime(e.ts)}${e.pending ? ' *' : ''}`,
    e.agent,
    e.session_id,
    e.action,
    e.commits.map(shortSha).join(' '),
    e.statement,
  ]);
  const out = [renderTable(COLUMNS, body, options)];
  if (entries.some((e) => e.pending)) out.push('', messages.pendingFootnote);
  return out.join('\n');
}

const command: Command = {
  usage,
  summary: 'Blame for agents: the agent actions that touched a path, newest first, with their sessions and commits.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...COMMITTED_FLAG, limit: { type: 'string' }, json: { type: 'boolean' } },
      usage,
    );
    expectPositionals(positionals, 1, 1, '<path>', usage);
    const limit = flagValue(usage, () => parseLimit(values.limit)) ?? null;
    await reading(ctx, values.committed === true, (scope, ws) => {
      // The workspace root is git's (symbolic links resolved): so is the folder the path is given from.
      const file = repoPath(ws.settings.workspace, realpathSync(ctx.cwd), positionals[0]);
      if (file === null) throw new CodexlogError(messages.whyOutside(inline(positionals[0]), ws.settings.workspace));
      const entries = whyPath(scope, file, limit);
      if (values.json) printJson(ctx, entries);
      else ctx.out(entries.length ? formatWhy(entries, tableOptions(ctx)) : messages.whyNothing(inline(file)));
    });
    return 0;
  },
};
export default command;
