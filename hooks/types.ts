// The shape every hook handler has: the CLI's `hook <name>` command calls it.
import type { RunContext } from '../src/workspace.js';

/** A git hook handler: git's arguments, the hook's stdin, and the run context. */
export type HookHandler = (ctx: RunContext, args: string[], stdin: () => Promise<Buffer>) => Promise<void>;
