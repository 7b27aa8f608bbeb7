// The git hooks' entry (bin/codexlog-hook.cjs) runs its bundle from V8's code cache, kept beside
// the bundle: real commits in a repository whose codexlog-hooks is a copy of this package (so the
// cache files are this test's alone). A commit that runs from the cache still imports packages
// (secretlint's rules, which only an import() reaches); a cache V8 rejects, or one that cannot be
// written, never stops a commit.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AN, generator } from '../fixtures/secret-corpus.ts';
import { logJson } from '../helpers/log.ts';
import { ROOT, type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import { TEAM_ENV } from '../helpers/team.ts';

const { repo, dir } = throwawayRepos(test);
const { pick } = generator(0xcac4e);
const CACHE = /^\.codexlog-hook-[0-9a-f]{16}\.v8cache$/;

/** A repository whose node_modules/codexlog-hooks is a fresh copy of this package; returns its dist folder. */
function withPackageCopy(): { r: TestRepo; dist: string } {
  const pkg = dir('codexlog-pkg-');
  for (const entry of ['bin', 'dist', 'package.json']) cpSync(path.join(ROOT, entry), path.join(pkg, entry), { recursive: true });
  const dist = path.join(pkg, 'dist');
  for (const name of readdirSync(dist)) if (CACHE.test(name)) rmSync(path.join(dist, name));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
  const r = repo();
  mkdirSync(path.join(r.dir, 'node_modules'));
  symlinkSync(pkg, path.join(r.dir, 'node_modules', 'codexlog-hooks'), 'dir');
  r.write('package.json', '{"name":"entry-app","private":true}\n');
  r.write('.gitignore', 'node_modules/\n');
  const out = r.run(process.execPath, [path.join(pkg, 'bin', 'codexlog-hooks.js'), 'install'], { env: TEAM_ENV });
  assert.is(out.status, 0, out.stderr);
  r.git(['add', '-A']);
  return { r, dist };
}

function commit(r: TestRepo, file: string, subject: string): void {
  r.write(file, `${subject}\n`);
  r.git(['add', file]);
  const out = r.run('git', ['commit', '-q', '-m', subject], { env: TEAM_ENV });
  assert.equal([out.status, out.stderr], [0, ''], `git commit -m ${subject}`);
}

const caches = (dist: string) => readdirSync(dist).filter((n) => CACHE.test(n));

test('the first commit leaves a code cache beside the bundle; commits run from it, and still import secretlint to redact', () => {
  const { r, dist } = withPackageCopy();
  commit(r, 'a.txt', 'first');
  const [name, ...more] = caches(dist);
  assert.ok(name, 'a cache was written');
  assert.equal(more, []);
  const written = readFileSync(path.join(dist, name));
  assert.ok(written.length > 10_000, `a cache of the bundle (${written.length} bytes)`);
  // Only secretlint's rules find this token: its row is ingested (and redacted) by the next commit's
  // pre-commit, which runs from the cache.
  const grafana = `glc_${pick(`${AN}+/`, 60)}==`;
  commit(r, 'b.txt', `token ${grafana}`);
  commit(r, 'c.txt', 'third');
  assert.equal(caches(dist), [name]);
  assert.ok(readFileSync(path.join(dist, name)).equals(written), 'V8 took the cache: it was not written again');
  const subjects = logJson(r)
    .filter((row) => row.action === 'git.commit')
    .map((row) => row.statement);
  assert.equal(subjects, ['first', 'token [REDACTED:secretlint:grafana]', 'third']);
});

test('a cache V8 rejects is written again, older ones are removed, and the commit goes on', () => {
  const { r, dist } = withPackageCopy();
  commit(r, 'a.txt', 'first');
  const [name] = caches(dist);
  writeFileSync(path.join(dist, name), 'not a code cache');
  writeFileSync(path.join(dist, '.codexlog-hook-0123456789abcdef.v8cache'), 'an older bundle');
  commit(r, 'b.txt', 'second');
  assert.equal(caches(dist), [name]);
  assert.ok(readFileSync(path.join(dist, name)).length > 10_000, 'the rejected cache was replaced by a real one');
  assert.equal(
    readdirSync(dist).filter((n) => n.endsWith('.tmp')),
    [],
  );
});

test('a cache that cannot be written (its path taken by a folder) leaves commits as they were', () => {
  const { r, dist } = withPackageCopy();
  commit(r, 'a.txt', 'first');
  const [name] = caches(dist);
  rmSync(path.join(dist, name));
  mkdirSync(path.join(dist, name, 'taken'), { recursive: true });
  commit(r, 'b.txt', 'second');
  commit(r, 'c.txt', 'third');
  assert.equal(readdirSync(path.join(dist, name)), ['taken']);
  assert.equal(
    readdirSync(dist).filter((n) => n.endsWith('.tmp')),
    [],
  );
  const subjects = logJson(r)
    .filter((row) => row.action === 'git.commit')
    .map((row) => row.statement);
  assert.equal(subjects, ['first', 'second', 'third']);
});

test.run();
