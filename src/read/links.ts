// How commits and agent sessions point at each other in the log (pure: rows in, answers out).
// The hooks record (see row-conventions): a `git.pre-commit` row per logged commit, listing the
// sessions whose rows it folds in (metadata.sessions); a `git.commit` row per commit naming that
// pre-commit row (metadata.precommit = its uid); `git.rewrite` rows mapping old SHAs to new ones
// (amend, rebase); `git.merge` rows for merges and pulls. So: commit → pre-commit → sessions, and
// a rewritten commit inherits the sessions of the commits it replaced.
import { tsMillis } from './time.js';

/** A row of the log as the linker needs it. */
export interface GitRowInput {
  uid: string;
  ts: string | null;
  action: string | null;
  metadata: string | null;
  pending: boolean;
}

/** A session a pre-commit row folded in. */
export interface FoldedSessionRef {
  id: string;
  agent: string | null;
  model: string | null;
  rows: number;
}

/** A `git.commit` or `git.merge` row. */
export interface CommitRef {
  uid: string;
  kind: 'commit' | 'merge';
  sha: string;
  ts: string | null;
  subject: string | null;
  parents: string[];
  /** The uid of the commit's `git.pre-commit` row (commits only; null when pre-commit did not run). */
  precommit: string | null;
  pending: boolean;
}

/** A `git.pre-commit` row. */
export interface PrecommitRef {
  uid: string;
  ts: string | null;
  ms: number | null;
  branch: string | null;
  sessions: FoldedSessionRef[];
}

/** Everything the git rows say about commits and sessions. */
export interface Links {
  /** git.commit and git.merge rows, in the order given (oldest first). */
  commits: CommitRef[];
  bySha: Map<string, CommitRef[]>;
  byPrecommit: Map<string, CommitRef[]>;
  precommits: Map<string, PrecommitRef>;
  /** Per session id, the pre-commit rows that folded its rows in, oldest first. */
  sessionPrecommits: Map<string, PrecommitRef[]>;
  /** old SHA → new SHAs, and back. */
  rewrites: Map<string, Set<string>>;
  rewrittenFrom: Map<string, Set<string>>;
  /** The uids of the git.rewrite rows that name a SHA (old or new). */
  rewriteRows: Map<string, string[]>;
}

const asObject = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

