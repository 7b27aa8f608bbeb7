// Section record: recordCodexAction, one row per call, against the seed's own way of writing (a
// connection per call: open, create table, insert, commit, close; SQLite's defaults).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  api,
  fakeAction,
  interleaved,
  makeRepo,
  num,
  pairedRatio,
  progress,
  ratio,
  ratioJson,
  round3,
  tempDir,
  verdict,
} from './harness.mjs';

const SEED_CREATE =
  'CREATE TABLE IF NOT EXISTS codex_actions(id INTEGER PRIMARY KEY, session_id TEXT, ts TEXT, action TEXT, statement TEXT, metadata TEXT)';

/** What the seed's Python module does per record_codex_action(). */
function seedRecord(file, sessionId, a) {
  const db = new Database(file);
  try {
    db.exec(SEED_CREATE);
    db.exec('BEGIN');
    db.prepare('INSERT INTO codex_actions (session_id, ts, action, statement, metadata) VALUES (?, ?, ?, ?, ?)').run(
      sessionId,
      new Date().toISOString(),
      a.action,
      a.statement,
      JSON.stringify(a.metadata),
    );
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

export const describe = 'recordCodexAction per call, and in batches, vs a seed-style writer (a connection per call)';

export async function run({ quick }) {
  const ROUNDS = quick ? 3 : 7;
  const SEED_CALLS = quick ? 100 : 500;
  const API_CALLS = quick ? 2000 : 20000;
  const BATCH = 100;
  const SESSION = 'bench-record';
  const repo = makeRepo('record');
  const seedFile = path.join(tempDir('record-seed'), 'databases', 'codex_log.db');
  mkdirSync(path.dirname(seedFile), { recursive: true });
  // Warm both paths (JIT, page cache, the API's workspace) before timing.
  for (let i = 0; i < 200; i++) {
    const a = fakeAction(i);
    await api.recordCodexAction(SESSION, a.action, a.statement, a.metadata, repo.api);
  }
  for (let i = 0; i < 20; i++) seedRecord(seedFile, SESSION, fakeAction(i));
  let n = 0;
  const res = await interleaved(
    ROUNDS,
    [
      {
        name: 'seed',
        async run() {
          for (let i = 0; i < SEED_CALLS; i++, n++) await Promise.resolve(seedRecord(seedFile, SESSION, fakeAction(n)));
        },
      },
      {
        name: 'api',
        async run() {
          for (let i = 0; i < API_CALLS; i++, n++) {
            const a = fakeAction(n);
            await api.recordCodexAction(SESSION, a.action, a.statement, a.metadata, repo.api);
          }
        },
      },
      {
        name: 'batch',
        async run() {
          for (let i = 0; i < API_CALLS; i += BATCH) {
            const batch = [];
            for (let j = 0; j < BATCH; j++, n++) {
              const a = fakeAction(n);
              batch.push({ sessionId: SESSION, action: a.action, statement: a.statement, metadata: a.metadata });
            }
            await api.recordCodexActions(batch, repo.api);
          }
        },
      },
    ],
    (r, t) =>
      progress(
        `  record round ${r + 1}/${ROUNDS}: seed ${num(SEED_CALLS / (t.seed / 1000))} rows/s, api ${num(API_CALLS / (t.api / 1000))} rows/s, batch ${num(API_CALLS / (t.batch / 1000))} rows/s`,
      ),
  );
  // Not a timed assertion: every call's row is there (read back through the API, uncommitted).
  const rowsRead = (await api.readCodexLog({ session: SESSION }, repo.api)).length;
  api.closeCodexLogDb();
  const expected = 200 + 2 * ROUNDS * API_CALLS;
  if (rowsRead !== expected) progress(`  WARNING: ${rowsRead} rows read back, expected ${expected}`);
  const rate = (calls) => (x) => calls / (x / 1000);
  const seedRates = res.seed.ms.map(rate(SEED_CALLS));
  const apiRates = res.api.ms.map(rate(API_CALLS));
  const batchRates = res.batch.ms.map(rate(API_CALLS));
  const perCall = pairedRatio(apiRates, seedRates);
  const batched = pairedRatio(batchRates, seedRates);
  return {
    rows: [
      [
        'record',
        `one row per call, median of ${ROUNDS} rounds`,
        `seed-style writer ${num(Math.round(seedRates.sort((a, b) => a - b)[ROUNDS >> 1]))} rows/s`,
        `recordCodexAction ${num(Math.round(apiRates.sort((a, b) => a - b)[ROUNDS >> 1]))} rows/s`,
        `${ratio(perCall.median)} (${ratio(perCall.min)}-${ratio(perCall.max)}); at least 20x: ${verdict(perCall.median, 20, 'atLeast')}, goal 50x: ${verdict(perCall.median, 50, 'atLeast')}`,
      ],
      [
        'record',
        `batches of ${BATCH}`,
        '',
        `recordCodexActions ${num(Math.round(batchRates.sort((a, b) => a - b)[ROUNDS >> 1]))} rows/s`,
        ratio(batched.median),
      ],
    ],
    json: {
      rounds: ROUNDS,
      seedCallsPerRound: SEED_CALLS,
      apiCallsPerRound: API_CALLS,
      rowsReadBack: rowsRead,
      rowsExpected: expected,
      ratioPerCall: ratioJson(perCall),
      ratioBatched: ratioJson(batched),
      msPerRound: Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v.ms.map(round3)])),
    },
  };
}
