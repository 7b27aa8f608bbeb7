// The LFS gate through the installed package: each blocked commit exits 1, names the fix (the
// exact text of src/messages.ts), leaves the index and both databases byte-identical, stores no
// LFS object and loses no uncommitted row. A failure after the hook wrote is put back the same way.
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { removeBlock } from '../../src/install/blocks.ts';
import { messages, PREFIX } from '../../src/messages.ts';
import { findOnPath } from '../../src/which.ts';
import { type Run, throwawayRepos } from '../helpers/repo.ts';
import {
  committedRows,
  DBS,
  expectExit,
  expectNoStack,
  expectOneNewObject,
  expectPointers,
  expectUnchanged,
  fileOid,
  LOG_DB,
  type LogRow,
  lfsObjects,
  logJson,
  meta,
  SEGMENTS,
  settleIndex,
  snapshot,
  stateDir,
} from './__utils__/checks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const blocked = suite('blocked commits');
const repos = throwawayRepos(blocked);

/** An installed repo with one logged commit, so both databases exist and are committed. */
function installed(installArgs: string[] = []): AppRepo {
  const repo = appRepo(repos, { installArgs });
  repo.write('a.txt', 'a\n');
  repo.git(['add', '-A']);
  expectExit(repo.tryGit(['commit', '-m', 'initial'], { env: { ALLOW_AUTOLFS: '1' } }), 0, 'initial commit');
  return repo;
}

const isBlockRow = (x: LogRow) => x.pending && x.action === 'git.blocked';

/** Stages a change, snapshots, attempts the commit, and checks it was blocked leaving everything as it was. */
function expectBlocked(repo: AppRepo, env: NodeJS.ProcessEnv, message: string, what: string): Run {
  repo.write('change.txt', `${what}\n`);
  repo.git(['add', 'change.txt']);
  settleIndex(repo);
  const head = repo.git(['rev-parse', 'HEAD']);
  const before = snapshot(repo);
  const objects = lfsObjects(repo);
  const rowsBefore = logJson(repo);
  assert.ok(
    rowsBefore.some((x) => x.pending),
    `${what}: the previous commit's row should wait`,
  );
  const r = repo.tryGit(['commit', '-m', what], { env });
  expectExit(r, 1, `${what}: the commit`);
  expectNoStack(r, what);
  assert.ok(r.stderr.includes(`${PREFIX} ${message}`), `${what}: stderr lacks the message:\n${message}\n--- stderr\n${r.stderr}`);
  assert.ok(r.stderr.includes(`${PREFIX} ${messages.commitBlocked}`), `${what}: stderr lacks "${messages.commitBlocked}"`);
  assert.is(repo.git(['rev-parse', 'HEAD']), head, `${what}: a commit was made`);
  // Index and databases byte-identical, no LFS object stored, every uncommitted row still there.
  expectUnchanged(repo, before, what);
  assert.equal(lfsObjects(repo), objects, `${what}: an LFS object was stored`);
  const rowsAfter = logJson(repo);
  assert.equal(
    rowsAfter.filter((x) => !isBlockRow(x)),
    rowsBefore.filter((x) => !isBlockRow(x)),
    `${what}: the log's rows changed`,
  );
  // The attempt waits as one more git.blocked row, naming the reason.
  const blocks = rowsAfter.filter(isBlockRow);
  assert.is(blocks.length, rowsBefore.filter(isBlockRow).length + 1, `${what}: one git.blocked row per attempt`);
  const last = blocks[blocks.length - 1];
  assert.is(last.id, null, `${what}: a waiting row has no id yet`);
  assert.ok(meta(last).reasons.includes(message), `${what}: git.blocked row lacks the reason`);
  return r;
}

blocked('ALLOW_AUTOLFS unset and no clone opt-in: blocked, with the command that fixes it', () => {
  const repo = installed();
  expectBlocked(repo, {}, messages.allowAutoLfsOff, 'no ALLOW_AUTOLFS');
  assert.ok(messages.allowAutoLfsOff.includes('`export ALLOW_AUTOLFS=1`'));
  assert.ok(messages.allowAutoLfsOff.includes('`npx codexlog-hooks install --allow-autolfs`'));
  // The fix named in the message works, and the blocked attempt's row enters the log.
  const objects = lfsObjects(repo);
  const ok = repo.tryGit(['commit', '-m', 'now allowed'], { env: { ALLOW_AUTOLFS: '1' } });
  expectExit(ok, 0, 'commit with ALLOW_AUTOLFS=1');
  expectOneNewObject(repo, objects, 'commit with ALLOW_AUTOLFS=1');
  assert.ok(
    logJson(repo).some((x) => x.action === 'git.blocked' && !x.pending),
    'the git.blocked row entered the database',
  );
});

