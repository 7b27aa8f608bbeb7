// `codexlog-hooks show <commit-ish | session-id>`: for a commit, the agent sessions and rows that
// went into it and its own rows; for a session, its timeline (events, rows, commits).
import { CodexlogError, UsageError } from '../../errors.js';
import { resolveCommit } from '../../git/rev.js';
import { messages } from '../../messages.js';
import { type CommitDetail, commitDetail, commitKnown, shasInLog } from '../../read/commit.js';
import { inline } from '../../read/escape.js';
import type { Links } from '../../read/links.js';
import { loadLinks, type ReadScope } from '../../read/query.js';
import { type SessionSummary, sessionExists, sessionTimeline, type TimelineEntry } from '../../read/sessions.js';
import { type Column, renderTable, type TableOptions } from '../../read/table.js';
import { showTime } from '../../read/time.js';
import type { Workspace } from '../../workspace.js';
import { type Command, expectPositionals, flagValue, parseCommandArgs } from '../args.js';
import { COMMITTED_FLAG, printJson, reading, shortSha, tableOptions } from '../reading.js';

const usage = 'show <commit-ish | session-id> [--as commit|session] [--committed] [--json]';

const ROWS: Column[] = [
  { header: 'TS', shrink: false, style: () => 'dim' },
  { header: 'SESSION', max: 20, min: 8 },
  { header: 'ACTION', max: 24, min: 8 },
  { header: 'STATEMENT', max: 80, min: 10 },
];
const OWN: Column[] = [
  { header: 'TS', shrink: false, style: () => 'dim' },
  { header: 'ACTION', max: 24, min: 8 },
  { header: 'STATEMENT', max: 100, min: 10 },
];
const SESSIONS: Column[] = [
  { header: 'SESSION', max: 36, min: 12 },
  { header: 'AGENT', max: 12, min: 6 },
  { header: 'MODEL', max: 24, min: 6 },
  { header: 'ROWS', align: 'right', shrink: false },
  { header: 'VIA', shrink: false, style: () => 'yellow' },
];
const TIMELINE: Column[] = [
  { header: 'TS', shrink: false, style: () => 'dim' },
  { header: 'WHAT', max: 24, min: 8, style: (c) => (c === 'commit' ? 'yellow' : null) },
  { header: 'DETAIL', max: 120, min: 10 },
];

const star = (pending: boolean) => (pending ? ' *' : '');

/** A commit as text: its header, the sessions and rows that went into it, its own rows. */
export function formatCommit(d: CommitDetail, options: TableOptions): string {
  const out = [messages.show.commit(d.sha, inline(d.subject))];
  const first = d.rows.find((r) => r.action === 'git.commit' || r.action === 'git.merge');
  if (d.ts) out.push(messages.show.recorded(inline(showTime(d.ts)), first?.pending ?? false));
  if (d.ts) out.push(messages.show.parents(d.parents.map(inline)));
  if (d.rewrittenFrom.length || d.rewrittenAs.length) out.push(messages.commitRewritten(d.rewrittenFrom, d.rewrittenAs));
  if (!d.rows.length && !d.sessions.length) {
    out.push('', messages.commitNotInLog(d.sha));
    return out.join('\n');
  }
  out.push('');
  if (d.sessions.length) {
    out.push(messages.show.sessions(d.sessions.length));
    out.push(
      renderTable(
        SESSIONS,
        d.sessions.map((s) => [s.id, s.agent, s.model, String(s.rows), s.via ? shortSha(s.via) : '']),
        options,
      ),
    );
    out.push('', messages.show.actions(d.actions.length));
    out.push(
      renderTable(
        ROWS,
        d.actions.map((r) => [`${showTime(r.ts)}${star(r.pending)}`, r.session_id, r.action, r.statement]),
        options,
      ),
    );
  } else {
    out.push(messages.commitNoSessions);
  }
  out.push('', messages.show.own(d.rows.length));
  out.push(
    renderTable(
      OWN,
      d.rows.map((r) => [`${showTime(r.ts)}${star(r.pending)}`, r.action, r.statement]),
      options,
    ),
  );
  if (d.rows.some((r) => r.pending) || d.actions.some((r) => r.pending)) out.push('', messages.pendingFootnote);
  return out.join('\n');
}

