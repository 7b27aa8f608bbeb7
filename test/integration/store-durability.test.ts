// The store under stress, with real git and git-lfs: a kill -9 at random moments of record,
// finalize, pre-commit and the merge driver (60 of them) leaves valid databases and loses no row a
// writer acknowledged; a long agent session keeps the work tree clean through pulls (merge and
// rebase), checkouts, switches, stashes and a new worktree, and a fresh clone reads every row; two
// clones that each sealed segments merge both ways with every row exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isSegmentName } from '../../src/store/view.ts';
import { expectCleanTree, expectDatabasesStaged, LOG, logJson, SESSION } from '../helpers/log.ts';
import { queryDb, ROOT, type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import { agentCommit, cloneTeam, makeTeam, TEAM_ENV } from '../helpers/team.ts';

const repos = throwawayRepos(test);
const API = path.join(ROOT, 'src', 'index.ts');
/** The built API (npm test builds first): a writer process starts without compiling TypeScript. */
const BUILT_API = path.join(ROOT, 'dist', 'src', 'index.js');

/** A seeded random number generator (mulberry32): the kills land at reproducible moments. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every database the checkout holds (log, session copy, segments) passes SQLite's integrity check. */
async function expectValid(r: TestRepo, what: string): Promise<void> {
  const segDir = path.join(r.dir, 'databases', 'codex_log.segments');
  const segments = existsSync(segDir) ? readdirSync(segDir).filter(isSegmentName) : [];
  for (const f of [LOG, SESSION, ...segments.map((s) => `databases/codex_log.segments/${s}`)]) {
    if (!existsSync(path.join(r.dir, f))) continue;
    const [row] = await queryDb<{ integrity_check: string }>(path.join(r.dir, f), 'PRAGMA integrity_check');
    assert.is(row.integrity_check, 'ok', `${what}: ${f}`);
  }
}

/**
 * Runs `args` (node), kills it with SIGKILL after `ms` (its process group: git and its hooks too);
 * resolves with its stdout so far and whether the kill ended it (rather than it finishing first).
 */
function killedAfter(
  r: TestRepo,
  cmd: string,
  args: string[],
  ms: number,
  env: NodeJS.ProcessEnv = {},
): Promise<{ out: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(cmd, args, {
      cwd: r.dir,
      env: { ...r.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, ms);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ out, killed: code === null && signal === 'SIGKILL' });
    });
  });
}

/**
 * What git leaves behind when killed mid-operation, cleared the way git tells a user to: its lock
 * files removed; a merge cut short aborted (or, killed before it noted itself, the work tree put
 * back). A commit cut short keeps what was staged, for the next commit.
 */
function recover(r: TestRepo, kind: string): void {
  for (const lock of ['index.lock', 'HEAD.lock', 'ORIG_HEAD.lock', 'refs/heads/main.lock', 'refs/heads/side.lock'])
    rmSync(path.join(r.dir, '.git', lock), { force: true });
  if (kind !== 'merge') return;
  if (existsSync(path.join(r.dir, '.git', 'MERGE_HEAD'))) r.git(['merge', '--abort'], { allowFail: true });
  else r.git(['reset', '-q', '--hard', 'HEAD'], { allowFail: true });
}

// A writer that records rows through the API and prints each uid once recordCodexAction returned.
const WRITER = `
const api = await import(${JSON.stringify(BUILT_API)});
for (let i = 0; ; i++) {
  const row = await api.recordCodexAction('kill-session', 'edit', 'row ' + i + ' ' + 'x'.repeat(200), { i });
  process.stdout.write(row.uid + '\\n');
}`;

