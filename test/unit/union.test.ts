// The merge driver's work (mergeLogFiles, src/merge.ts) on real SQLite files in a temp folder: a
// union by uid (ours keep their ids, theirs are appended with new ones), ours or theirs taken as
// they are when one side holds every row of the other, LFS pointers read from and written to the
// local LFS store, and hostile or broken inputs refused with %A left untouched.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CodexlogError } from '../../src/errors.ts';
import { hashFile, lfsObjectPath, pointerFor, storeLfsObject } from '../../src/git/lfs-objects.ts';
import { parsePointer } from '../../src/git/pointer.ts';
import { legacyUid } from '../../src/ids.ts';
import { type MergeContext, mergeLogFiles } from '../../src/merge.ts';
import { migrate } from '../../src/store/schema.ts';
import { rejection } from '../helpers/expect.ts';
import { cleanEnv, makeSeedDb, queryDb, throwawayRepos } from '../helpers/repo.ts';

const REPO_PATH = 'databases/codex_log.db';
const repos = throwawayRepos(test);

interface Row {
  id: number;
  uid: string;
  statement?: string;
}
interface Ev {
  uid: string;
  event?: string;
}

/** A log as this tool writes it (our schema, user_version 1) with exactly these rows. */
function makeLog(file: string, actions: Row[], events: Ev[] = []): string {
  const db = new Database(file);
  try {
    migrate(db, file);
    const a = db.prepare('INSERT INTO codex_actions (id, uid, session_id, ts, action, statement, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const r of actions)
      a.run(r.id, r.uid, 's', `2024-05-01T10:00:${String(r.id % 60).padStart(2, '0')}.000Z`, 'edit', r.statement ?? r.uid, null);
    const e = db.prepare('INSERT INTO codex_log (uid, session_id, event, summary, ts) VALUES (?, ?, ?, ?, ?)');
    for (const x of events) e.run(x.uid, 's', x.event ?? 'start', null, '2024-05-01T09:00:00.000Z');
  } finally {
    db.close();
  }
  return file;
}

const ACTIONS = 'SELECT id, uid, statement FROM codex_actions ORDER BY id';
const EVENTS = 'SELECT uid, event FROM codex_log ORDER BY rowid';
const rows = (...list: Array<[number, string]>): Row[] => list.map(([id, uid]) => ({ id, uid }));
const asRows = (list: Row[]) => list.map((r) => ({ id: r.id, uid: r.uid, statement: r.statement ?? r.uid }));

/** A folder with base, ours and theirs, and a context whose LFS storage is inside it. */
function setup(base: Row[] | null, ours: Row[], theirs: Row[], ev: { base?: Ev[]; ours?: Ev[]; theirs?: Ev[] } = {}) {
  const dir = repos.dir('codexlog-merge-test-');
  const files = {
    base: path.join(dir, '%O'),
    ours: path.join(dir, '%A'),
    theirs: path.join(dir, '%B'),
  };
  if (base === null) writeFileSync(files.base, '');
  else makeLog(files.base, base, ev.base);
  makeLog(files.ours, ours, ev.ours);
  makeLog(files.theirs, theirs, ev.theirs);
  const ctx: MergeContext = { git: { cwd: dir, env: cleanEnv() }, lfsStorage: path.join(dir, 'lfs') };
  return { dir, files, ctx };
}

/** Turns the three files into LFS pointers, their objects in the context's storage. */
function toPointers(s: ReturnType<typeof setup>): Record<'base' | 'ours' | 'theirs', string> {
  const oids = {} as Record<'base' | 'ours' | 'theirs', string>;
  for (const side of ['base', 'ours', 'theirs'] as const) {
    const file = s.files[side];
    if (readFileSync(file).length === 0) continue;
    const obj = storeLfsObject(s.ctx.lfsStorage, file);
    writeFileSync(file, pointerFor(obj));
    oids[side] = obj.oid;
  }
  return oids;
}

/** Scratch folders a merge left, in the OS temp dir or in the clone's git-lfs tmp folder. */
function leftoverMergeDirs(s: { ctx: MergeContext }): string[] {
  const inTmp = readdirSync(os.tmpdir()).filter((n) => n.startsWith('codexlog-merge-') && !n.startsWith('codexlog-merge-test-'));
  const lfsTmp = path.join(s.ctx.lfsStorage, 'tmp');
  const inLfs = existsSync(lfsTmp) ? readdirSync(lfsTmp).filter((n) => n.startsWith('codexlog-')) : [];
  return [...inTmp, ...inLfs];
}

/** Whether the merge wrote an object into the clone's LFS store. */
function lfsObjectsWritten(s: { ctx: MergeContext }): boolean {
  return existsSync(path.join(s.ctx.lfsStorage, 'objects'));
}

// --- union, and the two fast paths ---------------------------------------------------------------------

const unions: Array<[string, Row[] | null, Row[], Row[], Array<[number, string]>, number]> = [
  // name, base, ours, theirs, result (id, uid), rows added from theirs
  [
    'both sides added rows after a shared base',
    rows([1, 'b1']),
    rows([1, 'b1'], [2, 'o1'], [3, 'o2']),
    rows([1, 'b1'], [2, 't1']),
    [
      [1, 'b1'],
      [2, 'o1'],
      [3, 'o2'],
      [4, 't1'],
    ],
    1,
  ],
  [
    'their ids collide with ours: ours keep theirs, theirs get the next free ones, in their order',
    rows([1, 'b1']),
    rows([1, 'b1'], [2, 'o1']),
    rows([1, 'b1'], [2, 't1'], [3, 't2'], [7, 't3']),
    [
      [1, 'b1'],
      [2, 'o1'],
      [3, 't1'],
      [4, 't2'],
      [5, 't3'],
    ],
    3,
  ],
  [
    'no common base (added on both sides)',
    null,
    rows([1, 'o1']),
    rows([1, 't1']),
    [
      [1, 'o1'],
      [2, 't1'],
    ],
    1,
  ],
  [
    'ours has a gap in its ids: kept as they are',
    rows([1, 'b1']),
    rows([1, 'b1'], [5, 'o5']),
    rows([1, 'b1'], [2, 't2']),
    [
      [1, 'b1'],
      [5, 'o5'],
      [6, 't2'],
    ],
    1,
  ],
];
for (const [name, base, ours, theirs, result, added] of unions) {
  test(`mergeLogFiles union: ${name}`, async () => {
    const s = setup(base, ours, theirs);
    const theirBytes = readFileSync(s.files.theirs);
    assert.equal(await mergeLogFiles(s.ctx, s.files, REPO_PATH), { added, took: 'union' });
    assert.equal(
      await queryDb(s.files.ours, ACTIONS),
      result.map(([id, uid]) => ({ id, uid, statement: uid })),
    );
    assert.equal(await queryDb(s.files.ours, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    assert.equal(await queryDb(s.files.ours, 'PRAGMA user_version'), [{ user_version: 1 }]);
    assert.equal(await queryDb(s.files.ours, 'PRAGMA journal_mode'), [{ journal_mode: 'delete' }]);
    assert.ok(readFileSync(s.files.theirs).equals(theirBytes), 'theirs is only read');
    assert.equal(leftoverMergeDirs(s), []);
  });
}

test('mergeLogFiles union: our row wins over theirs with the same uid (our text, our id)', async () => {
  const s = setup(
    null,
    [
      { id: 4, uid: 'same', statement: 'our text' },
      { id: 5, uid: 'o' },
    ],
    [
      { id: 1, uid: 'same', statement: 'their text' },
      { id: 2, uid: 't' },
    ],
  );
  assert.equal(await mergeLogFiles(s.ctx, s.files, REPO_PATH), { added: 1, took: 'union' });
  assert.equal(await queryDb(s.files.ours, ACTIONS), [
    { id: 4, uid: 'same', statement: 'our text' },
    { id: 5, uid: 'o', statement: 'o' },
    { id: 6, uid: 't', statement: 't' },
  ]);
});

test('mergeLogFiles union: session events by uid too', async () => {
  const s = setup(rows([1, 'b1']), rows([1, 'b1'], [2, 'o1']), rows([1, 'b1'], [2, 't1']), {
    base: [{ uid: 'e0' }],
    ours: [{ uid: 'e0' }, { uid: 'eo', event: 'end' }],
    theirs: [{ uid: 'e0' }, { uid: 'et', event: 'end' }],
  });
  assert.equal(await mergeLogFiles(s.ctx, s.files, REPO_PATH), { added: 2, took: 'union' });
  assert.equal(await queryDb(s.files.ours, EVENTS), [
    { uid: 'e0', event: 'start' },
    { uid: 'eo', event: 'end' },
    { uid: 'et', event: 'end' },
  ]);
});

const fastPaths: Array<[string, Row[], Row[], Ev[], Ev[], 'ours' | 'theirs', number]> = [
  // name, ours, theirs, our events, their events, side taken, rows added
  ['ours holds every row of theirs (and more): keep ours', rows([1, 'a'], [2, 'b'], [3, 'c']), rows([1, 'a'], [2, 'b']), [], [], 'ours', 0],
  ['the same rows on both sides: keep ours', rows([1, 'a']), rows([9, 'a']), [{ uid: 'e' }], [{ uid: 'e' }], 'ours', 0],
  ['theirs holds every row of ours (and more): take theirs', rows([1, 'a']), rows([1, 'a'], [2, 'b'], [3, 'c']), [], [], 'theirs', 2],
  ['theirs adds only an event: take theirs', rows([1, 'a']), rows([1, 'a']), [], [{ uid: 'e' }], 'theirs', 1],
  ['ours adds only an event: keep ours', rows([1, 'a']), rows([1, 'a']), [{ uid: 'e' }], [], 'ours', 0],
];
for (const [name, ours, theirs, ourEvents, theirEvents, took, added] of fastPaths) {
  test(`mergeLogFiles: ${name}, byte for byte`, async () => {
    const s = setup(rows([1, 'a']), ours, theirs, { ours: ourEvents, theirs: theirEvents });
    const expected = readFileSync(took === 'ours' ? s.files.ours : s.files.theirs);
    assert.equal(await mergeLogFiles(s.ctx, s.files, REPO_PATH), { added, took });
    assert.ok(readFileSync(s.files.ours).equals(expected));
    assert.not.ok(lfsObjectsWritten(s), 'no LFS object written');
    assert.equal(leftoverMergeDirs(s), []);
  });
}

// --- LFS pointers ------------------------------------------------------------------------------------

test('mergeLogFiles with LFS pointers: objects read from the local store, the union stored there, its pointer in %A', async () => {
  const s = setup(rows([1, 'b1']), rows([1, 'b1'], [2, 'o1']), rows([1, 'b1'], [2, 't1']));
  const oids = toPointers(s);
  assert.equal(await mergeLogFiles(s.ctx, s.files, REPO_PATH), { added: 1, took: 'union' });
  const pointer = parsePointer(readFileSync(s.files.ours));
  assert.ok(pointer, '%A is a pointer');
  const merged = lfsObjectPath(s.ctx.lfsStorage, pointer.oid);
  assert.equal(hashFile(merged), pointer);
  assert.equal(await queryDb(merged, ACTIONS), asRows(rows([1, 'b1'], [2, 'o1'], [3, 't1'])));
  // The inputs' objects are never written (SQLite attaches copies of them).
  for (const oid of Object.values(oids)) assert.is(hashFile(lfsObjectPath(s.ctx.lfsStorage, oid)).oid, oid);
  assert.equal(leftoverMergeDirs(s), []);
});

test('mergeLogFiles with LFS pointers: theirs a superset takes their pointer; the same oid keeps ours', async () => {
  const s = setup(rows([1, 'a']), rows([1, 'a']), rows([1, 'a'], [2, 'b']));
  toPointers(s);
  const theirs = readFileSync(s.files.theirs);
  assert.equal(await mergeLogFiles(s.ctx, s.files, REPO_PATH), { added: 1, took: 'theirs' });
  assert.ok(readFileSync(s.files.ours).equals(theirs));

  const same = setup(null, rows([1, 'a']), rows([1, 'a']));
  writeFileSync(same.files.theirs, readFileSync(same.files.ours));
  toPointers(same);
  const ours = readFileSync(same.files.ours);
  assert.equal(await mergeLogFiles(same.ctx, same.files, REPO_PATH), { added: 0, took: 'ours' });
  assert.ok(readFileSync(same.files.ours).equals(ours));
});

test('mergeLogFiles with ctx.tmp: works there and leaves the folder to its owner', async () => {
  const s = setup(rows([1, 'b']), rows([1, 'b'], [2, 'o']), rows([1, 'b'], [2, 't']));
  toPointers(s);
  const tmp = repos.dir('codexlog-merge-test-tmp-');
  await mergeLogFiles({ ...s.ctx, tmp }, s.files, REPO_PATH);
  assert.equal(readdirSync(tmp).sort(), ['base.db', 'merged.db', 'ours.db', 'theirs.db']);
});

// --- legacy inputs -----------------------------------------------------------------------------------

test('mergeLogFiles: a seed-written theirs (no uid column) joins on the uids its migration would derive', async () => {
  const s = setup(null, [], []);
  const seed: Array<[string | null, string | null, string | null, string | null, string | null]> = [
    ['s1', '2024-05-01 10:00:00', 'generate', 'seed one', null],
    ['s1', '2024-05-01 10:00:01', 'edit', 'seed two', 'm'],
  ];
  const uid = (i: number) => legacyUid('codex_actions', [i + 1, ...seed[i]]);
  // Ours migrated the seed file and added a row; theirs is still the seed's, with one more seed row.
  makeLog(s.files.ours, [
    { id: 1, uid: uid(0), statement: 'seed one' },
    { id: 2, uid: uid(1), statement: 'seed two' },
    { id: 3, uid: 'ours-new' },
  ]);
  writeFileSync(s.files.theirs, '');
  await makeSeedDb(s.files.theirs, [...seed, ['s2', '2024-05-02 10:00:00', 'run', 'seed three', null]]);
  assert.equal(await mergeLogFiles(s.ctx, s.files, REPO_PATH), { added: 1, took: 'union' });
  assert.equal(await queryDb(s.files.ours, ACTIONS), [
    { id: 1, uid: uid(0), statement: 'seed one' },
    { id: 2, uid: uid(1), statement: 'seed two' },
    { id: 3, uid: 'ours-new', statement: 'ours-new' },
    { id: 4, uid: legacyUid('codex_actions', [3, 's2', '2024-05-02 10:00:00', 'run', 'seed three', null]), statement: 'seed three' },
  ]);
});

// --- hostile and broken inputs -----------------------------------------------------------------------

test('mergeLogFiles: a hostile theirs (trigger, extra table, view) merges its rows and nothing else', async () => {
  const s = setup(rows([1, 'b']), rows([1, 'b'], [2, 'o']), rows([1, 'b']));
  const db = new Database(s.files.theirs);
  db.exec(`INSERT INTO codex_actions (session_id, ts, action, statement) VALUES ('b', '2026-01-01T00:00:00Z', 'edit', 'planted');
    CREATE TABLE evil (x);
    CREATE TRIGGER evil_t AFTER INSERT ON codex_actions BEGIN INSERT INTO evil VALUES (1); END;
    CREATE VIEW evil_v AS SELECT * FROM codex_actions;`);
  db.close();
  const theirBytes = readFileSync(s.files.theirs);
  const outcome = await mergeLogFiles(s.ctx, s.files, REPO_PATH);
  assert.equal(outcome, { added: 1, took: 'union' });
  assert.equal(await queryDb(s.files.ours, "SELECT name FROM sqlite_schema WHERE name LIKE 'evil%'"), []);
  assert.equal(
    (await queryDb<{ id: number; statement: string }>(s.files.ours, 'SELECT id, statement FROM codex_actions ORDER BY id')).map((r) => [
      r.id,
      r.statement,
    ]),
    [
      [1, 'b'],
      [2, 'o'],
      [3, 'planted'],
    ],
  );
  assert.ok(readFileSync(s.files.theirs).equals(theirBytes), 'their file is not written (their trigger never ran)');
  assert.equal(await queryDb(s.files.theirs, 'SELECT count(*) AS n FROM evil'), [{ n: 0 }]);
});

const refusals: Array<[string, 'base' | 'ours' | 'theirs', (file: string) => void, string]> = [
  [
    'codex_actions without its columns',
    'theirs',
    (f) => {
      const db = new Database(f);
      db.exec('CREATE TABLE codex_actions (id INTEGER PRIMARY KEY, note TEXT)');
      db.close();
    },
    'codex_actions lacks columns session_id, ts, action, statement, metadata',
  ],
  [
    'codex_actions as a view',
    'theirs',
    (f) => {
      const db = new Database(f);
      db.exec('CREATE TABLE t (id, session_id, ts, action, statement, metadata); CREATE VIEW codex_actions AS SELECT * FROM t');
      db.close();
    },
    'codex_actions is a view, not a table',
  ],
  [
    'no codex_actions at all',
    'theirs',
    (f) => {
      const db = new Database(f);
      db.exec('CREATE TABLE other (x)');
      db.close();
    },
    'codex_actions is missing',
  ],
  [
    'a newer schema',
    'theirs',
    (f) => {
      makeLog(f, rows([1, 'x']));
      const db = new Database(f);
      db.pragma('user_version = 2');
      db.close();
    },
    'schema version 2 is newer than this codexlog-hooks (1)',
  ],
  [
    'a hostile base (the base is checked too)',
    'base',
    (f) => {
      const db = new Database(f);
      db.exec('CREATE TABLE codex_actions (id INTEGER PRIMARY KEY)');
      db.close();
    },
    'codex_actions lacks columns session_id, ts, action, statement, metadata',
  ],
  [
    'ours broken',
    'ours',
    (f) => {
      const db = new Database(f);
      db.exec('CREATE TABLE codex_actions (id INTEGER PRIMARY KEY, session_id, ts, action, statement)');
      db.close();
    },
    'codex_actions lacks column metadata',
  ],
];
for (const [name, side, plant, detail] of refusals) {
  test(`mergeLogFiles refuses ${name} (${side}), %A untouched`, async () => {
    const s = setup(rows([1, 'b']), rows([1, 'b'], [2, 'o']), rows([1, 'b'], [2, 't']));
    writeFileSync(s.files[side], '');
    // Written through SQLite into the emptied file.
    plant(s.files[side]);
    const ours = readFileSync(s.files.ours);
    const e = await rejection(mergeLogFiles(s.ctx, s.files, REPO_PATH), CodexlogError);
    assert.is(
      e.message,
      `cannot merge ${REPO_PATH}: ${side} is not a valid codexlog database (${detail}). The conflict was left for you: ` +
        `resolve it with \`git checkout --ours -- ${REPO_PATH}\` or \`--theirs\`.`,
    );
    assert.ok(readFileSync(s.files.ours).equals(ours));
    assert.not.ok(lfsObjectsWritten(s), 'no LFS object written');
    assert.equal(leftoverMergeDirs(s), []);
  });
}

test("mergeLogFiles refuses a theirs that is not SQLite, saying so without git's temp file name, %A untouched", async () => {
  const s = setup(rows([1, 'b']), rows([1, 'b'], [2, 'o']), []);
  writeFileSync(s.files.theirs, 'not a database\n');
  const ours = readFileSync(s.files.ours);
  const e = await rejection(mergeLogFiles(s.ctx, s.files, REPO_PATH), CodexlogError);
  assert.ok(
    e.message.startsWith(`cannot merge ${REPO_PATH}: theirs is not a valid codexlog database (not an SQLite database). `),
    e.message,
  );
  assert.not.ok(e.message.includes(s.dir), 'the temp folder is not shown');
  assert.ok(readFileSync(s.files.ours).equals(ours));
});

test('mergeLogFiles refuses a pointer whose object is neither here nor fetchable, %A untouched', async () => {
  const s = setup(rows([1, 'b']), rows([1, 'b'], [2, 'o']), rows([1, 'b'], [2, 't']));
  toPointers(s);
  // Their object is gone from the store; no remote to fetch it from (and not a repository at all).
  const theirs = parsePointer(readFileSync(s.files.theirs));
  assert.ok(theirs);
  rmSync(lfsObjectPath(s.ctx.lfsStorage, theirs.oid));
  const ours = readFileSync(s.files.ours);
  const e = await rejection(mergeLogFiles(s.ctx, s.files, REPO_PATH), CodexlogError);
  assert.is(
    e.message,
    `cannot merge ${REPO_PATH}: the Git LFS object for theirs is not in this clone. Run \`git lfs fetch --all\` ` +
      '(or `git lfs pull`), then redo the merge. The conflict was left for you.',
  );
  assert.ok(readFileSync(s.files.ours).equals(ours));
  assert.equal(leftoverMergeDirs(s), []);
});

test.run();
