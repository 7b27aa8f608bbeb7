// install / uninstall through the installed package: the hooks live in the clone's git dir (husky
// pointed there), the user's own .husky file is left byte for byte and still runs, before ours; a
// second install changes nothing; uninstall puts the tree, package.json and .git/config back byte
// for byte; a package inside a monorepo gets hooks that work from the repository root.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BEGIN } from '../../src/install/blocks.ts';
import { PREPARE } from '../../src/install/package-json.ts';
import { messages, PREFIX } from '../../src/messages.ts';
import { listFiles, throwawayRepos } from '../helpers/repo.ts';
import {
  commitRow,
  committedRows,
  DBS,
  expectExit,
  expectNoStack,
  expectPointers,
  logJson,
  meta,
  sha,
  stateFiles,
  treeState,
} from './__utils__/checks.ts';
import { expectHooksInstalled, folderState, hooksHome, installedHookFiles, nodeSpy } from './__utils__/hooks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const repos = throwawayRepos(test);

const ALLOW = { ALLOW_AUTOLFS: '1' };
/** The user's own pre-commit: notes each run, with the database paths staged at that moment. */
const USER_HOOK =
  'echo "user-hook-ran dbs=$(git diff --cached --name-only -- databases | wc -l)" >> "$(git rev-parse --git-path user-hook.log)"\n';
const USER_ATTRIBUTES = '*.png binary\n';
/** The entry the runner starts for the git hooks (the package in this worktree's node_modules), relative to the top level. */
const ENTRY = 'node_modules/codexlog-hooks/bin/codexlog-hook.cjs';

function withUserFiles(repo: AppRepo): void {
  repo.write('.husky/pre-commit', USER_HOOK);
  repo.write('.gitattributes', USER_ATTRIBUTES);
}

/** The user hook's runs, as it noted them (`wc -l` may pad the count). */
function userHookRuns(repo: AppRepo): string[] {
  const file = path.join(repo.dir, '.git', 'user-hook.log');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/=\s+/, '='))
    : [];
}

function commitAll(repo: AppRepo, what: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  repo.write(`${what}.txt`, `${what}\n`);
  repo.git(['add', '-A']);
  const r = repo.tryGit(['commit', '-m', what], { env: { ...ALLOW, ...options.env }, cwd: options.cwd });
  expectExit(r, 0, `commit ${what}`);
  expectNoStack(r, `commit ${what}`);
}

test("a user's own .husky/pre-commit is left as it is and still runs, before ours; only pre-commit starts node", async () => {
  const repo = appRepo(repos, { before: withUserFiles });
  expectHooksInstalled(repo, 'install');
  // No block in the user's file, and no file of ours beside it.
  assert.is(repo.read('.husky/pre-commit').toString('utf8'), USER_HOOK);
  assert.equal(listFiles(path.join(repo.dir, '.husky')), ['pre-commit']);
  assert.ok(
    repo
      .read('.gitattributes')
      .toString('utf8')
      .startsWith(USER_ATTRIBUTES + BEGIN),
  );

  // Compiled JavaScript through node (never npx or tsx), for pre-commit only: the post-commit
  // record is sh.
  const spy = nodeSpy(repos);
  commitAll(repo, 'first', { env: spy.env });
  assert.equal(spy.starts(), [`${ENTRY} hook pre-commit`], 'what the commit started node for');
  assert.equal(userHookRuns(repo), ['user-hook-ran dbs=0']);
  expectPointers(repo);
  assert.is((await committedRows(repo, 'HEAD', 'git.pre-commit')).length, 1);
  assert.is(commitRow(logJson(repo), sha(repo)).pending, true, 'post-commit recorded the commit');

  // The second commit changes the databases: the user's hook saw none staged, so it ran first.
  spy.clear();
  commitAll(repo, 'second', { env: spy.env });
  assert.equal(spy.starts(), [`${ENTRY} hook pre-commit`]);
  assert.equal(userHookRuns(repo), ['user-hook-ran dbs=0', 'user-hook-ran dbs=0'], 'the user hook ran again, before ours');
  assert.equal(repo.git(['diff', '--name-only', 'HEAD^', 'HEAD', '--', 'databases']).split('\n').filter(Boolean), DBS);
  assert.is(repo.read('.husky/pre-commit').toString('utf8'), USER_HOOK);
});

test('install twice: the second run changes nothing and says so, listing the hooks it keeps running', () => {
  const repo = appRepo(repos, { before: withUserFiles, installArgs: ['--allow-autolfs'] });
  const before = treeState(repo);
  const config = readFileSync(path.join(repo.dir, '.git', 'config'));
  const state = stateFiles(repo);
  assert.ok(state['install.json'], 'the install manifest is in the git dir');
  for (const args of [['install'], ['install', '--allow-autolfs']]) {
    const r = repo.hooks(args);
    expectExit(r, 0, args.join(' '));
    assert.is(r.stderr, `${PREFIX} ${messages.installDone([], ['.husky/pre-commit'])}\n`);
    assert.equal(treeState(repo), before, `${args.join(' ')} changed files or config`);
    assert.ok(readFileSync(path.join(repo.dir, '.git', 'config')).equals(config), `${args.join(' ')}: .git/config is not byte-identical`);
    assert.equal(stateFiles(repo), state, `${args.join(' ')} changed the hooks or the manifest in the git dir`);
  }
});

