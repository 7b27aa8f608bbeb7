// `codexlog-hooks export --format jsonl|csv|sqlite [-o <file>]`: the whole log, streamed. Text
// formats go to stdout unless -o names a file; sqlite needs a file. On a terminal, CSV is shown
// with its control characters escaped (RFC 4180 has no escape of its own); JSON Lines always
// escapes them, losslessly.
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { messages } from '../../messages.js';
import { escapeControl } from '../../read/escape.js';
import { EXPORT_FORMATS, type ExportCounts, type ExportFormat, exportSqlite, exportText } from '../../read/export.js';
import { checkOutputPath, type Sink, writeFileWith } from '../../read/output.js';
import { type Command, type CommandContext, expectPositionals, flagValue, parseCommandArgs } from '../args.js';
import { COMMITTED_FLAG, reading } from '../reading.js';

const usage = 'export [--format jsonl|csv|sqlite] [-o <file>] [--force] [--committed]';

/** What reaches a terminal: CSV's control characters escaped (its CRLF record ends shown as line ends). */
function terminalSink(ctx: CommandContext, format: ExportFormat): Sink {
  if (!ctx.terminal.stdoutIsTTY || format !== 'csv') return { write: (chunk) => ctx.write(chunk) };
  return { write: (chunk) => ctx.write(escapeControl(chunk.replace(/\r\n/g, '\n'), '\n')) };
}

const command: Command = {
  usage,
  summary:
    "Export the whole log, streamed: JSON Lines, CSV (RFC 4180), or one SQLite database with the seed's schema. " +
    'An existing -o file is replaced only with --force.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...COMMITTED_FLAG, format: { type: 'string' }, output: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
      usage,
    );
    expectPositionals(positionals, 0, 0, '', usage);
    const format = flagValue(usage, () => {
      const f = values.format ?? 'jsonl';
      if (!(EXPORT_FORMATS as readonly string[]).includes(f))
        throw new UsageError(messages.badFlagValue('format', f, EXPORT_FORMATS.join(', ')));
      return f as ExportFormat;
    });
    if (format === 'sqlite' && values.output === undefined) throw new UsageError(messages.exportNeedsFile, messages.usageLine(usage));
    const file = values.output === undefined ? null : path.resolve(ctx.cwd, values.output);
    // Progress shares the terminal with stdout: drawn only when the rows go elsewhere.
    const progress = ctx.progress(messages.exportProgress);
    const drawn = progress.enabled && (file !== null || !ctx.terminal.stdoutIsTTY);
    let counts: ExportCounts;
    try {
      counts = await reading(ctx, values.committed === true, async (scope, ws) => {
        if (file) checkOutputPath(ws, file, { force: values.force === true, database: format === 'sqlite' });
        const update = drawn ? progress.update : undefined;
        if (format === 'sqlite') return exportSqlite(scope, file as string, update);
        if (!file) return exportText(scope, format, terminalSink(ctx, format), update);
        return writeFileWith(file, (sink) => exportText(scope, format, sink, update));
      });
    } finally {
      progress.end();
    }
    if (file) ctx.out(messages.exported(counts.actions, counts.events, file));
    return 0;
  },
};
export default command;
