// The LFS gate through the installed package: each blocked commit exits 1, names the fix (the
// exact text of src/messages.ts), and leaves the index and both databases byte-identical.
import { symlinkSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { removeBlock } from '../../src/install/blocks.ts';
import { messages, PREFIX } from '../../src/messages.ts';
import { findOnPath } from '../../src/which.ts';
import { type Run, throwawayRepos } from '../helpers/repo.ts';
import { DBS, expectExit, expectNoStack, expectPointers, expectUnchanged, logJson, meta, snapshot } from './__utils__/checks.ts';
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

/** Stages a change, snapshots, attempts the commit, and checks it was blocked leaving everything as it was. */
function expectBlocked(repo: AppRepo, env: NodeJS.ProcessEnv, message: string, what: string, options: { logicalLog?: boolean } = {}): Run {
  repo.write('change.txt', `${what}\n`);
  repo.git(['add', 'change.txt']);
  // The databases were written in the same second as the index (git's racy-clean case): git
  // would re-read them through the clean filter before any hook runs, and without git-lfs on
  // PATH fail there with its own message. Backdating them makes the refresh below settle that.
  const past = new Date(Date.now() - 60_000);
  for (const db of DBS) utimesSync(path.join(repo.dir, db), past, past);
  // git itself rewrites .git/index before the pre-commit hook runs (fresh stat data, and the
  // cache-tree extension a commit computes): settle both first, so only our hook could change it.
  repo.git(['update-index', '-q', '--refresh']);
  repo.git(['write-tree']);
  const head = repo.git(['rev-parse', 'HEAD']);
  const before = snapshot(repo);
  const notBlockRow = (x: { action: string | null; pending: boolean }) => !(x.pending && x.action === 'git.blocked');
  const rowsBefore = options.logicalLog ? logJson(repo, { env }).filter(notBlockRow) : null;
  const r = repo.tryGit(['commit', '-m', what], { env });
  expectExit(r, 1, `${what}: the commit`);
  expectNoStack(r, what);
  assert.ok(r.stderr.includes(`${PREFIX} ${message}`), `${what}: stderr lacks the message:\n${message}\n--- stderr\n${r.stderr}`);
  assert.ok(r.stderr.includes(`${PREFIX} ${messages.commitBlocked}`), `${what}: stderr lacks "${messages.commitBlocked}"`);
  assert.is(repo.git(['rev-parse', 'HEAD']), head, `${what}: a commit was made`);
  // A block after the hook wrote undoes its rows in SQL (other agents may have written meanwhile),
  // so that file holds the same rows, not necessarily the same bytes.
  expectUnchanged(repo, before, what, options.logicalLog ? DBS[0] : undefined);
  if (rowsBefore) assert.equal(logJson(repo, { env }).filter(notBlockRow), rowsBefore, `${what}: the log's rows changed`);
  // The attempt waits as a git.blocked row, naming the reason.
  const rows = logJson(repo, { env });
  const last = rows.filter((x) => x.action === 'git.blocked').pop();
  assert.ok(last?.pending, `${what}: no pending git.blocked row`);
  assert.ok(meta(last!).reasons.includes(message), `${what}: git.blocked row lacks the reason`);
  return r;
}

blocked('ALLOW_AUTOLFS unset and no clone opt-in: blocked, with the command that fixes it', () => {
  const repo = installed();
  expectBlocked(repo, {}, messages.allowAutoLfsOff, 'no ALLOW_AUTOLFS');
  assert.ok(messages.allowAutoLfsOff.includes('`export ALLOW_AUTOLFS=1`'));
  assert.ok(messages.allowAutoLfsOff.includes('`npx codexlog-hooks install --allow-autolfs`'));
  // The fix named in the message works, and the blocked attempt's row enters the log.
  const ok = repo.tryGit(['commit', '-m', 'now allowed'], { env: { ALLOW_AUTOLFS: '1' } });
  expectExit(ok, 0, 'commit with ALLOW_AUTOLFS=1');
  expectPointers(repo);
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

blocked('tracking missing, ALLOW_AUTOLFS unset (config relaxes it): blocked with the git lfs track command', () => {
  const repo = untrackedRepo();
  const r = expectBlocked(repo, {}, messages.notTracked(DBS), 'tracking missing');
  assert.ok(r.stderr.includes(`git lfs track "${DBS[0]}" "${DBS[1]}" && git add .gitattributes`));
  // The work tree's .gitattributes was left alone too.
  assert.is(repo.git(['status', '--porcelain', '--', '.gitattributes']), '');
});

blocked('tracking missing with ALLOW_AUTOLFS=1: repaired instead of blocked', () => {
  const repo = untrackedRepo();
  repo.write('change.txt', 'repair\n');
  repo.git(['add', 'change.txt']);
  const r = repo.tryGit(['commit', '-m', 'repair'], { env: { ALLOW_AUTOLFS: '1' } });
  expectExit(r, 0, 'commit with ALLOW_AUTOLFS=1');
  expectNoStack(r, 'repair');
  assert.ok(r.stderr.includes(`${PREFIX} ${messages.trackingRepaired(DBS)}`), `no repair message:\n${r.stderr}`);
  assert.is(repo.git(['check-attr', '--cached', 'filter', '--', ...DBS]), DBS.map((d) => `${d}: filter: lfs\n`).join(''));
  // The repair restores the tracking install writes, merge driver included: with git lfs track's
  // `merge=lfs` every divergent merge of the log would conflict again.
  assert.is(repo.git(['check-attr', '--cached', 'merge', '--', ...DBS]), DBS.map((d) => `${d}: merge: codexlog\n`).join(''));
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

blocked("a database staged raw despite the gate: the hook's rows are undone, pending rows handed back", () => {
  const repo = installed();
  // A filter that names git-lfs (so the gate lets it through) but stores files as they are.
  repo.git(['config', '--local', '--unset', 'filter.lfs.process']);
  repo.git(['config', '--local', 'filter.lfs.clean', 'git-lfs version >/dev/null && cat']);
  repo.git(['config', '--local', 'filter.lfs.smudge', 'cat']);
  const pendingBefore = logJson(repo)
    .filter((r) => r.pending)
    .map((r) => r.uid);
  assert.is(pendingBefore.length, 1, "the initial commit's row waits");
  // This attempt gets as far as writing and staging both databases before the check fails.
  const r = expectBlocked(repo, { ALLOW_AUTOLFS: '1' }, messages.notAPointer(DBS[0]), 'staged raw', { logicalLog: true });
  assert.ok(r.stderr.includes(`${PREFIX} ${messages.notAPointer(DBS[1])}`), r.stderr);
  // The rows the hook folded in were handed back: still pending, none lost.
  const pendingAfter = logJson(repo)
    .filter((x) => x.pending)
    .map((x) => x.uid);
  for (const uid of pendingBefore) assert.ok(pendingAfter.includes(uid), `pending row ${uid} was lost`);
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
