// Where we are, and errors that say why: outside a repository logging still works; a git that
// cannot start or that refuses the repository (safe.directory) is reported in git's own words,
// never taken for "not a repository".
import { chownSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messages } from '../../src/messages.ts';
import { listFiles, throwawayRepos } from '../helpers/repo.ts';

const repos = throwawayRepos(test);

test('outside a repository: record works, finalize says nothing was staged', () => {
  const r = repos.repo();
  const dir = repos.dir('codexlog-plain-');
  const rec = r.cli(['record', 'edit', 'x'], { cwd: dir });
  assert.is(rec.status, 0, rec.stderr);
  const fin = r.cli(['finalize'], { cwd: dir });
  assert.is(fin.status, 0, fin.stderr);
  assert.ok(fin.stderr.includes('not a git repository: nothing staged'), fin.stderr);
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

test("a repository git refuses (safe.directory): git's own words, nothing written", () => {
  const r = repos.repo();
  if (process.getuid?.() !== 0) return; // needs to hand the folder to another user
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

test.run();
