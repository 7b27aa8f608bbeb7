// The executable's edge: the one place that touches process (argv, streams, exit code). main.ts
// and hook-main.ts (the git hooks' entry: the hook command alone, in one file) run it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
  let stdoutClosed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutClosed = true;
    process.stdout.emit('drain');
  });

  process.exitCode = await runCli(
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
}
