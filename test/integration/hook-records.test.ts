// The git hook rows, from bin/codexlog-hook.sh (post-commit, post-rewrite, post-merge: sh, no node)
// to the rows readers show: one record file per event in the inbox of the git dir, ingested with a
// uid derived from the file (the same event twice is one row) and the file's mtime as ts. Also the
// process table a pre-commit hook reads to find the `git commit` above it.
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stableUid } from '../../src/ids.ts';
import { inboxFiles, LOG, logJson, stateDir } from '../helpers/log.ts';
import { listFiles, ROOT, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const SCRIPT = path.join(ROOT, 'bin', 'codexlog-hook.sh');
const { repo, dir } = throwawayRepos(test);

/** A repository whose post-* hooks call the sh script as install's blocks do. */
function hooked(): TestRepo {
  const r = repo();
  const hooks = path.join(r.dir, '.git', 'test-hooks');
  mkdirSync(hooks);
  for (const hook of ['post-commit', 'post-merge', 'post-rewrite']) {
    writeFileSync(path.join(hooks, hook), `#!/bin/sh\nsh '${SCRIPT}' ${hook} "$@" || true\n`, { mode: 0o755 });
  }
  r.git(['config', 'core.hooksPath', hooks]);
  return r;
}

const sha = (r: TestRepo, rev = 'HEAD') => r.git(['rev-parse', rev]).trim();
function commit(r: TestRepo, file: string, subject: string, env: NodeJS.ProcessEnv = {}): string {
  r.write(file, `${file}\n`);
  r.git(['add', file]);
  r.git(['commit', '-q', '-m', subject], { env });
  return sha(r);
}

/** The inbox's record files with the uid and ts ingest will give their rows, oldest first. */
function records(r: TestRepo): Array<{ name: string; uid: string; ts: string }> {
  return inboxFiles(r)
    .filter((n) => n.startsWith('g-'))
    .map((name) => {
      const { mtimeMs } = statSync(path.join(stateDir(r), 'inbox', name));
      return { name, uid: stableUid(mtimeMs, `git:${name}`), ts: new Date(mtimeMs).toISOString(), mtimeMs };
    })
    .sort((a, b) => a.mtimeMs - b.mtimeMs)
    .map(({ mtimeMs: _m, ...rest }) => rest);
}

test('post-commit: one record in the git dir, nothing in the work tree; ingested as git.commit with its facts', async () => {
  const r = hooked();
  const first = commit(r, 'a.txt', 'feat: first');
  const second = commit(r, 'b.txt', 'fix: second', { SESSION_ID_SOURCE: 'agent-7' });
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '');
  const recs = records(r);
  assert.is(recs.length, 2);
  for (const rec of recs) assert.match(rec.name, /^g-post-commit-\d+-\d+\.rec$/);
  const rows = logJson(r);
  assert.equal(rows, [
    {
      id: null,
      uid: recs[0].uid,
      session_id: null,
      ts: recs[0].ts,
      action: 'git.commit',
      statement: 'feat: first',
      metadata: JSON.stringify({ sha: first, parents: [], subject: 'feat: first', operations: [], reflogAction: null, precommit: null }),
      pending: true,
    },
    {
      id: null,
      uid: recs[1].uid,
      session_id: 'agent-7',
      ts: recs[1].ts,
      action: 'git.commit',
      statement: 'fix: second',
      metadata: JSON.stringify({
        sha: second,
        parents: [first],
        subject: 'fix: second',
        operations: [],
        reflogAction: null,
        precommit: null,
      }),
      pending: true,
    },
  ]);
  assert.equal(inboxFiles(r), []);
  // Finalize numbers them like any row.
  assert.is(r.cli(['finalize']).status, 0);
  assert.equal(
    logJson(r).map((x) => [x.id, x.uid]),
    recs.map((x, i) => [i + 1, x.uid]),
  );
});

