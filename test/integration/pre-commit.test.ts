// The pre-commit handler (hooks/pre-commit.ts) run as the .husky/ file runs it (`codexlog-hooks hook
// pre-commit`), in a repository with git-lfs's filters and our attributes: it folds the uncommitted
// rows and its own git.pre-commit row (with the sessions they belong to) into the log, stages both
// databases as one LFS object, and leaves post-commit the marker of its row and blob. A blocked
// commit stages and changes nothing and loses no row; nothing staged but our own files stages nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attributeLines } from '../../src/install/attributes.ts';
import { messages } from '../../src/messages.ts';
import { expectStagedPointers, LOG, logJson, SESSION, stateDir, uncommittedRows } from '../helpers/log.ts';
import { hasGitLfs, ROOT, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const ALLOW = { ALLOW_AUTOLFS: '1' };
const { repo } = throwawayRepos(test);

/** A repository with LFS filters for this clone and the attributes install writes, committed. */
function lfsRepo(): TestRepo {
  assert.ok(hasGitLfs(), 'git-lfs is required for this test');
  const r = repo();
  r.git(['lfs', 'install', '--local', '--skip-repo']);
  r.write('.gitattributes', `${attributeLines({ dbs: [LOG, SESSION], segmentsDir: 'databases/codex_log.segments' })}\n`);
  r.write('README.md', 'hello\n');
  r.git(['add', '.gitattributes', 'README.md']);
  r.git(['commit', '-q', '--no-verify', '-m', 'init']);
  return r;
}

const hook = (r: TestRepo, env: NodeJS.ProcessEnv = ALLOW) => r.cli(['hook', 'pre-commit'], { env });

test('a staged change: rows and the git.pre-commit row folded, both databases staged as one LFS object, the marker left', async () => {
  const r = lfsRepo();
  assert.is(r.cli(['record', 'edit', 'first', '--session', 's1', '--metadata', '{"agent":"codex","model":"gpt-5"}']).status, 0);
  assert.is(r.cli(['record', 'edit', 'second', '--session', 's1']).status, 0);
  assert.is(r.cli(['record', 'run', 'tests', '--session', 's2']).status, 0);
  r.write('src.txt', 'code\n');
  r.git(['add', 'src.txt']);
  const out = hook(r);
  assert.equal([out.status, out.stdout, out.stderr], [0, '', '']);
  assert.is(r.git(['diff', '--cached', '--name-only']), `${LOG}\n${SESSION}\nsrc.txt\n`);
  const [oid, copy] = expectStagedPointers(r, [LOG, SESSION]);
  assert.is(oid, copy);

  const rows = logJson(r);
  assert.equal(
    rows.map((x) => [x.id, x.action, x.statement, x.pending]),
    [
      [1, 'edit', 'first', false],
      [2, 'edit', 'second', false],
      [3, 'run', 'tests', false],
      [4, 'git.pre-commit', 'pre-commit on main: 1 staged path', false],
    ],
  );
  assert.equal(JSON.parse(rows[3].metadata as string), {
    branch: 'main',
    staged: { total: 1, added: 1, modified: 0, deleted: 0, other: 0, paths: ['src.txt'], truncated: false },
    operations: [],
    sessions: [
      { id: 's1', agent: 'codex', model: 'gpt-5', rows: 2 },
      { id: 's2', agent: null, model: null, rows: 1 },
    ],
  });
  assert.equal(await uncommittedRows(r), []);
  // What the post-commit of this commit will link: this row, and the log blob staged.
  assert.is(readFileSync(path.join(stateDir(r), 'precommit'), 'utf8'), `${rows[3].uid} ${r.git(['rev-parse', `:${LOG}`]).trim()} ${LOG}\n`);
});

test('nothing staged but our own files, no merge in progress: nothing is staged, no row is added, rows keep waiting', async () => {
  const r = lfsRepo();
  assert.is(r.cli(['record', 'edit', 'waiting']).status, 0);
  const index = r.read('.git/index');
  const out = hook(r);
  assert.equal([out.status, out.stdout, out.stderr], [0, '', '']);
  assert.ok(r.read('.git/index').equals(index));
  assert.equal(
    logJson(r).map((x) => [x.id, x.action, x.statement]),
    [[null, 'edit', 'waiting']],
  );
  assert.equal(r.git(['status', '--porcelain', '--untracked-files=all']), '');
});

test('blocked by the gate (ALLOW_AUTOLFS=0): exit 1 with the reason, index and work tree unchanged, a git.blocked row, no row lost', async () => {
  const r = lfsRepo();
  assert.is(r.cli(['record', 'edit', 'before the attempt']).status, 0);
  r.write('src.txt', 'code\n');
  r.git(['add', 'src.txt']);
  const index = r.read('.git/index');
  const status = r.git(['status', '--porcelain', '--untracked-files=all']);
  const out = hook(r, { ALLOW_AUTOLFS: '0' });
  assert.equal(
    [out.status, out.stdout, out.stderr],
    [
      1,
      '',
      [messages.allowAutoLfsOff, messages.commitBlocked]
        .join('\n')
        .split('\n')
        .map((l) => `codexlog-hooks: ${l}\n`)
        .join(''),
    ],
  );
  assert.ok(r.read('.git/index').equals(index));
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), status);
  const rows = logJson(r);
  assert.equal(
    rows.map((x) => [x.id, x.action, x.statement]),
    [
      [null, 'edit', 'before the attempt'],
      [null, 'git.blocked', 'commit blocked by the Git LFS gate'],
    ],
  );
  assert.equal(JSON.parse(rows[1].metadata as string), { reasons: [messages.allowAutoLfsOff] });
  // Allowed, the next attempt commits both.
  assert.is(hook(r).status, 0);
  assert.equal(
    logJson(r).map((x) => [x.id, x.action]),
    [
      [1, 'edit'],
      [2, 'git.blocked'],
      [3, 'git.pre-commit'],
    ],
  );
});

