// `codexlog-hooks import codex|claude [<path>]`: past agent sessions into the log (src/import.ts).
import path from 'node:path';
import { isAgent } from '../../agents/types.js';
import { agentTranscriptsDir } from '../../env.js';
import { UsageError } from '../../errors.js';
import { type ImportReport, importSessions } from '../../import.js';
import { messages } from '../../messages.js';
import { inline, safeJson } from '../../read/escape.js';
import { openWorkspace } from '../../workspace.js';
import { type Command, expectPositionals, parseCommandArgs } from '../args.js';

const usage = 'import codex|claude [<path>] [--any-cwd] [--json]';

/** What an import did, as text; the folders (transcripts' working folders) and the source escaped. */
export function formatImport(report: ImportReport, source: string, testMode: boolean): string {
  if (report.files === 0 && report.failed.length === 0) return messages.importNothingFound(inline(source), report.agent);
  const lines = [messages.importDone(report.agent, report.sessions, report.files, report.added, report.alreadyLogged, testMode)];
  const withFolder = report.skipped.sessions - report.skipped.withoutFolder;
  if (withFolder > 0) lines.push(messages.importSkippedFolders(withFolder, report.skipped.folders.map(inline)));
  if (report.skipped.withoutFolder > 0) lines.push(messages.importSkippedNoCwd(report.skipped.withoutFolder));
  if (report.unreadableLines > 0) lines.push(messages.importUnreadableLines(report.unreadableLines));
  return lines.join('\n');
}

const command: Command = {
  usage,
  summary:
    'Bring past agent sessions into the log, as the hooks would have logged them: Codex rollouts (default $CODEX_HOME/sessions) ' +
    'or Claude Code transcripts (default $CLAUDE_CONFIG_DIR/projects), a file or a folder. Only sessions run in this repository ' +
    'unless --any-cwd; importing again adds nothing twice.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { 'any-cwd': { type: 'boolean' }, json: { type: 'boolean' } }, usage);
    expectPositionals(positionals, 1, 2, 'the agent (codex or claude)', usage);
    const [agent, given] = positionals;
    if (!isAgent(agent)) throw new UsageError(messages.importUnknownAgent(agent), messages.usageLine(usage));
    const source = given === undefined ? agentTranscriptsDir(agent, ctx.env) : path.resolve(ctx.cwd, given);
    const ws = await openWorkspace(ctx);
    const report = await importSessions(ws, {
      agent,
      source,
      anyCwd: values['any-cwd'] === true,
      progress: (line) => ctx.logger.info(line),
    });
    ctx.out(values.json ? safeJson(report, 2) : formatImport(report, source, ws.settings.env.testMode));
    if (report.failed.length > 0) {
      for (const line of messages.importFailed(report.failed).split('\n')) ctx.logger.warn(line);
      return 1;
    }
    return 0;
  },
};
export default command;
