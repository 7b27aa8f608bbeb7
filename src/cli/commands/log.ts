// `codexlog-hooks log`: the log as a table or JSON, uncommitted rows included.
import { type LogEntry, readLog } from '../../actions.js';
import { UsageError } from '../../errors.js';
import { messages } from '../../messages.js';
import { safeJson } from '../../read/escape.js';
import { type Column, renderTable, type TableOptions } from '../../read/table.js';
import { openWorkspace } from '../../workspace.js';
import { type Command, expectPositionals, flagValue, parseCommandArgs } from '../args.js';

const usage = 'log [--session <id>] [--action <name>] [--since <time>] [--limit <n>] [--json]';

/** Parses --limit: a positive integer. */
export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(messages.badFlagValue('limit', value, 'a positive whole number'));
  return Number(value);
}

// A date and time without a zone, as the seed writes them (SQLite datetime('now')).
const NO_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/** Parses --since: any date Date.parse reads, returned as ISO 8601 UTC. */
export function parseSince(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Every stored ts is UTC; Date.parse would read a zone-less time as the machine's local time.
  const m = NO_ZONE.exec(value.trim());
  const t = Date.parse(m ? `${m[1]}T${m[2]}Z` : value);
  if (Number.isNaN(t))
    throw new UsageError(messages.badFlagValue('since', value, 'a date or time such as 2026-11-23 or 2026-11-23T10:00:00Z'));
  return new Date(t).toISOString();
}

const COLUMNS: Column[] = [
  { header: 'ID', shrink: false, style: (c) => (c === '*' ? 'yellow' : null) },
  { header: 'TS', shrink: false, style: () => 'dim' },
  { header: 'SESSION', max: 20 },
  { header: 'ACTION', max: 20 },
  { header: 'STATEMENT', max: 60, min: 10 },
];

/** Renders rows as a table (pending rows marked with *), escaped, fitted to `options.width`. */
export function formatTable(rows: LogEntry[], options: TableOptions = { width: null, color: false }): string {
  const body = rows.map((r) => [r.pending ? '*' : String(r.id ?? ''), r.ts, r.session_id, r.action, r.statement]);
  const out = [renderTable(COLUMNS, body, options)];
  if (rows.some((r) => r.pending)) out.push('', messages.pendingFootnote);
  return out.join('\n');
}

const command: Command = {
  usage,
  summary: 'Show the log (oldest first): committed rows, and the uncommitted ones waiting in the git dir (marked *).',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        session: { type: 'string' },
        action: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
      usage,
    );
    expectPositionals(positionals, 0, 0, '', usage);
    const query = flagValue(usage, () => ({
      session: values.session,
      action: values.action,
      since: parseSince(values.since),
      limit: parseLimit(values.limit),
    }));
    const ws = await openWorkspace(ctx);
    const rows = await readLog(ws, query);
    if (values.json) ctx.out(safeJson(rows, 2));
    else ctx.out(rows.length ? formatTable(rows, { width: ctx.terminal.width, color: ctx.terminal.color }) : messages.emptyLog);
    return 0;
  },
};
export default command;
