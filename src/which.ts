// Finding executables on a PATH without spawning a process (git hooks pay for every spawn).
import { statSync } from 'node:fs';
import path from 'node:path';

/** Absolute path of an executable found on the env's PATH, or null. */
export function findOnPath(env: NodeJS.ProcessEnv, name: string): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      const st = statSync(candidate);
      if (st.isFile() && (st.mode & 0o111) !== 0) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}
