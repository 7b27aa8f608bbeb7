// The stat data of entries staged without it (src/git/index-stat.ts), on indexes real git wrote:
// versions 2, 3 (an extended entry) and 4 (prefix-compressed paths), a SHA-256 repository, paths
// with non-ASCII bytes. After the patch git trusts the entry (its refresh reads no file: trace2's
// refresh/sum_scan is 0, where it is 1 without the patch); an index this code does not read (a
// split index, a file that is no index) is left byte for byte.
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { entryOffsets, recordStatData } from '../../src/git/index-stat.ts';
import { blobId } from '../../src/git/stage.ts';
import { type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const repos = throwawayRepos(test);
const DB = 'databases/codex_log.db';

/** How many entries git's refresh had to read back (trace2 perf's refresh/sum_scan). */
function scanned(r: TestRepo): number {
  const trace = path.join(repos.dir('trace-'), 'perf.txt');
  r.git(['update-index', '-q', '--refresh'], { env: { GIT_TRACE2_PERF: trace }, allowFail: true });
  const m = /refresh\/sum_scan:(\d+)/.exec(readFileSync(trace, 'utf8'));
  assert.ok(m, 'trace2 reports the refresh');
  return Number((m as RegExpExecArray)[1]);
}

/** A repository with files around the database path, then the database staged as our finalize does (no stat data). */
function staged(options: { format?: 'sha1' | 'sha256'; version?: number; intentToAdd?: boolean } = {}): { r: TestRepo; file: string } {
  const r = repos.repo();
  if (options.format === 'sha256') {
    rmSync(path.join(r.dir, '.git'), { recursive: true, force: true });
    r.git(['init', '-q', '--object-format=sha256', '--initial-branch=main']);
    for (const [k, v] of [
      ['user.name', 'Test Agent'],
      ['user.email', 'agent@example.test'],
    ])
      r.git(['config', k, v]);
  }
  for (const f of ['a.txt', 'databases/aaa.txt', 'databases/codex.db-old', 'databases/zz/é-ü.txt', `deep/${'x'.repeat(200)}.txt`])
    r.write(f, `${f}\n`);
  r.git(['add', '-A']);
  if (options.intentToAdd) {
    r.write('later.txt', 'later\n');
    r.git(['add', '-N', 'later.txt']);
  }
  if (options.version) r.git(['update-index', '--index-version', String(options.version)]);
  const content = Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:0000\nsize 1\n');
  r.write(DB, content);
  const old = (Date.now() - 10_000) / 1000;
  utimesSync(path.join(r.dir, DB), old, old);
  const id = blobId(content, options.format ?? 'sha1');
  r.git(['hash-object', '-w', '--no-filters', '--stdin'], { input: content.toString('utf8') });
  r.git(['update-index', '-z', '--add', '--index-info'], { input: `100644 ${id} 0\t${DB}\0` });
  return { r, file: path.join(r.dir, DB) };
}

const cases: Array<[string, Parameters<typeof staged>[0]]> = [
  ['index version 2', {}],
  ['index version 3, with an extended (intent-to-add) entry', { intentToAdd: true }],
  ['index version 4 (paths prefix-compressed)', { version: 4 }],
  ['a SHA-256 repository', { format: 'sha256' }],
];

for (const [name, options] of cases) {
  test(`${name}: the entry gets its file's stat data and git no longer reads the file back`, () => {
    // An intent-to-add entry has no stat data either: git reads it back in any case.
    const others = options?.intentToAdd ? 1 : 0;
    const { r, file } = staged(options);
    assert.is(scanned(r), others + 1, 'without the stat data, git reads the file back');
    // Staged again without stat data, then patched.
    const { r: r2, file: file2 } = staged(options);
    const index = path.join(r2.dir, '.git', 'index');
    const updated = recordStatData(index, options?.format ?? 'sha1', new Map([[DB, file2]]));
    assert.equal(updated, [DB]);
    assert.is(scanned(r2), others, 'git trusts the entry');
    assert.is(r2.git(['diff-files', '--name-only', '--', DB]), '');
    // git reads the patched index as valid (its trailing hash checked) and keeps every entry.
    assert.is(r2.git(['ls-files']).split('\n').filter(Boolean).length, r.git(['ls-files']).split('\n').filter(Boolean).length);
    r2.git(['fsck', '--no-dangling', '--no-progress']);
    // A real change is still seen: the content changes, and with it the size.
    writeFileSync(file2, 'changed\n');
    assert.is(r2.git(['diff-files', '--name-only', '--', DB]).trim(), DB);
    assert.ok(file);
  });
}

test('a split index, a file that is no index, a path not in it: nothing is written', () => {
  const { r, file } = staged();
  r.git(['update-index', '--split-index']);
  const index = path.join(r.dir, '.git', 'index');
  const before = readFileSync(index);
  assert.equal(recordStatData(index, 'sha1', new Map([[DB, file]])), []);
  assert.ok(readFileSync(index).equals(before), 'a split index is left as it was');
  const other = path.join(repos.dir(), 'not-an-index');
  writeFileSync(other, 'DIRC but no');
  assert.equal(recordStatData(other, 'sha1', new Map([[DB, file]])), []);
  assert.is(readFileSync(other, 'utf8'), 'DIRC but no');
  const { r: r2, file: f2 } = staged();
  const index2 = path.join(r2.dir, '.git', 'index');
  const before2 = readFileSync(index2);
  assert.equal(recordStatData(index2, 'sha1', new Map([['not/there.db', f2]])), []);
  assert.ok(readFileSync(index2).equals(before2));
  assert.equal(recordStatData(path.join(r2.dir, 'missing-index'), 'sha1', new Map([[DB, f2]])), []);
});

test('an index git holds the lock of is left alone; the lock it takes itself is gone afterwards', () => {
  const { r, file } = staged();
  const index = path.join(r.dir, '.git', 'index');
  const before = readFileSync(index);
  writeFileSync(`${index}.lock`, 'git is writing the index');
  assert.equal(recordStatData(index, 'sha1', new Map([[DB, file]])), []);
  assert.ok(readFileSync(index).equals(before), 'the index is as it was');
  assert.is(readFileSync(`${index}.lock`, 'utf8'), 'git is writing the index', "git's lock is untouched");
  rmSync(`${index}.lock`);
  assert.equal(recordStatData(index, 'sha1', new Map([[DB, file]])), [DB]);
  assert.not.ok(existsSync(`${index}.lock`), 'no lock left');
  assert.equal(
    readdirSync(path.join(r.dir, '.git')).filter((n) => n.startsWith('index') && n !== 'index'),
    [],
  );
});

test('entryOffsets finds only the paths asked for, at stage 0', () => {
  const { r } = staged({ version: 4 });
  const index = readFileSync(path.join(r.dir, '.git', 'index'));
  const found = entryOffsets(index, 20, new Set([DB, 'databases/zz/é-ü.txt', 'nope']));
  assert.equal([...(found?.keys() ?? [])].sort(), [DB, 'databases/zz/é-ü.txt']);
  assert.is(entryOffsets(Buffer.from('nothing'), 20, new Set([DB])), null);
});

test.run();
