// TEST_MODE=1, CODEXLOG_HOOKS=0 and HUSKY=0 switch the hooks off: the commit goes through (even
// with ALLOW_AUTOLFS unset), nothing is written to databases/ nor staged, and no row waits.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listFiles, throwawayRepos } from '../helpers/repo.ts';
import { DBS, expectExit, expectNoStack, logJson } from './__utils__/checks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const SWITCHES: Array<[string, string]> = [
  ['TEST_MODE', '1'],
  ['CODEXLOG_HOOKS', '0'],
  ['HUSKY', '0'],
];
const repos = throwawayRepos(test);

function pendingFiles(repo: AppRepo): Record<string, string> {
  const dir = path.join(repo.dir, '.git', 'codexlog');
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const f of listFiles(dir)) if (f.startsWith('pending')) out[f] = readFileSync(path.join(dir, f), 'utf8');
  return out;
}

for (const [name, value] of SWITCHES) {
  test(`${name}=${value} in a fresh install: the commit goes through, databases/ is never created`, () => {
    const repo = appRepo(repos);
    repo.write('a.txt', 'a\n');
    repo.git(['add', '-A']);
    const r = repo.tryGit(['commit', '-m', 'skipped'], { env: { [name]: value } });
    expectExit(r, 0, `commit with ${name}=${value}`);
    expectNoStack(r, name);
    assert.not.ok(existsSync(path.join(repo.dir, 'databases')), 'databases/ was created');
    assert.not.match(repo.git(['show', '--name-only', '--format=', 'HEAD']), /databases\//);
    assert.equal(pendingFiles(repo), {}, 'a row waits in the git dir');
    assert.equal(logJson(repo), []);
    assert.is(repo.git(['status', '--porcelain']), '');
  });

  test(`${name}=${value} after logged commits: databases, index and pending rows untouched`, () => {
    const repo = appRepo(repos);
    repo.write('a.txt', 'a\n');
    repo.git(['add', '-A']);
    expectExit(repo.tryGit(['commit', '-m', 'logged'], { env: { ALLOW_AUTOLFS: '1' } }), 0, 'logged commit');
    const dbFiles = listFiles(path.join(repo.dir, 'databases'));
    const dbs = DBS.map((db) => repo.read(db));
    const pending = pendingFiles(repo);
    assert.is(Object.keys(pending).length, 1, 'the logged commit left its git.commit row pending');
    const rows = logJson(repo);

    repo.write('skip.txt', `${name}\n`);
    repo.git(['add', 'skip.txt']);
    const r = repo.tryGit(['commit', '-m', `skipped by ${name}`], { env: { [name]: value } });
    expectExit(r, 0, `commit with ${name}=${value}`);
    expectNoStack(r, name);
    assert.is(repo.git(['diff', '--name-only', 'HEAD^', 'HEAD']), 'skip.txt\n', 'the commit staged more than the user did');
    assert.is(repo.git(['status', '--porcelain']), '');
    assert.equal(listFiles(path.join(repo.dir, 'databases')), dbFiles);
    for (const [i, db] of DBS.entries()) assert.ok(repo.read(db).equals(dbs[i]), `${db} was written`);
    assert.equal(pendingFiles(repo), pending, 'pending rows changed');
    assert.equal(logJson(repo), rows);
  });
}

test.run();
