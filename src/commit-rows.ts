// The rows git's hooks record, built from facts about the commit (pure: no git, no files).
import type { StagedChange } from './git/parse.js';
import type { NewAction } from './rows.js';

/** A summary of the staged paths for the pre-commit row (the databases themselves left out). */
export function summarizeStaged(changes: StagedChange[], exclude: readonly string[]): Record<string, unknown> {
  const own = changes.filter((c) => !exclude.includes(c.path) && c.path !== '.gitattributes');
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

/** The `git.pre-commit` row: branch, staged paths, operations in progress. */
export function preCommitRow(
  session: string | null,
  facts: { branch: string | null; changes: StagedChange[]; exclude: readonly string[]; operations: string[] },
): NewAction {
  const staged = summarizeStaged(facts.changes, facts.exclude);
  return {
    session_id: session,
    action: 'git.pre-commit',
    statement: `pre-commit on ${facts.branch ?? '(detached HEAD)'}: ${plural(staged.total as number, 'staged path')}`,
    metadata: JSON.stringify({ branch: facts.branch, staged, operations: facts.operations }),
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

/** Facts about a commit: full SHA, parents, subject. */
export interface CommitFacts {
  sha: string;
  parents: string[];
  subject: string;
}

/** The `git.commit` row of post-commit. */
export function commitRow(session: string | null, head: CommitFacts, operations: string[]): NewAction {
  return { session_id: session, action: 'git.commit', statement: head.subject, metadata: JSON.stringify({ ...head, operations }) };
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

/** The `git.merge` row of post-merge (merges and pulls fire no commit hook). */
export function mergeRow(session: string | null, head: CommitFacts, squash: boolean): NewAction {
  return {
    session_id: session,
    action: 'git.merge',
    statement: head.subject,
    metadata: JSON.stringify({ ...head, squash, fastForward: head.parents.length < 2 }),
  };
}
