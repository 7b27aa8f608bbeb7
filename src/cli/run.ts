// The CLI: turns argv into a command call and an exit code; the one catch that prints errors.

import { debugEnabled, testModeOn } from '../env.js';
import { CodexlogError, UsageError } from '../errors.js';
import { closeInboxWriters } from '../inbox.js';
import { messages, PREFIX } from '../messages.js';
import { escapeControl } from '../read/escape.js';
import { type Command, type CommandContext, OutputClosedError } from './args.js';
import { progressLine } from './progress.js';
import { type StreamFacts, terminalOf } from './terminal.js';

/** Loads a command module. */
export type Loader = () => Promise<{ default: Command }>;

/** The commands a CLI entry offers, by name. */
export type CommandRegistry = Readonly<Record<string, Loader>>;

// Commands that may write: under TEST_MODE they say so on stderr (hooks stay silent).
const WRITERS = new Set(['record', 'session', 'finalize', 'install', 'uninstall', 'import', 'sync-branch', 'restore']);

/** Streams and stdin, injected so tests can run the CLI in-process. */
export interface CliIO {
  /** Writes to stdout; false asks the writer to wait for `drain` before the next piece. */
  stdout(text: string): boolean | undefined;
  stderr(text: string): void;
  readStdin(): Promise<Buffer>;
  /** Resolves once stdout takes more output again (or was closed). */
  drain?(): Promise<void>;
  /** Whether stdout's reader went away (EPIPE). */
  stdoutClosed?(): boolean;
  /** Whether stdout and stderr are terminals, and stdout's width. */
  streams?: StreamFacts;
}

/** Builds the top-level help from each command's usage line. */
async function topHelp(commands: CommandRegistry, version: string): Promise<string> {
  const lines = [`codexlog-hooks ${version}: an audit log of AI agents' actions and commits, kept in git through Git LFS.`, '', 'Usage:'];
  for (const load of Object.values(commands)) {
    const cmd = (await load()).default;
    lines.push(`  codexlog-hooks ${cmd.usage}`, `      ${cmd.summary}`);
  }
  lines.push('', "Run `codexlog-hooks <command> --help` for a command's options. Docs: README.md");
  return lines.join('\n');
}

/** Runs the CLI with `argv` (without node and script) over `commands`; resolves to the exit code. */
export async function runCli(
  commands: CommandRegistry,
  argv: string[],
  ctx: { cwd: string; env: NodeJS.ProcessEnv; version: string; parentPid?: number },
  io: CliIO,
): Promise<number> {
  const [name, ...rest] = argv;
  const terminal = terminalOf(io.streams ?? {}, ctx.env);
  const context: CommandContext = {
    cwd: ctx.cwd,
    env: ctx.env,
    out: (t) => {
      io.stdout(t.endsWith('\n') ? t : `${t}\n`);
    },
    async write(chunk) {
      if (io.stdoutClosed?.()) throw new OutputClosedError();
      if (io.stdout(chunk) === false) await io.drain?.();
      if (io.stdoutClosed?.()) throw new OutputClosedError();
    },
    terminal,
    progress: (label) => progressLine(label, io.stderr, { tty: terminal.stderrIsTTY }),
    // Messages may quote what a user or a row gave (a session id, a path): never a raw control character.
    logger: {
      info: (m) => io.stderr(`${PREFIX} ${escapeControl(m, '\n\t')}\n`),
      warn: (m) => io.stderr(`${PREFIX} ${escapeControl(m, '\n\t')}\n`),
    },
    readStdin: io.readStdin,
    parentPid: ctx.parentPid,
  };
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      // Asked for, the help is output; a bare `codexlog-hooks` is a usage error, on stderr.
      if (name === undefined) {
        io.stderr(`${await topHelp(commands, ctx.version)}\n`);
        return 2;
      }
      context.out(await topHelp(commands, ctx.version));
      return 0;
    }
    if (name === '--version' || name === '-v') {
      context.out(ctx.version);
      return 0;
    }
    const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!load) throw new UsageError(messages.unknownCommand(name), `\n${await topHelp(commands, ctx.version)}`);
    const command = (await load()).default;
    // --help and -h among the options only: after `--` they are a positional (`record bash -- --help`).
    const end = rest.indexOf('--');
    const options = end < 0 ? rest : rest.slice(0, end);
    if (options.includes('--help') || options.includes('-h')) {
      context.out(`${messages.usageLine(command.usage)}\n\n${command.summary}`);
      return 0;
    }
    if (WRITERS.has(name) && testModeOn(ctx.env)) context.logger.warn(messages.testMode);
    return await command.run(rest, context);
  } catch (e) {
    // The reader of stdout went away (`export | head`): nothing to say, nobody to say it to.
    if (e instanceof OutputClosedError) return 0;
    return report(e, io, ctx.env);
  } finally {
    closeInboxWriters();
  }
}

/** The one place errors are printed: our errors as their message, others as "unexpected"; stacks only with DEBUG. */
function report(e: unknown, io: CliIO, env: NodeJS.ProcessEnv): number {
  const debug = debugEnabled(env);
  const err = e as Error;
  const text = e instanceof CodexlogError ? e.message : messages.unexpected(err?.message ?? String(e));
  // Every line of the message carries the prefix (a GUI client's commit log shows whose it is).
  for (const line of text.split('\n')) io.stderr(`${PREFIX} ${escapeControl(line, '\t')}\n`);
  if (e instanceof CodexlogError && e.detail !== undefined) io.stderr(`${escapeControl(e.detail, '\n\t')}\n`);
  if (debug && err?.stack) io.stderr(`${err.stack}\n`);
  if (debug && err?.cause instanceof Error && err.cause.stack) io.stderr(`caused by: ${err.cause.stack}\n`);
  return e instanceof CodexlogError ? e.exitCode : 1;
}
