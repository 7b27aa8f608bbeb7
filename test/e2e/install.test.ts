// install / uninstall through the installed package: the user's own hook lines stay and run,
// a second install changes nothing, uninstall removes exactly what install added, and a package
// inside a monorepo gets hooks that work from the repository root.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BEGIN, END } from '../../src/install/blocks.ts';
import { messages, PREFIX } from '../../src/messages.ts';
import { throwawayRepos } from '../helpers/repo.ts';
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
  treeState,
} from './__utils__/checks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const repos = throwawayRepos(test);

const ALLOW = { ALLOW_AUTOLFS: '1' };
/** The hooks that run for every commit, replayed commit and pull: sh only, no node. */
const POST_HOOKS = ['post-commit', 'post-rewrite', 'post-merge'];
const USER_HOOK = 'echo user-hook-ran >> user-hook.log\n';
const USER_ATTRIBUTES = '*.png binary\n';

/** The lines of a hook file that run (comments left out). */
function commandsOf(hook: string): string {
  return hook
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
}

/** Each post-* block hands the event to the sh script of the package in `pkg` and starts no node. */
function expectShPostHooks(repo: AppRepo, pkg = ''): void {
  const huskyDir = pkg ? `${pkg}/.husky` : '.husky';
  const script = `${pkg ? `${pkg}/` : ''}node_modules/codexlog-hooks/bin/codexlog-hook.sh`;
  for (const hook of POST_HOOKS) {
    const text = repo.read(`${huskyDir}/${hook}`).toString('utf8');
    assert.ok(text.includes(`if [ -f '${script}' ]; then sh '${script}' ${hook} "$@" || true; fi\n`), `${huskyDir}/${hook}:\n${text}`);
    // Quoted text (messages, the script's path) left out: what runs, not what is echoed.
    assert.not.match(commandsOf(text).replace(/'[^']*'/g, "''"), /\b(node|npx|tsx)\b/, `${huskyDir}/${hook} starts node:\n${text}`);
  }
}

function withUserFiles(repo: AppRepo): void {
  repo.write('.husky/pre-commit', USER_HOOK);
  repo.write('.gitattributes', USER_ATTRIBUTES);
}

function commitAll(repo: AppRepo, what: string, options: { cwd?: string } = {}): void {
  repo.write(`${what}.txt`, `${what}\n`);
  repo.git(['add', '-A']);
  const r = repo.tryGit(['commit', '-m', what], { env: ALLOW, cwd: options.cwd });
  expectExit(r, 0, `commit ${what}`);
  expectNoStack(r, `commit ${what}`);
}

test("a user's own pre-commit line survives install and still runs, before our block", async () => {
  const repo = appRepo(repos, { before: withUserFiles });
  const hook = repo.read('.husky/pre-commit').toString('utf8');
  assert.ok(hook.startsWith(`${USER_HOOK + BEGIN}\n`), `the user's line is not kept first:\n${hook}`);
  assert.ok(hook.endsWith(`${END}\n`));
  // Compiled JavaScript through node, never npx or tsx (GIT-FACTS: hook cost).
  assert.match(hook, /node 'node_modules\/codexlog-hooks\/bin\/codexlog-hooks\.js' hook pre-commit "\$@"/);
  assert.not.match(commandsOf(hook), /\b(npx|tsx)\b/);
  expectShPostHooks(repo);
  assert.ok(
    repo
      .read('.gitattributes')
      .toString('utf8')
      .startsWith(USER_ATTRIBUTES + BEGIN),
  );

  commitAll(repo, 'first');
  assert.is(repo.read('user-hook.log').toString('utf8'), 'user-hook-ran\n');
  expectPointers(repo);
  assert.is((await committedRows(repo, 'HEAD', 'git.pre-commit')).length, 1);
  repo.write('user-hook.log', '');
  commitAll(repo, 'second');
  assert.is(repo.read('user-hook.log').toString('utf8'), 'user-hook-ran\n', 'the user hook ran again');
});

test('install twice: the second run changes nothing and says so', () => {
  const repo = appRepo(repos, { before: withUserFiles, installArgs: ['--allow-autolfs'] });
  const manifest = path.join(repo.dir, '.git', 'codexlog', 'install.json');
  const before = treeState(repo);
  const manifestBefore = readFileSync(manifest);
  for (const args of [['install'], ['install', '--allow-autolfs']]) {
    const r = repo.hooks(args);
    expectExit(r, 0, args.join(' '));
    assert.is(r.stderr, `${PREFIX} ${messages.installDone([])}\n`);
    assert.equal(treeState(repo), before, `${args.join(' ')} changed files or config`);
    assert.ok(readFileSync(manifest).equals(manifestBefore), 'the install manifest changed');
  }
});

test("uninstall removes exactly what install added; the user's lines and the databases stay", () => {
  const repo = appRepo(repos, { install: false, before: withUserFiles });
  const pristine = treeState(repo);
  const packageJson = repo.read('package.json');
  const install = repo.hooks(['install']);
  expectExit(install, 0, 'install');
  assert.is(repo.git(['config', 'core.hooksPath']).trim(), '.husky/_');
  assert.match(repo.read('package.json').toString('utf8'), /"prepare": "codexlog-hooks install --prepare"/);
  commitAll(repo, 'logged');
  const dbs = DBS.map((db) => repo.read(db));

  const r = repo.hooks(['uninstall']);
  expectExit(r, 0, 'uninstall');
  expectNoStack(r, 'uninstall');
  assert.ok(r.stderr.startsWith(`${PREFIX} removed:`), r.stderr);
  // The databases stay committed as pointers: uninstall says how to stop committing them.
  assert.ok(r.stderr.endsWith(`${PREFIX} ${messages.databasesStillTracked(DBS)}\n`), r.stderr);
  // Back to the pristine state, apart from what the commit made: the databases, the committed
  // file and the user hook's log file.
  assert.equal(treeState(repo, { skip: /^(databases\/|logged\.txt$|user-hook\.log$)/ }), pristine);
  assert.ok(repo.read('package.json').equals(packageJson), 'package.json is not byte-identical');
  assert.is(repo.read('.husky/pre-commit').toString('utf8'), USER_HOOK);
  assert.is(repo.read('.gitattributes').toString('utf8'), USER_ATTRIBUTES);
  assert.is(repo.read('.gitignore').toString('utf8'), 'node_modules/\n');
  assert.is(repo.tryGit(['config', 'core.hooksPath']).status, 1, 'core.hooksPath is still set');
  assert.not.ok(existsSync(path.join(repo.dir, '.husky', '_')));
  for (const [i, db] of DBS.entries()) assert.ok(repo.read(db).equals(dbs[i]), `${db} changed`);

  const again = repo.hooks(['uninstall']);
  expectExit(again, 0, 'uninstall again');
  assert.is(again.stderr, `${PREFIX} ${messages.uninstallDone([])}\n`);
});

test('monorepo: install from packages/app, commit from the root', async () => {
  const repo = appRepo(repos, { pkg: 'packages/app' });
  assert.is(repo.git(['config', 'core.hooksPath']).trim(), 'packages/app/.husky/_');
  const hook = repo.read('packages/app/.husky/pre-commit').toString('utf8');
  assert.match(hook, /node 'packages\/app\/node_modules\/codexlog-hooks\/bin\/codexlog-hooks\.js' hook pre-commit/);
  expectShPostHooks(repo, 'packages/app');
  assert.match(repo.read('packages/app/package.json').toString('utf8'), /"prepare": "codexlog-hooks install --prepare"/);
  assert.ok(existsSync(path.join(repo.dir, '.gitattributes')), '.gitattributes belongs at the top level');
  assert.ok(existsSync(path.join(repo.dir, 'codexlog.config.json')), 'the config belongs at the top level');

  commitAll(repo, 'from-root');
  expectPointers(repo);
  assert.is(repo.git(['status', '--porcelain']), '');
  const pre = await committedRows(repo, 'HEAD', 'git.pre-commit');
  assert.is(pre.length, 1);
  assert.ok(meta(pre[0]).staged.paths.includes('packages/app/package.json'));
  const first = sha(repo);
  assert.is(commitRow(logJson(repo), first).pending, true);

  // From inside the package too; the log reads the same from either folder.
  commitAll(repo, 'from-package', { cwd: repo.pkgDir });
  expectPointers(repo);
  assert.is(commitRow(logJson(repo, { cwd: repo.pkgDir }), first).pending, false);
  assert.equal(logJson(repo, { cwd: repo.pkgDir }), logJson(repo));
  assert.is(repo.git(['status', '--porcelain']), '');
});

test.run();
