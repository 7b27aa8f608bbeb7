// `install --ci github` and uninstall (issue 11): install writes the workflow and records it in its
// manifest; a later install without --ci keeps it; uninstall removes it (and the folders it left
// empty) while unchanged, keeps it with a warning once changed; a file of that name install did
// not write is refused before anything changes.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GITHUB_WORKFLOW, githubWorkflowText } from '../../src/install/ci.ts';
import { messages, PREFIX } from '../../src/messages.ts';
import { listFiles, type Run, type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import { linkPackage, TEAM_ENV } from '../helpers/team.ts';

const repos = throwawayRepos(test);

function expectRun(r: Run, code: number, what: string): Run {
  assert.is(r.status, code, `${what}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  assert.not.match(`${r.stdout}${r.stderr}`, /^ {4}at /m, `${what} printed a stack trace`);
  return r;
}

function project(): TestRepo {
  const r = repos.repo();
  r.write('package.json', `${JSON.stringify({ name: 'app', private: true }, null, 2)}\n`);
  r.write('.gitignore', 'node_modules/\n');
  linkPackage(r);
  return r;
}

const manifest = (r: TestRepo) => JSON.parse(readFileSync(path.join(r.dir, '.git', 'codexlog', 'install.json'), 'utf8'));

test('install --ci github writes the workflow and records it; install without --ci keeps it; uninstall removes it and .github', () => {
  const r = project();
  const installed = expectRun(r.cli(['install', '--ci', 'github'], { env: TEAM_ENV }), 0, 'install --ci github');
  assert.ok(installed.stderr.includes(`  - ${messages.ciWritten(GITHUB_WORKFLOW, 'main')}\n`), installed.stderr);
  const text = githubWorkflowText({ base: 'main', pkgRel: '' });
  assert.is(r.read(GITHUB_WORKFLOW).toString('utf8'), text);
  assert.equal(Object.keys(manifest(r).ciFiles), [GITHUB_WORKFLOW]);

  expectRun(r.cli(['install'], { env: TEAM_ENV }), 0, 'install again without --ci');
  assert.is(r.read(GITHUB_WORKFLOW).toString('utf8'), text);
  const again = expectRun(r.cli(['install', '--ci', 'github'], { env: TEAM_ENV }), 0, 'install --ci github again');
  assert.is(again.stderr, `${PREFIX} ${messages.installDone([], [])}\n`);

  const removed = expectRun(r.cli(['uninstall']), 0, 'uninstall');
  assert.ok(removed.stderr.includes(`  - ${GITHUB_WORKFLOW}\n`), removed.stderr);
  assert.not.ok(existsSync(path.join(r.dir, '.github')), '.github is left');
});

test('uninstall keeps a workflow changed since, with a warning; other files in .github stay', () => {
  const r = project();
  r.write('.github/dependabot.yml', 'version: 2\n');
  expectRun(r.cli(['install', '--ci', 'github'], { env: TEAM_ENV }), 0, 'install --ci github');
  const changed = `${r.read(GITHUB_WORKFLOW).toString('utf8')}# our own tweak\n`;
  r.write(GITHUB_WORKFLOW, changed);
  const u = expectRun(r.cli(['uninstall']), 0, 'uninstall');
  assert.ok(u.stderr.includes(`${PREFIX} ${messages.ciKeptChanged(GITHUB_WORKFLOW)}\n`), u.stderr);
  assert.is(r.read(GITHUB_WORKFLOW).toString('utf8'), changed);
  assert.is(r.read('.github/dependabot.yml').toString('utf8'), 'version: 2\n');
});

test('a file of that name install did not write: refused, nothing changed; --ci gitlab is a usage error', () => {
  const r = project();
  r.write(GITHUB_WORKFLOW, 'name: ours\n');
  const before = listFiles(r.dir);
  const config = r.git(['config', '--local', '--list']);
  const refused = expectRun(r.cli(['install', '--ci', 'github'], { env: TEAM_ENV }), 1, 'install --ci github over a foreign file');
  assert.is(refused.stderr, `${PREFIX} ${messages.ciFileForeign(GITHUB_WORKFLOW)}\n`);
  assert.equal(listFiles(r.dir), before, 'files changed');
  assert.is(r.git(['config', '--local', '--list']), config, 'git config changed');
  assert.is(r.read(GITHUB_WORKFLOW).toString('utf8'), 'name: ours\n');
  assert.not.ok(existsSync(path.join(r.dir, '.git', 'codexlog')), 'install wrote into the git dir');

  const usage = expectRun(r.cli(['install', '--ci', 'gitlab']), 2, 'install --ci gitlab');
  assert.is(
    usage.stderr,
    `${PREFIX} ${messages.ciUnknown('gitlab')}\nUsage: codexlog-hooks install [--agents codex,claude|none] [--allow-autolfs] [--ci github] [--prepare]\n`,
  );
});

test.run();