function object(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    return asObject(JSON.parse(text));
  } catch {
    return null;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const isSha = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(v);

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function link(map: Map<string, Set<string>>, from: string, to: string): void {
  const set = map.get(from) ?? new Set<string>();
  set.add(to);
  map.set(from, set);
}

/** Reads the git rows (others are ignored); rows with malformed metadata are skipped. */
export function buildLinks(rows: Iterable<GitRowInput>): Links {
  const links: Links = {
    commits: [],
    bySha: new Map(),
    byPrecommit: new Map(),
    precommits: new Map(),
    sessionPrecommits: new Map(),
    rewrites: new Map(),
    rewrittenFrom: new Map(),
    rewriteRows: new Map(),
  };
  for (const r of rows) {
    const m = object(r.metadata);
    if (!m) continue;
    if (r.action === 'git.commit' || r.action === 'git.merge') {
      if (!isSha(m.sha)) continue;
      const c: CommitRef = {
        uid: r.uid,
        kind: r.action === 'git.commit' ? 'commit' : 'merge',
        sha: m.sha,
        ts: r.ts,
        subject: typeof m.subject === 'string' ? m.subject : null,
        parents: Array.isArray(m.parents) ? m.parents.filter(isSha) : [],
        precommit: r.action === 'git.commit' ? str(m.precommit) : null,
        pending: r.pending,
      };
      links.commits.push(c);
      add(links.bySha, c.sha, c);
      if (c.precommit) add(links.byPrecommit, c.precommit, c);
    } else if (r.action === 'git.pre-commit') {
      const sessions = (Array.isArray(m.sessions) ? m.sessions : [])
        .map(asObject)
        .filter((s): s is Record<string, unknown> => s !== null && str(s.id) !== null)
        .map((s) => ({
          id: s.id as string,
          agent: str(s.agent),
          model: str(s.model),
          rows: typeof s.rows === 'number' ? s.rows : 0,
        }));
      const p: PrecommitRef = { uid: r.uid, ts: r.ts, ms: tsMillis(r.ts), branch: str(m.branch), sessions };
      links.precommits.set(p.uid, p);
      for (const s of sessions) add(links.sessionPrecommits, s.id, p);
    } else if (r.action === 'git.rewrite') {
      for (const pair of Array.isArray(m.mappings) ? m.mappings : []) {
        const { old, new: next } = (pair ?? {}) as { old?: unknown; new?: unknown };
        if (isSha(old) && isSha(next) && old !== next) {
          link(links.rewrites, old, next);
          link(links.rewrittenFrom, next, old);
          for (const sha of [old, next]) if (!links.rewriteRows.get(sha)?.includes(r.uid)) add(links.rewriteRows, sha, r.uid);
        }
      }
    }
  }
  for (const list of links.sessionPrecommits.values()) list.sort((a, b) => (a.ms ?? -1) - (b.ms ?? -1));
  return links;
}

/** Every SHA reachable from `sha` through `map` (transitively), without `sha` itself. */
function reach(map: Map<string, Set<string>>, sha: string): Set<string> {
  const seen = new Set<string>([sha]);
  const todo = [sha];
  while (todo.length) {
    for (const next of map.get(todo.pop() as string) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  seen.delete(sha);
  return seen;
}

/** What `sha` became after every rewrite (amend, rebase): the last SHAs of its chains; itself when never rewritten. */
export function rewrittenAs(links: Links, sha: string): string[] {
  const later = [...reach(links.rewrites, sha)].filter((s) => !links.rewrites.has(s));
  return later.length ? later.sort() : [sha];
}

/** The SHAs `sha` was rewritten from (transitively). */
export function rewrittenFrom(links: Links, sha: string): string[] {
  return [...reach(links.rewrittenFrom, sha)].sort();
}

/** The commits (as they are now, after rewrites) whose git.commit row names pre-commit row `uid`. */
export function commitsOfPrecommit(links: Links, uid: string): string[] {
  const out = new Set<string>();
  for (const c of links.byPrecommit.get(uid) ?? []) for (const s of rewrittenAs(links, c.sha)) out.add(s);
  return [...out];
}

/** A session that went into a commit: through the commit's own pre-commit row, or one of a commit it replaced (`via`). */
export interface CommitSession extends FoldedSessionRef {
  precommit: string;
  via: string | null;
}

/** The sessions whose rows went into commit `sha`, or into a commit it was rewritten from. */
export function sessionsOfCommit(links: Links, sha: string): CommitSession[] {
  const out: CommitSession[] = [];
  const seen = new Set<string>();
  for (const from of [sha, ...rewrittenFrom(links, sha)]) {
    for (const c of links.bySha.get(from) ?? []) {
      const p = c.precommit ? links.precommits.get(c.precommit) : undefined;
      for (const s of p?.sessions ?? []) {
        const key = `${s.id}\0${p?.uid}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ ...s, precommit: (p as PrecommitRef).uid, via: from === sha ? null : from });
      }
    }
  }
  return out;
}

/** The pre-commit row that folded in a row of `session` recorded at `ts`: the first one at or after it. */
export function precommitOfRow(links: Links, session: string | null, ts: string | null): PrecommitRef | null {
  const list = session ? links.sessionPrecommits.get(session) : undefined;
  const ms = tsMillis(ts);
  if (!list || ms === null) return null;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid].ms ?? -1) < ms) lo = mid + 1;
    else hi = mid;
  }
  return list[lo] ?? null;
}

/** The pre-commit row before `p` that folded rows of `session` in (the rows `p` folded came after it). */
export function previousPrecommit(links: Links, session: string, p: PrecommitRef): PrecommitRef | null {
  const list = links.sessionPrecommits.get(session) ?? [];
  const i = list.indexOf(p);
  return i > 0 ? list[i - 1] : null;
}

/** The commits (as they are now) that rows of `session` went into, oldest first. */
export function commitsOfSession(links: Links, session: string): string[] {
  const out = new Set<string>();
  for (const p of links.sessionPrecommits.get(session) ?? []) for (const s of commitsOfPrecommit(links, p.uid)) out.add(s);
  return [...out];
}

/** The commits that exist now: git.commit rows whose SHA no rewrite replaced, each SHA once. */
export function currentCommits(links: Links): CommitRef[] {
  const seen = new Set<string>();
  return links.commits.filter((c) => {
    if (c.kind !== 'commit' || links.rewrites.has(c.sha) || seen.has(c.sha)) return false;
    seen.add(c.sha);
    return true;
  });
}
