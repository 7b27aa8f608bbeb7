// The CLI: turns argv into a command call and an exit code. The only place that prints.
import { CodexlogError, UsageError } from './errors.js';
import { PREFIX, messages } from './messages.js';
import type { Command, CommandContext } from './command.js';
import { envFlag } from './config.js';

type Loader = () => Promise<{ default: Command }>;

// Commands load lazily: a hook must not pay for the modules of every other command.
const COMMANDS: Record<string, Loader> = {
  record: () => import('./commands/record.js'),
  session: () => import('./commands/session.js'),
  finalize: () => import('./commands/finalize.js'),
  log: () => import('./commands/log.js'),
  install: () => import('./commands/install.js'),
  uninstall: () => import('./commands/uninstall.js'),
  check: () => import('./commands/check.js'),
  hook: () => import('./commands/hook.js'),
  'merge-driver': () => import('./commands/merge-driver.js'),
};

// Commands that may write: under TEST_MODE they say so on stderr (hooks stay silent).
const WRITERS = new Set(['record', 'session', 'finalize', 'install', 'uninstall']);

/** Streams and stdin, injected so tests can run the CLI in-process. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<Buffer>;
}

/** Builds the top-level help from each command's usage line. */
async function topHelp(version: string): Promise<string> {
  const lines = [`codexlog-hooks ${version}: an audit log of AI agents' actions and commits, kept in git through Git LFS.`, '', 'Usage:'];
  for (const load of Object.values(COMMANDS)) {
    const cmd = (await load()).default;
    lines.push(`  codexlog-hooks ${cmd.usage}`, `      ${cmd.summary}`);
  }
  lines.push('', 'Run `codexlog-hooks <command> --help` for a command\'s options. Docs: README.md');
  return lines.join('\n');
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], ctx: { cwd: string; env: NodeJS.ProcessEnv; version: string }, io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const context: CommandContext = {
    cwd: ctx.cwd,
    env: ctx.env,
    out: (t) => io.stdout(t.endsWith('\n') ? t : t + '\n'),
    logger: {
      info: (m) => io.stderr(`${PREFIX} ${m}\n`),
      warn: (m) => io.stderr(`${PREFIX} ${m}\n`),
    },
    readStdin: io.readStdin,
  };
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      // Asked for, the help is output; a bare `codexlog-hooks` is a usage error, on stderr.
      if (name === undefined) {
        io.stderr(`${await topHelp(ctx.version)}\n`);
        return 2;
      }
      context.out(await topHelp(ctx.version));
      return 0;
    }
    if (name === '--version' || name === '-v') {
      context.out(ctx.version);
      return 0;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) throw new UsageError(`${messages.unknownCommand(name)}\n\n${await topHelp(ctx.version)}`);
    const command = (await load()).default;
    if (rest.includes('--help') || rest.includes('-h')) {
      context.out(`Usage: codexlog-hooks ${command.usage}\n\n${command.summary}`);
      return 0;
    }
    if (WRITERS.has(name) && envFlag(ctx.env, 'TEST_MODE')) context.logger.warn(messages.testMode);
    return await command.run(rest, context);
  } catch (e) {
    return report(e, io, ctx.env);
  }
}

function report(e: unknown, io: CliIO, env: NodeJS.ProcessEnv): number {
  const debug = Boolean(env.DEBUG && /codexlog|\*/.test(env.DEBUG));
  if (e instanceof CodexlogError) {
    io.stderr(`${PREFIX} ${e.message}\n`);
    if (debug && e.stack) io.stderr(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  io.stderr(`${PREFIX} ${messages.unexpected(err?.message ?? String(e))}\n`);
  if (debug && err?.stack) io.stderr(`${err.stack}\n`);
  return 1;
}