test("uninstall restores the tree, package.json and .git/config byte for byte; the user's files and the databases stay", () => {
  const repo = appRepo(repos, { install: false, before: withUserFiles });
  const pristine = treeState(repo);
  const packageJson = repo.read('package.json');
  const config = readFileSync(path.join(repo.dir, '.git', 'config'));
  const gitHooks = folderState(path.join(repo.dir, '.git', 'hooks'));
  const install = repo.hooks(['install']);
  expectExit(install, 0, 'install');
  expectHooksInstalled(repo, 'install');
  assert.is(JSON.parse(repo.read('package.json').toString('utf8')).scripts.prepare, PREPARE);
  commitAll(repo, 'logged');
  const dbs = DBS.map((db) => repo.read(db));

  const r = repo.hooks(['uninstall']);
  expectExit(r, 0, 'uninstall');
  expectNoStack(r, 'uninstall');
  assert.ok(r.stderr.startsWith(`${PREFIX} removed:\n  - core.hooksPath unset\n`), r.stderr);
  // The databases stay committed as pointers: uninstall says how to stop committing them.
  assert.ok(r.stderr.endsWith(`${PREFIX} ${messages.databasesStillTracked(DBS)}\n`), r.stderr);
  // Back to the pristine state, apart from what the commit made: the databases and the committed file.
  assert.equal(treeState(repo, { skip: /^(databases\/|logged\.txt$)/ }), pristine);
  assert.ok(repo.read('package.json').equals(packageJson), 'package.json is not byte-identical');
  assert.is(readFileSync(path.join(repo.dir, '.git', 'config'), 'utf8'), config.toString('utf8'), '.git/config is not byte-identical');
  assert.equal(folderState(path.join(repo.dir, '.git', 'hooks')), gitHooks, '.git/hooks changed');
  assert.is(repo.read('.husky/pre-commit').toString('utf8'), USER_HOOK);
  assert.is(repo.read('.gitattributes').toString('utf8'), USER_ATTRIBUTES);
  assert.is(repo.read('.gitignore').toString('utf8'), 'node_modules/\n');
  assert.is(repo.tryGit(['config', 'core.hooksPath']).status, 1, 'core.hooksPath is still set');
  assert.equal(installedHookFiles(repo), [], `the hooks are still in ${hooksHome(repo)}`);
  for (const [i, db] of DBS.entries()) assert.ok(repo.read(db).equals(dbs[i]), `${db} changed`);

  const again = repo.hooks(['uninstall']);
  expectExit(again, 0, 'uninstall again');
  assert.is(again.stderr, `${PREFIX} ${messages.uninstallDone([])}\n`);
});

test("monorepo: install from packages/app, commit from the root and from the package; the package's .husky file runs", async () => {
  const pkgHook = 'echo pkg-hook-ran >> "$(git rev-parse --git-path pkg-hook.log)"\n';
  const repo = appRepo(repos, { pkg: 'packages/app', before: (r) => r.write('packages/app/.husky/pre-commit', pkgHook) });
  expectHooksInstalled(repo, 'install in packages/app');
  assert.is(repo.read('packages/app/.husky/pre-commit').toString('utf8'), pkgHook);
  assert.not.ok(existsSync(path.join(repo.dir, '.husky')), 'a .husky folder appeared at the top level');
  assert.is(JSON.parse(repo.read('packages/app/package.json').toString('utf8')).scripts.prepare, PREPARE);
  assert.ok(existsSync(path.join(repo.dir, '.gitattributes')), '.gitattributes belongs at the top level');
  assert.ok(existsSync(path.join(repo.dir, 'codexlog.config.json')), 'the config belongs at the top level');
  const pkgHookRuns = () => readFileSync(path.join(repo.dir, '.git', 'pkg-hook.log'), 'utf8');

  const spy = nodeSpy(repos);
  commitAll(repo, 'from-root', { env: spy.env });
  assert.equal(spy.starts(), [`packages/app/${ENTRY} hook pre-commit`], "the package's entry point, from the root");
  assert.is(pkgHookRuns(), 'pkg-hook-ran\n');
  expectPointers(repo);
  assert.is(repo.git(['status', '--porcelain']), '');
  const pre = await committedRows(repo, 'HEAD', 'git.pre-commit');
  assert.is(pre.length, 1);
  assert.ok(meta(pre[0]).staged.paths.includes('packages/app/package.json'));
  const first = sha(repo);
  assert.is(commitRow(logJson(repo), first).pending, true);

  // From inside the package too; the log reads the same from either folder.
  commitAll(repo, 'from-package', { cwd: repo.pkgDir });
  assert.is(pkgHookRuns(), 'pkg-hook-ran\npkg-hook-ran\n');
  expectPointers(repo);
  assert.is(commitRow(logJson(repo, { cwd: repo.pkgDir }), first).pending, false);
  assert.equal(logJson(repo, { cwd: repo.pkgDir }), logJson(repo));
  assert.is(repo.git(['status', '--porcelain']), '');
});

test.run();
