// The rows git's hooks record, built from facts about the commit (pure: no git, no files).
import type { StagedChange } from './git/parse.js';
import type { NewAction } from './rows.js';

/** A summary of the staged paths for the pre-commit row (the databases themselves left out). */
export function summarizeStaged(changes: StagedChange[], exclude: (path: string) => boolean): Record<string, unknown> {
  const own = changes.filter((c) => !exclude(c.path) && c.path !== '.gitattributes');
  const count = (s: string) => own.filter((c) => c.status.startsWith(s)).length;
  return {
    total: own.length,
    added: count('A'),
    modified: count('M'),
    deleted: count('D'),
    other: own.length - count('A') - count('M') - count('D'),
    paths: own.slice(0, 50).map((c) => c.path),
    truncated: own.length > 50,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** An agent session whose rows a commit folds in. */
export interface FoldedSession {
  id: string;
  agent: string | null;
  model: string | null;
  rows: number;
}

/** The `git.pre-commit` row: branch, staged paths, operations in progress, the sessions it carries. */
export function preCommitRow(
  session: string | null,
  facts: {
    branch: string | null;
    changes: StagedChange[];
    exclude: (path: string) => boolean;
    operations: string[];
    sessions: FoldedSession[];
  },
): NewAction {
  const staged = summarizeStaged(facts.changes, facts.exclude);
  return {
    session_id: session,
    action: 'git.pre-commit',
    statement: `pre-commit on ${facts.branch ?? '(detached HEAD)'}: ${plural(staged.total as number, 'staged path')}`,
    metadata: JSON.stringify({ branch: facts.branch, staged, operations: facts.operations, sessions: facts.sessions }),
  };
}

/** The `git.blocked` row of a commit the LFS gate stopped. */
export function blockedRow(session: string | null, reasons: string[]): NewAction {
  return {
    session_id: session,
    action: 'git.blocked',
    statement: 'commit blocked by the Git LFS gate',
    metadata: JSON.stringify({ reasons }),
  };
}

/** The `git.restore` row: rows a git operation took out of the log, put back by this commit. */
export function restoreRow(actions: number, events: number, fromLog: string): NewAction {
  const n = actions + events;
  return {
    session_id: null,
    action: 'git.restore',
    statement: `put back ${plural(n, 'row')} a git operation (a revert, a reset, a checkout) took out of the log`,
    metadata: JSON.stringify({ actions, events, fromLog }),
  };
}

/** Facts about a commit: full SHA, parents, subject. */
export interface CommitFacts {
  sha: string;
  parents: string[];
  subject: string;
}

/** The operation a hook ran in, from GIT_REFLOG_ACTION ("rebase (pick)", "cherry-pick", "merge x", "pull"). */
export function operationOf(reflogAction: string | null): string | null {
  // "rebase (pick)", "rebase -i (pick)", "cherry-pick", "merge feature", "pull --ff-only origin main"
  const m = /^(rebase|cherry-pick|revert|merge|pull|am)\b/.exec(reflogAction ?? '');
  return m ? m[1] : null;
}

/** The `git.commit` row of post-commit: `markers` are the operations whose marker files git left. */
export function commitRow(
  session: string | null,
  head: CommitFacts,
  reflogAction: string | null,
  precommit: string | null,
  markers: readonly string[] = [],
): NewAction {
  const operation = operationOf(reflogAction);
  const operations = [...new Set([...markers, ...(operation && operation !== 'pull' && operation !== 'am' ? [operation] : [])])];
  return {
    session_id: session,
    action: 'git.commit',
    statement: head.subject,
    metadata: JSON.stringify({ ...head, operations, reflogAction, precommit }),
  };
}

/** The `git.rewrite` row of post-rewrite (amend, rebase): old-to-new SHA mappings. */
export function rewriteRow(session: string | null, kind: string, mappings: Array<{ old: string; new: string }>): NewAction {
  return {
    session_id: session,
    action: 'git.rewrite',
    statement: `${kind}: ${plural(mappings.length, 'commit')} rewritten`,
    metadata: JSON.stringify({ kind, mappings }),
  };
}

/** What a merge or pull brought in: the branch or commit named, and the range of commits. */
export interface MergedFacts {
  /** The branch or commit named on the command line ("feature", "origin main"), when known. */
  merged: string | null;
  /** The commits that came in, as `<from>..<to>`; null when unknown. */
  range: string | null;
  squash: boolean;
  fastForward: boolean;
}

/** The `git.merge` row of post-merge (merges and pulls fire no commit hook). */
export function mergeRow(session: string | null, head: CommitFacts, facts: MergedFacts, reflogAction: string | null): NewAction {
  const kind = facts.squash ? 'squash merge' : facts.fastForward ? 'fast-forward' : 'merge';
  const what = facts.merged ? ` of ${facts.merged}` : '';
  const range = facts.range ? ` (${facts.range})` : '';
  return {
    session_id: session,
    action: 'git.merge',
    statement: `${kind}${what}${range}: ${head.subject}`,
    metadata: JSON.stringify({ ...head, ...facts, reflogAction }),
  };
}
