// What a command receives, and how it parses its arguments (node:util's parseArgs).
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import type { Logger } from '../workspace.js';
import type { ProgressLine } from './progress.js';
import type { Terminal } from './terminal.js';

/** A command's view of the world: no `process`, only what the CLI hands it. */
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Normal output (results, tables, JSON); a newline is added when missing. */
  out(text: string): void;
  /** Output streamed in pieces (exports): written as given, waiting while stdout drains. */
  write(chunk: string): Promise<void>;
  /** What stdout and stderr are: width for tables, colour, TTYs. */
  terminal: Terminal;
  /** A progress line on stderr (drawn only when stderr is a terminal). */
  progress(label: string): ProgressLine;
  logger: Logger;
  /** Standard input, read whole (hooks like post-rewrite get data there). */
  readStdin(): Promise<Buffer>;
  /** The parent process's id (git hooks look for the `git commit` above them). */
  parentPid?: number;
}

/** Thrown by `write` once stdout's reader went away (`export | head`): the command stops, quietly. */
export class OutputClosedError extends Error {
  constructor() {
    super('stdout was closed');
    this.name = 'OutputClosedError';
  }
}

/** A command module: its usage line (without the program name) and what it does. Returns the exit code. */
export interface Command {
  usage: string;
  summary: string;
  run(args: string[], ctx: CommandContext): Promise<number>;
}

// A word as a shell reads it back: bare when it is plain, else in single quotes.
const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * For an unknown option that may be a value (the command takes positionals: `record tool '-rf /'`),
 * how to give it: the arguments before it, then `--`, then it. Null when the command takes none.
 */
export function dashValueHint(usage: string, args: readonly string[], option: string): string | null {
  const [name, ...rest] = usage.split(' ');
  if (
    !rest
      .join(' ')
      .replace(/\[[^\]]*\]/g, '')
      .includes('<')
  )
    return null;
  const end = args.indexOf('--');
  const before = end < 0 ? args : args.slice(0, end);
  const at = before.findIndex((a) => a === option || (a.startsWith(option) && !a.startsWith('--')) || a.startsWith(`${option}=`));
  if (at < 0) return null;
  return messages.dashValue(['codexlog-hooks', name, ...before.slice(0, at).map(shellWord), '--', shellWord(before[at])].join(' '));
}

/** parseArgs with our usage errors; `--help` is always accepted. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
): { values: { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string } & { help?: boolean }; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return parsed as never;
  } catch (e) {
    const err = e as Error & { code?: string };
    let message = err.message.replace(/\. To specify a positional.*$/s, '.');
    const option = /^Unknown option '([^']+)'/.exec(message)?.[1];
    const hint = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option ? dashValueHint(usage, args, option) : null;
    if (hint) message += `\n${hint}`;
    throw new UsageError(message, messages.usageLine(usage));
  }
}

/** Throws a usage error unless there are between `min` and `max` positionals. */
export function expectPositionals(positionals: string[], min: number, max: number, what: string, usage: string): void {
  if (positionals.length < min) throw new UsageError(messages.missingArgument(what), messages.usageLine(usage));
  if (positionals.length > max) throw new UsageError(messages.tooManyArguments, messages.usageLine(usage));
}

/** A flag value checked by `parse`; a bad value is a usage error that shows the usage line. */
export function flagValue<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(e.message, messages.usageLine(usage)) : e;
  }
}
