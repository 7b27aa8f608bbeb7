// Ingest (src/ingest.ts): every reader moves the inbox's raw files into the uncommitted store, each
// row exactly once, and leaves no row text behind: closed and dead writers' files are removed, a
// live writer's file is blanked where it was read, torn and foreign lines never block, agent
// payloads are mapped (or dropped when no event we log), stale temp files go, and 0.1.0's pending rows are taken over.
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeCodexLogDb, finalizeCodexLogDb, readCodexLog, recordCodexAction } from '../../src/index.ts';
import { inboxFiles, logJson, stateDir, uncommittedRows } from '../helpers/log.ts';
import { listFiles, queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const { repo } = throwawayRepos(test);

/** A pid no process can have (above Linux's PID_MAX_LIMIT): a writer that died. */
const DEAD_PID = 2 ** 22 + 1;
const line = (uid: string, statement: string, ts = '2024-05-01T10:00:00.000Z') =>
  `${JSON.stringify({ t: 'a', uid, ts, session_id: 's', action: 'edit', statement, metadata: null })}\n`;
const inbox = (r: TestRepo) => path.join(stateDir(r), 'inbox');
function drop(r: TestRepo, name: string, content: string): string {
  mkdirSync(inbox(r), { recursive: true });
  const file = path.join(inbox(r), name);
  writeFileSync(file, content);
  return file;
}
const statements = async (r: TestRepo) => (await uncommittedRows(r)).map((x) => x.statement);

test('a closed file (d-) is ingested by the next reader and removed; reading again adds nothing', async () => {
  const r = repo();
  assert.is(r.cli(['record', 'edit', 'one']).status, 0);
  assert.is(inboxFiles(r).length, 1);
  assert.equal(await uncommittedRows(r), []);
  assert.equal(
    logJson(r).map((x) => x.statement),
    ['one'],
  );
  assert.equal(inboxFiles(r), []);
  assert.equal(await statements(r), ['one']);
  assert.equal(
    logJson(r).map((x) => x.statement),
    ['one'],
  );
  assert.equal(await statements(r), ['one']);
  assert.equal(await queryDb(path.join(stateDir(r), 'uncommitted.db'), 'SELECT count(*) AS n FROM inbox_progress'), [{ n: 0 }]);
});

test("a dead writer's file: its complete lines are ingested, a torn last line (never acknowledged) is dropped, the file removed", async () => {
  const r = repo();
  drop(r, `p-${DEAD_PID}-1714557600000-0a.jsonl`, `${line('u1', 'one')}${line('u2', 'two')}${line('u3', 'torn').slice(0, 30)}`);
  assert.equal(
    logJson(r).map((x) => [x.uid, x.statement, x.pending]),
    [
      ['u1', 'one', true],
      ['u2', 'two', true],
    ],
  );
  assert.equal(inboxFiles(r), []);
  assert.equal(await statements(r), ['one', 'two']);
});

test("a live writer's file is blanked where it was read, never removed; what it appends later is read once", async () => {
  const r = repo();
  // Written as this (live) process would: p-<our pid>.
  const name = `p-${process.pid}-1714557600000-0b.jsonl`;
  const file = drop(r, name, `${line('u1', 'one')}${line('u2', 'two')}{"t":"a","uid":"u3"`);
  const o = { cwd: r.dir, env: r.env };
  assert.equal(
    (await readCodexLog({}, o)).map((x) => x.uid),
    ['u1', 'u2'],
  );
  const after = readFileSync(file, 'utf8');
  const read = line('u1', 'one').length + line('u2', 'two').length;
  assert.is(after, `${'\n'.repeat(read)}{"t":"a","uid":"u3"`, 'the rows read are blanked, the torn tail kept for its writer');
  assert.equal(await queryDb(path.join(stateDir(r), 'uncommitted.db'), 'SELECT file, consumed, blanked FROM inbox_progress'), [
    { file: name, consumed: read, blanked: read },
  ]);
  // The writer completes its line and adds another.
  writeFileSync(file, `${after}${line('u3', 'three').slice('{"t":"a","uid":"u3"'.length)}${line('u4', 'four')}`);
  assert.equal(
    (await readCodexLog({}, o)).map((x) => x.uid),
    ['u1', 'u2', 'u3', 'u4'],
  );
  assert.match(readFileSync(file, 'utf8'), /^\n+$/);
  assert.equal(await statements(r), ['one', 'two', 'three', 'four']);
  // Once its writer closes it (d-), the next reader removes it; nothing is read twice.
  const { renameSync } = await import('node:fs');
  renameSync(file, path.join(inbox(r), `d-${name.slice(2)}`));
  assert.is((await readCodexLog({}, o)).length, 4);
  assert.equal(inboxFiles(r), []);
  assert.equal(await statements(r), ['one', 'two', 'three', 'four']);
});

test('lines no writer of ours produced are skipped and do not block the rows around them, nor a commit', async () => {
  const r = repo();
  drop(
    r,
    `d-${DEAD_PID}-1714557600000-0c.jsonl`,
    `${line('u1', 'before')}garbage\nnull\n[1]\n{"t":"x","uid":"ux","ts":"t"}\n{"t":"a","ts":"no uid"}\n${line('u2', 'after')}`,
  );
  assert.equal(
    logJson(r).map((x) => x.statement),
    ['before', 'after'],
  );
  const fin = r.cli(['finalize']);
  assert.is(fin.status, 0, fin.stderr);
  assert.equal(
    logJson(r).map((x) => [x.id, x.statement]),
    [
      [1, 'before'],
      [2, 'after'],
    ],
  );
});

test('the same row in two files (a re-delivered write) is stored and committed once', async () => {
  const r = repo();
  drop(r, `d-${DEAD_PID}-1-0d.jsonl`, line('same', 'once'));
  drop(r, `d-${DEAD_PID}-2-0e.jsonl`, line('same', 'once'));
  assert.is(logJson(r).length, 1);
  drop(r, `d-${DEAD_PID}-3-0f.jsonl`, line('same', 'once'));
  assert.is(r.cli(['finalize']).status, 0);
  drop(r, `d-${DEAD_PID}-4-10.jsonl`, line('same', 'once'));
  assert.equal(
    logJson(r).map((x) => [x.id, x.uid]),
    [[1, 'same']],
  );
  assert.is(r.cli(['finalize']).status, 0);
  assert.equal(
    logJson(r).map((x) => [x.id, x.uid]),
    [[1, 'same']],
  );
});

test('an agent payload (a-*.json) that is no event we log gives no row and goes; temp files go after an hour, not before', async () => {
  const r = repo();
  drop(r, 'a-claude-1714557600000-1.json', '{"hook":"PostToolUse"}');
  const fresh = drop(r, '.g-4242.tmp', 'hook=post-commit\n');
  const stale = drop(r, '.g-4243.tmp', 'hook=post-commit\n');
  const twoHoursAgo = (Date.now() - 2 * 60 * 60 * 1000) / 1000;
  utimesSync(stale, twoHoursAgo, twoHoursAgo);
  assert.equal(logJson(r), []);
  assert.equal(inboxFiles(r), ['.g-4242.tmp']);
  assert.ok(fresh);
});

test("0.1.0's pending rows (pending.jsonl, pending.*.claimed in the state folder) are taken over once, then removed", async () => {
  const r = repo();
  mkdirSync(stateDir(r), { recursive: true });
  const row = (uid: string, statement: string, second: number) =>
    `${JSON.stringify({ uid, ts: `2024-05-01T10:00:0${second}.000Z`, session_id: null, action: 'git.commit', statement, metadata: '{}' })}\n`;
  writeFileSync(path.join(stateDir(r), 'pending.jsonl'), `${row('old-1', 'commit one', 1)}${row('old-2', 'commit two', 2)}{"uid":"torn`);
  writeFileSync(path.join(stateDir(r), 'pending.1234.claimed'), row('old-3', 'commit three', 3));
  assert.equal(
    logJson(r).map((x) => [x.uid, x.action, x.statement, x.pending]),
    [
      ['old-1', 'git.commit', 'commit one', true],
      ['old-2', 'git.commit', 'commit two', true],
      ['old-3', 'git.commit', 'commit three', true],
    ],
  );
  assert.equal(
    listFiles(stateDir(r)).filter((f) => f.startsWith('pending')),
    [],
  );
  assert.is(r.cli(['finalize']).status, 0);
  assert.equal(
    logJson(r).map((x) => [x.id, x.uid]),
    [
      [1, 'old-1'],
      [2, 'old-2'],
      [3, 'old-3'],
    ],
  );
});

test('after finalize the uncommitted store is empty, and rows recorded meanwhile wait for the next one', async () => {
  const r = repo();
  const o = { cwd: r.dir, env: r.env };
  await recordCodexAction('s', 'edit', 'first', undefined, o);
  await finalizeCodexLogDb(o);
  assert.equal(await uncommittedRows(r), []);
  await recordCodexAction('s', 'edit', 'second', undefined, o);
  closeCodexLogDb();
  assert.equal(
    logJson(r).map((x) => [x.id, x.statement]),
    [
      [1, 'first'],
      [null, 'second'],
    ],
  );
  assert.equal(await statements(r), ['second']);
});

test("a live file's progress is forgotten once its writer closed it and a reader removed it", async () => {
  const r = repo();
  const o = { cwd: r.dir, env: r.env };
  await recordCodexAction('s', 'edit', 'one', undefined, o);
  await readCodexLog({}, o);
  closeCodexLogDb();
  await readCodexLog({}, o);
  assert.equal(inboxFiles(r), []);
  assert.equal(await queryDb(path.join(stateDir(r), 'uncommitted.db'), 'SELECT count(*) AS n FROM inbox_progress'), [{ n: 0 }]);
});

test.run();
