// Files the tool must refuse without touching: an LFS pointer (clone without LFS), a file that is
// not SQLite, a database of a newer schema, and one that fails the integrity check. Readers (log,
// readCodexLog) and finalize refuse them, naming the file; recording never opens the tracked log, so
// it goes on, and its rows wait in the git dir, none lost, for the commit after the file is fixed.
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  closeCodexLogDb,
  finalizeCodexLogDb,
  initCodexLogDb,
  readCodexLog,
  recordCodexAction,
  recordCodexActions,
} from '../../src/index.ts';
import { messages } from '../../src/messages.ts';
import { rejection } from '../helpers/expect.ts';
import { LOG, SESSION, uncommittedRows } from '../helpers/log.ts';
import { hasGitLfs, listFiles, queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const OID = '4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393';
const POINTER = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 24576\n`;

const { repo, dir } = throwawayRepos(test);

const lfsPointer = (file: string) =>
  `${file} is a Git LFS pointer, not the database: this clone has not downloaded the LFS object. ` +
  'Run `git lfs pull` (install git-lfs first if it is missing), then retry. The file was left untouched.';
const notADatabase = (file: string) =>
  `${file} is not an SQLite database. Move it aside or restore it from git (\`git checkout -- ${file}\`), then retry. ` +
  'The file was left untouched.';

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

/**
 * Every entry point that opens the log (log, finalize; initCodexLogDb when `init`) refuses with a
 * message `check` accepts, through the CLI and the API; recording goes on. Nothing tracked changes,
 * and the recorded rows wait in the git dir.
 */
async function expectRefused(r: TestRepo, check: (message: string) => void, options: { init: boolean }): Promise<void> {
  const before = state(r);
  for (const args of [['log'], ['log', '--json'], ['finalize']]) {
    const out = r.cli(args);
    assert.equal([out.status, out.stdout], [1, ''], args.join(' '));
    assert.ok(out.stderr.startsWith('codexlog-hooks: ') && out.stderr.endsWith('\n'), out.stderr);
    check(
      out.stderr
        .slice(0, -1)
        .split('\n')
        .map((l) => l.replace(/^codexlog-hooks: /, ''))
        .join('\n'),
    );
  }
  const o = { cwd: r.dir, env: r.env };
  if (options.init) check(await apiError(initCodexLogDb(o)));
  else assert.is(await initCodexLogDb(o), path.join(r.dir, LOG));
  check(await apiError(readCodexLog({}, o)));
  check(await apiError(finalizeCodexLogDb(o)));
  // Recording does not open the tracked log: it goes on, and writes nothing in the work tree.
  const rec = r.cli(['record', 'edit', 'recorded while refused']);
  assert.equal([rec.status, rec.stdout], [0, ''], rec.stderr);
  const row = await recordCodexAction('s', 'edit', 'recorded through the API', undefined, o);
  assert.is(row.id, null);
  check(await apiError(readCodexLog({}, o)));
  closeCodexLogDb();
  assert.equal(state(r), before);
  // The refused reads ingested them: they wait in the uncommitted store, none lost.
  assert.equal(
    (await uncommittedRows(r)).map((x) => x.statement),
    ['recorded while refused', 'recorded through the API'],
  );
}

/** Every entry point refuses with exactly `message`. */
const expectRefusedEverywhere = (r: TestRepo, message: string, options = { init: true }) =>
  expectRefused(r, (m) => assert.is(m, message), options);

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

/** A log committed through finalize, then given a newer schema version by a newer tool. */
function newerSchemaLog(r: TestRepo): string {
  assert.is(r.cli(['record', 'edit', 'x']).status, 0);
  assert.is(r.cli(['finalize']).status, 0);
  const db = new Database(path.join(r.dir, LOG));
  db.pragma('user_version = 2');
  db.close();
  return path.join(r.dir, LOG);
}

test('a database of a newer schema is refused everywhere with the file and the fix named', async () => {
  const r = repo();
  const file = newerSchemaLog(r);
  await expectRefusedEverywhere(
    r,
    `${file} has schema version 2, newer than this codexlog-hooks understands (1). ` +
      'Upgrade codexlog-hooks (npm install -D codexlog-hooks@latest). The file was left untouched.',
    { init: false },
  );
});

test("this clone's uncommitted store written by a newer codexlog-hooks is refused by readers and finalize, byte for byte", async () => {
  const r = repo();
  assert.is(r.cli(['record', 'edit', 'kept']).status, 0);
  assert.is(r.cli(['log']).status, 0); // ingested into the store
  const file = path.join(r.dir, '.git', 'codexlog', 'uncommitted.db');
  const db = new Database(file);
  db.pragma('user_version = 2');
  db.close();
  const bytes = readFileSync(file);
  const expected =
    `${file} has schema version 2, newer than this codexlog-hooks understands (1). ` +
    'Upgrade codexlog-hooks (npm install -D codexlog-hooks@latest). The file was left untouched.';
  // Recording only appends to the inbox: the row waits there until a reader can ingest it.
  assert.is(r.cli(['record', 'edit', 'more']).status, 0);
  for (const args of [['log'], ['finalize']]) {
    const out = r.cli(args);
    assert.equal([out.status, out.stderr], [1, `codexlog-hooks: ${expected}\n`], args.join(' '));
    assert.ok(readFileSync(file).equals(bytes), `${args.join(' ')}: untouched`);
  }
});

test("this clone's uncommitted store made unreadable is refused with what to do (git cannot restore it), byte for byte", async () => {
  const r = repo();
  assert.is(r.cli(['record', 'edit', 'kept']).status, 0);
  assert.is(r.cli(['log']).status, 0); // ingested into the store
  const file = path.join(r.dir, '.git', 'codexlog', 'uncommitted.db');
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from('this is no longer SQLite'), 0, 24, 0);
  closeSync(fd);
  const bytes = readFileSync(file);
  for (const args of [['log'], ['finalize']]) {
    const out = r.cli(args);
    assert.equal(
      [out.status, out.stderr],
      [1, `codexlog-hooks: ${messages.localStoreUnreadable(file, 'not an SQLite database')}\n`],
      args.join(' '),
    );
    assert.ok(readFileSync(file).equals(bytes), `${args.join(' ')}: untouched`);
  }
});

/**
 * A log with enough rows to span many pages (finalized, so both databases exist and are staged),
 * closed, then with one page header in the middle smashed. Without `keepSession`, the session copy
 * is removed and nothing is staged.
 */
async function corruptLog(r: TestRepo, keepSession: boolean): Promise<void> {
  const o = { cwd: r.dir, env: r.env };
  await recordCodexActions(
    Array.from({ length: 2000 }, (_, i) => ({
      sessionId: 's1',
      action: 'edit',
      statement: `row ${i} ${'x'.repeat(200)}`,
      metadata: { i },
    })),
    o,
  );
  await finalizeCodexLogDb(o);
  closeCodexLogDb();
  if (!keepSession) {
    r.git(['rm', '-q', '-f', '--cached', LOG, SESSION]);
    rmSync(path.join(r.dir, SESSION));
  }
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

/** finalize (CLI and API) refuses with a message `check` accepts; nothing changes, no backup is written. */
async function expectCorruptRefused(r: TestRepo, check: (message: string) => void): Promise<void> {
  const before = state(r);
  const backups = dir('codexlog-backups-');
  const env = { GH_COPILOT_BACKUP_ROOT: backups };
  const out = r.cli(['finalize'], { env });
  assert.is(out.status, 1);
  assert.is(out.stdout, '');
  assert.ok(out.stderr.startsWith('codexlog-hooks: ') && out.stderr.endsWith('\n'), out.stderr);
  check(
    out.stderr
      .slice(0, -1)
      .split('\n')
      .map((l) => l.replace(/^codexlog-hooks: /, ''))
      .join('\n'),
  );
  check(await apiError(finalizeCodexLogDb({ cwd: r.dir, env: { ...r.env, ...env } })));
  const log = r.cli(['log']);
  assert.equal([log.status, log.stdout], [1, '']);
  check(await apiError(readCodexLog({}, { cwd: r.dir, env: r.env })));
  closeCodexLogDb();
  assert.equal(state(r), before);
  assert.equal(listFiles(backups), []);
}

const mentionsIntegrity = (m: string) => assert.match(m, /integrity check/);

test('a corrupt log is refused by finalize and readers: log and earlier session copy byte-identical, index unchanged', async () => {
  const r = repo();
  await corruptLog(r, true);
  assert.is(r.git(['diff', '--cached', '--name-only']), `${LOG}\n${SESSION}\n`);
  await expectCorruptRefused(r, mentionsIntegrity);
  assert.ok(existsSync(path.join(r.dir, SESSION)));
});

test('a corrupt log is refused by finalize: no session copy is created, no backup written, nothing staged', async () => {
  const r = repo();
  await corruptLog(r, false);
  await expectCorruptRefused(r, mentionsIntegrity);
  assert.not.ok(existsSync(path.join(r.dir, SESSION)));
  assert.is(r.git(['ls-files', '--stage']), '');
});

test('a corrupt log is refused naming the file and the way out', async () => {
  const r = repo();
  await corruptLog(r, true);
  const file = path.join(r.dir, LOG);
  await expectCorruptRefused(r, (m) => {
    assert.ok(m.startsWith(`${file} `), m);
    assert.match(m, /integrity check/);
    assert.ok(m.endsWith('untouched.'), m);
  });
});

test.run();