test('the same record ingested twice (a crash between storing and removing it) is one row, before and after finalize', async () => {
  const r = hooked();
  commit(r, 'a.txt', 'once');
  const [rec] = records(r);
  const file = path.join(stateDir(r), 'inbox', rec.name);
  // A second name for the same file (inode, mtime and all), to put it back once ingest removed it.
  const keep = path.join(r.dir, '.git', 'keep.rec');
  linkSync(file, keep);
  const before = logJson(r);
  assert.is(before.length, 1);
  assert.is(before[0].uid, rec.uid);
  assert.equal(inboxFiles(r), []);
  linkSync(keep, file);
  assert.equal(logJson(r), before);
  assert.equal(inboxFiles(r), []);
  assert.is(r.cli(['finalize']).status, 0);
  linkSync(keep, file);
  assert.equal(
    logJson(r).map((x) => [x.id, x.uid, x.pending]),
    [[1, rec.uid, false]],
  );
  assert.is(r.cli(['finalize']).status, 0);
  assert.equal(
    logJson(r).map((x) => [x.id, x.uid, x.pending]),
    [[1, rec.uid, false]],
  );
});

test('the pre-commit marker links a commit to its git.pre-commit row only when the commit holds the blob it staged', async () => {
  const r = hooked();
  // A commit whose tree holds a log blob, as a pre-commit would have staged it.
  r.write(LOG, 'stand-in for the staged pointer\n');
  r.git(['add', LOG]);
  const blob = r.git(['rev-parse', `:${LOG}`]).trim();
  mkdirSync(stateDir(r), { recursive: true });
  const marker = path.join(stateDir(r), 'precommit');
  writeFileSync(marker, `pre-uid-1 ${blob} ${LOG}\n`);
  r.git(['commit', '-q', '-m', 'with the log']);
  // (Not a database: out of the work tree, so that readers have no log file to refuse.)
  rmSync(path.join(r.dir, LOG));
  assert.not.ok(readdirSync(stateDir(r)).includes('precommit'), 'the post-commit took the marker');
  // An aborted attempt's marker (another blob) links nothing.
  writeFileSync(marker, `pre-uid-2 ${'f'.repeat(40)} ${LOG}\n`);
  commit(r, 'b.txt', 'after an aborted attempt');
  const rows = logJson(r);
  assert.equal(
    rows.map((x) => JSON.parse(x.metadata as string).precommit),
    ['pre-uid-1', null],
  );
});

test('amend: git.commit then git.rewrite with the old and new SHA', async () => {
  const r = hooked();
  const old = commit(r, 'a.txt', 'typo');
  r.git(['commit', '-q', '--amend', '-m', 'fixed']);
  const amended = sha(r);
  const rows = logJson(r);
  assert.equal(
    rows.map((x) => [x.action, x.statement]),
    [
      ['git.commit', 'typo'],
      ['git.commit', 'fixed'],
      ['git.rewrite', 'amend: 1 commit rewritten'],
    ],
  );
  assert.equal(JSON.parse(rows[2].metadata as string), { kind: 'amend', mappings: [{ old, new: amended }] });
});