blocked('ALLOW_AUTOLFS=0 wins over the clone opt-in of install --allow-autolfs', () => {
  const repo = installed(['--allow-autolfs']);
  assert.is(repo.git(['config', '--local', 'codexlog.allowAutoLfs']).trim(), 'true');
  expectBlocked(repo, { ALLOW_AUTOLFS: '0' }, messages.allowAutoLfsOff, 'ALLOW_AUTOLFS=0 over the opt-in');
  // With the variable unset the opt-in applies (for GUI clients that cannot set variables).
  expectExit(repo.tryGit(['commit', '-m', 'opt-in'], {}), 0, 'commit under the clone opt-in');
  expectPointers(repo);
});

/** A repo whose committed .gitattributes no longer tracks the databases, and whose config relaxes ALLOW_AUTOLFS. */
function untrackedRepo(): AppRepo {
  const repo = installed();
  repo.write('.gitattributes', removeBlock(repo.read('.gitattributes').toString('utf8')));
  repo.write('codexlog.config.json', `${JSON.stringify({ lfs: { requireAllowAutoLfs: false } }, null, 2)}\n`);
  repo.git(['add', '.gitattributes', 'codexlog.config.json']);
  // --no-verify: the point is to get a commit without the tracking, as a user's edit could.
  repo.git(['commit', '-q', '--no-verify', '-m', 'drop the LFS tracking']);
  assert.is(repo.git(['check-attr', '--cached', 'filter', '--', ...DBS]), DBS.map((d) => `${d}: filter: unspecified\n`).join(''));
  return repo;
}

blocked('tracking missing, ALLOW_AUTOLFS unset (config relaxes it): blocked with the install command, which fixes it', () => {
  const repo = untrackedRepo();
  // The databases and the segments folder, as .gitattributes would name them.
  const r = expectBlocked(repo, {}, messages.notTracked([...DBS, SEGMENTS]), 'tracking missing');
  assert.ok(r.stderr.includes('`npx codexlog-hooks install && git add .gitattributes`'), r.stderr);
  // The work tree's .gitattributes was left alone too.
  assert.is(repo.git(['status', '--porcelain', '--', '.gitattributes']), '');
  // The fix it names: install writes the LFS lines again, and the commit goes through.
  expectExit(repo.hooks(['install']), 0, 'install');
  repo.git(['add', '.gitattributes']);
  const objects = lfsObjects(repo);
  const ok = repo.tryGit(['commit', '-m', 'tracked again'], { env: {} });
  expectExit(ok, 0, 'commit after install');
  expectNoStack(ok, 'commit after install');
  expectOneNewObject(repo, objects, 'commit after install');
});

blocked('tracking missing with ALLOW_AUTOLFS=1: repaired instead of blocked', () => {
  const repo = untrackedRepo();
  repo.write('change.txt', 'repair\n');
  repo.git(['add', 'change.txt']);
  const r = repo.tryGit(['commit', '-m', 'repair'], { env: { ALLOW_AUTOLFS: '1' } });
  expectExit(r, 0, 'commit with ALLOW_AUTOLFS=1');
  expectNoStack(r, 'repair');
  assert.ok(r.stderr.includes(`${PREFIX} ${messages.trackingRepaired([...DBS, SEGMENTS])}`), `no repair message:\n${r.stderr}`);
  assert.is(repo.git(['check-attr', '--cached', 'filter', '--', ...DBS]), DBS.map((d) => `${d}: filter: lfs\n`).join(''));
  // The repair restores the tracking install writes, merge driver included: with git lfs track's
  // `merge=lfs` every divergent merge of the log would conflict again. Segments are LFS objects
  // too, never merged (each name is one content).
  assert.is(repo.git(['check-attr', '--cached', 'merge', '--', ...DBS]), DBS.map((d) => `${d}: merge: codexlog\n`).join(''));
  const segment = SEGMENTS.replace('*', 'probe');
  assert.is(repo.git(['check-attr', '--cached', 'filter', 'merge', '--', segment]), `${segment}: filter: lfs\n${segment}: merge: binary\n`);
  assert.ok(repo.git(['diff', '--name-only', 'HEAD^', 'HEAD']).split('\n').includes('.gitattributes'), '.gitattributes was committed');
  expectPointers(repo);
  assert.is(repo.git(['status', '--porcelain']), '', 'nothing left unstaged or uncommitted');
});

blocked('a clean filter that is not git-lfs: blocked by the gate before anything is written', () => {
  const repo = installed();
  repo.git(['config', '--local', '--unset', 'filter.lfs.process']);
  repo.git(['config', '--local', 'filter.lfs.clean', 'cat']);
  repo.git(['config', '--local', 'filter.lfs.smudge', 'cat']);
  expectBlocked(repo, { ALLOW_AUTOLFS: '1' }, messages.lfsFiltersForeign('cat'), 'foreign filter');
});

