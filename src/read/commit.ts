// One commit as the log knows it: its own rows (git.commit or git.merge, its git.pre-commit, the
// git.rewrite rows that name it), the agent sessions whose rows went into it (or into a commit it
// was rewritten from) and those rows: for each session, its rows after the previous pre-commit
// that folded rows of that session in, up to this commit's pre-commit.
import type { LogEntry } from '../store/view.js';
import { type CommitSession, type Links, previousPrecommit, rewrittenAs, rewrittenFrom, sessionsOfCommit } from './links.js';
import { actionsOf, loadLinks, NOT_GIT, type ReadScope, TIME_ORDER } from './query.js';
import { tsMillis } from './time.js';

/** What the log says about one commit. */
export interface CommitDetail {
  sha: string;
  subject: string | null;
  parents: string[];
  /** When post-commit recorded it (null when the log has no git.commit or git.merge row for it). */
  ts: string | null;
  /** The commits it replaced (amend, rebase), and what it became. */
  rewrittenFrom: string[];
  rewrittenAs: string[];
  /** Its own rows: git.commit / git.merge, git.pre-commit, git.rewrite. */
  rows: LogEntry[];
  sessions: CommitSession[];
  /** The rows of those sessions that went into it, oldest first. */
  actions: LogEntry[];
}

type RawEntry = Omit<LogEntry, 'pending'> & { pending: number };
const entry = (r: RawEntry): LogEntry => ({ ...r, pending: r.pending === 1 });

/** The SHAs the log knows (commits, merges, rewrites) that start with `prefix` (at least 4 hex digits). */
export function shasInLog(links: Links, prefix: string): string[] {
  const p = prefix.toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(p)) return [];
  const all = new Set([...links.bySha.keys(), ...links.rewrites.keys(), ...links.rewrittenFrom.keys()]);
  return [...all].filter((s) => s.startsWith(p)).sort();
}

/** Whether the log has anything about `sha`. */
export function commitKnown(links: Links, sha: string): boolean {
  return links.bySha.has(sha) || links.rewriteRows.has(sha);
}

/** The commit `sha` (a full SHA) as the log knows it. */
export function commitDetail(scope: ReadScope, sha: string, links: Links = loadLinks(scope)): CommitDetail {
  const own = links.bySha.get(sha) ?? [];
  const uids = new Set<string>(links.rewriteRows.get(sha) ?? []);
  for (const c of own) {
    uids.add(c.uid);
    if (c.precommit && links.precommits.has(c.precommit)) uids.add(c.precommit);
  }
  const rel = actionsOf(scope);
  const rows = uids.size
    ? scope.view
        .all<RawEntry>(`SELECT * FROM ${rel} WHERE uid IN (SELECT value FROM json_each(@uids)) ORDER BY ${TIME_ORDER}`, {
          uids: JSON.stringify([...uids]),
        })
        .map(entry)
    : [];
  const sessions = sessionsOfCommit(links, sha);
  const actions: LogEntry[] = [];
  const seen = new Set<string>();
  for (const s of sessions) {
    const p = links.precommits.get(s.precommit);
    if (!p) continue;
    const before = previousPrecommit(links, s.id, p);
    const found = scope.view.all<RawEntry>(
      `SELECT * FROM ${rel} WHERE session_id = @session AND ${NOT_GIT}
         AND julianday(ts) <= julianday(@until) AND (@after IS NULL OR julianday(ts) > julianday(@after))
       ORDER BY ${TIME_ORDER}`,
      { session: s.id, until: p.ts, after: before?.ts ?? null },
    );
    for (const r of found) {
      if (seen.has(r.uid)) continue;
      seen.add(r.uid);
      actions.push(entry(r));
    }
  }
  // Sessions in turn: put their rows back in the order of time (a stable sort keeps ties as read).
  const at = (e: LogEntry) => tsMillis(e.ts) ?? Number.NEGATIVE_INFINITY;
  actions.sort((a, b) => (at(a) === at(b) ? 0 : at(a) - at(b)));
  const first = own.find((c) => c.kind === 'commit') ?? own[0];
  const later = rewrittenAs(links, sha).filter((s) => s !== sha);
  return {
    sha,
    subject: first?.subject ?? null,
    parents: first?.parents ?? [],
    ts: first?.ts ?? null,
    rewrittenFrom: rewrittenFrom(links, sha),
    rewrittenAs: later,
    rows,
    sessions,
    actions,
  };
}