test('post-merge: fast-forward, squash and true merges say what came in, from which range', async () => {
  const r = hooked();
  const base = commit(r, 'a.txt', 'base');
  r.git(['checkout', '-q', '-b', 'feature']);
  const tip = commit(r, 'b.txt', 'feature work');
  r.git(['checkout', '-q', 'main']);
  r.git(['merge', '-q', 'feature']);
  r.git(['checkout', '-q', '-b', 'f2']);
  const f2 = commit(r, 'c.txt', 'more work');
  r.git(['checkout', '-q', 'main']);
  r.git(['merge', '-q', '--squash', 'f2']);
  const squashed = commit(r, 'd.txt', 'squashed f2');
  r.git(['merge', '-q', '--no-ff', '-m', 'Merge f2', 'f2']);
  const merge = sha(r);
  const merges = logJson(r, ['--action', 'git.merge']);
  assert.equal(
    merges.map((x) => x.statement),
    [
      `fast-forward of feature (${base}..${tip}): feature work`,
      `squash merge of f2 (${tip}..${f2}): feature work`,
      `merge of f2 (${squashed}..${merge}): Merge f2`,
    ],
  );
  assert.equal(JSON.parse(merges[0].metadata as string), {
    sha: tip,
    parents: [base],
    subject: 'feature work',
    merged: 'feature',
    range: `${base}..${tip}`,
    squash: false,
    fastForward: true,
    reflogAction: 'merge feature',
  });
  assert.equal(JSON.parse(merges[1].metadata as string), {
    sha: tip,
    parents: [base],
    subject: 'feature work',
    merged: 'f2',
    range: `${tip}..${f2}`,
    squash: true,
    fastForward: false,
    reflogAction: 'merge f2',
  });
  assert.equal(JSON.parse(merges[2].metadata as string), {
    sha: merge,
    parents: [squashed, f2],
    subject: 'Merge f2',
    merged: 'f2',
    range: `${squashed}..${merge}`,
    squash: false,
    fastForward: false,
    reflogAction: 'merge f2',
  });
});

for (const [name, env] of [
  ['TEST_MODE=1', { TEST_MODE: '1' }],
  ['TEST_MODE=true', { TEST_MODE: 'true' }],
  ['CODEXLOG_HOOKS=0', { CODEXLOG_HOOKS: '0' }],
  ['CODEXLOG_HOOKS=off', { CODEXLOG_HOOKS: 'off' }],
  ['HUSKY=0', { HUSKY: '0' }],
] as const) {
  test(`the sh script does nothing under ${name}`, () => {
    const r = hooked();
    commit(r, 'a.txt', 'skipped', env);
    const out = r.run('sh', [SCRIPT, 'post-commit'], { env });
    assert.equal([out.status, out.stdout, out.stderr], [0, '', '']);
    assert.equal(inboxFiles(r), []);
  });
}

test('the sh script prints nothing, fails nothing, and writes nothing outside a repository', () => {
  const r = repo();
  const plain = dir('codexlog-plain-');
  const out = r.run('sh', [SCRIPT, 'post-commit'], { cwd: plain });
  assert.equal([out.status, out.stdout, out.stderr], [0, '', '']);
  assert.equal(listFiles(plain), []);
});

test('findGitCommit, from a pre-commit hook, finds the `git commit` above it and its arguments', () => {
  const r = repo();
  const hooks = path.join(r.dir, '.git', 'test-hooks');
  mkdirSync(hooks);
  const out = path.join(r.dir, '.git', 'found.json');
  const mod = pathToFileURL(path.join(ROOT, 'dist', 'src', 'git', 'commit-args.js')).href;
  writeFileSync(
    path.join(hooks, 'pre-commit'),
    `#!/bin/sh\nnode --input-type=module -e "import { findGitCommit, commitsAnyway } from '${mod}'; const a = findGitCommit(process.ppid); ` +
      `console.log(JSON.stringify({ args: a, anyway: a ? commitsAnyway(a) : null }))" > '${out}'\n`,
    { mode: 0o755 },
  );
  r.git(['config', 'core.hooksPath', hooks]);
  const found = () => JSON.parse(readFileSync(out, 'utf8')) as { args: string[] | null; anyway: boolean | null };

  r.git(['commit', '-q', '--allow-empty', '-m', 'empty on purpose']);
  assert.equal(found(), { args: ['git', 'commit', '-q', '--allow-empty', '-m', 'empty on purpose'], anyway: true });
  commit(r, 'a.txt', 'a plain one');
  assert.equal(found(), { args: ['git', 'commit', '-q', '-m', 'a plain one'], anyway: false });
  r.git(['-c', 'user.name=Other', 'commit', '-q', '--amend', '--no-edit']);
  assert.equal(found(), { args: ['git', '-c', 'user.name=Other', 'commit', '-q', '--amend', '--no-edit'], anyway: true });
});

test.run();
