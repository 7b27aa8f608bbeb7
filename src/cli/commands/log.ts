// `codexlog-hooks log`: the log as a table or JSON, uncommitted rows included.
import { type LogEntry, readLog } from '../../actions.js';
import { UsageError } from '../../errors.js';
import { messages } from '../../messages.js';
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

function clip(s: string | null, width: number): string {
  const v = (s ?? '').replace(/\s+/g, ' ');
  return v.length > width ? `${v.slice(0, width - 1)}…` : v;
}

/** Renders rows as a fixed-width table (pending rows marked with *). */
export function formatTable(rows: LogEntry[]): string {
  const header = ['ID', 'TS', 'SESSION', 'ACTION', 'STATEMENT'];
  const body = rows.map((r) => [
    r.pending ? '*' : String(r.id ?? ''),
    r.ts ?? '',
    clip(r.session_id, 20),
    clip(r.action, 20),
    clip(r.statement, 60),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...body.map(line)];
  if (rows.some((r) => r.pending)) out.push('', '* uncommitted: waits in the git dir, enters the log at the next commit');
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
    if (values.json) ctx.out(JSON.stringify(rows, null, 2));
    else ctx.out(rows.length ? formatTable(rows) : messages.emptyLog);
    return 0;
  },
};
export default command;
