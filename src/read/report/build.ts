// Builds the report: the page's head, then the data streamed row by row from a prepared statement
// (as compact arrays; sessions, actions and agents named once in dictionaries), then the
// sessions, commits and the page's script. Text that a row carries is escaped twice over: control
// and bidirectional characters shown as escapes (escape.ts), and `<` escaped in the JSON so
// nothing can end the data element; the page then only ever sets textContent.
import { messages } from '../../messages.js';
import type { Progress } from '../../progress.js';
import { escapeControl, scriptJson } from '../escape.js';
import { sessionsOfCommit } from '../links.js';
import { Buffered, type Sink } from '../output.js';
import { actionsOf, jsonField, loadLinks, NOT_GIT, type ReadScope, TIME_ORDER, text } from '../query.js';
import { listSessions } from '../sessions.js';
import { tsMillis } from '../time.js';
import type { ReportData } from './client.js';
import { reportHead, reportTail } from './template.js';

/** The longest statement (and metadata) the report carries, in characters: it is an overview, `export` has it all. */
export const REPORT_TEXT_CAP = 4000;

/** What the report holds. */
export interface ReportCounts {
  rows: number;
  sessions: number;
  commits: number;
}

/** What the report is about. */
export interface ReportOptions {
  /** The repository's name, for the title. */
  title: string;
  /** Rows at or after this time only (ISO 8601), or null for all. */
  since: string | null;
  /** When it was made (ISO 8601). */
  generated: string;
}

function capped(value: string | null): string | null {
  if (value === null) return null;
  const v = value.length > REPORT_TEXT_CAP ? `${value.slice(0, REPORT_TEXT_CAP)}…` : value;
  return escapeControl(v, '\n\t');
}

/** A dictionary that numbers names in the order first seen. */
class Names {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(name: string | null): number {
    if (name === null) return -1;
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

/** Writes the report of `scope` to `sink`. `progress`, when given, hears of every 10,000 rows. */
export async function buildReport(scope: ReadScope, sink: Sink, options: ReportOptions, progress?: Progress): Promise<ReportCounts> {
  const since = { since: options.since };
  const when = '(@since IS NULL OR julianday(ts) >= julianday(@since))';
  const total = progress
    ? (scope.view.all<{ n: number }>(`SELECT count(*) AS n FROM ${actionsOf(scope)} WHERE ${when}`, since)[0]?.n ?? 0)
    : null;
  const out = new Buffered(sink);
  const sessionIds = new Names();
  const actions = new Names();
  const agents = new Names();
  await out.add(reportHead(options.title));
  await out.add('{"rows":[');
  let n = 0;
  const rows = scope.view.iterate<{
    id: number | null;
    session_id: string | null;
    ts: string | null;
    action: string | null;
    statement: string | null;
    metadata: string | null;
    pending: number;
    agent: unknown;
  }>(
    `SELECT id, session_id, ts, action, statement, metadata, pending, CASE WHEN ${NOT_GIT} THEN ${jsonField('metadata', 'agent')} END AS agent
     FROM ${actionsOf(scope)} WHERE ${when} ORDER BY ${TIME_ORDER}`,
    since,
  );
  try {
    for (const r of rows) {
      const row: ReportData['rows'][number] = [
        tsMillis(r.ts),
        sessionIds.of(r.session_id === null ? null : escapeControl(r.session_id)),
        actions.of(r.action === null ? null : escapeControl(r.action)),
        agents.of(text(r.agent) === null ? null : escapeControl(text(r.agent) as string)),
        capped(r.statement) ?? '',
        r.pending,
        r.id,
        capped(r.metadata),
      ];
      await out.add(`${n === 0 ? '' : ','}\n${scriptJson(row)}`);
      if (++n % 10_000 === 0) progress?.(n, total);
    }
  } finally {
    rows.return(undefined);
  }
  const links = loadLinks(scope);
  const from = options.since === null ? null : tsMillis(options.since);
  const after = (ms: number | null) => from === null || (ms !== null && ms >= from);
  const sessions = listSessions(scope, links)
    .filter((s) => after(tsMillis(s.end)))
    .map((s) => ({
      s: sessionIds.of(escapeControl(s.id)),
      agent: s.agent === null ? null : escapeControl(s.agent),
      models: s.models.map((m) => escapeControl(m)),
      start: tsMillis(s.start),
      end: tsMillis(s.end),
      actions: s.actions,
      files: s.files.length,
      commits: s.commits,
    }));
  for (const s of sessions) if (s.agent !== null) agents.of(s.agent);
  const commits = links.commits
    .filter((c) => after(tsMillis(c.ts)))
    .map((c) => ({
      sha: c.sha,
      t: tsMillis(c.ts),
      subject: c.subject === null ? null : escapeControl(c.subject),
      kind: c.kind,
      sessions: sessionsOfCommit(links, c.sha).map((s) => sessionIds.of(escapeControl(s.id))),
    }));
  const rest: Omit<ReportData, 'rows'> = {
    labels: messages.report.page,
    meta: {
      title: escapeControl(options.title),
      generated: options.generated,
      rows: n,
      committedOnly: scope.committedOnly,
      since: options.since,
    },
    sessionIds: sessionIds.list,
    actionNames: actions.list,
    agents: agents.list,
    sessions,
    commits,
  };
  // The rest of the object, after the rows: `{"labels":...}` minus its opening brace.
  await out.add(`\n],${scriptJson(rest).slice(1)}`);
  await out.add(reportTail());
  await out.flush();
  progress?.(n, total);
  return { rows: n, sessions: sessions.length, commits: commits.length };
}
