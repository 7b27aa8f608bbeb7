// What the commands that read the log share: the flags every one of them takes, opening the whole
// log (or its committed rows), and printing JSON and tables safely for the terminal they got.
import { safeJson } from '../read/escape.js';
import { type ReadScope, withScope } from '../read/query.js';
import type { TableOptions } from '../read/table.js';
import { openWorkspace, type Workspace } from '../workspace.js';
import type { CommandContext } from './args.js';

/** `--committed`: read only the rows the log has committed (every segment and the log file). */
export const COMMITTED_FLAG = { committed: { type: 'boolean' } } as const;

/** Opens the workspace and its whole log (committed rows only with `committedOnly`), then runs `fn`. */
export async function reading<T>(
  ctx: CommandContext,
  committedOnly: boolean,
  fn: (scope: ReadScope, ws: Workspace) => T | Promise<T>,
): Promise<T> {
  const ws = await openWorkspace(ctx);
  return withScope(ws, committedOnly, (scope) => fn(scope, ws));
}

/** How tables fit the command's terminal. */
export function tableOptions(ctx: CommandContext): TableOptions {
  return { width: ctx.terminal.width, color: ctx.terminal.color };
}

/** Prints `value` as indented JSON, every control character escaped. */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.out(safeJson(value, 2));
}

/** A SHA as tables show it. */
export const shortSha = (sha: string): string => sha.slice(0, 10);
