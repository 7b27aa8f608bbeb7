// The real user path, once per run: `npm install -D <tarball>` in a fresh repository, then
// `npx codexlog-hooks install`, then a logged commit. (The other e2e files copy this install.)
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messages, PREFIX } from '../../src/messages.ts';
import { throwawayRepos } from '../helpers/repo.ts';
import { commitRow, committedRows, expectExit, expectNoStack, expectPointers, type LogRow, meta, sha } from './__utils__/checks.ts';
import { asApp, freshInstallRepo } from './__utils__/packed.ts';

const repos = throwawayRepos(test);

test('npm install -D <tarball>, npx codexlog-hooks install, a logged commit', async () => {
  const repo = asApp(freshInstallRepo(repos));
  const pkg = path.join(repo.dir, 'node_modules', 'codexlog-hooks');
  // What the tarball ships: the stable entry point, compiled JavaScript, the README and the
  // license; no sources or tests.
  assert.ok(lstatSync(pkg).isDirectory() && !lstatSync(pkg).isSymbolicLink(), 'the package is a real install, not a link');
  assert.equal(readdirSync(pkg).sort(), ['LICENSE', 'README.md', 'bin', 'dist', 'package.json']);
  assert.equal(readdirSync(path.join(pkg, 'bin')), ['codexlog-hooks.js']);
  assert.equal(readdirSync(path.join(pkg, 'dist')).sort(), ['hooks', 'src']);
  assert.ok(existsSync(path.join(pkg, 'dist', 'hooks', 'pre-commit.js')));
  assert.ok(existsSync(path.join(repo.dir, 'node_modules', 'husky', 'index.js')), 'husky came as a dependency');
  assert.match(readFileSync(path.join(repo.dir, 'package.json'), 'utf8'), /"codexlog-hooks": "file:/);

  repo.write('.gitignore', 'node_modules/\n');
  const npx = (args: string[], env: NodeJS.ProcessEnv = {}) => repo.run('npx', ['--no-install', 'codexlog-hooks', ...args], { env });
  const install = npx(['install']);
  expectExit(install, 0, 'npx codexlog-hooks install');
  expectNoStack(install, 'install');
  assert.ok(install.stderr.includes(`${PREFIX} installed:\n`), install.stderr);
  assert.is(repo.git(['config', 'core.hooksPath']).trim(), '.husky/_');

  repo.write('hello.txt', 'hello\n');
  repo.git(['add', '-A']);
  const commit = repo.tryGit(['commit', '-m', 'hello'], { env: { ALLOW_AUTOLFS: '1' } });
  expectExit(commit, 0, 'git commit');
  expectNoStack(commit, 'git commit');
  expectPointers(repo);
  assert.is(repo.git(['status', '--porcelain']), '');
  const pre = await committedRows(repo, 'HEAD', 'git.pre-commit');
  assert.is(pre.length, 1);
  assert.ok(meta(pre[0]).staged.paths.includes('hello.txt'));

  const log = npx(['log', '--json']);
  expectExit(log, 0, 'npx codexlog-hooks log --json');
  const row = commitRow(JSON.parse(log.stdout) as LogRow[], sha(repo));
  assert.is(row.pending, true);
  assert.equal(meta(row).parents, []);

  const check = npx(['check'], { ALLOW_AUTOLFS: '1' });
  expectExit(check, 0, 'npx codexlog-hooks check');
  assert.ok(check.stdout.trimEnd().endsWith(messages.checkOk));
});

test.run();
