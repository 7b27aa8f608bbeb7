// Pure LFS-pointer and SQLite-header recognition (src/git/pointer.ts, src/store/sqlite.ts), as tables
// of cases, and the local LFS object store read and written without git-lfs (src/git/lfs-objects.ts).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashFile, lfsObjectPath, lfsStorageDir, pointerFor, storeLfsObject } from '../../src/git/lfs-objects.ts';
import { looksLikePointer, parsePointer } from '../../src/git/pointer.ts';
import { looksLikeSqlite } from '../../src/store/sqlite.ts';
import { listFiles, throwawayRepos } from '../helpers/repo.ts';

const repos = throwawayRepos(test);

const OID = `${'a'.repeat(56)}0123abcd`;
const canonical = (oid = OID, size = '12345') => `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;

const pointerCases: Array<[string, Buffer, { oid: string; size: number } | null]> = [
  ['canonical pointer', Buffer.from(canonical()), { oid: OID, size: 12345 }],
  ['size 0', Buffer.from(canonical(OID, '0')), { oid: OID, size: 0 }],
  ['large size', Buffer.from(canonical(OID, '9007199254740991')), { oid: OID, size: 9007199254740991 }],
  ['empty blob', Buffer.alloc(0), null],
  ['no trailing newline', Buffer.from(canonical().slice(0, -1)), null],
  ['CRLF line ends', Buffer.from(canonical().replace(/\n/g, '\r\n')), null],
  ['upper-case oid', Buffer.from(canonical(OID.toUpperCase())), null],
  ['63-hex oid', Buffer.from(canonical(OID.slice(1))), null],
  ['65-hex oid', Buffer.from(canonical(`${OID}a`)), null],
  ['size with leading zero', Buffer.from(canonical(OID, '012')), null],
  ['negative size', Buffer.from(canonical(OID, '-1')), null],
  [
    'extension line (not canonical)',
    Buffer.from(`version https://git-lfs.github.com/spec/v1\next-0-foo sha256:${OID}\noid sha256:${OID}\nsize 1\n`),
    null,
  ],
  ['old version URL', Buffer.from(`version https://hawser.github.com/spec/v1\noid sha256:${OID}\nsize 1\n`), null],
  ['sha1 oid', Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha1:${OID}\nsize 1\n`), null],
  ['trailing garbage', Buffer.from(`${canonical()}x`), null],
  ['1024 bytes', Buffer.concat([Buffer.from(canonical()), Buffer.alloc(1024 - Buffer.byteLength(canonical()), 0x20)]), null],
  ['SQLite header', Buffer.from('SQLite format 3\0'), null],
];
for (const [name, blob, expected] of pointerCases) {
  test(`parsePointer: ${name}`, () => {
    assert.equal(parsePointer(blob), expected);
  });
}

const looksCases: Array<[string, Buffer, boolean, boolean]> = [
  // name, head, looksLikePointer, looksLikeSqlite
  ['canonical pointer', Buffer.from(canonical()), true, false],
  ['pointer prefix only', Buffer.from('version https://git-lfs.github.com/spec/v1\n'), true, false],
  ['non-canonical pointer ("version " first)', Buffer.from('version https://hawser.github.com/spec/v1\n'), true, false],
  ['"version" without the space', Buffer.from('version'), false, false],
  ['"Version " capitalised', Buffer.from('Version https://git-lfs.github.com/spec/v1\n'), false, false],
  ['SQLite magic exactly', Buffer.from('SQLite format 3\0', 'latin1'), false, true],
  ['SQLite magic and a page', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(84, 1)]), false, true],
  ['SQLite magic without its NUL', Buffer.from('SQLite format 3', 'latin1'), false, false],
  ['SQLite magic lower-case', Buffer.from('sqlite format 3\0', 'latin1'), false, false],
  ['SQLite format 2', Buffer.from('SQLite format 2\0', 'latin1'), false, false],
  ['empty', Buffer.alloc(0), false, false],
  ['text file', Buffer.from('hello world\n'), false, false],
  ['zeros', Buffer.alloc(100), false, false],
];
for (const [name, head, pointer, sqlite] of looksCases) {
  test(`looksLikePointer / looksLikeSqlite: ${name}`, () => {
    assert.is(looksLikePointer(head), pointer);
    assert.is(looksLikeSqlite(head), sqlite);
  });
}

const storages: Array<[string, string, string | null | undefined, string]> = [
  // name, common git dir, lfs.storage, storage folder
  ['unset: <common dir>/lfs', '/r/.git', null, '/r/.git/lfs'],
  ['undefined', '/r/.git', undefined, '/r/.git/lfs'],
  ['empty', '/r/.git', '', '/r/.git/lfs'],
  ['relative: to the common dir', '/r/.git', 'lfs-elsewhere', '/r/.git/lfs-elsewhere'],
  ['relative going up', '/r/.git', '../../shared/lfs', '/shared/lfs'],
  ['absolute', '/r/.git', '/mnt/lfs', '/mnt/lfs'],
];
for (const [name, commonDir, config, expected] of storages) {
  test(`lfsStorageDir: ${name}`, () => assert.is(lfsStorageDir(commonDir, config), expected));
}

test("lfsObjectPath: git-lfs's layout, objects/<oid[0:2]>/<oid[2:4]>/<oid>", () => {
  assert.is(lfsObjectPath('/r/.git/lfs', OID), `/r/.git/lfs/objects/aa/aa/${OID}`);
  const oid = `0123${'f'.repeat(60)}`;
  assert.is(lfsObjectPath('/s', oid), `/s/objects/01/23/${oid}`);
});

const pointers: Array<[{ oid: string; size: number }, string]> = [
  [{ oid: OID, size: 12345 }, canonical()],
  [{ oid: OID, size: 0 }, canonical(OID, '0')],
];
for (const [obj, text] of pointers) {
  test(`pointerFor: the canonical text (size ${obj.size}), which parsePointer reads back`, () => {
    const p = pointerFor(obj);
    assert.is(p.toString('latin1'), text);
    assert.equal(parsePointer(p), obj);
    assert.ok(looksLikePointer(p));
  });
}

test('hashFile and storeLfsObject: sha256 oid and size; stored once, at its path, byte for byte', () => {
  const dir = repos.dir();
  const storage = path.join(dir, 'lfs');
  const file = path.join(dir, 'log.db');
  const content = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4000, 7)]);
  writeFileSync(file, content);
  const expected = { oid: createHash('sha256').update(content).digest('hex'), size: content.length };
  assert.equal(hashFile(file), expected);
  assert.equal(storeLfsObject(storage, file), expected);
  const stored = lfsObjectPath(storage, expected.oid);
  assert.ok(readFileSync(stored).equals(content));
  const mtime = statSync(stored).mtimeMs;
  // Storing the same content again finds it there and rewrites nothing.
  assert.equal(storeLfsObject(storage, file), expected);
  assert.is(statSync(stored).mtimeMs, mtime);
  // No temp file is left in the store's tmp folder.
  assert.equal(readdirSync(path.join(storage, 'tmp')), []);
  assert.equal(listFiles(storage), [
    'objects/',
    `objects/${expected.oid.slice(0, 2)}/`,
    `objects/${expected.oid.slice(0, 2)}/${expected.oid.slice(2, 4)}/`,
    `objects/${expected.oid.slice(0, 2)}/${expected.oid.slice(2, 4)}/${expected.oid}`,
    'tmp/',
  ]);
});

test.run();