test('through real git commits: the git.commit row names its pre-commit row; nothing to commit stays nothing; --allow-empty is logged', async () => {
  const r = lfsRepo();
  const hooks = path.join(r.dir, '.git', 'test-hooks');
  const bin = path.join(ROOT, 'bin');
  r.write('.git/test-hooks/pre-commit', `#!/bin/sh\nnode '${path.join(bin, 'codexlog-hooks.js')}' hook pre-commit "$@"\n`);
  r.write('.git/test-hooks/post-commit', `#!/bin/sh\nsh '${path.join(bin, 'codexlog-hook.sh')}' post-commit "$@"\n`);
  r.run('chmod', ['+x', path.join(hooks, 'pre-commit'), path.join(hooks, 'post-commit')]);
  r.git(['config', 'core.hooksPath', hooks]);

  assert.is(r.cli(['record', 'edit', 'work']).status, 0);
  r.write('src.txt', 'code\n');
  r.git(['add', 'src.txt']);
  r.git(['commit', '-q', '-m', 'feat: work'], { env: ALLOW });
  assert.is(r.git(['show', '--name-only', '--format=', 'HEAD']), `${LOG}\n${SESSION}\nsrc.txt\n`);
  let rows = logJson(r);
  const pre = rows.find((x) => x.action === 'git.pre-commit');
  const commit = rows.find((x) => x.action === 'git.commit');
  assert.ok(pre && commit);
  assert.equal(JSON.parse(commit.metadata as string).precommit, pre.uid);
  assert.equal(JSON.parse(commit.metadata as string).sha, r.git(['rev-parse', 'HEAD']).trim());
  assert.is(commit.pending, true, 'the git.commit row waits for the next commit');

  // Nothing staged: git says so, and the hook staged nothing.
  const head = r.git(['rev-parse', 'HEAD']);
  const nothing = r.run('git', ['commit', '-m', 'nothing'], { env: ALLOW });
  assert.is.not(nothing.status, 0);
  assert.is(r.git(['rev-parse', 'HEAD']), head);
  assert.is(r.git(['diff', '--cached', '--name-only']), '');

  // --allow-empty: an explicit commit, logged with the rows that waited.
  r.git(['commit', '-q', '--allow-empty', '-m', 'chore: empty on purpose'], { env: ALLOW });
  assert.is(r.git(['show', '--name-only', '--format=', 'HEAD']), `${LOG}\n${SESSION}\n`);
  rows = logJson(r);
  assert.ok(
    rows.find((x) => x.uid === commit.uid && x.id !== null && !x.pending),
    'the first git.commit row is in the log now',
  );
  const commits = rows.filter((x) => x.action === 'git.commit');
  assert.equal(
    commits.map((x) => [x.statement, x.pending]),
    [
      ['feat: work', false],
      ['chore: empty on purpose', true],
    ],
  );
  assert.is(r.git(['status', '--porcelain']), '');
});

test.run();
