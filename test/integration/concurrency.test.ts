// Several writers at once: 4 node processes, each recording 300 rows through the library (src,
// through tsx: a concurrent `npm run build` cannot pull dist/ from under them), released together,
// while this process reads the log over and over (each read ingests what the writers appended so
// far, blanking the part of their live files it took). Nothing may be lost or duplicated, the work
// tree never changes, and the next finalize gives the rows their ids, creating the log or migrating
// a seed-written one.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { legacyUid } from '../../src/ids.ts';
import { closeCodexLogDb, finalizeCodexLogDb, readCodexLog } from '../../src/index.ts';
import { inboxFiles, LOG, uncommittedRows } from '../helpers/log.ts';
import { listFiles, makeSeedDb, queryDb, ROOT, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const PROCESSES = 4;
const ROWS = 300;

const { repo } = throwawayRepos(test);

const WRITER = `
import { recordCodexAction, closeCodexLogDb } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/index.ts')).href)};
const [, , name, rows] = process.argv;
process.stdout.write('ready\\n');
// Wait for the parent's "go" so that every process starts writing at the same moment.
await new Promise((resolve) => process.stdin.once('data', resolve));
for (let n = 0; n < Number(rows); n++) {
  if (n === Number(rows) / 2) {
    // Halfway: say so, and wait for the parent to have read (its read takes the live file's part).
    process.stdout.write('half\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
  }
  await recordCodexAction(name, 'write', name + ' row ' + n, { n });
}
closeCodexLogDb();
process.stdin.destroy();
`;

/** What a reader saw halfway: the rows, and the inbox's files with their content. */
interface Halfway {
  rows: string[];
  files: Array<{ name: string; content: string }>;
}

/**
 * Starts the writers, releases them together, reads the log once when each has written half its
 * rows (their files still open) and then over and over until they are done. Resolves with their
 * exit codes and stderr, what the halfway read saw, and what each later read saw.
 */
async function runWriters(
  r: TestRepo,
): Promise<{ results: Array<{ code: number | null; stderr: string }>; halfway: Halfway; reads: string[][] }> {
  const script = path.join(r.dir, '.git', 'writer.mts');
  writeFileSync(script, WRITER);
  const tsx = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const children = Array.from({ length: PROCESSES }, (_, i) =>
    spawn(process.execPath, ['--import', tsx, script, `w${i}`, String(ROWS)], { cwd: r.dir, env: r.env, stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const results = children.map(
    (c) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        let stderr = '';
        c.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
        });
        c.on('close', (code) => resolve({ code, stderr }));
      }),
  );
  const outputs = children.map((c) => {
    let out = '';
    c.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    return (word: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (out.includes(`${word}\n`)) resolve();
        };
        c.stdout.on('data', check);
        c.on('close', () => resolve());
        check();
      });
  });
  await Promise.all(outputs.map((said) => said('ready')));
  for (const c of children) c.stdin.write('go\n');
  await Promise.all(outputs.map((said) => said('half')));
  const halfway: Halfway = {
    rows: (await readCodexLog({}, { cwd: r.dir, env: r.env })).map((e) => e.statement ?? ''),
    files: inboxFiles(r).map((name) => ({ name, content: readFileSync(path.join(r.dir, '.git/codexlog/inbox', name), 'utf8') })),
  };
  for (const c of children) c.stdin.write('go\n');
  let done = false;
  const all = Promise.all(results).finally(() => {
    done = true;
  });
  const reads: string[][] = [];
  while (!done) {
    reads.push((await readCodexLog({}, { cwd: r.dir, env: r.env })).map((e) => e.statement ?? ''));
    // Let the children's events in between reads.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { results: await all, halfway, reads };
}

/** Halfway, the reader saw exactly the first half of each writer's rows, and left their live files blanked. */
function checkHalfway(h: Halfway, seedRows: number): void {
  assert.is(h.rows.length, seedRows + (PROCESSES * ROWS) / 2);
  checkReads([h.rows], seedRows);
  assert.is(h.files.length, PROCESSES);
  for (const f of h.files) {
    assert.match(f.name, /^p-\d+-\d+-[0-9a-f]+\.jsonl$/, 'still open: not removed');
    assert.ok(f.content.length > 0 && /^\n+$/.test(f.content), `${f.name}: what was read is blanked, no row text stays`);
  }
}

/** Every read saw each row at most once, and of each writer a prefix of what it wrote. */
function checkReads(reads: string[][], seedRows: number): void {
  assert.ok(reads.length > 0);
  for (const seen of reads) {
    assert.is(new Set(seen).size, seen.length, 'no row twice');
    for (let i = 0; i < PROCESSES; i++) {
      const mine = seen
        .filter((s) => s.startsWith(`w${i} row `))
        .map((s) => Number(s.slice(`w${i} row `.length)))
        .sort((a, b) => a - b);
      assert.equal(
        mine,
        mine.map((_, n) => n),
        `w${i}: a prefix`,
      );
    }
    assert.ok(seen.length >= seedRows);
  }
}

