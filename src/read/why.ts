// Blame for agents: the rows whose metadata.files names a path (or, for a folder, a path under
// it), newest first, each with its agent, and the commits it went into (the first pre-commit
// after it that folded in rows of its session, see links.ts).
import path from 'node:path';
import type { LogEntry } from '../store/view.js';
import { commitsOfPrecommit, precommitOfRow } from './links.js';
import { actionsOf, filesArray, jsonField, loadLinks, type ReadScope, text } from './query.js';

/** A row that touched the path. */
export interface WhyEntry extends LogEntry {
  agent: string | null;
  /** The paths of its metadata.files that matched. */
  files: string[];
  /** The commits (as they are now) it went into; empty while uncommitted or when unknown. */
  commits: string[];
}

/**
 * The repository-relative POSIX path `arg` names, given from `cwd`; null when it is the root or
 * leads outside `root` (files are recorded relative to the repository).
 */
export function repoPath(root: string, cwd: string, arg: string): string | null {
  const rel = path.relative(root, path.resolve(cwd, arg));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

/** The rows that touched `file` (a repository-relative path), newest first; at most `limit`. */
export function whyPath(scope: ReadScope, file: string, limit: number | null): WhyEntry[] {
  // A cheap substring test first, where the path's JSON form is the path itself.
  const plain = /^[\x20-\x7e]*$/.test(file) && !/["\\]/.test(file);
  const rows = scope.view.all<Omit<LogEntry, 'pending'> & { pending: number; agent: unknown; matched: string }>(
    `SELECT a.id, a.uid, a.session_id, a.ts, a.action, a.statement, a.metadata, a.pending,
       ${jsonField('a.metadata', 'agent')} AS agent, json_group_array(f.value) AS matched
     FROM ${actionsOf(scope)} AS a, json_each(${filesArray('a.metadata')}) AS f
     WHERE ${plain ? 'instr(a.metadata, @path) > 0 AND ' : ''}f.type = 'text'
       AND (f.value = @path OR substr(f.value, 1, length(@path) + 1) = @path || '/')
     GROUP BY a.uid
     ORDER BY julianday(a.ts) DESC, a.pending DESC, a.id DESC, a.uid DESC
     ${limit === null ? '' : 'LIMIT @limit'}`,
    limit === null ? { path: file } : { path: file, limit },
  );
  const links = loadLinks(scope);
  return rows.map(({ agent, matched, pending, ...r }) => {
    const p = pending === 1 ? null : precommitOfRow(links, r.session_id, r.ts);
    return {
      ...r,
      pending: pending === 1,
      agent: text(agent),
      files: (JSON.parse(matched) as string[]).sort(),
      commits: p ? commitsOfPrecommit(links, p.uid) : [],
    };
  });
}
