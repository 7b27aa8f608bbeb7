// Where we are, and errors that say why: outside a repository logging still works (the rows wait in
// .codexlog/); a git that cannot start or that refuses the repository (safe.directory) is reported in
// git's own words, never taken for "not a repository"; a database path that a symlink leads out of
// the workspace is refused by every command, naming the link.
import { chownSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeCodexLogDb, finalizeCodexLogDb, initCodexLogDb, readCodexLog, recordCodexAction } from '../../src/index.ts';
import { messages } from '../../src/messages.ts';
import { rejection } from '../helpers/expect.ts';
import { listFiles, throwawayRepos } from '../helpers/repo.ts';

const repos = throwawayRepos(test);

test('outside a repository: record works (the row waits in .codexlog/), finalize says nothing was staged', () => {
  const r = repos.repo();
  const dir = repos.dir('codexlog-plain-');
  const rec = r.cli(['record', 'edit', 'x'], { cwd: dir });
  assert.is(rec.status, 0, rec.stderr);
  assert.equal(
    listFiles(dir).filter((f) => !f.startsWith('.codexlog/inbox/d-')),
    ['.codexlog/', '.codexlog/inbox/'],
  );
  const log = r.cli(['log', '--json'], { cwd: dir });
  assert.equal(
    (JSON.parse(log.stdout) as Array<{ id: number | null; statement: string }>).map((x) => [x.id, x.statement]),
    [[null, 'x']],
  );
  const fin = r.cli(['finalize'], { cwd: dir });
  assert.is(fin.status, 0, fin.stderr);
  assert.ok(fin.stderr.includes('not a git repository: nothing staged'), fin.stderr);
  const after = r.cli(['log', '--json'], { cwd: dir });
  assert.equal(
    (JSON.parse(after.stdout) as Array<{ id: number | null; statement: string }>).map((x) => [x.id, x.statement]),
    [[1, 'x']],
  );
});

test('git missing from PATH: a clear error naming the fix, not "nothing staged" or a silent skip', () => {
  const r = repos.repo();
  const bin = repos.dir('codexlog-nogit-bin-');
  symlinkSync(process.execPath, path.join(bin, 'node'));
  const env = { PATH: bin }; // node only, no git
  for (const args of [['record', 'edit', 'x'], ['finalize'], ['hook', 'pre-commit']]) {
    const out = r.cli(args, { env });
    assert.is(out.status, 1, `${args.join(' ')}: ${out.stderr}`);
    assert.ok(out.stderr.includes(messages.gitMissing), `${args.join(' ')}:\n${out.stderr}`);
    assert.not.match(out.stderr, /^ {4}at /m);
  }
  assert.equal(listFiles(r.dir), []);
});

/** Handing a folder to another user (chown) needs root. */
const ROOT_USER = process.getuid?.() === 0;
if (!ROOT_USER) console.warn('workspace.test.ts: not running as root, so the safe.directory test is SKIPPED.');

(ROOT_USER ? test : test.skip)("a repository git refuses (safe.directory): git's own words, nothing written", () => {
  const r = repos.repo();
  mkdirSync(path.join(r.dir, 'sub'));
  chownSync(r.dir, 65534, 65534); // nobody: git then calls the repository's ownership dubious
  const out = r.cli(['record', 'edit', 'x']);
  assert.is(out.status, 1, out.stderr);
  assert.match(out.stderr, /dubious ownership/);
  assert.ok(out.stderr.includes('failed (exit 128)'), out.stderr);
  // A hook must not skip silently either: the commit is blocked with git's reason.
  const hook = r.cli(['hook', 'pre-commit']);
  assert.is(hook.status, 1, hook.stderr);
  assert.match(hook.stderr, /dubious ownership/);
  assert.ok(hook.stderr.includes(messages.commitBlocked), hook.stderr);
  assert.equal(listFiles(r.dir), ['sub/']);
});

const COMMANDS = [['record', 'edit', 'x'], ['log'], ['finalize'], ['session', 'start'], ['check']];

const links: Array<[string, string | null, string]> = [
  // name, config, link (relative to the repository) that leads out
  ['the databases folder', null, 'databases'],
  ['the folder of the session copy', JSON.stringify({ paths: { sessionLog: 'copies/session.db' } }), 'copies'],
  ['the segments folder', null, 'databases/codex_log.segments'],
  ['a parent of a configured log', JSON.stringify({ paths: { log: 'deep/er/log.db' } }), 'deep'],
];
for (const [name, config, link] of links) {
  test(`a symlink that leads ${name} out of the workspace is refused by every command and the API, naming the link`, async () => {
    const r = repos.repo();
    const outside = repos.dir('codexlog-outside-');
    if (config) r.write('codexlog.config.json', config);
    mkdirSync(path.dirname(path.join(r.dir, link)), { recursive: true });
    symlinkSync(outside, path.join(r.dir, link), 'dir');
    const before = listFiles(r.dir);
    const message = messages.pathLeavesWorkspace(link, outside, r.dir);
    for (const args of COMMANDS) {
      const out = r.cli(args);
      assert.equal([out.status, out.stdout, out.stderr], [1, '', `codexlog-hooks: ${message}\n`], args.join(' '));
    }
    const o = { cwd: r.dir, env: r.env };
    for (const call of [
      () => recordCodexAction('s', 'edit', 'x', undefined, o),
      () => readCodexLog({}, o),
      () => finalizeCodexLogDb(o),
      () => initCodexLogDb(o),
    ]) {
      assert.is((await rejection(call())).message, message);
    }
    closeCodexLogDb();
    assert.equal(listFiles(outside), [], 'nothing written through the link');
    assert.equal(listFiles(r.dir), before);
    assert.not.ok(existsSync(path.join(r.dir, '.git', 'codexlog')), 'nothing recorded in the git dir');
  });
}

test('a symlink that stays inside the workspace is refused too: git never tracks a path behind a link', async () => {
  const r = repos.repo();
  mkdirSync(path.join(r.dir, 'store'));
  symlinkSync('store', path.join(r.dir, 'databases'), 'dir');
  const expected = messages.pathBehindLink('databases', path.join(r.dir, 'store'));
  for (const args of [['record', 'edit', 'through the link'], ['finalize'], ['log']]) {
    const out = r.cli(args);
    assert.equal([out.status, out.stderr], [1, `codexlog-hooks: ${expected}\n`], args.join(' '));
  }
  assert.equal(listFiles(path.join(r.dir, 'store')), []);
  assert.is(r.git(['ls-files', '--stage']), '');
});

test.run();