async function checkAllRows(file: string, extra: number): Promise<void> {
  const [{ n, uids, ids }] = await queryDb<{ n: number; uids: number; ids: number }>(
    file,
    'SELECT count(*) n, count(DISTINCT uid) uids, count(DISTINCT id) ids FROM codex_actions',
  );
  assert.equal({ n, uids, ids }, { n: PROCESSES * ROWS + extra, uids: PROCESSES * ROWS + extra, ids: PROCESSES * ROWS + extra });
  assert.equal(await queryDb(file, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  for (let i = 0; i < PROCESSES; i++) {
    const rows = await queryDb<{ statement: string; metadata: string; action: string }>(
      file,
      'SELECT statement, metadata, action FROM codex_actions WHERE session_id = ? ORDER BY id',
      [`w${i}`],
    );
    // Each process's rows are all there, once, in the order it wrote them.
    assert.equal(
      rows,
      Array.from({ length: ROWS }, (_, n) => ({ statement: `w${i} row ${n}`, metadata: `{"n":${n}}`, action: 'write' })),
    );
  }
}

test(`${PROCESSES} processes x ${ROWS} rows, read while written, then finalized: exactly ${PROCESSES * ROWS} rows`, async () => {
  const r = repo();
  const { results, halfway, reads } = await runWriters(r);
  assert.equal(
    results,
    Array.from({ length: PROCESSES }, () => ({ code: 0, stderr: '' })),
  );
  checkHalfway(halfway, 0);
  checkReads(reads, 0);
  // Nothing in the work tree; everything waits in the git dir (writer.mts is this test's own).
  assert.equal(listFiles(r.dir), []);
  const pending = await readCodexLog({}, { cwd: r.dir, env: r.env });
  assert.is(pending.length, PROCESSES * ROWS);
  assert.ok(pending.every((e) => e.pending && e.id === null));
  // The last read took every file: closed files are gone, nothing is left to ingest.
  assert.equal(inboxFiles(r), []);
  assert.is((await uncommittedRows(r)).length, PROCESSES * ROWS);

  const res = await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  closeCodexLogDb();
  assert.is(res?.folded, PROCESSES * ROWS);
  await checkAllRows(path.join(r.dir, LOG), 0);
  assert.equal(await queryDb(path.join(r.dir, LOG), 'PRAGMA user_version'), [{ user_version: 1 }]);
  assert.equal(await uncommittedRows(r), []);
  assert.equal(
    (await queryDb<{ uid: string }>(path.join(r.dir, LOG), 'SELECT uid FROM codex_actions ORDER BY uid')).map((x) => x.uid),
    pending.map((e) => e.uid).sort(),
  );
});

test(`${PROCESSES} processes x ${ROWS} rows while the log is seed-written: the file is untouched until finalize migrates it, seed uids deterministic`, async () => {
  const r = repo();
  const file = path.join(r.dir, LOG);
  await makeSeedDb(
    file,
    [
      ['s1', '2024-05-01 10:00:00', 'generate', 'seed one', null],
      ['s1', '2024-05-01T10:00:05+00:00', 'edit', 'seed two', '{"a": 1}'],
    ],
    { withEventsTable: true },
  );
  const bytes = r.read(LOG);
  const { results, halfway, reads } = await runWriters(r);
  assert.equal(
    results,
    Array.from({ length: PROCESSES }, () => ({ code: 0, stderr: '' })),
  );
  checkHalfway(halfway, 2);
  checkReads(reads, 2);
  assert.ok(r.read(LOG).equals(bytes), 'recording and reading left the seed file as it was');
  await finalizeCodexLogDb({ cwd: r.dir, env: r.env });
  closeCodexLogDb();
  await checkAllRows(file, 2);
  assert.equal(await queryDb(file, 'SELECT id, uid, statement FROM codex_actions WHERE id <= 2 ORDER BY id'), [
    { id: 1, uid: legacyUid('codex_actions', [1, 's1', '2024-05-01 10:00:00', 'generate', 'seed one', null]), statement: 'seed one' },
    {
      id: 2,
      uid: legacyUid('codex_actions', [2, 's1', '2024-05-01T10:00:05+00:00', 'edit', 'seed two', '{"a": 1}']),
      statement: 'seed two',
    },
  ]);
  assert.equal(await queryDb(file, 'PRAGMA user_version'), [{ user_version: 1 }]);
});

/** Runs the CLI as a child process (not waited for): its exit status and stderr. */
function cliAsync(r: TestRepo, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'codexlog-hooks.js'), ...args], { cwd: r.dir, env: r.env });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

test('two finalizes at once in one worktree take turns: every row they said they finalized is in the log', async () => {
  const r = repo();
  const ROUNDS = 8;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < 4; i++) assert.is(r.cli(['record', 'edit', `row-${round}-${i}`]).status, 0);
    const both = await Promise.all([cliAsync(r, ['finalize']), cliAsync(r, ['finalize'])]);
    assert.equal(
      both.map((x) => x.status),
      [0, 0],
      `round ${round}: ${both.map((x) => x.stderr).join(' | ')}`,
    );
  }
  const rows = (await queryDb<{ statement: string }>(path.join(r.dir, LOG), 'SELECT statement FROM codex_actions ORDER BY id')).map(
    (x) => x.statement,
  );
  assert.equal(rows.sort(), Array.from({ length: ROUNDS * 4 }, (_, k) => `row-${Math.floor(k / 4)}-${k % 4}`).sort());
  assert.equal(await uncommittedRows(r), [], 'nothing left waiting');
  assert.ok(r.read(LOG).equals(r.read('databases/codex_session_logs.db')));
});

test.run();
