// The executable's edge: the one place that touches process (argv, streams, exit code).
import { readFileSync } from 'node:fs';
import { runCli } from './run.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

process.exitCode = await runCli(
  process.argv.slice(2),
  { cwd: process.cwd(), env: process.env, version: pkg.version, parentPid: process.ppid },
  { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), readStdin },
);
