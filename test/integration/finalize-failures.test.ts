// Finalize cut short: it works on a copy of the log in the git dir, so the tracked log is only
// ever replaced whole (never left half-written, never with a rollback journal beside it for SQLite
// to apply to the file git puts there next); a pre-commit that fails after sealing a segment puts
// everything back; and a segment a killed finalize left in the work tree (sealed, never staged) is
// staged with the next commit, so that its rows are never in an untracked file only.
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeCodexLogDb, recordCodexActions } from '../../src/index.ts';
import { attributeLines } from '../../src/install/attributes.ts';
import { messages } from '../../src/messages.ts';
import { LogStore } from '../../src/store/log-store.ts';
import { LOG, logJson, SESSION, stateDir } from '../helpers/log.ts';
import { hasGitLfs, queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const ALLOW = { ALLOW_AUTOLFS: '1' };
const SEGMENTS = 'databases/codex_log.segments';
const { repo, dir } = throwawayRepos(test);

/** A repository with LFS filters, install's attributes and a 64 KiB seal threshold, committed. */
function lfsRepo(gitDir?: string): TestRepo {
  assert.ok(hasGitLfs(), 'git-lfs is required for this test');
  const r = repo();
  if (gitDir) {
    // A new repository whose git dir is there (.git is a file naming it); git cannot move one across filesystems.
    rmSync(path.join(r.dir, '.git'), { recursive: true });
    r.git(['init', '-q', '--initial-branch=main', '--separate-git-dir', gitDir]);
    for (const [k, v] of [
      ['user.name', 'Test Agent'],
      ['user.email', 'agent@example.test'],
      ['commit.gpgSign', 'false'],
    ])
      r.git(['config', k, v]);
  }
  r.git(['lfs', 'install', '--local', '--skip-repo']);
  r.write('.gitattributes', `${attributeLines({ dbs: [LOG, SESSION], segmentsDir: SEGMENTS })}\n`);
  r.write('codexlog.config.json', JSON.stringify({ segments: { sealAboveBytes: 65536 } }));
  r.git(['add', '-A']);
  r.git(['commit', '-q', '--no-verify', '-m', 'init']);
  return r;
}

const hook = (r: TestRepo, env: NodeJS.ProcessEnv = {}) => r.cli(['hook', 'pre-commit'], { env: { ...ALLOW, ...env } });

async function recordBig(r: TestRepo, n: number, tag: string): Promise<void> {
  const big = 'x'.repeat(300);
  await recordCodexActions(
    Array.from({ length: n }, (_, i) => ({ action: 'edit', statement: `${tag} ${i} ${big}`, sessionId: 's1' })),
    { cwd: r.dir, env: r.env },
  );
  closeCodexLogDb();
}

/** Stages a change and commits it through the pre-commit hook (asserted to succeed), without the other hooks. */
function commitWithHook(r: TestRepo, file: string): void {
  r.write(file, `${file}\n`);
  r.git(['add', file]);
  const out = hook(r);
  assert.equal([out.status, out.stderr], [0, ''], 'pre-commit');
  r.git(['commit', '-q', '--no-verify', '-m', file]);
}

const segmentsOnDisk = (r: TestRepo) => (existsSync(path.join(r.dir, SEGMENTS)) ? readdirSync(path.join(r.dir, SEGMENTS)) : []);

test('a pre-commit that fails after sealing (GH_COPILOT_BACKUP_ROOT is a file) puts back the log, the copy, the index and no segment; rows wait', async () => {
  const r = lfsRepo();
  await recordBig(r, 10, 'first');
  commitWithHook(r, 'a.txt');
  const log = r.read(LOG);
  await recordBig(r, 300, 'second');
  r.write('b.txt', 'b\n');
  r.git(['add', 'b.txt']);
  const index = r.read('.git/index');
  const pending = () =>
    logJson(r)
      .filter((x) => x.id === null)
      .map((x) => x.uid);
  const waiting = pending();
  assert.is(waiting.length, 300);
  const notADir = path.join(dir('codexlog-backup-'), 'a-file');
  writeFileSync(notADir, 'not a folder\n');
  const out = hook(r, { GH_COPILOT_BACKUP_ROOT: path.join(notADir, 'backups') });
  assert.is(out.status, 1);
  const [reason, blocked, ...more] = out.stderr.split('\n');
  assert.ok(
    reason.startsWith(`codexlog-hooks: could not write the backup into GH_COPILOT_BACKUP_ROOT (${path.join(notADir, 'backups')}): `),
    reason,
  );
  assert.ok(reason.endsWith(messages.backupFailed('R', 'D').split('D. ')[1]), reason);
  assert.equal([blocked, ...more], [`codexlog-hooks: ${messages.commitBlocked}`, '']);
  assert.ok(r.read(LOG).equals(log), 'the tracked log is as it was');
  assert.ok(r.read(SESSION).equals(log), 'the session copy too');
  assert.ok(r.read('.git/index').equals(index), 'the index too');
  assert.equal(segmentsOnDisk(r), [], 'the sealed segment was taken away');
  assert.equal(pending(), waiting, 'every row still waits');
  assert.equal(
    readdirSync(stateDir(r)).filter((n) => n.startsWith('finalize.db')),
    [],
    'no working copy left',
  );
  // The next attempt seals and commits every row.
  commitWithHook(r, 'c.txt');
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '');
  assert.is(segmentsOnDisk(r).length, 1);
  assert.is(logJson(r).filter((x) => x.action === 'edit').length, 310);
});

