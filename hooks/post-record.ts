// post-commit, post-rewrite and post-merge through node: what the hook blocks of 0.1.0 call
// (`node …/dist/src/bin.js hook post-commit`) until `install` moves the repository to hooks that
// start no node. The event goes to the same sh recorder the current hooks run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HookHandler } from './types.js';

/** bin/codexlog-hook.sh of this package, found above this module (in dist/ or in the bundle). */
function recorder(): string | null {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'bin', 'codexlog-hook.sh');
    if (existsSync(file)) return file;
  }
  return null;
}

/** The handler of one post-* hook. */
export function postRecord(name: 'post-commit' | 'post-rewrite' | 'post-merge'): HookHandler {
  return async (ctx, args, stdin) => {
    const script = recorder();
    if (!script) return;
    const input = name === 'post-rewrite' ? await stdin() : Buffer.alloc(0);
    await new Promise<void>((resolve) => {
      const child = spawn('sh', [script, name, ...args], { cwd: ctx.cwd, env: ctx.env, stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', () => resolve());
      child.on('close', () => resolve());
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    });
  };
}

export default postRecord('post-commit');
