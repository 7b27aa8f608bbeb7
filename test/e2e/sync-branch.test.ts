// Issue 11: pull requests on a hosting server, which never runs our merge driver. A bare "server"
// (file://), two pull request branches from two clones that both logged, main moving under them
// (a third clone merges a branch), and the server's merge (`git merge-tree --write-tree`, standing
// in for the merge button) conflicting on the log. Then `sync-branch --push` in a CI-like clone
// (shallow, GIT_LFS_SKIP_SMUDGE=1, no hooks, no merge driver, no identity, the packed CLI copied in
// instead of npm install) makes the server's merge clean with every row of both sides once, and a
// squash merge on the server carries them; a real conflict in a normal file is refused with nothing
// changed or pushed; a second run is a no-op. Finally the workflow `install --ci github` writes is
// parsed, and its steps are run as GitHub would run them (a fake `gh` lists the pull requests).
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GITHUB_WORKFLOW, githubWorkflow } from '../../src/install/ci.ts';
import { messages, PREFIX } from '../../src/messages.ts';
import { cleanEnv, listFiles, queryDb, type Run, type TestRepo, tempDir, throwawayRepos } from '../helpers/repo.ts';
import { parseYaml, type Yaml } from '../helpers/yaml.ts';
import { DBS, expectExit, expectNoStack, LOG_DB, lfsObjectPath, POINTER } from './__utils__/checks.ts';
import { type AppRepo, appRepo, asApp, copyTemplate, packed } from './__utils__/packed.ts';

// One server and its clones, shared by the tests in order (each builds on the last).
const repos = throwawayRepos(test, { per: 'file' });
const ALLOW = { ALLOW_AUTOLFS: '1' };
const CLI = 'node_modules/codexlog-hooks/bin/codexlog-hooks.js';

let server: TestRepo;
let url: string;
let a: AppRepo;

function must(r: Run, what: string): Run {
  expectExit(r, 0, what);
  expectNoStack(r, what);
  return r;
}

/** A teammate's clone: the package copied in, `install` (hooks, filters, driver), the LFS objects pulled. */
function mate(): AppRepo {
  const m = asApp(repos.repo({ clone: url, dir: repos.dir('codexlog-mate-') }));
  copyTemplate(m.dir, ['node_modules']);
  must(m.hooks(['install'], { env: ALLOW }), 'install in a clone');
  m.git(['lfs', 'pull']);
  return m;
}

/** What an agent does: records an action, then commits a file (the hooks log both). */
function agentCommit(repo: AppRepo, label: string, file = `${label}.txt`, content = `${label}\n`): void {
  must(repo.hooks(['record', 'edit', `${label} edited ${file}`], { env: ALLOW }), `record ${label}`);
  repo.write(file, content);
  repo.git(['add', file]);
  must(repo.tryGit(['commit', '-m', `${label}: change ${file}`], { env: ALLOW }), `commit ${label}`);
}

/** The server's refs, to prove a run pushed nothing. */
function serverRefs(): string {
  return server.git(['for-each-ref', '--format=%(refname) %(objectname)']);
}

/** The server's merge of `theirs` into `ours`, as its merge button computes it. */
function serverMerge(ours: string, theirs: string): { status: number | null; tree: string; conflicts: string[] } {
  const r = server.run('git', ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs]);
  assert.ok(r.status === 0 || r.status === 1, `git merge-tree failed (${r.status}): ${r.stderr}`);
  const [tree, ...conflicts] = r.stdout.split('\0').filter(Boolean);
  return { status: r.status, tree, conflicts: [...new Set(conflicts)].sort() };
}

