// Files the tool must refuse without touching: an LFS pointer (clone without LFS), a file that is
// not SQLite, a database of a newer schema, and (at finalize) one that fails the integrity check.
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeCodexLogDb, finalizeCodexLogDb, initCodexLogDb, readCodexLog, recordCodexAction } from '../../src/index.ts';
import { rejection } from '../helpers/expect.ts';
import { hasGitLfs, listFiles, queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const LOG = 'databases/codex_log.db';
const SESSION = 'databases/codex_session_logs.db';
const OID = '4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393';
const POINTER = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 24576\n`;

const { repo, dir } = throwawayRepos(test);

const lfsPointer = (file: string) =>
  `${file} is a Git LFS pointer, not the database: this clone has not downloaded the LFS object. ` +
  'Run `git lfs pull` (install git-lfs first if it is missing), then retry. The file was left untouched.';
const notADatabase = (file: string) =>
  `${file} is not an SQLite database. Move it aside or restore it from git (\`git checkout -- ${file}\`), then retry. ` +
  'The file was left untouched.';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What must not change: every file in the work tree (bytes) and the index. */
function state(r: TestRepo) {
  const files = listFiles(r.dir);
  return {
    files,
    bytes: files.filter((f) => !f.endsWith('/')).map((f) => r.read(f).toString('hex')),
    staged: r.git(['ls-files', '--stage']),
  };
}

const apiError = async (p: Promise<unknown>): Promise<string> => (await rejection(p)).message;

/** Every entry point that opens the log, through the CLI and the API, must refuse with `message`. */
async function expectRefusedEverywhere(r: TestRepo, message: string): Promise<void> {
  const before = state(r);
  for (const args of [['record', 'edit', 'x'], ['log'], ['log', '--json'], ['finalize']]) {
    const out = r.cli(args);
    assert.equal([out.status, out.stdout, out.stderr], [1, '', `codexlog-hooks: ${message}\n`], args.join(' '));
  }
  const o = { cwd: r.dir, env: r.env };
  assert.is(await apiError(initCodexLogDb(o)), message);
  assert.is(await apiError(recordCodexAction('s', 'edit', 'x', undefined, o)), message);
  assert.is(await apiError(readCodexLog({}, o)), message);
  assert.is(await apiError(finalizeCodexLogDb(o)), message);
  closeCodexLogDb();
  assert.equal(state(r), before);
}

test('an LFS pointer at the database path is refused everywhere, pointing to git lfs pull; byte-identical', async () => {
  const r = repo();
  r.write(LOG, POINTER);
  await expectRefusedEverywhere(r, lfsPointer(path.join(r.dir, LOG)));
  assert.is(r.read(LOG).toString(), POINTER);
});

test('a non-canonical pointer (starts with "version ") is refused the same way', async () => {
  const r = repo();
  r.write(LOG, `version https://hawser.github.com/spec/v1\noid sha256:${OID}\nsize 1\n`);
  await expectRefusedEverywhere(r, lfsPointer(path.join(r.dir, LOG)));
});

test('a clone made without LFS objects: the checked-out pointer is refused, the clone stays clean', async () => {
  assert.ok(hasGitLfs(), 'git-lfs is required for this test');
  const origin = repo();
  origin.git(['lfs', 'install', '--local', '--skip-repo']);
  origin.git(['lfs', 'track', 'databases/*.db']);
  assert.is(origin.cli(['record', 'edit', 'committed through LFS', '--session', 's1']).status, 0);
  assert.is(origin.cli(['finalize']).status, 0);
  origin.git(['add', '.gitattributes']);
  origin.git(['commit', '-q', '-m', 'log']);
  assert.ok(origin.git(['cat-file', '-p', `HEAD:${LOG}`]).startsWith('version https://git-lfs.github.com/spec/v1\n'));

  // A fresh HOME has no LFS filters configured: the clone checks out the pointer text itself.
  const parent = dir('codexlog-clone-');
  const clone = repo({ clone: origin.dir, dir: path.join(parent, 'clone'), env: { GIT_LFS_SKIP_SMUDGE: '1' } });
  assert.ok(clone.read(LOG).toString().startsWith('version https://git-lfs.github.com/spec/v1\n'));
  await expectRefusedEverywhere(clone, lfsPointer(path.join(clone.dir, LOG)));
  assert.is(clone.git(['status', '--porcelain']), '');
});

const notSqlite: Array<[string, string | Buffer]> = [
  ['a text file', 'hello, I am not a database\n'],
  ['JSON', '{"rows": []}'],
  ['a truncated SQLite header', Buffer.from('SQLite format', 'latin1')],
  ['binary noise', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
];
for (const [name, content] of notSqlite) {
  test(`${name} at the database path is refused everywhere; byte-identical`, async () => {
    const r = repo();
    r.write(LOG, content);
    await expectRefusedEverywhere(r, notADatabase(path.join(r.dir, LOG)));
  });
}

test('a database of a newer schema is refused everywhere; byte-identical', async () => {
  const r = repo();
  assert.is(r.cli(['record', 'edit', 'x']).status, 0);
  const db = new Database(path.join(r.dir, LOG));
  db.pragma('user_version = 2');
  db.close();
  const file = path.join(r.dir, LOG);
  await expectRefusedEverywhere(
    r,
    `${file} has schema version 2, newer than this codexlog-hooks understands (1). ` +
      'Upgrade codexlog-hooks (npm install -D codexlog-hooks@latest). The file was left untouched.',
  );
});

/** A log with enough rows to span many pages, closed, then with one page header in the middle smashed. */
async function corruptLog(r: TestRepo, finalizeFirst: boolean): Promise<void> {
  const o = { cwd: r.dir, env: r.env };
  for (let i = 0; i < 2000; i++) await recordCodexAction('s1', 'edit', `row ${i} ${'x'.repeat(200)}`, { i }, o);
  if (finalizeFirst) await finalizeCodexLogDb(o);
  closeCodexLogDb();
  const file = path.join(r.dir, LOG);
  const [{ page_size: pageSize }] = await queryDb<{ page_size: number }>(file, 'PRAGMA page_size');
  const [{ page_count: pages }] = await queryDb<{ page_count: number }>(file, 'PRAGMA page_count');
  assert.ok(pages > 100, `${pages} pages`);
  assert.equal(
    listFiles(r.dir).filter((f) => f.startsWith('databases/codex_log')),
    ['databases/codex_log.db'],
  );
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, pageSize * Math.floor(pages / 2));
  } finally {
    closeSync(fd);
  }
}

async function expectCorruptRefused(r: TestRepo, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const file = path.join(r.dir, LOG);
  const before = state(r);
  const pattern = new RegExp(
    `^${escapeRegExp(file)} failed SQLite's integrity check \\(.+\\)\\. Restore it from git or from a backup ` +
      `\\(GH_COPILOT_BACKUP_ROOT\\), then retry\\. The file was left untouched\\.$`,
    's',
  );
  const out = r.cli(['finalize'], { env });
  assert.is(out.status, 1);
  assert.is(out.stdout, '');
  assert.ok(out.stderr.startsWith('codexlog-hooks: ') && out.stderr.endsWith('\n'), out.stderr);
  assert.ok(pattern.test(out.stderr.slice('codexlog-hooks: '.length, -1)), out.stderr);
  const message = await apiError(finalizeCodexLogDb({ cwd: r.dir, env: { ...r.env, ...env } }));
  assert.ok(pattern.test(message), message);
  closeCodexLogDb();
  assert.equal(state(r), before);
}

test('a corrupt log is refused by finalize: log and earlier session copy byte-identical, index unchanged', async () => {
  const r = repo();
  await corruptLog(r, true);
  assert.is(r.git(['diff', '--cached', '--name-only']), `${LOG}\n${SESSION}\n`);
  await expectCorruptRefused(r);
  assert.ok(existsSync(path.join(r.dir, SESSION)));
});

test('a corrupt log is refused by finalize: no session copy is created, no backup written', async () => {
  const r = repo();
  await corruptLog(r, false);
  const backups = dir('codexlog-backups-');
  await expectCorruptRefused(r, { GH_COPILOT_BACKUP_ROOT: backups });
  assert.not.ok(existsSync(path.join(r.dir, SESSION)));
  assert.equal(listFiles(backups), []);
  assert.is(r.git(['ls-files', '--stage']), '');
});

test.run();
