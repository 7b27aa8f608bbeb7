// `codexlog-hooks stats [--since <time>]`: rows by agent, model, action and day, and the share of
// commits that carry agent activity.
import { messages } from '../../messages.js';
import { type Count, logStats, type Stats } from '../../read/stats.js';
import { type Column, renderTable, type TableOptions } from '../../read/table.js';
import { type Command, expectPositionals, flagValue, parseCommandArgs } from '../args.js';
import { COMMITTED_FLAG, printJson, reading, tableOptions } from '../reading.js';
import { parseSince } from './log.js';

const usage = 'stats [--since <time>] [--committed] [--json]';

const share = (n: number, of: number) => (of === 0 ? '' : `${((n / of) * 100).toFixed(1)}%`);

function table(header: string, counts: readonly Count[], of: number, options: TableOptions, none: string): string {
  const columns: Column[] = [
    { header, max: 40, min: 8 },
    { header: 'ROWS', align: 'right', shrink: false },
    { header: 'SHARE', align: 'right', shrink: false, style: () => 'dim' },
  ];
  return renderTable(
    columns,
    counts.map((c) => [c.name ?? none, c.count.toLocaleString('en-US'), share(c.count, of)]),
    options,
  );
}

/** The stats as text: three summary lines, then a table each by agent, model, action and day. */
export function formatStats(s: Stats, options: TableOptions): string {
  return [
    messages.stats.rows(s.rows, s.pending, s.since),
    messages.stats.agentRows(s.agentRows, s.sessions),
    messages.stats.commits(s.commits.total, s.commits.withAgent, s.commits.withSessions),
    '',
    table('AGENT', s.byAgent, s.agentRows, options, '(none named)'),
    '',
    table('MODEL', s.byModel, s.agentRows, options, '(none named)'),
    '',
    table('ACTION', s.byAction, s.rows, options, '(none)'),
    '',
    table('DAY', s.byDay, s.rows, options, '(no time)'),
  ].join('\n');
}

const command: Command = {
  usage,
  summary: 'Count rows by agent, model, action and day, and the share of commits that carry agent activity.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...COMMITTED_FLAG, since: { type: 'string' }, json: { type: 'boolean' } },
      usage,
    );
    expectPositionals(positionals, 0, 0, '', usage);
    const since = flagValue(usage, () => parseSince(values.since)) ?? null;
    const stats = await reading(ctx, values.committed === true, (scope) => logStats(scope, since));
    if (values.json) printJson(ctx, stats);
    else ctx.out(formatStats(stats, tableOptions(ctx)));
    return 0;
  },
};
export default command;
