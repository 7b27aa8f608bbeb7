// What every reader shares: the whole log (committed and uncommitted rows, every segment) or its
// committed rows only, as relations of the view; SQL pieces that read agent rows' metadata
// (JSON text, or free text, or nothing: every JSON function is guarded by json_valid); and the
// git rows turned into links between commits and sessions.
import { withLog } from '../actions.js';
import { LogView } from '../store/view.js';
import type { Workspace } from '../workspace.js';
import { buildLinks, type GitRowInput, type Links } from './links.js';

/** Where a reader reads: the view of the whole log, and whether only committed rows count. */
export interface ReadScope {
  view: LogView;
  committedOnly: boolean;
}

/** Opens the whole log of `ws` (ingesting what waits in the inbox), runs `fn` on it, closes it. */
export function withScope<T>(ws: Workspace, committedOnly: boolean, fn: (scope: ReadScope) => T | Promise<T>): Promise<T> {
  return withLog(ws, (view) => fn({ view, committedOnly }));
}

/** The actions relation of `scope`. */
export const actionsOf = (scope: ReadScope): string => LogView.actions(scope.committedOnly);
/** The session events relation of `scope`. */
export const eventsOf = (scope: ReadScope): string => LogView.events(scope.committedOnly);

/** SQL: the row is not one of the git hooks' own (git.commit, git.pre-commit, ...). */
export const NOT_GIT = "substr(coalesce(action, ''), 1, 4) <> 'git.'";

/** SQL: a top-level field of a JSON object column (NULL for free text, other JSON, or no such field). */
export function jsonField(column: string, field: string): string {
  return `CASE WHEN json_valid(${column}) THEN json_extract(${column}, '$.${field}') END`;
}

/** SQL: the `files` array of an agent row's metadata as a JSON array (empty when it has none). */
export function filesArray(column: string): string {
  // instr first: most rows name no files, and it spares them a JSON parse.
  return `CASE WHEN instr(${column}, '"files"') > 0 AND json_valid(${column}) AND json_type(${column}, '$.files') = 'array'
    THEN json_extract(${column}, '$.files') ELSE '[]' END`;
}

/** SQL: oldest first, as `log` orders rows (at the same time: committed before uncommitted, then by id and uid). */
export const TIME_ORDER = 'julianday(ts), pending, id, uid';

/** A Julian day number (SQLite's julianday()) as ISO 8601 UTC; null stays null. */
export function julianToIso(jd: number | null): string | null {
  return jd === null ? null : new Date(Math.round((jd - 2440587.5) * 86_400_000)).toISOString();
}

/** A text value of a JSON field read in SQL (numbers and others as text; null for none). */
export const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

const GIT_LINK_ACTIONS = "('git.commit', 'git.merge', 'git.pre-commit', 'git.rewrite')";

/** The links between commits and sessions that the git rows of `scope` hold. */
export function loadLinks(scope: ReadScope): Links {
  const rows = scope.view.all<Omit<GitRowInput, 'pending'> & { pending: number }>(
    `SELECT uid, ts, action, metadata, pending FROM ${actionsOf(scope)} WHERE action IN ${GIT_LINK_ACTIONS} ORDER BY ${TIME_ORDER}`,
  );
  return buildLinks(rows.map((r) => ({ ...r, pending: r.pending === 1 })));
}
