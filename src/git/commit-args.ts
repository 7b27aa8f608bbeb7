// Which `git commit` runs this hook, and with which arguments. git tells a pre-commit hook nothing
// about --allow-empty or --amend, yet "nothing to commit" must stay nothing staged while an
// explicit empty commit is still logged; the process table is the only witness.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One process as the table shows it. */
interface Proc {
  ppid: number;
  args: string[];
}

function readProc(pid: number): Proc | null {
  try {
    // Linux: NUL-separated argv; the parent pid is the 4th field of stat, after the "(comm)" that may hold spaces.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { ppid, args };
  } catch {
    // Elsewhere (macOS, BSD): ps, whose args are space-joined (good enough to find flags).
    const r = spawnSync('ps', ['-o', 'ppid=,args=', '-p', String(pid)], { encoding: 'utf8' });
    const m = /^\s*(\d+)\s+(.*)$/.exec(r.stdout ?? '');
    return m ? { ppid: Number(m[1]), args: m[2].trim().split(/\s+/) } : null;
  }
}

/** Whether argv is a `git commit`: git (any path), global options, then `commit`. */
export function isGitCommit(args: readonly string[]): boolean {
  if (args.length === 0 || !/^git(\.exe)?$/.test(path.basename(args[0]))) return false;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === 'commit') return true;
    if (a === '-c' || a === '-C' || a === '--git-dir' || a === '--work-tree' || a === '--namespace') i++;
    else if (!a.startsWith('-')) return false;
  }
  return false;
}

/** Whether the commit's arguments ask for a commit even with nothing staged (--allow-empty, --amend). */
export function commitsAnyway(args: readonly string[]): boolean {
  return args.some((a) => a === '--allow-empty' || a === '--amend');
}

/** The arguments of the nearest `git commit` among the ancestors of `pid` (null when there is none). */
export function findGitCommit(pid: number, depth = 6): string[] | null {
  let cur = pid;
  for (let i = 0; i < depth && cur > 1; i++) {
    const p = readProc(cur);
    if (!p) return null;
    if (isGitCommit(p.args)) return p.args;
    cur = p.ppid;
  }
  return null;
}
