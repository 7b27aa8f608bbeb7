// Merging ahead during a rebase (or a cherry-pick of a range): git calls the merge driver once per
// replayed commit, and each call would start node again. The commits still to replay are in git's
// todo list, and what each replay merges is known in advance: its parent's log (base), the log the
// replays before it produced (ours), and its own log (theirs). So the first call merges the whole
// chain and leaves each result in the merge cache, keyed by the three LFS oids; the driver script
// then answers every later replay from the cache, without node. A result is a function of its three
// inputs alone, so a guess that turns out wrong (the user edits a commit, resolves a conflict
// differently) only leaves an entry nobody asks for.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execGit, type GitContext } from './git/exec.js';
import { lfsObjectPath, lfsScratch } from './git/lfs-objects.js';
import { parseCatFileBatch } from './git/parse.js';
import { parsePointer } from './git/pointer.js';
import { type MergeContext, mergeLogFiles, rememberMerge } from './merge.js';

/** How many replays ahead are merged at most. */
const MAX_AHEAD = 200;

/** The commits git will replay next (abbreviated names), from a todo list, up to the first command that is not a pick. */
export function upcomingPicks(todo: string): string[] {
  const picks: string[] = [];
  for (const raw of todo.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [cmd, name] = line.split(/\s+/);
    if ((cmd !== 'pick' && cmd !== 'p') || !name || !/^[0-9a-f]{4,64}$/i.test(name)) break;
    picks.push(name);
    if (picks.length >= MAX_AHEAD) break;
  }
  return picks;
}

/** The todo list of the rebase or cherry-pick sequence under way, or ''. */
function todoOf(gitDir: string): string {
  for (const f of [path.join(gitDir, 'rebase-merge', 'git-rebase-todo'), path.join(gitDir, 'sequencer', 'todo')]) {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      // not this operation
    }
  }
  return '';
}

/** The pointer blobs of `repoPath` in each replayed commit and its parent (null where there is none). */
async function pointersOf(
  git: GitContext,
  picks: readonly string[],
  repoPath: string,
): Promise<Array<{ base: Buffer | null; theirs: Buffer | null }>> {
  const names = picks.flatMap((p) => [`${p}^:${repoPath}`, `${p}:${repoPath}`]);
  const r = await execGit(git, ['cat-file', '--batch'], { input: names.map((n) => `${n}\n`).join(''), allowFailure: true });
  if (r.code !== 0) return [];
  const blobs = parseCatFileBatch(r.stdout, names);
  return picks.map((p) => ({ base: blobs.get(`${p}^:${repoPath}`) ?? null, theirs: blobs.get(`${p}:${repoPath}`) ?? null }));
}

/**
 * After the driver merged one replay into `result` (the pointer it wrote), merges the replays the
 * todo list holds next, each into the merge cache. Stops at the first one it cannot foresee (an
 * object not in this clone, a file that is not a pointer). Returns how many it merged.
 */
export async function mergeAhead(ctx: MergeContext, gitDir: string, repoPath: string, result: Buffer, cacheDir: string): Promise<number> {
  const picks = upcomingPicks(todoOf(gitDir));
  let ours = parsePointer(result);
  if (picks.length === 0 || !ours) return 0;
  const local = (oid: string) => existsSync(lfsObjectPath(ctx.lfsStorage, oid));
  const dir = lfsScratch(ctx.lfsStorage, 'ahead');
  let merged = 0;
  try {
    let current = result;
    for (const { base, theirs } of await pointersOf(ctx.git, picks, repoPath)) {
      const o = base ? parsePointer(base) : null;
      const b = theirs ? parsePointer(theirs) : null;
      if (!o || !b || !base || !theirs) break;
      // git's own three-way rules: no driver when one side did not change the log.
      if (b.oid === o.oid || b.oid === ours.oid) continue;
      if (ours.oid === o.oid) {
        current = theirs;
        ours = b;
        continue;
      }
      if (!local(o.oid) || !local(ours.oid) || !local(b.oid)) break;
      // A folder per merge: the driver builds its result file there.
      const step = mkdtempSync(path.join(dir, 'step-'));
      const files = { base: path.join(step, 'base'), ours: path.join(step, 'ours'), theirs: path.join(step, 'theirs') };
      writeFileSync(files.base, base);
      writeFileSync(files.ours, current);
      writeFileSync(files.theirs, theirs);
      await mergeLogFiles({ ...ctx, tmp: step }, files, repoPath);
      const next = readFileSync(files.ours);
      const parsed = parsePointer(next);
      if (!parsed) break;
      rememberMerge(cacheDir, { base, ours: current, theirs }, next);
      current = next;
      ours = parsed;
      merged++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return merged;
}
