// `codexlog-hooks sql "<query>"`: read-only SQL over the whole log as the seed's tables
// (codex_actions, codex_log, each with a `pending` column). Rows stream out as a table (its
// columns sized on the first rows), JSON (an array of row objects) or CSV.
import { UsageError } from '../../errors.js';
import { messages } from '../../messages.js';
import { csvRecord } from '../../read/csv.js';
import { escapeControl, inline, safeJson } from '../../read/escape.js';
import { Buffered } from '../../read/output.js';
import { userQuery } from '../../read/sql.js';
import { type Column, layout, renderRow, type TableOptions } from '../../read/table.js';
import { type Command, type CommandContext, expectPositionals, parseCommandArgs } from '../args.js';
import { COMMITTED_FLAG, reading, tableOptions } from '../reading.js';

const usage = 'sql "<query>" [--json | --csv] [--committed]';

/** How many rows size the table's columns before the rest stream out at those widths. */
const SAMPLE = 200;

/** A value as a table or CSV shows it: NULL as NULL (table) or empty (CSV), a blob as x'hex'. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Buffer.isBuffer(value)) return `x'${value.toString('hex')}'`;
  return String(value);
}

/** A value as JSON holds it (a blob as x'hex' text, a bigint as a number's text). */
function jsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `x'${value.toString('hex')}'`;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Streams a query's rows as a table: widths from the first rows, the rest clipped to them. */
export async function* tableLines(columns: string[], rows: Iterable<unknown[]>, options: TableOptions): AsyncGenerator<string> {
  const sample: string[][] = [];
  const numeric = columns.map(() => true);
  const it = rows[Symbol.iterator]();
  let next = it.next();
  for (; !next.done && sample.length < SAMPLE; next = it.next()) {
    next.value.forEach((v, i) => {
      if (typeof v !== 'number' && typeof v !== 'bigint' && v !== null) numeric[i] = false;
    });
    sample.push(next.value.map((v) => inline(cellText(v))));
  }
  const cols: Column[] = columns.map((header, i) => ({
    header,
    min: 6,
    max: 80,
    align: numeric[i] && sample.length ? 'right' : 'left',
    style: (c) => (c === 'NULL' ? 'dim' : null),
  }));
  const widths = layout(cols, sample, options.width);
  const safeHeaders = columns.map((c) => inline(c));
  yield renderRow(cols, widths, safeHeaders, -1, options.color);
  let index = 0;
  for (const r of sample) yield renderRow(cols, widths, r, index++, options.color);
  for (; !next.done; next = it.next())
    yield renderRow(
      cols,
      widths,
      next.value.map((v) => inline(cellText(v))),
      index++,
      options.color,
    );
}

async function print(ctx: CommandContext, mode: 'table' | 'json' | 'csv', columns: string[], rows: Iterable<unknown[]>): Promise<void> {
  const out = new Buffered({ write: (chunk) => ctx.write(chunk) }, 1 << 16);
  if (mode === 'table') {
    for await (const line of tableLines(columns, rows, tableOptions(ctx))) await out.add(`${line}\n`);
  } else if (mode === 'json') {
    let first = true;
    await out.add('[');
    for (const r of rows) {
      const obj: Record<string, unknown> = {};
      columns.forEach((c, i) => {
        obj[c] = jsonValue(r[i]);
      });
      await out.add(`${first ? '\n' : ',\n'}  ${safeJson(obj)}`);
      first = false;
    }
    await out.add(first ? ']\n' : '\n]\n');
  } else {
    // CSV keeps the data as stored, except on a terminal (see export).
    const shown = (text: string) => (ctx.terminal.stdoutIsTTY ? escapeControl(text.replace(/\r\n/g, '\n'), '\n') : text);
    await out.add(shown(csvRecord(columns)));
    for (const r of rows) await out.add(shown(csvRecord(r.map((v) => (Buffer.isBuffer(v) ? cellText(v) : v)))));
  }
  await out.flush();
}

const command: Command = {
  usage,
  summary: "Run one read-only SQL query over the whole log, seen as the seed's tables codex_actions and codex_log.",
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...COMMITTED_FLAG, json: { type: 'boolean' }, csv: { type: 'boolean' } },
      usage,
    );
    expectPositionals(positionals, 1, 1, '"<query>"', usage);
    if (values.json && values.csv) throw new UsageError(messages.sqlOneFormat, messages.usageLine(usage));
    const mode = values.json ? 'json' : values.csv ? 'csv' : 'table';
    await reading(ctx, values.committed === true, async (scope) => {
      const q = userQuery(scope, positionals[0]);
      try {
        await print(ctx, mode, q.columns, q.rows);
      } finally {
        q.rows.return(undefined);
      }
    });
    return 0;
  },
};
export default command;
