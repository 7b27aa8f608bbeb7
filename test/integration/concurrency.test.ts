// Several writers at once: 4 node processes, each recording 300 rows through the library (src,
// through tsx: a concurrent `npm run build` cannot pull dist/ from under them), released together. Nothing may be lost or duplicated, including while the file is created or
// migrated from the seed's format by whichever process gets there first.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { legacyUid } from '../../src/ids.ts';
import { makeSeedDb, queryDb, ROOT, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const LOG = 'databases/codex_log.db';
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
  await recordCodexAction(name, 'write', name + ' row ' + n, { n });
}
closeCodexLogDb();
process.stdin.destroy();
`;

/** Starts the writers, releases them together, and resolves with their exit codes and stderr. */
async function runWriters(r: TestRepo): Promise<Array<{ code: number | null; stderr: string }>> {
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
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          let out = '';
          c.stdout.on('data', (b: Buffer) => {
            out += b.toString();
            if (out.includes('ready\n')) resolve();
          });
          c.on('close', () => resolve());
        }),
    ),
  );
  for (const c of children) c.stdin.write('go\n');
  return Promise.all(results);
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

test(`${PROCESSES} processes x ${ROWS} rows into a log that does not exist yet: exactly ${PROCESSES * ROWS} rows`, async () => {
  const r = repo();
  const results = await runWriters(r);
  assert.equal(
    results,
    Array.from({ length: PROCESSES }, () => ({ code: 0, stderr: '' })),
  );
  await checkAllRows(path.join(r.dir, LOG), 0);
  assert.equal(await queryDb(path.join(r.dir, LOG), 'PRAGMA user_version'), [{ user_version: 1 }]);
});

test(`${PROCESSES} processes x ${ROWS} rows racing to migrate a seed-written log: nothing lost, seed uids deterministic`, async () => {
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
  const results = await runWriters(r);
  assert.equal(
    results,
    Array.from({ length: PROCESSES }, () => ({ code: 0, stderr: '' })),
  );
  await checkAllRows(file, 2);
  assert.equal(await queryDb(file, 'SELECT id, uid, statement FROM codex_actions WHERE id <= 2 ORDER BY id'), [
    { id: 1, uid: legacyUid('codex_actions', [1, 's1', '2024-05-01 10:00:00', 'generate', 'seed one', null]), statement: 'seed one' },
    {
      id: 2,
      uid: legacyUid('codex_actions', [2, 's1', '2024-05-01T10:00:05+00:00', 'edit', 'seed two', '{"a": 1}']),
      statement: 'seed two',
    },
  ]);
});

test.run();
