// `codexlog-hooks report [-o <file.html>]`: one self-contained HTML file (no network) with the
// timeline of sessions and commits, the rows filterable by agent, session, action and text, and
// the activity per day. By default it goes to the git dir (<git dir>/codexlog/report.html), so
// the work tree stays clean.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { messages } from '../../messages.js';
import { checkOutputPath, writeFileWith } from '../../read/output.js';
import { buildReport, type ReportCounts } from '../../read/report/build.js';
import { stateDir } from '../../state.js';
import { type Command, expectPositionals, flagValue, parseCommandArgs } from '../args.js';
import { COMMITTED_FLAG, reading } from '../reading.js';
import { parseSince } from './log.js';

const usage = 'report [-o <file.html>] [--force] [--since <time>] [--committed]';

const command: Command = {
  usage,
  summary:
    'Write one self-contained HTML report: sessions and commits on a timeline, the rows to filter, activity per day. ' +
    'An existing -o file is replaced only with --force.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...COMMITTED_FLAG, output: { type: 'string', short: 'o' }, since: { type: 'string' }, force: { type: 'boolean' } },
      usage,
    );
    expectPositionals(positionals, 0, 0, '', usage);
    const since = flagValue(usage, () => parseSince(values.since)) ?? null;
    const progress = ctx.progress(messages.reportProgress);
    let file = '';
    let counts: ReportCounts;
    try {
      counts = await reading(ctx, values.committed === true, async (scope, ws) => {
        file = values.output === undefined ? path.join(stateDir(ws), 'report.html') : path.resolve(ctx.cwd, values.output);
        if (values.output !== undefined) checkOutputPath(ws, file, { force: values.force === true });
        else mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        const meta = { title: path.basename(ws.settings.workspace), since, generated: new Date().toISOString() };
        return writeFileWith(file, (sink) => buildReport(scope, sink, meta, progress.enabled ? progress.update : undefined));
      });
    } finally {
      progress.end();
    }
    ctx.out(messages.reportWritten(file, counts.rows, counts.sessions, counts.commits));
    return 0;
  },
};
export default command;
