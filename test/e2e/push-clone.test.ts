// A push to a file:// bare remote carries the LFS objects (the pre-push of the hooks install keeps
// in the git dir runs `git lfs pre-push`), and a fresh clone reads the same log once it has pulled
// them. A teammate's clone gets the hooks from the `prepare` script, and their commit comes back
// with a pull.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PREPARE } from '../../src/install/package-json.ts';
import { messages, PREFIX } from '../../src/messages.ts';
import { type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import {
  DBS,
  expectExit,
  expectNoStack,
  expectPointers,
  LOG_DB,
  type LogRow,
  lfsObjectPath,
  logJson,
  meta,
  pointerAt,
  sha,
} from './__utils__/checks.ts';
import { expectHooksInstalled } from './__utils__/hooks.ts';
import { type AppRepo, appRepo, asApp, copyTemplate } from './__utils__/packed.ts';

const repos = throwawayRepos(test);

const ALLOW = { ALLOW_AUTOLFS: '1' };
/** The git.merge row of the teammate test's pull. */
let pulledMerge: LogRow | undefined;

/** Commits `file` (and, on the first commit, everything install wrote). */
function commitFile(repo: AppRepo, file: string, what: string): void {
  repo.write(file, `${what}\n`);
  repo.git(['add', '-A']);
  const r = repo.tryGit(['commit', '-m', what], { env: ALLOW });
  expectExit(r, 0, `commit ${what}`);
  expectNoStack(r, `commit ${what}`);
}

/** Every pointer of both databases in the history of `rev`, with the object's bytes from `repo`. */
function historyPointers(repo: AppRepo, rev: string): Array<{ commit: string; db: string; oid: string }> {
  const out: Array<{ commit: string; db: string; oid: string }> = [];
  for (const commit of repo.git(['rev-list', rev]).trim().split('\n')) {
    for (const db of DBS) out.push({ commit, db, oid: pointerAt(repo, commit, db).oid });
  }
  return out;
}

test('push to a file:// remote carries the LFS objects; a fresh clone reads the same log', () => {
  const bare: TestRepo = repos.repo({ bare: true });
  const origin = `file://${bare.dir}`;
  const repo = appRepo(repos, { env: ALLOW });
  commitFile(repo, 'one.txt', 'one');
  commitFile(repo, 'two.txt', 'two');
  commitFile(repo, 'three.txt', 'three');
  repo.git(['remote', 'add', 'origin', origin]);
  const push = repo.tryGit(['push', '-u', 'origin', 'main']);
  expectExit(push, 0, 'git push');
  expectNoStack(push, 'git push');

  // Every database version in the pushed history has its object on the remote, byte-identical.
  const pointers = historyPointers(repo, 'main');
  assert.is(pointers.length, 6);
  // Both databases of a commit are one LFS object: three commits, three objects.
  for (const p of pointers) assert.is(p.oid, pointers.find((q) => q.commit === p.commit)?.oid, `${p.commit}: the databases differ`);
  assert.is(new Set(pointers.map((p) => p.oid)).size, 3);
  for (const p of pointers) {
    const remote = lfsObjectPath(bare.dir, p.oid);
    const local = lfsObjectPath(path.join(repo.dir, '.git'), p.oid);
    assert.ok(existsSync(remote), `${p.commit}:${p.db}: object ${p.oid} is not on the remote (${remote})`);
    assert.ok(readFileSync(remote).equals(readFileSync(local)), `${p.db}: the remote's object differs from the local one`);
  }

  // A clone without LFS configured (GIT_CONFIG_NOSYSTEM) holds pointer text: the log refuses to
  // read it and says to run `git lfs pull`.
  const clone = asApp(repos.repo({ clone: origin }));
  copyTemplate(clone.dir, ['node_modules']);
  assert.match(clone.read(LOG_DB).toString('utf8'), /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n/);
  const refused = clone.hooks(['log', '--json']);
  expectExit(refused, 1, 'log on a pointer');
  expectNoStack(refused, 'log on a pointer');
  assert.ok(refused.stderr.includes(`${PREFIX} ${messages.lfsPointer(path.join(clone.dir, LOG_DB))}`), refused.stderr);

  clone.git(['lfs', 'install', '--local', '--skip-repo']);
  clone.git(['lfs', 'pull']);
  for (const db of DBS) assert.ok(clone.read(db).equals(repo.read(db)), `${db}: the clone's file differs from the original's`);
  assert.is(clone.git(['status', '--porcelain']), '');
  const stored = logJson(repo).filter((r) => !r.pending);
  assert.ok(stored.length >= 5, 'the original has pre-commit and folded commit rows');
  assert.equal(logJson(clone), stored, "the clone shows the same rows (pending rows stay in the original's git dir)");
});

test('a teammate clone: prepare installs the hooks, its commit is pushed and pulled back with its objects', () => {
  const bare: TestRepo = repos.repo({ bare: true });
  const origin = `file://${bare.dir}`;
  const repo = appRepo(repos, { env: ALLOW });
  commitFile(repo, 'one.txt', 'one');
  repo.git(['remote', 'add', 'origin', origin]);
  expectExit(repo.tryGit(['push', '-u', 'origin', 'main']), 0, 'git push');

  const mate = asApp(repos.repo({ clone: origin }));
  copyTemplate(mate.dir, ['node_modules']);
  // The committed package.json has the prepare script install added: `npm install` runs it.
  assert.is(JSON.parse(mate.read('package.json').toString('utf8')).scripts.prepare, PREPARE);
  const prepare = mate.run('npm', ['run', 'prepare']);
  expectExit(prepare, 0, 'npm run prepare');
  expectNoStack(prepare, 'npm run prepare');
  expectHooksInstalled(mate, 'npm run prepare');
  assert.ok(mate.git(['config', 'filter.lfs.process']).trim().length > 0, 'prepare configured the LFS filters');
  mate.git(['lfs', 'pull']);
  assert.is(mate.git(['status', '--porcelain']), '', 'prepare changed no tracked file');

  commitFile(mate, 'mate.txt', 'from the teammate');
  expectPointers(mate);
  const mateRows = logJson(mate).filter((r) => !r.pending);
  const push = mate.tryGit(['push']);
  expectExit(push, 0, 'teammate push');
  for (const db of DBS) {
    const { oid } = pointerAt(mate, 'HEAD', db);
    assert.ok(readFileSync(lfsObjectPath(bare.dir, oid)).length > 0, `${db}: the teammate's object reached the remote`);
  }

  const before = sha(repo);
  const pull = repo.tryGit(['pull', '--ff-only']);
  expectExit(pull, 0, 'git pull');
  expectNoStack(pull, 'git pull');
  for (const db of DBS) assert.ok(repo.read(db).equals(mate.read(db)), `${db}: the pull did not bring the teammate's database`);
  assert.is(repo.git(['status', '--porcelain']), '');
  const rows = logJson(repo);
  for (const r of mateRows)
    assert.ok(
      rows.some((x) => x.uid === r.uid && !x.pending),
      `the pulled log lacks ${r.action} ${r.uid}`,
    );
  // The pull itself is logged (post-merge), pending until the next commit: a fast-forward over
  // the teammate's commit.
  const merges = rows.filter((x) => x.action === 'git.merge');
  assert.is(merges.length, 1, 'one git.merge row for the pull');
  const merge = merges[0];
  assert.is(merge.pending, true);
  assert.is(merge.id, null);
  const m = meta(merge);
  const after = sha(repo);
  assert.equal(
    [m.sha, m.parents, m.subject, m.range, m.squash, m.fastForward],
    [after, [before], 'from the teammate', `${before}..${after}`, false, true],
  );
  assert.ok(merge.statement?.startsWith('fast-forward'), merge.statement ?? '');
  assert.ok(merge.statement?.endsWith(` (${before}..${after}): from the teammate`), merge.statement ?? '');
  pulledMerge = merge;
});

// Regression: ingest once took `merged` from GIT_REFLOG_ACTION minus its first word, so `git pull
// --ff-only` gave `merged: "--ff-only"` and the statement "fast-forward of --ff-only (a..b): …":
// the pull's options, not the branch or commit merged ("origin main", or null when git does not say).
test("the pull's git.merge row names what was merged, not the pull's options", () => {
  assert.ok(pulledMerge, 'the teammate test ran first');
  const merged = meta(pulledMerge as LogRow).merged;
  assert.ok([null, 'origin main', 'origin/main'].includes(merged), `merged: ${JSON.stringify(merged)}`);
  assert.not.match(pulledMerge?.statement ?? '', / of -/);
});

test.run();