blocked('a clean filter that names git-lfs but stores files raw: the hook stages the pointers itself, never through it', async () => {
  const repo = installed();
  // A filter that names git-lfs (so the gate lets it through) but stores files as they are.
  repo.git(['config', '--local', '--unset', 'filter.lfs.process']);
  repo.git(['config', '--local', 'filter.lfs.clean', 'git-lfs version >/dev/null && cat']);
  repo.git(['config', '--local', 'filter.lfs.smudge', 'cat']);
  const pendingBefore = logJson(repo)
    .filter((r) => r.pending)
    .map((r) => r.uid);
  assert.is(pendingBefore.length, 1, "the initial commit's row waits");
  repo.write('change.txt', 'raw filter\n');
  repo.git(['add', 'change.txt']);
  const objects = lfsObjects(repo);
  const r = repo.tryGit(['commit', '-m', 'raw filter'], { env: { ALLOW_AUTOLFS: '1' } });
  expectExit(r, 0, 'commit under a raw filter');
  expectNoStack(r, 'commit under a raw filter');
  // Canonical pointers to the one object the hook stored itself: the work tree's log, byte for byte.
  const oid = expectOneNewObject(repo, objects, 'raw filter');
  assert.is(fileOid(repo, LOG_DB), oid, 'the object is not the work-tree log');
  const stored = new Set((await committedRows(repo)).map((x) => x.uid));
  for (const uid of pendingBefore) assert.ok(stored.has(uid), `pending row ${uid} did not enter the commit`);
});

blocked('a failure after the hook wrote the databases: index and databases put back byte for byte, no row lost', async () => {
  const repo = installed();
  expectExit(repo.hooks(['record', 'agent.edit', 'before the failed commit', '--session', 'agent-1']), 0, 'record');
  repo.write('change.txt', 'late failure\n');
  repo.git(['add', 'change.txt']);
  settleIndex(repo);
  // LFS storage that cannot be written (a file where the folder should be): the hook has folded
  // the rows into the log and copied it to the session database when storing the object fails.
  const storage = path.join(repos.dir('codexlog-lfs-storage-'), 'not-a-folder');
  writeFileSync(storage, 'x\n');
  repo.git(['config', '--local', 'lfs.storage', storage]);
  const head = repo.git(['rev-parse', 'HEAD']);
  const before = snapshot(repo);
  const objects = lfsObjects(repo);
  const rowsBefore = logJson(repo);
  const waiting = rowsBefore.filter((x) => x.pending).map((x) => x.uid);
  assert.is(waiting.length, 2, "the initial commit's row and the recorded one wait");

  const r = repo.tryGit(['commit', '-m', 'late failure'], { env: { ALLOW_AUTOLFS: '1' } });
  expectExit(r, 1, 'the commit');
  expectNoStack(r, 'late failure');
  const [unexpected] = messages.unexpected('\0').split('\0');
  assert.ok(r.stderr.includes(`${PREFIX} ${unexpected}ENOTDIR`), r.stderr);
  assert.ok(r.stderr.includes(`${PREFIX} ${messages.commitBlocked}`), r.stderr);
  assert.is(repo.git(['rev-parse', 'HEAD']), head, 'a commit was made');
  expectUnchanged(repo, before, 'late failure');
  assert.equal(lfsObjects(repo), objects, 'an LFS object was stored');
  assert.not.ok(existsSync(path.join(stateDir(repo), 'rollback')), 'the rollback copies were left behind');
  repo.git(['config', '--local', '--unset', 'lfs.storage']);
  assert.equal(
    logJson(repo).filter((x) => !isBlockRow(x)),
    rowsBefore,
    'the uncommitted rows changed',
  );

  // With the storage back, the same commit goes through and carries every waiting row.
  const ok = repo.tryGit(['commit', '-m', 'late failure, retried'], { env: { ALLOW_AUTOLFS: '1' } });
  expectExit(ok, 0, 'the retried commit');
  expectOneNewObject(repo, objects, 'the retried commit');
  const stored = new Set((await committedRows(repo)).map((x) => x.uid));
  for (const uid of waiting) assert.ok(stored.has(uid), `row ${uid} did not enter the retried commit`);
  assert.is(repo.git(['status', '--porcelain']), '', 'the retried commit left changes behind');
});

blocked('no git-lfs on PATH: blocked with the install-git-lfs message', () => {
  const repo = installed();
  // A PATH with what git, husky's wrapper and our hook need, and no git-lfs.
  const bin = repos.dir('codexlog-nolfs-bin-');
  for (const tool of ['git', 'node', 'sh', 'env', 'dirname', 'basename', 'cat']) {
    const real = findOnPath(process.env, tool);
    assert.ok(real, `${tool} is not on this machine's PATH`);
    symlinkSync(real!, path.join(bin, tool));
  }
  const env = { PATH: bin };
  assert.is(repo.run('sh', ['-c', 'command -v git-lfs || echo none'], { env }).stdout.trim(), 'none');
  expectBlocked(repo, env, messages.lfsMissing, 'no git-lfs');
  assert.ok(messages.lfsMissing.includes('`sudo apt-get install git-lfs`'));
  assert.ok(messages.lfsMissing.includes('`npx codexlog-hooks install`'));
});

blocked.run();