/** What one timeline entry shows: its time, what it is, and its text. */
function timelineCells(e: TimelineEntry): Array<string | null> {
  const ts = `${showTime(e.ts)}${star(e.pending)}`;
  if (e.kind === 'commit') return [ts, 'commit', `${shortSha(e.sha)} ${e.subject ?? ''}`];
  if (e.kind === 'event') return [ts, e.event, e.summary];
  return [ts, e.action, e.statement];
}

/** A session as text: its facts, then its timeline. */
export function formatTimeline(s: SessionSummary, timeline: readonly TimelineEntry[], options: TableOptions): string {
  const out = [
    messages.show.session(inline(s.id)),
    messages.show.sessionFacts(inline(s.agent), inline(s.models.join(', ')), s.actions, s.files.length, s.commits.length),
    messages.show.span(inline(showTime(s.start)), inline(showTime(s.end)), s.ended),
  ];
  if (s.commits.length) out.push(messages.show.commits(s.commits.map(inline)));
  out.push('', messages.show.timeline(timeline.length), renderTable(TIMELINE, timeline.map(timelineCells), options));
  if (timeline.some((e) => e.pending)) out.push('', messages.pendingFootnote);
  return out.join('\n');
}

type Target = { kind: 'session'; id: string } | { kind: 'commit'; sha: string };

/** What `arg` names: a session of the log, a commit git knows, or a SHA (prefix) the log knows. */
async function target(ws: Workspace, scope: ReadScope, links: Links, arg: string, as: 'commit' | 'session' | undefined): Promise<Target> {
  const isSession = as !== 'commit' && sessionExists(scope, arg);
  if (as === 'session') {
    if (!isSession) throw new CodexlogError(messages.showNoSession(inline(arg)));
    return { kind: 'session', id: arg };
  }
  let sha = ws.repo ? await resolveCommit(ws.git, arg) : null;
  if (!sha) {
    const known = shasInLog(links, arg);
    if (known.length > 1) throw new CodexlogError(messages.showShaAmbiguous(inline(arg), known));
    sha = known[0] ?? null;
  }
  if (sha && isSession) throw new UsageError(messages.showAmbiguous(inline(arg), sha), messages.usageLine(usage));
  if (sha) return { kind: 'commit', sha };
  if (isSession) return { kind: 'session', id: arg };
  throw new CodexlogError(as === 'commit' ? messages.showNoCommit(inline(arg)) : messages.showNotFound(inline(arg)));
}

const command: Command = {
  usage,
  summary: "Show what went into a commit (agent sessions, their rows, its own rows), or a session's timeline.",
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { ...COMMITTED_FLAG, as: { type: 'string' }, json: { type: 'boolean' } }, usage);
    expectPositionals(positionals, 1, 1, '<commit-ish | session-id>', usage);
    const as = flagValue(usage, () => {
      if (values.as === undefined || values.as === 'commit' || values.as === 'session') return values.as;
      throw new UsageError(messages.badFlagValue('as', values.as, 'commit or session'));
    });
    await reading(ctx, values.committed === true, async (scope, ws) => {
      const links = loadLinks(scope);
      const t = await target(ws, scope, links, positionals[0], as);
      if (t.kind === 'session') {
        const { session, timeline } = sessionTimeline(scope, t.id);
        if (values.json) printJson(ctx, { kind: 'session', session, timeline });
        else ctx.out(formatTimeline(session as SessionSummary, timeline, tableOptions(ctx)));
        return;
      }
      const detail = commitDetail(scope, t.sha, links);
      if (values.json) printJson(ctx, { kind: 'commit', known: commitKnown(links, t.sha), ...detail });
      else ctx.out(formatCommit(detail, tableOptions(ctx)));
    });
    return 0;
  },
};
export default command;
