// `codexlog-hooks sessions`: one line per session (agent, models, first and last activity, rows,
// files touched, the commits it went into), or the same as JSON.
import { messages } from '../../messages.js';
import { listSessions, type SessionSummary } from '../../read/sessions.js';
import { type Column, renderTable, type TableOptions } from '../../read/table.js';
import { showTime } from '../../read/time.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';
import { COMMITTED_FLAG, printJson, reading, shortSha, tableOptions } from '../reading.js';

const usage = 'sessions [--committed] [--json]';

const COLUMNS: Column[] = [
  { header: 'SESSION', max: 36, min: 12 },
  { header: 'AGENT', max: 12, min: 6 },
  { header: 'MODEL', max: 24, min: 6, drop: 3 },
  { header: 'START', shrink: false, style: () => 'dim' },
  { header: 'END', shrink: false, style: () => 'dim', drop: 1 },
  { header: 'ACTIONS', align: 'right', shrink: false },
  { header: 'FILES', align: 'right', shrink: false, drop: 2 },
  { header: 'COMMITS', max: 45, min: 10, style: () => 'yellow' },
];

/** The sessions as a table; a session with uncommitted rows is starred. */
export function formatSessions(sessions: readonly SessionSummary[], options: TableOptions): string {
  const body = sessions.map((s) => [
    s.id,
    s.agent,
    s.models.join(', '),
    showTime(s.start),
    showTime(s.end),
    `${s.actions}${s.pending ? '*' : ''}`,
    String(s.files.length),
    s.commits.map(shortSha).join(' '),
  ]);
  const out = [renderTable(COLUMNS, body, options)];
  if (sessions.some((s) => s.pending)) out.push('', messages.pendingFootnote);
  return out.join('\n');
}

const command: Command = {
  usage,
  summary: 'List the sessions: agent, model, start and end, actions, files touched, and the commits each went into.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { ...COMMITTED_FLAG, json: { type: 'boolean' } }, usage);
    expectPositionals(positionals, 0, 0, '', usage);
    const sessions = await reading(ctx, values.committed === true, (scope) => listSessions(scope));
    if (values.json) printJson(ctx, sessions);
    else ctx.out(sessions.length ? formatSessions(sessions, tableOptions(ctx)) : messages.noSessions);
    return 0;
  },
};
export default command;