/** The log's rows in `treeish` on the server, read from the server's own LFS store: uids (sorted) and ids. */
async function serverRows(treeish: string): Promise<{ actions: string[]; events: string[]; ids: number[]; oids: string[] }> {
  const oids = DBS.map((db) => {
    const m = POINTER.exec(server.git(['cat-file', '-p', `${treeish}:${db}`]));
    assert.ok(m, `${treeish}:${db} is not an LFS pointer on the server`);
    return (m as RegExpExecArray)[1];
  });
  const object = lfsObjectPath(server.dir, oids[0]);
  assert.ok(existsSync(object), `the server lacks the LFS object of ${treeish}:${LOG_DB}`);
  const dir = tempDir('codexlog-e2e-db-');
  try {
    const copy = path.join(dir, 'log.db');
    copyFileSync(object, copy);
    const actions = await queryDb<{ uid: string; id: number }>(copy, 'SELECT uid, id FROM codex_actions');
    const events = await queryDb<{ uid: string }>(copy, 'SELECT uid FROM codex_log');
    return { actions: actions.map((r) => r.uid).sort(), events: events.map((r) => r.uid).sort(), ids: actions.map((r) => r.id), oids };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every row of both sides, once. */
const union = (x: string[], y: string[]) => [...new Set([...x, ...y])].sort();

/** Fails unless the log in `treeish` holds exactly the rows of `sides` (each once), both databases one object. */
async function expectUnion(treeish: string, sides: Array<{ actions: string[]; events: string[] }>, what: string): Promise<void> {
  const rows = await serverRows(treeish);
  const expected = sides.reduce((acc, s) => ({ actions: union(acc.actions, s.actions), events: union(acc.events, s.events) }), {
    actions: [] as string[],
    events: [] as string[],
  });
  assert.equal(rows.actions, expected.actions, `${what}: the log's actions are not every row of both sides once`);
  assert.equal(rows.events, expected.events, `${what}: the log's session events are not every event of both sides once`);
  assert.is(new Set(rows.ids).size, rows.ids.length, `${what}: two rows share an id`);
  assert.is(rows.oids[1], rows.oids[0], `${what}: the two databases are not one LFS object`);
}

/** The environment of a CI job: a HOME with no git identity, LFS smudging off, nothing of ours configured. */
function ciEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = cleanEnv({ HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GIT_LFS_SKIP_SMUDGE: '1', ...extra });
  for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL']) delete env[k];
  return env;
}

function spawn(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Run {
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

/** A CI checkout of `branch`: `git clone --depth 1`, GIT_LFS_SKIP_SMUDGE=1, the packed package's node_modules copied in. */
function ciClone(branch: string): { dir: string; env: NodeJS.ProcessEnv; git(args: string[]): Run; sync(args?: string[]): Run } {
  const home = repos.dir('codexlog-ci-home-');
  const env = ciEnv(home);
  const dir = repos.dir('codexlog-ci-');
  must(spawn('git', ['clone', '--quiet', '--depth', '1', '--branch', branch, url, dir], dir, env), `git clone --depth 1 ${branch}`);
  copyTemplate(dir, ['node_modules']);
  return {
    dir,
    env,
    git: (args) => spawn('git', args, dir, env),
    sync: (args = ['--base', 'main', '--push']) => spawn(process.execPath, [CLI, 'sync-branch', ...args], dir, env),
  };
}

/** Everything a refused run must leave alone in a clone: HEAD, the index (bytes and entries), the work tree, no merge. */
function cloneState(dir: string, git: (args: string[]) => Run): Record<string, string> {
  const state: Record<string, string> = {
    head: git(['rev-parse', 'HEAD']).stdout,
    branch: git(['symbolic-ref', 'HEAD']).stdout,
    index: readFileSync(path.join(dir, '.git', 'index')).toString('base64'),
    lsFiles: git(['ls-files', '-s']).stdout,
    status: git(['status', '--porcelain', '--untracked-files=all']).stdout,
    mergeHead: String(existsSync(path.join(dir, '.git', 'MERGE_HEAD'))),
  };
  for (const f of listFiles(dir)) {
    if (!f.startsWith('node_modules/') && !f.endsWith('/')) state[f] = readFileSync(path.join(dir, f)).toString('base64');
  }
  return state;
}

let pr1Before: { actions: string[]; events: string[] };
let mainBefore: { actions: string[]; events: string[] };

test.before(() => {
  server = repos.repo({ bare: true, dir: repos.dir('codexlog-server-') });
  url = `file://${server.dir}`;
  a = appRepo(repos, { env: ALLOW });
  a.write('README.md', '# app\n');
  a.git(['add', '-A']);
  must(a.tryGit(['commit', '-m', 'initial'], { env: ALLOW }), 'initial commit');
  a.git(['remote', 'add', 'origin', url]);
  must(a.tryGit(['push', '-u', 'origin', 'main']), 'push main');
  // Point the server's HEAD at main, as a hosting server's default branch.
  server.git(['symbolic-ref', 'HEAD', 'refs/heads/main']);

  // Two clones log on their pull request branches (and one more branch whose README will conflict).
  const b = mate();
  b.git(['checkout', '-q', '-b', 'pr-1']);
  agentCommit(b, 'bob-1');
  agentCommit(b, 'bob-2');
  must(b.tryGit(['push', '-u', 'origin', 'pr-1']), 'push pr-1');
  b.git(['checkout', '-q', '-b', 'pr-3', 'main']);
  agentCommit(b, 'bob-readme', 'README.md', '# app, as bob sees it\n');
  must(b.tryGit(['push', '-u', 'origin', 'pr-3']), 'push pr-3');
  const c = mate();
  c.git(['checkout', '-q', '-b', 'pr-2']);
  agentCommit(c, 'carol-1');
  must(c.tryGit(['push', '-u', 'origin', 'pr-2']), 'push pr-2');

  // Main moves under them: the third clone merges a branch of its own, and edits the README.
  a.git(['checkout', '-q', '-b', 'feature']);
  agentCommit(a, 'alice-feature');
  a.git(['checkout', '-q', 'main']);
  agentCommit(a, 'alice-main');
  must(a.tryGit(['merge', '--no-ff', '-m', 'Merge feature', 'feature'], { env: ALLOW }), 'merge feature');
  agentCommit(a, 'alice-readme', 'README.md', '# app, as alice sees it\n');
  must(a.tryGit(['push', 'origin', 'main']), 'push main');
});

test('the server cannot merge the pull requests: the log databases conflict (and the README, for pr-3)', () => {
  for (const pr of ['pr-1', 'pr-2']) {
    const m = serverMerge('main', pr);
    assert.equal([m.status, m.conflicts], [1, [...DBS].sort()], `server merge of ${pr}`);
  }
  const m3 = serverMerge('main', 'pr-3');
  assert.equal([m3.status, m3.conflicts], [1, ['README.md', ...DBS].sort()], 'server merge of pr-3');
});

test('sync-branch --push in a shallow CI checkout without hooks: the server merge is clean, with every row of both sides once', async () => {
  mainBefore = await serverRows('main');
  pr1Before = await serverRows('pr-1');
  const pr1Tip = server.git(['rev-parse', 'pr-1']).trim();
  const mainTip = server.git(['rev-parse', 'main']).trim();
  const ci = ciClone('pr-1');
  // A CI checkout as the issue describes it: shallow, LFS pointers in the work tree, nothing of ours.
  assert.is(ci.git(['rev-parse', '--is-shallow-repository']).stdout.trim(), 'true');
  assert.match(readFileSync(path.join(ci.dir, LOG_DB), 'utf8'), POINTER);
  assert.is(ci.git(['config', '--get', 'core.hooksPath']).status, 1, 'core.hooksPath is set');
  assert.is(ci.git(['config', '--get-regexp', '^merge\\.']).status, 1, 'a merge driver is configured');
  assert.is(ci.git(['config', '--get', 'user.email']).status, 1, 'a commit identity is configured');

  const r = must(ci.sync(), 'sync-branch --push');
  const merge = ci.git(['rev-parse', 'HEAD']).stdout.trim();
  assert.ok(r.stderr.includes(`${PREFIX} ${messages.syncMerged('pr-1', 'main', merge)}\n`), r.stderr);
  assert.ok(r.stderr.includes(`${PREFIX} ${messages.syncPushed('origin', 'pr-1')}\n`), r.stderr);

  // The server now holds the merge commit: the base and the old tip as parents, the fallback identity.
  assert.is(server.git(['rev-parse', 'pr-1']).trim(), merge);
  assert.is(server.git(['log', '-1', '--format=%P', 'pr-1']).trim(), `${pr1Tip} ${mainTip}`);
  assert.is(
    server.git(['log', '-1', '--format=%an <%ae>|%cn <%ce>', 'pr-1']).trim(),
    'codexlog-hooks sync <sync@codexlog.invalid>|codexlog-hooks sync <sync@codexlog.invalid>',
  );
  // The driver and the identity were given to that one merge only.
  assert.is(ci.git(['config', '--local', '--get-regexp', '^(merge|user)\\.']).status, 1, 'sync-branch wrote config');
  assert.is(ci.git(['status', '--porcelain']).stdout, '');

  const m = serverMerge('main', 'pr-1');
  assert.equal([m.status, m.conflicts], [0, []], 'the server merge after sync');
  await expectUnion(m.tree, [mainBefore, pr1Before], 'the merged tree');
});

test('a second run, in that checkout or a fresh shallow one, is a no-op that pushes nothing', () => {
  const refs = serverRefs();
  for (const ci of [ciClone('pr-1'), ciClone('pr-1')]) {
    const head = ci.git(['rev-parse', 'HEAD']).stdout;
    for (let i = 0; i < 2; i++) {
      const r = must(ci.sync(), 'sync-branch again');
      assert.ok(r.stderr.includes(`${PREFIX} ${messages.syncUpToDate('pr-1', 'main')}\n`), r.stderr);
      assert.not.ok(r.stderr.includes('pushed'), r.stderr);
      assert.is(ci.git(['rev-parse', 'HEAD']).stdout, head, 'HEAD moved');
    }
  }
  assert.is(serverRefs(), refs, 'the server refs changed');
});

test('a squash merge on the server then carries every row of the pull request and of main', async () => {
  const { status, tree } = serverMerge('main', 'pr-1');
  assert.is(status, 0);
  const squash = server.git(['commit-tree', tree, '-p', 'main', '-m', 'Squash pr-1 (#1)']).trim();
  server.git(['update-ref', 'refs/heads/main', squash]);
  await expectUnion('main', [mainBefore, pr1Before], 'the squash merge');
});

test('a real conflict in a normal file: refused (exit 3, the file named), nothing pushed, the checkout unchanged', () => {
  const refs = serverRefs();
  const ci = ciClone('pr-3');
  const before = cloneState(ci.dir, ci.git);
  const r = ci.sync();
  expectExit(r, 3, 'sync-branch of pr-3');
  expectNoStack(r, 'sync-branch of pr-3');
  assert.ok(r.stderr.includes(`${PREFIX} ${messages.syncRefused('pr-3', 'main', ['README.md'], 'origin')}\n`), r.stderr);
  assert.equal(cloneState(ci.dir, ci.git), before, 'the checkout changed');
  assert.is(serverRefs(), refs, 'the server refs changed');
});

// --- the GitHub workflow, run as GitHub would ------------------------------------------------------

/** The values of the `${{ }}` expressions the workflow's env uses, for one event. */
type Context = Record<string, string>;

function resolve(value: Yaml, ctx: Context): string {
  return String(value).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    assert.ok(Object.hasOwn(ctx, expr), `the test does not know the expression ${expr}`);
    return ctx[expr];
  });
}

/**
 * Runs the workflow's job for one event on a fresh "runner": git-lfs configured globally as on
 * GitHub's runners, a fake `gh` printing `prs` and a fake `npm` that copies the packed install
 * (npm ci cannot run here), the `uses:` steps done by hand, every `run:` step through
 * `bash --noprofile --norc -eo pipefail` (GitHub's `shell: bash`) with the job's and the step's env.
 */
function runJob(
  workflow: { [key: string]: Yaml },
  event: 'push' | 'pull_request',
  prBranch: string,
  prs: unknown[],
): Run & { calls: string[]; work: string } {
  const runner = repos.dir('codexlog-runner-');
  const home = path.join(runner, 'home');
  const bin = path.join(runner, 'bin');
  const work = path.join(runner, 'work');
  const log = path.join(runner, 'calls.log');
  mkdirSync(home);
  mkdirSync(bin);
  writeFileSync(path.join(runner, 'prs.json'), JSON.stringify(prs));
  writeFileSync(
    path.join(bin, 'gh'),
    `#!/bin/sh\nprintf 'gh %s GH_TOKEN=%s\\n' "$*" "$GH_TOKEN" >> '${log}'\ncat '${path.join(runner, 'prs.json')}'\n`,
    { mode: 0o755 },
  );
  writeFileSync(
    path.join(bin, 'npm'),
    `#!/bin/sh\nprintf 'npm %s HUSKY=%s in %s\\n' "$*" "$HUSKY" "$PWD" >> '${log}'\n[ "$*" = ci ] || exit 1\nexec cp -a '${path.join(packed().template, 'node_modules')}' .\n`,
    { mode: 0o755 },
  );
  // biome-ignore lint/suspicious/noExplicitAny: the parsed workflow is free-form; the test reads what it runs.
  const job = (workflow.jobs as any).sync;
  const env = ciEnv(home, {
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_WORKSPACE: work,
    GITHUB_REF: event === 'push' ? 'refs/heads/main' : 'refs/pull/7/merge',
    RUNNER_TEMP: runner,
    ...job.env,
  });
  must(spawn('git', ['lfs', 'install', '--skip-repo'], runner, env), 'git lfs install (the runner image)');
  const ctx: Context = {
    'github.event_name': event,
    'github.event.pull_request.head.ref': prBranch,
    'github.token': 'ghs_fake',
    'github.repository': 'acme/app',
  };
  const out: Run = { status: 0, stdout: '', stderr: '' };
  for (const [i, step] of (job.steps as Array<Record<string, Yaml>>).entries()) {
    if (step.uses === 'actions/checkout@v4') {
      const w = step.with as Record<string, Yaml>;
      must(
        spawn('git', ['clone', '--quiet', `--depth=${w['fetch-depth']}`, '--branch', String(w.ref), url, work], runner, env),
        'checkout',
      );
      continue;
    }
    if (step.uses === 'actions/setup-node@v4') continue; // node is on PATH
    assert.ok(step.run !== undefined && step.shell === 'bash', `step ${i} is neither a known action nor a bash run step`);
    const script = path.join(runner, `step-${i}.sh`);
    writeFileSync(script, String(step.run));
    const stepEnv = Object.fromEntries(Object.entries((step.env ?? {}) as Record<string, Yaml>).map(([k, v]) => [k, resolve(v, ctx)]));
    const cwd = step['working-directory'] ? path.join(work, String(step['working-directory'])) : work;
    const r = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], cwd, { ...env, ...stepEnv });
    out.stdout += r.stdout;
    out.stderr += r.stderr;
    out.status = r.status;
    if (r.status !== 0) break;
  }
  return { ...out, work, calls: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [] };
}

