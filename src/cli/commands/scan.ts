// `codexlog-hooks scan [--history] [--json]`: secrets in the committed log (see src/scan.ts).
// Findings go to stdout (one line each, or JSON), a one-line summary to stderr; exit 1 when there
// is one. A finding names where the secret is, never what it is.
import { messages } from '../../messages.js';
import { inline, safeJson } from '../../read/escape.js';
import { type ScanFinding, type ScanReport, scanLog } from '../../scan.js';
import { openWorkspace } from '../../workspace.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'scan [--history] [--json]';

/**
 * One line per rule of each finding: rule, table, uid, column, file and (history) the commit that
 * introduced it; every cell escaped (a uid or a file name comes from the log or the repository).
 */
export function formatFindings(findings: readonly ScanFinding[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    for (const [rule, n] of Object.entries(f.rules)) {
      const cells = [n > 1 ? `${rule} (x${n})` : rule, f.table, f.uid, f.column, f.path];
      if (f.commits) cells.push(f.commits.length > 1 ? `${f.commits[0]} (+${f.commits.length - 1} more)` : f.commits[0]);
      lines.push(cells.map(inline).join('  '));
    }
  }
  return lines.join('\n');
}

/** The summary line. */
export function summarize(report: ScanReport): string {
  const others = report.skipped.length - report.notLocal;
  const skipped = (report.notLocal ? messages.scanNotLocal(report.notLocal) : '') + (others > 0 ? messages.scanSkipped(others) : '');
  if (report.findings.length === 0) return messages.scanClean(report.files, report.rows, skipped);
  const secrets = report.findings.reduce((n, f) => n + Object.values(f.rules).reduce((a, b) => a + b, 0), 0);
  const rows = new Set(report.findings.map((f) => `${f.table}\0${f.uid}`)).size;
  const places = new Set(report.findings.map((f) => `${f.path}\0${f.commits?.[0] ?? ''}`)).size;
  return messages.scanFound(secrets, rows, places, report.files, report.rows, skipped);
}

const command: Command = {
  usage,
  summary:
    'Look for secrets in the committed log (the log, its session copy, every segment; with --history, every version in git history ' +
    'whose LFS object is here). Prints rule, table, row uid and commit, never the secret; exit 1 when one is found.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { history: { type: 'boolean' }, json: { type: 'boolean' } }, usage);
    expectPositionals(positionals, 0, 0, '', usage);
    const ws = await openWorkspace(ctx);
    const report = await scanLog(ws, { history: Boolean(values.history) });
    if (values.json) ctx.out(safeJson(report, 2));
    else if (report.findings.length) ctx.out(formatFindings(report.findings));
    ctx.logger.warn(summarize(report));
    return report.findings.length ? 1 : 0;
  },
};
export default command;
