// Sessions: one summary per session id of the log (agent, models, first and last activity, how
// many actions, the files they touched, the commits they went into), and one session's timeline.
// The agent and model come from the session's `start` event (its summary is JSON from the agent
// hooks) or else from its rows' metadata; the commits from the git rows (links.ts).
import { commitsOfSession, type Links } from './links.js';
import { actionsOf, eventsOf, filesArray, jsonField, julianToIso, loadLinks, NOT_GIT, type ReadScope, TIME_ORDER, text } from './query.js';
import { tsMillis } from './time.js';

/** One session of the log. */
export interface SessionSummary {
  id: string;
  agent: string | null;
  /** Every model its rows name, the start event's first. */
  models: string[];
  /** First and last activity (an event or a row), ISO 8601 UTC. */
  start: string | null;
  end: string | null;
  /** Whether an `end` event closed it. */
  ended: boolean;
  /** Its rows, other than the git hooks' own. */
  actions: number;
  /** The repository paths its rows touched (metadata.files), sorted. */
  files: string[];
  /** The commits (as they are now, after rewrites) its rows went into, oldest first. */
  commits: string[];
  /** Whether some of its rows are not committed yet. */
  pending: boolean;
}

interface ActionAgg {
  id: string;
  first: number | null;
  last: number | null;
  actions: number;
  pending: number;
  agent: unknown;
  models: string;
}
interface EventAgg {
  id: string;
  first: number | null;
  last: number | null;
  agent: unknown;
  model: unknown;
  ended: number;
  pending: number;
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Every session of the log, oldest start first. `links` when the caller already has them. */
export function listSessions(scope: ReadScope, links: Links = loadLinks(scope)): SessionSummary[] {
  const { view } = scope;
  const actions = view.all<ActionAgg>(
    `SELECT session_id AS id, min(julianday(ts)) AS first, max(julianday(ts)) AS last,
       sum(${NOT_GIT}) AS actions, max(pending) AS pending,
       min(CASE WHEN ${NOT_GIT} THEN ${jsonField('metadata', 'agent')} END) AS agent,
       json_group_array(DISTINCT CASE WHEN ${NOT_GIT} THEN ${jsonField('metadata', 'model')} END) AS models
     FROM ${actionsOf(scope)} WHERE session_id IS NOT NULL GROUP BY session_id`,
  );
  const events = view.all<EventAgg>(
    `SELECT session_id AS id, min(julianday(ts)) AS first, max(julianday(ts)) AS last,
       min(CASE WHEN event = 'start' THEN ${jsonField('summary', 'agent')} END) AS agent,
       min(CASE WHEN event = 'start' THEN ${jsonField('summary', 'model')} END) AS model,
       max(event = 'end') AS ended, max(pending) AS pending
     FROM ${eventsOf(scope)} WHERE session_id IS NOT NULL GROUP BY session_id`,
  );
  const files = new Map(
    view
      .all<{ id: string; files: string }>(
        `SELECT a.session_id AS id, json_group_array(DISTINCT f.value) AS files
         FROM ${actionsOf(scope)} AS a, json_each(${filesArray('a.metadata')}) AS f
         WHERE a.session_id IS NOT NULL AND f.type = 'text' GROUP BY a.session_id`,
      )
      .map((r) => [r.id, (JSON.parse(r.files) as string[]).sort()]),
  );
  const byId = new Map<string, SessionSummary & { first: number | null; last: number | null }>();
  const entry = (id: string) => {
    let s = byId.get(id);
    if (!s) {
      s = {
        id,
        agent: null,
        models: [],
        start: null,
        end: null,
        ended: false,
        actions: 0,
        files: [],
        commits: [],
        pending: false,
        first: null,
        last: null,
      };
      byId.set(id, s);
    }
    return s;
  };
  for (const e of events) {
    const s = entry(e.id);
    s.first = e.first;
    s.last = e.last;
    s.agent = text(e.agent);
    const model = text(e.model);
    if (model) s.models.push(model);
    s.ended = e.ended === 1;
    s.pending = e.pending === 1;
  }
  for (const a of actions) {
    const s = entry(a.id);
    s.first = minOf(s.first, a.first);
    s.last = maxOf(s.last, a.last);
    s.agent ??= text(a.agent);
    for (const m of JSON.parse(a.models) as unknown[]) {
      const model = text(m);
      if (model && !s.models.includes(model)) s.models.push(model);
    }
    s.actions = a.actions;
    s.pending ||= a.pending === 1;
  }
  const out = [...byId.values()].map(({ first, last, ...s }) => ({
    ...s,
    start: julianToIso(first),
    end: julianToIso(last),
    files: files.get(s.id) ?? [],
    commits: commitsOfSession(links, s.id),
  }));
  return out.sort((a, b) => (tsMillis(a.start) ?? -1) - (tsMillis(b.start) ?? -1) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One entry of a session's timeline. */
export type TimelineEntry =
  | { kind: 'event'; ts: string | null; uid: string; event: string | null; summary: string | null; pending: boolean }
  | {
      kind: 'action';
      ts: string | null;
      uid: string;
      id: number | null;
      action: string | null;
      statement: string | null;
      metadata: string | null;
      pending: boolean;
    }
  | { kind: 'commit'; ts: string | null; sha: string; subject: string | null; pending: boolean };

/** The session `id` (its summary, null when the log has no such session) and its timeline, oldest first. */
export function sessionTimeline(scope: ReadScope, id: string): { session: SessionSummary | null; timeline: TimelineEntry[] } {
  const links = loadLinks(scope);
  const session = listSessions(scope, links).find((s) => s.id === id) ?? null;
  if (!session) return { session: null, timeline: [] };
  const rows = scope.view.all<{
    kind: 'event' | 'action';
    uid: string;
    id: number | null;
    ts: string | null;
    name: string | null;
    body: string | null;
    metadata: string | null;
    pending: number;
  }>(
    `SELECT * FROM (
       SELECT 'action' AS kind, uid, id, ts, action AS name, statement AS body, metadata, pending, 1 AS rank FROM ${actionsOf(scope)} WHERE session_id = @id
       UNION ALL
       SELECT 'event', uid, NULL, ts, event, summary, NULL, pending, CASE event WHEN 'start' THEN 0 ELSE 2 END FROM ${eventsOf(scope)} WHERE session_id = @id)
     ORDER BY julianday(ts), rank, ${TIME_ORDER.replace('julianday(ts), ', '')}`,
    { id },
  );
  const timeline: TimelineEntry[] = rows.map((r) =>
    r.kind === 'event'
      ? { kind: 'event', ts: r.ts, uid: r.uid, event: r.name, summary: r.body, pending: r.pending === 1 }
      : {
          kind: 'action',
          ts: r.ts,
          uid: r.uid,
          id: r.id,
          action: r.name,
          statement: r.body,
          metadata: r.metadata,
          pending: r.pending === 1,
        },
  );
  // Each commit the session went into, at the time git made it.
  for (const sha of session.commits) {
    const c = links.bySha.get(sha)?.[0];
    timeline.push({ kind: 'commit', ts: c?.ts ?? null, sha, subject: c?.subject ?? null, pending: c?.pending ?? false });
  }
  const at = (e: TimelineEntry) => tsMillis(e.ts) ?? Number.NEGATIVE_INFINITY;
  // A stable sort: rows keep their SQL order, commits fall in after the rows of their time.
  timeline.sort((a, b) => at(a) - at(b) || (a.kind === 'commit' ? 1 : 0) - (b.kind === 'commit' ? 1 : 0));
  return { session, timeline };
}

/** Whether the log has a row or an event of session `id`. */
export function sessionExists(scope: ReadScope, id: string): boolean {
  return (
    scope.view.all(
      `SELECT 1 FROM ${actionsOf(scope)} WHERE session_id = @id UNION ALL SELECT 1 FROM ${eventsOf(scope)} WHERE session_id = @id LIMIT 1`,
      { id },
    ).length > 0
  );
}