test('install --ci github writes the workflow: its triggers, permissions and steps', () => {
  const r = must(a.hooks(['install', '--ci', 'github'], { env: ALLOW }), 'install --ci github');
  assert.ok(r.stderr.includes(messages.ciWritten(GITHUB_WORKFLOW, 'main')), r.stderr);
  const workflow = parseYaml(a.read(GITHUB_WORKFLOW).toString('utf8')) as { [key: string]: Yaml };
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const w = workflow as any;
  assert.equal(w.on, {
    push: { branches: ['main'] },
    pull_request: { types: ['opened', 'reopened', 'synchronize'], branches: ['main'] },
    workflow_dispatch: {},
  });
  assert.equal(w.permissions, { contents: 'write', 'pull-requests': 'read' });
  assert.is(w.jobs.sync.if, "github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository");
  assert.equal(
    w.jobs.sync.steps.map((s: Record<string, unknown>) => s.uses ?? s.run?.toString().split('\n')[0]),
    [
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      "# The branches to sync: this pull request's, or every open same-repository pull request into $BASE.",
    ],
  );
  assert.is(w.jobs.sync.steps[0].with.ref, 'main', 'the tool is installed from the default branch, never the pull request');
  assert.equal(workflow, githubWorkflow({ base: 'main', pkgRel: '' }), 'the file reads back as the workflow object');
  // A second install leaves it as it is.
  const again = must(a.hooks(['install', '--ci', 'github'], { env: ALLOW }), 'install --ci github again');
  assert.not.ok(again.stderr.includes(GITHUB_WORKFLOW), again.stderr);
  // It is committed and pushed to main, as the user would (a logged commit: main's log moves again).
  a.git(['add', GITHUB_WORKFLOW]);
  must(a.tryGit(['commit', '-m', 'CI: keep pull requests mergeable'], { env: ALLOW }), 'commit the workflow');
  must(a.tryGit(['pull', '--no-rebase', '-q', 'origin', 'main'], { env: ALLOW }), 'pull the squash merge');
  must(a.tryGit(['push', 'origin', 'main']), 'push the workflow');
});

