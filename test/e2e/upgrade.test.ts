// A repository installed by 0.1.0 (hook blocks and merge driver naming the build layout,
// dist/src/bin.js) keeps logging after the package is upgraded, and `install` moves it to the
// stable entry point without duplicating a block.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BEGIN, upsertBlock } from '../../src/install/blocks.ts';
import { driverCommand } from '../../src/install/git-config.ts';
import { hookBlocks } from '../../src/install/hook-blocks.ts';
import { throwawayRepos } from '../helpers/repo.ts';
import { committedRows, expectExit, expectNoStack, expectPointers } from './__utils__/checks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const ALLOW = { ALLOW_AUTOLFS: '1' };
const OLD_BIN = 'node_modules/codexlog-hooks/dist/src/bin.js';
const NEW_BIN = 'node_modules/codexlog-hooks/bin/codexlog-hooks.js';

const repos = throwawayRepos(test);

/** Rewrites the repository's hook blocks and merge driver exactly as 0.1.0's install wrote them. */
function downgradeToV010(r: AppRepo): void {
  for (const [hook, body] of Object.entries(hookBlocks(OLD_BIN))) {
    const file = `.husky/${hook}`;
    r.write(file, upsertBlock(r.read(file).toString('utf8'), body));
  }
  r.git(['config', 'merge.codexlog.driver', driverCommand(OLD_BIN)]);
}

function huskyFiles(r: AppRepo): string {
  return Object.keys(hookBlocks(NEW_BIN))
    .map((h) => r.read(`.husky/${h}`).toString('utf8'))
    .join('\n');
}

function commit(r: AppRepo, what: string): void {
  r.write(`${what}.txt`, `${what}\n`);
  r.git(['add', '-A']);
  const out = r.tryGit(['commit', '-m', what], { env: ALLOW });
  expectExit(out, 0, `commit ${what}`);
  expectNoStack(out, `commit ${what}`);
}

test('0.1.0 hooks keep working, and install upgrades blocks and driver in place', async () => {
  const repo = appRepo(repos, { before: (r) => r.write('.husky/pre-commit', 'echo user-line >> user.log\n') });
  downgradeToV010(repo);
  assert.ok(huskyFiles(repo).includes(OLD_BIN));

  // Before the upgrade: the old entry point still exists in the new package and logs the commit.
  commit(repo, 'before-upgrade');
  expectPointers(repo);
  assert.is((await committedRows(repo, 'HEAD', 'git.pre-commit')).length, 1);

  const out = repo.hooks(['install']);
  expectExit(out, 0, 'install');
  // Every block that names the entry point is rewritten; the LFS-only ones (pre-push, post-checkout) stay.
  const naming = Object.entries(hookBlocks(NEW_BIN))
    .filter(([, body]) => body.includes(NEW_BIN))
    .map(([hook]) => hook);
  assert.equal(naming, ['pre-commit', 'post-commit', 'post-rewrite', 'post-merge']);
  for (const hook of naming) assert.ok(out.stderr.includes(`  - .husky/${hook}\n`), `${hook} not upgraded:\n${out.stderr}`);
  assert.ok(out.stderr.includes('  - git config merge.codexlog.driver\n'), out.stderr);

  const files = huskyFiles(repo);
  assert.not.ok(files.includes('dist/src/bin.js'), files);
  for (const hook of Object.keys(hookBlocks(NEW_BIN))) {
    const text = repo.read(`.husky/${hook}`).toString('utf8');
    assert.is(text.split(BEGIN).length - 1, 1, `.husky/${hook} has more than one block:\n${text}`);
  }
  assert.ok(files.includes(`node '${NEW_BIN}' hook pre-commit "$@"`), files);
  assert.is(repo.read('.husky/pre-commit').toString('utf8').split('\n')[0], 'echo user-line >> user.log');
  assert.is(repo.git(['config', 'merge.codexlog.driver']).trim(), driverCommand(NEW_BIN));

  // After: still logged, and a second install changes nothing.
  commit(repo, 'after-upgrade');
  assert.is((await committedRows(repo, 'HEAD', 'git.pre-commit')).length, 2);
  assert.is(readFileSync(path.join(repo.dir, 'user.log'), 'utf8'), 'user-line\nuser-line\n');
  const again = repo.hooks(['install']);
  expectExit(again, 0, 'install again');
  assert.ok(again.stderr.includes('already installed; nothing changed'), again.stderr);
});

test.run();
