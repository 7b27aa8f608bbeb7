// The real user path, once per run: `npm install -D <tarball>` in a fresh repository, then
// `npx codexlog-hooks install`, then a logged commit. (The other e2e files copy this install.)
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messages, PREFIX } from '../../src/messages.ts';
import { throwawayRepos } from '../helpers/repo.ts';
import {
  commitRow,
  committedRows,
  expectExit,
  expectNoStack,
  expectOneNewObject,
  type LogRow,
  lfsObjects,
  meta,
  sha,
} from './__utils__/checks.ts';
import { expectHooksInstalled, oursHooksPath } from './__utils__/hooks.ts';
import { asApp, freshInstallRepo } from './__utils__/packed.ts';

const repos = throwawayRepos(test);

test('npm install -D <tarball>, npx codexlog-hooks install, a logged commit', async () => {
  const repo = asApp(freshInstallRepo(repos));
  const pkg = path.join(repo.dir, 'node_modules', 'codexlog-hooks');
  // What the tarball ships: the stable entry point, the sh scripts of the post-* hooks and of the agents' hook, compiled
  // JavaScript, the README and the license; no sources or tests.
  assert.ok(lstatSync(pkg).isDirectory() && !lstatSync(pkg).isSymbolicLink(), 'the package is a real install, not a link');
  assert.equal(readdirSync(pkg).sort(), ['LICENSE', 'README.md', 'bin', 'dist', 'package.json']);
  assert.equal(readdirSync(path.join(pkg, 'bin')).sort(), [
    'codexlog-agent-hook.sh',
    'codexlog-hook.cjs',
    'codexlog-hook.sh',
    'codexlog-hooks.js',
  ]);
  // dist/codexlog-hooks.mjs: the CLI bundled into one file, what the entry point runs.
  assert.equal(readdirSync(path.join(pkg, 'dist')).sort(), ['chunks', 'codexlog-hook.cjs', 'codexlog-hooks.mjs', 'hooks', 'src']);
  assert.ok(existsSync(path.join(pkg, 'dist', 'hooks', 'pre-commit.js')));
  assert.ok(existsSync(path.join(repo.dir, 'node_modules', 'husky', 'index.js')), 'husky came as a dependency');
  assert.match(readFileSync(path.join(repo.dir, 'package.json'), 'utf8'), /"codexlog-hooks": "file:/);

  repo.write('.gitignore', 'node_modules/\n');
  const npx = (args: string[], env: NodeJS.ProcessEnv = {}) => repo.run('npx', ['--no-install', 'codexlog-hooks', ...args], { env });
  const install = npx(['install']);
  expectExit(install, 0, 'npx codexlog-hooks install');
  expectNoStack(install, 'install');
  assert.ok(install.stderr.includes(`${PREFIX} installed:\n`), install.stderr);
  // The hooks live in the clone's git dir, husky pointed there; nothing hook-related in the work tree.
  expectHooksInstalled(repo, 'npx codexlog-hooks install');
  assert.ok(install.stderr.includes(`\n  - core.hooksPath = ${oursHooksPath(repo)}\n`), install.stderr);
  assert.not.ok(existsSync(path.join(repo.dir, '.husky')), 'install created a .husky folder');

  // An agent records before the first commit: the row waits in the git dir, the work tree stays as
  // install left it (no databases/ folder), and `log` shows it at once, without an id.
  const status = repo.git(['status', '--porcelain']);
  const record = npx(['record', 'agent.edit', 'wrote hello.txt', '--session', 'agent-1']);
  expectExit(record, 0, 'npx codexlog-hooks record');
  assert.is(repo.git(['status', '--porcelain']), status, 'record changed the work tree');
  assert.not.ok(existsSync(path.join(repo.dir, 'databases')), 'record created databases/');
  const waiting = npx(['log', '--json']);
  expectExit(waiting, 0, 'npx codexlog-hooks log --json');
  const before = JSON.parse(waiting.stdout) as LogRow[];
  assert.is(before.length, 1, waiting.stdout);
  const [recorded] = before;
  assert.equal(
    [recorded.action, recorded.statement, recorded.session_id, recorded.id, recorded.pending],
    ['agent.edit', 'wrote hello.txt', 'agent-1', null, true],
  );

  repo.write('hello.txt', 'hello\n');
  repo.git(['add', '-A']);
  const objects = lfsObjects(repo);
  assert.is(objects.size, 0, 'no LFS object before the first commit');
  const commit = repo.tryGit(['commit', '-m', 'hello'], { env: { ALLOW_AUTOLFS: '1' } });
  expectExit(commit, 0, 'git commit');
  expectNoStack(commit, 'git commit');
  // Both databases are one LFS object, the only one the commit stored.
  expectOneNewObject(repo, objects, 'first commit');
  assert.is(repo.git(['status', '--porcelain']), '');
  const pre = await committedRows(repo, 'HEAD', 'git.pre-commit');
  assert.is(pre.length, 1);
  assert.ok(meta(pre[0]).staged.paths.includes('hello.txt'));

  const log = npx(['log', '--json']);
  expectExit(log, 0, 'npx codexlog-hooks log --json');
  const rows = JSON.parse(log.stdout) as LogRow[];
  const row = commitRow(rows, sha(repo));
  assert.is(row.pending, true);
  // The recorded row entered the first commit, with an id.
  assert.equal(
    (await committedRows(repo, 'HEAD', 'agent.edit')).map((r) => r.uid),
    [recorded.uid],
  );
  assert.ok(
    rows.some((r) => r.uid === recorded.uid && !r.pending && typeof r.id === 'number'),
    log.stdout,
  );
  assert.equal(meta(row).parents, []);
  assert.is(meta(row).precommit, pre[0].uid, "the git.commit row names its commit's git.pre-commit row");

  const check = npx(['check'], { ALLOW_AUTOLFS: '1' });
  expectExit(check, 0, 'npx codexlog-hooks check');
  assert.ok(check.stdout.trimEnd().endsWith(messages.checkOk));
});

test.run();