test('60 kill -9 at random moments of record, finalize, pre-commit and the merge driver: valid databases, no acknowledged row lost', async () => {
  const { first: r } = makeTeam(repos);
  const rand = random(20261127);
  const acknowledged = new Set<string>();
  r.git(['checkout', '-q', '-b', 'side']);
  agentCommit(r, 'side-0');
  r.git(['checkout', '-q', 'main']);
  const kinds = ['record', 'finalize', 'commit', 'merge'] as const;
  // How many runs of each kind the kill cut short (the others finished before it came).
  const killed: Record<string, number> = { record: 0, finalize: 0, commit: 0, merge: 0 };
  for (let k = 0; k < 60; k++) {
    const kind = kinds[k % kinds.length];
    const ms = 20 + Math.floor(rand() * 400);
    let run: { out: string; killed: boolean };
    if (kind === 'record') {
      run = await killedAfter(r, process.execPath, ['--input-type=module', '-e', WRITER], ms);
      // Only complete lines: a uid printed is a row whose recordCodexAction returned.
      for (const line of run.out.split('\n').slice(0, -1)) if (line) acknowledged.add(line);
    } else if (kind === 'finalize') {
      run = await killedAfter(r, process.execPath, [path.join(ROOT, 'bin', 'codexlog-hooks.js'), 'finalize'], ms, TEAM_ENV);
    } else if (kind === 'commit') {
      r.write(`work-${k}.txt`, `${k}\n`);
      r.git(['add', `work-${k}.txt`]);
      run = await killedAfter(r, 'git', ['commit', '-q', '-m', `work ${k}`], ms, TEAM_ENV);
    } else {
      // main commits (what an earlier finalize staged goes with it), the side branch moves on, then
      // main merges it (the driver runs for both databases).
      agentCommit(r, `main-${k}`);
      r.git(['checkout', '-q', 'side']);
      agentCommit(r, `side-${k}`);
      r.git(['checkout', '-q', 'main']);
      run = await killedAfter(r, 'git', ['merge', '--no-edit', 'side'], ms, TEAM_ENV);
    }
    if (run.killed) killed[kind]++;
    recover(r, kind);
    await expectValid(r, `after kill ${k} (${kind} at ${ms} ms)`);
  }
  assert.ok(acknowledged.size > 100, `rows acknowledged before the kills: ${acknowledged.size}`);
  // Everything is readable and every acknowledged row is there, once.
  const read = r.cli(['log', '--json']);
  assert.is(read.status, 0, `log: ${read.signal ?? ''} ${read.stderr}`);
  const shown = logJson(r);
  const uids = shown.map((x) => x.uid);
  assert.is(new Set(uids).size, uids.length, 'no row twice');
  const missing = [...acknowledged].filter((u) => !uids.includes(u));
  assert.equal(missing, [], 'no acknowledged row lost');
  // And the next commit folds them all into valid tracked files.
  r.write('final.txt', 'final\n');
  r.git(['add', 'final.txt']);
  r.git(['commit', '-q', '-m', 'after the kills'], { env: TEAM_ENV });
  await expectValid(r, 'after the final commit');
  const committed = new Set(
    (await queryDb<{ uid: string }>(path.join(r.dir, LOG), 'SELECT uid FROM codex_actions'))
      .map((x) => x.uid)
      .concat(
        ...(existsSync(path.join(r.dir, 'databases', 'codex_log.segments'))
          ? await Promise.all(
              readdirSync(path.join(r.dir, 'databases', 'codex_log.segments'))
                .filter(isSegmentName)
                .map(async (s) =>
                  (
                    await queryDb<{ uid: string }>(path.join(r.dir, 'databases', 'codex_log.segments', s), 'SELECT uid FROM codex_actions')
                  ).map((x) => x.uid),
                ),
            )
          : []),
      ),
  );
  assert.equal(
    [...acknowledged].filter((u) => !committed.has(u)),
    [],
    'every acknowledged row committed',
  );
  // The kills did cut operations short: every writer (it never ends by itself), and a good part of
  // each other kind (how many finish first depends on the machine; 10 to 14 of 15 here).
  assert.is(killed.record, 15, 'every writer killed');
  for (const kind of ['finalize', 'commit', 'merge']) assert.ok(killed[kind] >= 5, `${kind} runs killed: ${killed[kind]} of 15`);
  expectDatabasesStaged(r, 'after the kills');
  assert.is(r.git(['status', '--porcelain', '--untracked-files=no']), '');
});

