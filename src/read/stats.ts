// Counts over the log: rows by agent and model (agent rows: metadata.agent, metadata.model), by
// action and by day (every row, the git hooks' included; days in UTC), and the share of commits
// that carry agent activity (a commit whose pre-commit folded in rows of a session, see links.ts).
import { currentCommits, sessionsOfCommit } from './links.js';
import { actionsOf, jsonField, loadLinks, NOT_GIT, type ReadScope, text } from './query.js';
import { tsMillis } from './time.js';

/** A count of rows under one name (null: rows that name none). */
export interface Count {
  name: string | null;
  count: number;
}

/** What `stats` reports. */
export interface Stats {
  /** The lower bound asked for (ISO 8601), or null. */
  since: string | null;
  /** Every row, and how many are uncommitted. */
  rows: number;
  pending: number;
  /** Rows other than the git hooks' own, and the sessions they belong to. */
  agentRows: number;
  sessions: number;
  commits: {
    /** Commits that exist now (rewritten ones count once, as what they became). */
    total: number;
    /** Those whose rows came from sessions of a named agent (metadata.agent). */
    withAgent: number;
    /** Those whose rows came from any session. */
    withSessions: number;
  };
  byAgent: Count[];
  byModel: Count[];
  byAction: Count[];
  /** Oldest day first (`YYYY-MM-DD`, UTC; null: rows without a readable time). */
  byDay: Count[];
}

function tally(map: Map<string | null, number>, key: string | null, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

// Most first; ties by name, the nameless last.
const ranked = (map: Map<string | null, number>): Count[] =>
  [...map].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || order(a.name, b.name));
const order = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/** Counts over the rows of `scope` at or after `since` (ISO 8601; every row when null). */
export function logStats(scope: ReadScope, since: string | null): Stats {
  const rel = actionsOf(scope);
  const when = 'WHERE (@since IS NULL OR julianday(ts) >= julianday(@since))';
  const groups = scope.view.all<{
    day: string | null;
    action: string | null;
    agent: unknown;
    model: unknown;
    git: number;
    n: number;
    pending: number;
  }>(
    `SELECT date(ts) AS day, action, (NOT ${NOT_GIT}) AS git,
       CASE WHEN ${NOT_GIT} THEN ${jsonField('metadata', 'agent')} END AS agent,
       CASE WHEN ${NOT_GIT} THEN ${jsonField('metadata', 'model')} END AS model,
       count(*) AS n, sum(pending) AS pending
     FROM ${rel} ${when} GROUP BY 1, 2, 3, 4, 5`,
    { since },
  );
  const sessions =
    scope.view.all<{ n: number }>(`SELECT count(DISTINCT session_id) AS n FROM ${rel} ${when} AND ${NOT_GIT}`, { since })[0]?.n ?? 0;
  const byAgent = new Map<string | null, number>();
  const byModel = new Map<string | null, number>();
  const byAction = new Map<string | null, number>();
  const byDay = new Map<string | null, number>();
  let rows = 0;
  let pending = 0;
  let agentRows = 0;
  for (const g of groups) {
    rows += g.n;
    pending += g.pending;
    tally(byAction, g.action, g.n);
    tally(byDay, g.day, g.n);
    if (g.git) continue;
    agentRows += g.n;
    tally(byAgent, text(g.agent), g.n);
    tally(byModel, text(g.model), g.n);
  }
  const links = loadLinks(scope);
  const from = since === null ? null : tsMillis(since);
  const commits = currentCommits(links).filter((c) => from === null || (tsMillis(c.ts) ?? Number.NEGATIVE_INFINITY) >= from);
  const carried = commits.map((c) => sessionsOfCommit(links, c.sha));
  return {
    since,
    rows,
    pending,
    agentRows,
    sessions,
    commits: {
      total: commits.length,
      withAgent: carried.filter((s) => s.some((x) => x.agent !== null)).length,
      withSessions: carried.filter((s) => s.length > 0).length,
    },
    byAgent: ranked(byAgent),
    byModel: ranked(byModel),
    byAction: ranked(byAction),
    byDay: [...byDay].map(([name, count]) => ({ name, count })).sort((a, b) => order(a.name, b.name)),
  };
}
