// The executable's edge: the one place that touches process (argv, streams, exit code). main.ts
// and hook-main.ts (the git hooks' entry: the hook command alone, in one file) run it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { messages, PREFIX } from '../messages.js';
import { escapeControl } from '../read/escape.js';
import { type CommandRegistry, runCli } from './run.js';

/** The package's version, from the package.json above this file (in dist/src/cli or in the bundle). */
function version(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'codexlog-hooks' && pkg.version) return pkg.version;
    } catch {
      // not here
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Runs the CLI over `commands` as this process: its argv, streams and exit code. */
export async function runProcess(commands: CommandRegistry): Promise<void> {
  // A reader that goes away (`codexlog-hooks export | head`) ends the output, not the process with a trace.
  // Any other failure to write (a full disk, `> /dev/full`) ends the output too: the command finishes
  // what it was doing, then one line says why its output is missing, and the exit code is 1.
  let stdoutClosed = false;
  let failed: NodeJS.ErrnoException | null = null;
  let done = false;
  const reportFailure = (e: NodeJS.ErrnoException) => {
    const detail = (e.message ?? String(e)).replace(/^[A-Z]+: /, '');
    process.stderr.write(`${PREFIX} ${escapeControl(messages.stdoutFailed(e.code ?? 'error', detail), '\t')}\n`);
    process.exitCode = 1;
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    const first = !stdoutClosed;
    stdoutClosed = true;
    process.stdout.emit('drain');
    if (e.code === 'EPIPE' || !first || failed) return;
    failed = e;
    if (done) reportFailure(e);
  });

  const code = await runCli(
    commands,
    process.argv.slice(2),
    { cwd: process.cwd(), env: process.env, version: version(), parentPid: process.ppid },
    {
      stdout: (t) => (stdoutClosed ? true : process.stdout.write(t)),
      stderr: (t) => process.stderr.write(t),
      readStdin,
      drain: () => (stdoutClosed ? Promise.resolve() : new Promise((resolve) => process.stdout.once('drain', resolve))),
      stdoutClosed: () => stdoutClosed,
      streams: { stdoutIsTTY: process.stdout.isTTY === true, stderrIsTTY: process.stderr.isTTY === true, columns: process.stdout.columns },
    },
  );
  done = true;
  process.exitCode = code;
  if (failed) reportFailure(failed);
}