test('a long agent session: git status stays clean after every record through pulls, checkouts, switches, stashes and a worktree; a fresh clone reads every row', async () => {
  const { remote, first: a } = makeTeam(repos);
  const b = cloneTeam(repos, remote);
  const api = await import(API);
  const recorded: string[] = [];
  const clean = (what: string) => expectCleanTree(a, what);
  a.git(['branch', 'other']);
  for (let i = 0; i < 200; i++) {
    if (i % 2 === 0) {
      const row = await api.recordCodexAction(
        'long-session',
        'edit',
        `api row ${i}`,
        { i },
        { cwd: a.dir, env: { ...a.env, ...TEAM_ENV } },
      );
      recorded.push(row.uid);
    } else if (i % 10 === 1) {
      const out = a.cli(['record', 'run', `cli row ${i}`, '--session', 'long-session']);
      assert.is(out.status, 0, out.stderr);
      recorded.push(/Recorded (\S+)\./.exec(out.stderr)?.[1] as string);
    } else {
      const row = await api.recordCodexAction('long-session', 'read', `api row ${i}`, null, { cwd: a.dir, env: { ...a.env, ...TEAM_ENV } });
      recorded.push(row.uid);
    }
    clean(`after record ${i}`);
    // Between records, what a team does all day.
    switch (i % 40) {
      case 5: // a teammate's logged commit, pulled by merge
        b.git(['pull', '-q', '--no-rebase', '--no-edit'], { env: TEAM_ENV });
        agentCommit(b, `b-${i}`);
        b.git(['push', '-q'], { env: TEAM_ENV });
        agentCommit(a, `a-${i}`);
        a.git(['pull', '-q', '--no-rebase', '--no-edit'], { env: TEAM_ENV });
        break;
      case 15: // and by rebase
        b.git(['pull', '-q', '--no-rebase', '--no-edit'], { env: TEAM_ENV });
        agentCommit(b, `b-${i}`);
        b.git(['push', '-q'], { env: TEAM_ENV });
        agentCommit(a, `a-${i}`);
        a.git(['pull', '-q', '--rebase'], { env: TEAM_ENV });
        a.git(['push', '-q'], { env: TEAM_ENV });
        break;
      case 22:
        a.git(['checkout', '-q', 'other']);
        a.git(['checkout', '-q', 'main']);
        break;
      case 28:
        a.git(['switch', '-q', 'other']);
        a.git(['switch', '-q', 'main']);
        break;
      case 33:
        a.write('wip.txt', 'work in progress\n');
        a.git(['stash', 'push', '-q', '--include-untracked']);
        clean('stashed');
        a.git(['stash', 'pop', '-q']);
        rmSync(path.join(a.dir, 'wip.txt'));
        break;
      case 38:
        if (i < 40) {
          const wt = repos.dir('codexlog-wt-');
          rmSync(wt, { recursive: true });
          a.git(['worktree', 'add', '-q', '-b', 'in-worktree', wt]);
          repos.later(() => a.git(['worktree', 'remove', '--force', wt], { allowFail: true }));
          // The session goes on in the worktree: a row recorded there, then a commit there; its
          // tree stays clean too, and main merges the branch at the end (so the clone reads the row).
          const inWt: TestRepo = { ...a, dir: wt, git: (args, o) => a.git(['-C', wt, ...args], o) };
          const row = await api.recordCodexAction('long-session', 'edit', 'row in the worktree', null, {
            cwd: wt,
            env: { ...a.env, ...TEAM_ENV },
          });
          recorded.push(row.uid);
          expectCleanTree(inWt, 'the worktree after its record');
          writeFileSync(path.join(wt, 'in-worktree.txt'), 'worktree\n');
          inWt.git(['add', 'in-worktree.txt']);
          inWt.git(['commit', '-q', '-m', 'work in the worktree'], { env: TEAM_ENV });
          expectCleanTree(inWt, 'the worktree after its commit');
        }
        break;
    }
    clean(`after the git operation of step ${i}`);
  }
  api.closeCodexLogDb();
  assert.is(new Set(recorded).size, 201);
  a.write('end.txt', 'end\n');
  a.git(['add', 'end.txt']);
  a.git(['commit', '-q', '-m', 'end of the session'], { env: TEAM_ENV });
  a.git(['merge', '-q', '--no-edit', 'in-worktree'], { env: TEAM_ENV });
  clean("after merging the worktree's branch");
  a.git(['pull', '-q', '--no-rebase', '--no-edit'], { env: TEAM_ENV });
  a.git(['push', '-q'], { env: TEAM_ENV });
  // A fresh clone reads every row of the session, committed, each once.
  const c = cloneTeam(repos, remote);
  const rows = logJson(c, ['--session', 'long-session']).filter((x) => x.action === 'edit' || x.action === 'read' || x.action === 'run');
  assert.equal(rows.map((x) => x.uid).sort(), [...recorded].sort());
  assert.ok(
    rows.every((x) => !x.pending),
    'all committed',
  );
});

test('two clones that each sealed segments, merged both ways: every row exactly once, in both', async () => {
  const { remote, first: a } = makeTeam(repos);
  writeFileSync(path.join(a.dir, 'codexlog.config.json'), `${JSON.stringify({ segments: { sealAboveBytes: 65536 } }, null, 2)}\n`);
  a.git(['add', 'codexlog.config.json']);
  a.git(['commit', '-q', '-m', 'small segments'], { env: TEAM_ENV });
  a.git(['push', '-q'], { env: TEAM_ENV });
  const b = cloneTeam(repos, remote);
  const api = await import(API);
  const fill = async (r: TestRepo, who: string) => {
    for (let round = 0; round < 4; round++) {
      await api.recordCodexActions(
        Array.from({ length: 150 }, (_, i) => ({ sessionId: who, action: 'edit', statement: `${who} ${round}/${i} ${'y'.repeat(300)}` })),
        { cwd: r.dir, env: { ...r.env, ...TEAM_ENV } },
      );
      agentCommit(r, `${who}-${round}`);
    }
  };
  await fill(a, 'alice');
  await fill(b, 'bob');
  api.closeCodexLogDb();
  const segs = (r: TestRepo) => readdirSync(path.join(r.dir, 'databases', 'codex_log.segments')).filter(isSegmentName);
  assert.ok(segs(a).length >= 2 && segs(b).length >= 2, `both sealed: ${segs(a).length}, ${segs(b).length}`);
  a.git(['push', '-q'], { env: TEAM_ENV });
  b.git(['pull', '-q', '--no-rebase', '--no-edit'], { env: TEAM_ENV });
  agentCommit(b, 'bob-after');
  b.git(['push', '-q'], { env: TEAM_ENV });
  a.git(['pull', '-q', '--rebase'], { env: TEAM_ENV });
  agentCommit(a, 'alice-after');
  for (const r of [a, b]) {
    const uids = logJson(r).map((x) => x.uid);
    assert.is(new Set(uids).size, uids.length, 'each row once');
    const mine = logJson(r).filter((x) => x.session_id === 'alice' || x.session_id === 'bob');
    assert.is(mine.filter((x) => x.action === 'edit' && /^(alice|bob) \d\/\d+ /.test(x.statement ?? '')).length, 2 * 4 * 150);
    await expectValid(r, 'merged');
  }
});

test.run();
