// TEST_MODE=1, CODEXLOG_HOOKS=0 and HUSKY=0 switch the hooks off: the commit goes through (even
// with ALLOW_AUTOLFS unset), nothing is written to databases/ nor staged, and no row waits: the
// state in the git dir (inbox, uncommitted store) is left exactly as it was.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listFiles, throwawayRepos } from '../helpers/repo.ts';
import { commitRow, DBS, expectExit, expectNoStack, GIT_RECORD, inboxFiles, logJson, sha, stateFiles } from './__utils__/checks.ts';
import { appRepo } from './__utils__/packed.ts';

const SWITCHES: Array<[string, string]> = [
  ['TEST_MODE', '1'],
  ['CODEXLOG_HOOKS', '0'],
  ['HUSKY', '0'],
];
const repos = throwawayRepos(test);

for (const [name, value] of SWITCHES) {
  test(`${name}=${value} in a fresh install: the commit goes through, databases/ is never created`, () => {
    const repo = appRepo(repos);
    // What install left in the git dir: its manifest and the hooks.
    const installed = stateFiles(repo);
    assert.ok(installed['install.json'] && installed['dispatch.sh'], JSON.stringify(Object.keys(installed)));
    repo.write('a.txt', 'a\n');
    repo.git(['add', '-A']);
    const r = repo.tryGit(['commit', '-m', 'skipped'], { env: { [name]: value } });
    expectExit(r, 0, `commit with ${name}=${value}`);
    expectNoStack(r, name);
    assert.not.ok(existsSync(path.join(repo.dir, 'databases')), 'databases/ was created');
    assert.not.match(repo.git(['show', '--name-only', '--format=', 'HEAD']), /databases\//);
    // Nothing in the git dir but what install left there: no inbox record, no uncommitted store.
    assert.equal(stateFiles(repo), installed, 'a hook wrote state into the git dir');
    assert.equal(logJson(repo), []);
    assert.is(repo.git(['status', '--porcelain']), '');
  });

  test(`${name}=${value} after logged commits: databases, index and pending rows untouched`, () => {
    const repo = appRepo(repos);
    repo.write('a.txt', 'a\n');
    repo.git(['add', '-A']);
    expectExit(repo.tryGit(['commit', '-m', 'logged'], { env: { ALLOW_AUTOLFS: '1' } }), 0, 'logged commit');
    const logged = sha(repo);
    const dbFiles = listFiles(path.join(repo.dir, 'databases'));
    const dbs = DBS.map((db) => repo.read(db));
    // The logged commit's git.commit row waits in the inbox (one record of the sh post-commit) ...
    const inbox = inboxFiles(repo);
    assert.is(inbox.length, 1, `the logged commit should leave one record in the inbox: ${inbox}`);
    assert.match(inbox[0], GIT_RECORD);
    // ... and, once read, is the log's only uncommitted row.
    const rows = logJson(repo);
    assert.equal(
      rows.filter((r) => r.pending),
      [commitRow(rows, logged)],
      'the pending rows',
    );
    const state = stateFiles(repo);

    repo.write('skip.txt', `${name}\n`);
    repo.git(['add', 'skip.txt']);
    const r = repo.tryGit(['commit', '-m', `skipped by ${name}`], { env: { [name]: value } });
    expectExit(r, 0, `commit with ${name}=${value}`);
    expectNoStack(r, name);
    assert.is(repo.git(['diff', '--name-only', 'HEAD^', 'HEAD']), 'skip.txt\n', 'the commit staged more than the user did');
    assert.is(repo.git(['status', '--porcelain']), '');
    assert.equal(listFiles(path.join(repo.dir, 'databases')), dbFiles);
    for (const [i, db] of DBS.entries()) assert.ok(repo.read(db).equals(dbs[i]), `${db} was written`);
    assert.equal(inboxFiles(repo), [], 'a hook queued a row');
    assert.equal(stateFiles(repo), state, 'the state in the git dir changed');
    assert.equal(logJson(repo), rows);
  });
}

test.run();