test('the workflow on a push to main: every open same-repository pull request synced, the conflicting one a warning', async () => {
  const workflow = parseYaml(a.read(GITHUB_WORKFLOW).toString('utf8')) as { [key: string]: Yaml };
  assert.equal(serverMerge('main', 'pr-2').conflicts, [...DBS].sort(), 'pr-2 conflicts before the run');
  const main = await serverRows('main');
  const pr2 = await serverRows('pr-2');
  const pr3 = server.git(['rev-parse', 'pr-3']);
  const mainTip = server.git(['rev-parse', 'main']);
  const prs = [
    { headRefName: 'pr-2', isCrossRepository: false },
    { headRefName: 'pr-3', isCrossRepository: false },
    // A fork's branch: not on this server; fetching it would fail the job.
    { headRefName: 'fork-feature', isCrossRepository: true },
  ];
  const r = runJob(workflow, 'push', '', prs);
  expectExit(r, 0, 'the job');
  expectNoStack(r, 'the job');
  assert.ok(r.stdout.includes("::warning::pr-3 conflicts with main outside the log: it needs a person (see the step's log).\n"), r.stdout);
  assert.not.ok(r.stdout.includes('::error::'), r.stdout);
  assert.not.ok(`${r.stdout}${r.stderr}`.includes('fork-feature'), 'the fork branch was touched');
  // npm ci with the hooks off, in the checkout of main; gh asked once for the open pull requests into main.
  assert.equal(r.calls, [
    `npm ci HUSKY=0 in ${r.work}`,
    'gh pr list --repo acme/app --state open --base main --limit 1000 --json headRefName,isCrossRepository GH_TOKEN=ghs_fake',
  ]);
  const m = serverMerge('main', 'pr-2');
  assert.equal([m.status, m.conflicts], [0, []], 'the server merge of pr-2 after the job');
  await expectUnion(m.tree, [main, pr2], 'pr-2 merged');
  assert.is(server.git(['rev-parse', 'pr-3']), pr3, 'pr-3 was pushed');
  assert.is(server.git(['rev-parse', 'main']), mainTip, 'main was pushed');
});

test('the workflow on pull_request events: the up-to-date branch is a no-op, the conflicting one a warning; nothing pushed', () => {
  const workflow = parseYaml(a.read(GITHUB_WORKFLOW).toString('utf8')) as { [key: string]: Yaml };
  const refs = serverRefs();
  const synced = runJob(workflow, 'pull_request', 'pr-2', []);
  expectExit(synced, 0, 'the job for pr-2');
  assert.ok(synced.stderr.includes(`${PREFIX} ${messages.syncUpToDate('pr-2', 'main')}\n`), synced.stderr);
  const refused = runJob(workflow, 'pull_request', 'pr-3', []);
  expectExit(refused, 0, 'the job for pr-3');
  assert.ok(refused.stdout.includes('::warning::pr-3 conflicts with main outside the log'), refused.stdout);
  // gh is not asked for the list on a pull request event.
  for (const r of [synced, refused]) assert.equal(r.calls, [`npm ci HUSKY=0 in ${r.work}`]);
  assert.is(serverRefs(), refs, 'the server refs changed');
});

test.run();
