// `codexlog-hooks check`, the doctor, through the installed package: exit 0 on a healthy install,
// exit 1 listing each problem with its fix, and the fix it names then makes it healthy again.
// It never changes the databases.
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messages } from '../../src/messages.ts';
import { type Run, throwawayRepos } from '../helpers/repo.ts';
import { DBS, expectExit, expectNoStack, LOG_DB, pointerAt } from './__utils__/checks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

// One repository that the tests repair in turn, removed after the last.
const repos = throwawayRepos(test, { per: 'file' });
let repo: AppRepo;
test.before(() => {
  repo = appRepo(repos, { env: { ALLOW_AUTOLFS: '1' } });
  repo.write('a.txt', 'a\n');
  repo.git(['add', '-A']);
  expectExit(repo.tryGit(['commit', '-m', 'initial']), 0, 'initial commit');
});

/** Runs check, and asserts it left the databases alone and printed no stack trace. */
function check(env: NodeJS.ProcessEnv = {}): Run {
  const dbs = DBS.map((db) => repo.read(db));
  const r = repo.hooks(['check'], { env });
  expectNoStack(r, 'check');
  for (const [i, db] of DBS.entries()) assert.ok(repo.read(db).equals(dbs[i]), `check changed ${db}`);
  return r;
}

/** Fails unless check found exactly `problems` (each printed with its fix) and exited 1. */
function expectProblems(r: Run, problems: string[], what: string): void {
  expectExit(r, 1, `check (${what})`);
  const listed = r.stdout.split('\n').filter((l) => l.startsWith('✗ '));
  assert.equal(
    listed,
    problems.map((p) => `✗ ${p}`),
    `${what}: the problems listed`,
  );
  assert.ok(r.stdout.trimEnd().endsWith(messages.checkProblems(problems.length)), r.stdout);
}

function expectHealthy(what: string): void {
  const r = check();
  expectExit(r, 0, `check (${what})`);
  assert.not.match(r.stdout, /✗/);
  assert.ok(r.stdout.trimEnd().endsWith(messages.checkOk), r.stdout);
}

test('healthy install with ALLOW_AUTOLFS=1: exit 0, with the git lfs ls-files cross-check', () => {
  expectHealthy('healthy');
  const r = check();
  assert.match(r.stdout, /git lfs ls-files \(cross-check\):\n {4}\S+ [*-] databases\/codex_log\.db\n/);
});

test('ALLOW_AUTOLFS off: listed with the export and the clone opt-in', () => {
  expectProblems(check({ ALLOW_AUTOLFS: undefined }), [messages.allowAutoLfsOff], 'ALLOW_AUTOLFS unset');
  expectProblems(check({ ALLOW_AUTOLFS: '0' }), [messages.allowAutoLfsOff], 'ALLOW_AUTOLFS=0');
});

test('hooks not installed (core.hooksPath unset): listed; the named fix repairs it', () => {
  repo.git(['config', '--unset', 'core.hooksPath']);
  expectProblems(check(), [messages.hooksNotInstalled], 'hooks not installed');
  assert.ok(messages.hooksNotInstalled.includes('`npx codexlog-hooks install`'));
  expectExit(repo.hooks(['install']), 0, 'install');
  expectHealthy('after install');
});

test('core.hooksPath taken by another tool, or the hooks in the git dir gone: listed; the named fix repairs it', () => {
  repo.git(['config', 'core.hooksPath', '.githooks']);
  expectProblems(check(), [messages.hooksPathWrong('.githooks')], 'core.hooksPath elsewhere');
  assert.ok(messages.hooksPathWrong('.githooks').includes('`npx codexlog-hooks install`'));
  expectExit(repo.hooks(['install']), 0, 'install');
  expectHealthy('after install');

  rmSync(path.join(repo.dir, '.git', 'codexlog', 'dispatch.sh'));
  expectProblems(check(), [messages.hooksIncomplete(path.join(repo.dir, '.git', 'codexlog'))], 'dispatcher gone');
  assert.ok(messages.hooksIncomplete('x').includes('`npx codexlog-hooks install`'));
  expectExit(repo.hooks(['install']), 0, 'install');
  expectHealthy('after install again');
});

test('hooks bypassed by HUSKY=0 or CODEXLOG_HOOKS=0: listed', () => {
  expectProblems(check({ HUSKY: '0' }), [messages.hooksBypassed], 'HUSKY=0');
  expectProblems(check({ CODEXLOG_HOOKS: '0' }), [messages.hooksBypassed], 'CODEXLOG_HOOKS=0');
});

test('an LFS pointer at databases/codex_log.db: listed with git lfs pull, which repairs it', () => {
  repo.write(LOG_DB, pointerAt(repo, 'HEAD', LOG_DB).text);
  expectProblems(check(), [messages.lfsPointer(path.join(repo.dir, LOG_DB))], 'pointer');
  assert.ok(messages.lfsPointer('x').includes('`git lfs pull`'));
  repo.git(['lfs', 'pull']);
  expectHealthy('after git lfs pull');
});

test('a corrupt database: listed with its fix (restore it from git), which repairs it', () => {
  // Garbage over the b-tree page header of every page after the first, keeping the SQLite
  // header (and so the file's kind) intact.
  const file = path.join(repo.dir, LOG_DB);
  const pageSize = repo.read(LOG_DB).readUInt16BE(16);
  const pages = statSync(file).size / pageSize;
  assert.ok(pages > 1);
  const fd = openSync(file, 'r+');
  for (let p = 1; p < pages; p++) writeSync(fd, Buffer.alloc(12, 0xa5), 0, 12, p * pageSize);
  closeSync(fd);
  const r = check();
  expectExit(r, 1, 'check (corrupt)');
  const listed = r.stdout.split('\n').filter((l) => l.startsWith('✗ '));
  assert.is(listed.length, 1, r.stdout);
  // The message around SQLite's own detail, which names the failing pages (one per line).
  const [head, tail] = messages.corrupt(file, '\0').split('\0');
  assert.ok(listed[0].startsWith(`✗ ${head}`), listed[0]);
  const from = r.stdout.indexOf(`✗ ${head}`) + `✗ ${head}`.length;
  const to = r.stdout.indexOf(`${tail}\n`, from);
  assert.ok(to > from, `no detail, or not followed by the restore command:\n${r.stdout}`);
  // The fix it names, restoring the file from git, repairs it.
  assert.ok(tail.includes('Restore it from git'), tail);
  repo.git(['checkout', '--', file]);
  expectHealthy('after git checkout');
});

test.run();