test('a segment a killed finalize left (sealed, never staged) is staged with the next commit: its rows are in HEAD, the tree clean', async () => {
  const r = lfsRepo();
  await recordBig(r, 50, 'kept');
  commitWithHook(r, 'a.txt');
  // What a finalize killed after sealing leaves: the segment in the work tree, the tracked log as
  // it was (finalize works on a copy), the copy gone with the process.
  const logDb = path.join(r.dir, LOG);
  const work = path.join(dir('codexlog-killed-'), 'finalize.db');
  const store = LogStore.open(logDb, work);
  const orphan = store.seal(path.join(r.dir, SEGMENTS), new Set());
  store.discard();
  assert.ok(orphan, 'a segment was sealed');
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), `?? ${SEGMENTS}/${orphan}\n`);
  await recordBig(r, 1, 'after');
  commitWithHook(r, 'b.txt');
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '');
  assert.equal(
    r
      .git(['ls-tree', '-r', '--name-only', 'HEAD', `${SEGMENTS}/`])
      .split('\n')
      .filter(Boolean),
    [`${SEGMENTS}/${orphan}`],
  );
  // The log dropped the rows the segment holds; together they hold every row once.
  const inLog = await queryDb<{ n: number }>(logDb, "SELECT count(*) AS n FROM codex_actions WHERE statement LIKE 'kept %'");
  assert.equal(inLog, [{ n: 0 }]);
  const rows = logJson(r).filter((x) => x.action === 'edit');
  assert.equal(
    rows.map((x) => (x.statement as string).split(' ').slice(0, 2).join(' ')),
    [...Array.from({ length: 50 }, (_, i) => `kept ${i}`), 'after 0'],
  );
  assert.equal(
    rows.map((x) => x.id),
    // (51: the first commit's git.pre-commit row)
    [...Array.from({ length: 50 }, (_, i) => i + 1), 52],
  );
  assert.ok(readFileSync(path.join(r.dir, SEGMENTS, orphan)).length > 0);
});

test('finalize never writes the tracked log in place: it replaces it whole (a link to the old file keeps the old bytes)', async () => {
  const r = lfsRepo();
  await recordBig(r, 10, 'first');
  commitWithHook(r, 'a.txt');
  const before = r.read(LOG);
  const link = path.join(dir('codexlog-link-'), 'old.db');
  linkSync(path.join(r.dir, LOG), link);
  await recordBig(r, 300, 'second');
  commitWithHook(r, 'b.txt');
  assert.ok(readFileSync(link).equals(before), 'the old file was not touched');
  assert.not.ok(r.read(LOG).equals(before), 'the log was replaced');
  assert.is(statSync(link).nlink, 1, 'the tracked path names another file now');
  assert.equal(
    readdirSync(path.join(r.dir, 'databases')).filter((n) => n.endsWith('-journal')),
    [],
  );
});

// A git dir on another filesystem than the work tree (tmpfs): renames between them fail (EXDEV).
const SHM = '/dev/shm';
const otherFs = existsSync(SHM) && statSync(SHM).dev !== statSync(dir('codexlog-fs-')).dev;
(otherFs ? test : test.skip)('with the git dir on another filesystem, commits replace the log and a blocked one puts it back', async () => {
  const gitDir = path.join(mkdtempSync(path.join(SHM, 'codexlog-gitdir-')), 'git');
  try {
    const r = lfsRepo(gitDir);
    await recordBig(r, 10, 'first');
    commitWithHook(r, 'a.txt');
    const log = r.read(LOG);
    await recordBig(r, 300, 'second');
    r.write('b.txt', 'b\n');
    r.git(['add', 'b.txt']);
    const notADir = path.join(dir('codexlog-backup-'), 'a-file');
    writeFileSync(notADir, 'not a folder\n');
    assert.is(hook(r, { GH_COPILOT_BACKUP_ROOT: path.join(notADir, 'backups') }).status, 1);
    assert.ok(r.read(LOG).equals(log), 'the tracked log is as it was');
    assert.ok(r.read(SESSION).equals(log), 'the session copy too');
    assert.equal(segmentsOnDisk(r), []);
    commitWithHook(r, 'c.txt');
    assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '');
    assert.is(segmentsOnDisk(r).length, 1);
    assert.ok(r.read(LOG).equals(r.read(SESSION)));
    assert.is(logJson(r).filter((x) => x.action === 'edit').length, 310);
    assert.equal(
      readdirSync(path.join(r.dir, 'databases')).filter((n) => n.includes('.tmp')),
      [],
    );
  } finally {
    rmSync(path.dirname(gitDir), { recursive: true, force: true });
  }
});

test.run();
