#!/usr/bin/env node
// `npm run bench`: measures codexlog-hooks against baselines run in the same process.
//
// The machine is shared and noisy, so no figure stands alone: every section times a baseline and
// a subject, interleaved round by round (the order rotates each round), and reports medians and
// the subject/baseline ratio. Nothing here asserts a time; it measures and prints. All work
// happens in temp dirs under os.tmpdir(), removed at the end.
//
//   node scripts/bench.mjs [--only <section>[,<section>]] [--quick]
//
// --quick runs fewer rounds and smaller sizes: a smoke test of the script, not figures to quote.
//
// To add a section: write `async function benchX(ctx)` returning { rows, json } (rows feed the
// summary table, json goes into the BENCH_JSON line) and register it in `sections` below.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { closeCodexLogDb, finalizeCodexLogDb, recordCodexAction, recordCodexActions } from '../dist/src/index.js';
// Not part of the public API: used only to bulk-build databases with exactly the tool's schema.
import { LogStore } from '../dist/src/store.js';

// ---------------------------------------------------------------------------------------------
// Shared helpers

const tempDirs = [];

/** A temp dir under os.tmpdir(), removed by cleanup(). */
function tempDir(prefix) {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), `codexlog-bench-${prefix}-`)));
  tempDirs.push(dir);
  return dir;
}

/** Removes the temp dirs made since `mark` (a former tempDirs.length; default: all of them). */
function cleanup(mark = 0) {
  for (const dir of tempDirs.splice(mark)) rmSync(dir, { recursive: true, force: true });
}

/** process.env without GIT_* and codexlog variables, so the bench also runs inside a git hook. */
function cleanEnv(home) {
  const drop = new Set([
    'GH_COPILOT_WORKSPACE',
    'GH_COPILOT_BACKUP_ROOT',
    'SESSION_ID_SOURCE',
    'TEST_MODE',
    'ALLOW_AUTOLFS',
    'CODEXLOG_HOOKS',
    'HUSKY',
    'DEBUG',
  ]);
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && !drop.has(k)) env[k] = v;
  // A HOME of its own keeps the user's global git config (LFS filters, hooks) out of the repo.
  return { ...env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1' };
}

/**
 * A throwaway git repository with its own identity and no auto-gc. Returns the dir, the env to run
 * things in, and the options ({ cwd, env }) to hand to the API with GH_COPILOT_WORKSPACE set.
 */
function makeRepo(prefix) {
  const dir = tempDir(prefix);
  const env = cleanEnv(tempDir(`${prefix}-home`));
  const git = (args) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git(['init', '--quiet', '--initial-branch=main']);
  for (const [k, v] of [
    ['user.name', 'Bench Agent'],
    ['user.email', 'bench@example.test'],
    ['commit.gpgSign', 'false'],
    ['gc.auto', '0'],
  ]) {
    git(['config', k, v]);
  }
  const apiEnv = { ...env, GH_COPILOT_WORKSPACE: dir };
  return { dir, env, git, api: { cwd: dir, env: apiEnv } };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const min = (values) => Math.min(...values);
const max = (values) => Math.max(...values);

/**
 * Times each variant `rounds` times, interleaved: round r runs every variant once, starting at
 * variant r mod n, so drift in machine load hits all of them alike. Only `run` is timed; `setup`
 * and `teardown` (optional, may be async) bracket it. Returns { [name]: { ms: [...], median } }
 * with ms[r] the time of round r, so ratios can be paired per round.
 */
async function interleaved(rounds, variants, onRound = () => {}) {
  const out = Object.fromEntries(variants.map((v) => [v.name, { ms: [], median: NaN }]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(r + i) % variants.length];
      if (v.setup) await v.setup(r);
      const t0 = performance.now();
      await v.run(r);
      const ms = performance.now() - t0;
      if (v.teardown) await v.teardown(r);
      out[v.name].ms[r] = ms;
    }
    onRound(r, Object.fromEntries(variants.map((v) => [v.name, out[v.name].ms[r]])));
  }
  for (const v of variants) out[v.name].median = median(out[v.name].ms);
  return out;
}

/** Per-round ratios a[r] / b[r], and their median, min and max. */
function pairedRatio(a, b) {
  const ratios = a.map((x, r) => x / b[r]);
  return { median: median(ratios), min: min(ratios), max: max(ratios), perRound: ratios };
}

const num = (x, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (x) => (x < 10 ? `${num(x, 2)} ms` : x < 1000 ? `${num(x, 1)} ms` : `${num(x / 1000, 2)} s`);
const mib = (bytes) => `${num(bytes / 2 ** 20, bytes < 2 ** 20 ? 2 : 1)} MiB`;
const ratio = (x) => `${num(x, x < 10 ? 2 : x < 100 ? 1 : 0)}x`;
const round3 = (x) => Math.round(x * 1000) / 1000;

/** Progress goes to stderr; stdout holds the summary table and the BENCH_JSON line. */
const progress = (msg) => process.stderr.write(`${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Section: record

const SEED_CREATE =
  'CREATE TABLE IF NOT EXISTS codex_actions(id INTEGER PRIMARY KEY, session_id TEXT, ts TEXT, action TEXT, statement TEXT, metadata TEXT)';

/**
 * What the seed's Python module does per record_codex_action(): connect, create the table if
 * needed, insert one row, commit, close. SQLite's defaults (rollback journal, synchronous=FULL),
 * as Python's sqlite3 module leaves them.
 */
function seedRecord(file, sessionId, action, statement, metadata) {
  const db = new Database(file);
  try {
    db.exec(SEED_CREATE);
    // Python's sqlite3 opens an implicit transaction before the INSERT; commit() ends it.
    db.exec('BEGIN');
    db.prepare('INSERT INTO codex_actions (session_id, ts, action, statement, metadata) VALUES (?, ?, ?, ?, ?)').run(
      sessionId,
      new Date().toISOString(),
      action,
      statement,
      metadata,
    );
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

// Something like what an agent logs: a short action name, a sentence, a little JSON.
const fakeAction = (i) => ({
  action: ['edit', 'run', 'read', 'generate'][i % 4],
  statement: `updated src/module_${i % 97}.ts: refactored helper number ${i} and adjusted its callers`,
  metadata: { file: `src/module_${i % 97}.ts`, lines: (i * 7) % 400, tool: 'bench' },
});

async function benchRecord({ quick }) {
  const ROUNDS = quick ? 3 : 5;
  const SEED_CALLS = quick ? 100 : 500;
  const API_CALLS = quick ? 300 : 1000;
  const BATCH = 100;
  const SESSION = 'bench-record-session';

  const repo = makeRepo('record');
  const seedFile = path.join(tempDir('record-seed'), 'databases', 'codex_log.db');
  mkdirSync(path.dirname(seedFile), { recursive: true });

  // The first API call of a process resolves the workspace (one git spawn) and opens the store.
  // better-sqlite3 is already loaded by the import above, for both sides alike.
  let t0 = performance.now();
  await recordCodexAction(SESSION, 'start', 'first call of the process', null, repo.api);
  const firstCallMs = performance.now() - t0;
  t0 = performance.now();
  seedRecord(seedFile, SESSION, 'start', 'first call of the process', null);
  const seedFirstCallMs = performance.now() - t0;
  // Warm up both paths (JIT, page cache) before timing.
  for (let i = 0; i < 200; i++) {
    const a = fakeAction(i);
    await recordCodexAction(SESSION, a.action, a.statement, a.metadata, repo.api);
  }
  for (let i = 0; i < 20; i++) {
    const a = fakeAction(i);
    seedRecord(seedFile, SESSION, a.action, a.statement, JSON.stringify(a.metadata));
  }
  closeCodexLogDb();

  // The floor: one INSERT per call on a connection kept open, with the tool's schema and pragmas
  // (rollback journal, synchronous=FULL) and nothing else: what any durable per-call commit costs.
  const floorFile = path.join(tempDir('record-floor'), 'codex_log.db');
  LogStore.open(floorFile, { create: true }).close();
  const floorDb = new Database(floorFile);
  const floorInsert = floorDb.prepare(
    'INSERT INTO codex_actions (uid, session_id, ts, action, statement, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // For reference only: the same with WAL and synchronous=NORMAL, the design the tool rejected
  // because git replacing the file under an open connection corrupts it.
  const walFile = path.join(tempDir('record-wal'), 'codex_log.db');
  LogStore.open(walFile, { create: true }).close();
  const walDb = new Database(walFile);
  walDb.pragma('journal_mode = WAL');
  walDb.pragma('synchronous = NORMAL');
  const walInsert = walDb.prepare('INSERT INTO codex_actions (uid, session_id, ts, action, statement, metadata) VALUES (?, ?, ?, ?, ?, ?)');

  let n = 0;
  const res = await interleaved(
    ROUNDS,
    [
      {
        name: 'seed',
        async run() {
          for (let i = 0; i < SEED_CALLS; i++, n++) {
            const a = fakeAction(n);
            // Awaited like the API, though the seed's writer is synchronous.
            await Promise.resolve(seedRecord(seedFile, SESSION, a.action, a.statement, JSON.stringify(a.metadata)));
          }
        },
      },
      {
        name: 'api',
        async run() {
          for (let i = 0; i < API_CALLS; i++, n++) {
            const a = fakeAction(n);
            await recordCodexAction(SESSION, a.action, a.statement, a.metadata, repo.api);
          }
          // Inside the timing: the next round pays for reopening the store.
          closeCodexLogDb();
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
            await recordCodexActions(batch, repo.api);
          }
          closeCodexLogDb();
        },
      },
      {
        name: 'wal',
        async run() {
          for (let i = 0; i < API_CALLS; i++, n++) {
            const a = fakeAction(n);
            await Promise.resolve(
              walInsert.run(randomUUID(), SESSION, new Date().toISOString(), a.action, a.statement, JSON.stringify(a.metadata)),
            );
          }
        },
      },
      {
        name: 'floor',
        async run() {
          for (let i = 0; i < API_CALLS; i++, n++) {
            const a = fakeAction(n);
            await Promise.resolve(
              floorInsert.run(randomUUID(), SESSION, new Date().toISOString(), a.action, a.statement, JSON.stringify(a.metadata)),
            );
          }
        },
      },
    ],
    (r, t) =>
      progress(
        `  record round ${r + 1}/${ROUNDS}: seed ${num(SEED_CALLS / (t.seed / 1000))} rows/s, api ${num(API_CALLS / (t.api / 1000))} rows/s, batch ${num(API_CALLS / (t.batch / 1000))} rows/s, floor ${num(API_CALLS / (t.floor / 1000))} rows/s, wal ${num(API_CALLS / (t.wal / 1000))} rows/s`,
      ),
  );
  floorDb.close();
  walDb.close();

  const seedRates = res.seed.ms.map((x) => SEED_CALLS / (x / 1000));
  const apiRates = res.api.ms.map((x) => API_CALLS / (x / 1000));
  const floorRates = res.floor.ms.map((x) => API_CALLS / (x / 1000));
  const batchRates = res.batch.ms.map((x) => API_CALLS / (x / 1000));
  const walRates = res.wal.ms.map((x) => API_CALLS / (x / 1000));
  const batchPaired = pairedRatio(batchRates, seedRates);
  const walPaired = pairedRatio(walRates, seedRates);
  const paired = pairedRatio(apiRates, seedRates);
  const floorPaired = pairedRatio(floorRates, seedRates);
  const apiVsFloor = pairedRatio(apiRates, floorRates);

  // Not a timed assertion: a sanity check that every call wrote its row.
  const count = (file) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT count(*) AS n FROM codex_actions').get().n;
    } finally {
      db.close();
    }
  };
  const apiRows = count(path.join(repo.dir, 'databases', 'codex_log.db'));
  const seedRows = count(seedFile);
  const expectApi = 1 + 200 + 2 * ROUNDS * API_CALLS;
  const expectSeed = 1 + 20 + ROUNDS * SEED_CALLS;
  const rowsOk = apiRows === expectApi && seedRows === expectSeed;
  if (!rowsOk) progress(`  WARNING: row counts differ: api ${apiRows}/${expectApi}, seed ${seedRows}/${expectSeed}`);

  const GOAL = 50;
  return {
    rows: [
      [
        'record',
        `rows/s, median of ${ROUNDS} rounds`,
        `seed ${num(median(seedRates))}/s`,
        `API ${num(median(apiRates))}/s`,
        `${ratio(paired.median)} (${ratio(paired.min)}-${ratio(paired.max)}) goal >=${GOAL}x: ${paired.median >= GOAL ? 'met' : 'NOT met'}`,
      ],
      [
        'record',
        `batches of ${BATCH} (recordCodexActions)`,
        `seed ${num(median(seedRates))}/s`,
        `API ${num(median(batchRates))}/s`,
        `${ratio(batchPaired.median)} (${ratio(batchPaired.min)}-${ratio(batchPaired.max)}) goal >=${GOAL}x: ${batchPaired.median >= GOAL ? 'met' : 'NOT met'}`,
      ],
      [
        'record',
        'floor: bare INSERT per call, same pragmas',
        `seed ${num(median(seedRates))}/s`,
        `floor ${num(median(floorRates))}/s`,
        `${ratio(floorPaired.median)} (API reaches ${num(apiVsFloor.median * 100)}% of it)`,
      ],
      [
        'record',
        'reference: bare INSERT, WAL (rejected)',
        `seed ${num(median(seedRates))}/s`,
        `wal ${num(median(walRates))}/s`,
        ratio(walPaired.median),
      ],
      [
        'record',
        'per call (median)',
        `seed ${ms(median(res.seed.ms) / SEED_CALLS)}`,
        `API ${ms(median(res.api.ms) / API_CALLS)}`,
        `floor ${ms(median(res.floor.ms) / API_CALLS)}`,
      ],
      [
        'record',
        'first call in a process',
        `seed ${ms(seedFirstCallMs)}`,
        `API ${ms(firstCallMs)}`,
        `${ratio(firstCallMs / seedFirstCallMs)} (API: git rev-parse + open)`,
      ],
    ],
    json: {
      rounds: ROUNDS,
      seedCallsPerRound: SEED_CALLS,
      apiCallsPerRound: API_CALLS,
      seedRowsPerSec: { median: Math.round(median(seedRates)), perRound: seedRates.map(Math.round) },
      apiRowsPerSec: { median: Math.round(median(apiRates)), perRound: apiRates.map(Math.round) },
      floorRowsPerSec: { median: Math.round(median(floorRates)), perRound: floorRates.map(Math.round) },
      batchRowsPerSec: { median: Math.round(median(batchRates)), perRound: batchRates.map(Math.round), batchSize: BATCH },
      walReferenceRowsPerSec: { median: Math.round(median(walRates)), perRound: walRates.map(Math.round) },
      ratioBatchOverSeed: { median: round3(batchPaired.median), min: round3(batchPaired.min), max: round3(batchPaired.max) },
      ratioWalReferenceOverSeed: { median: round3(walPaired.median) },
      ratioApiOverSeed: {
        median: round3(paired.median),
        min: round3(paired.min),
        max: round3(paired.max),
        perRound: paired.perRound.map(round3),
        ofMedians: round3(median(apiRates) / median(seedRates)),
      },
      ratioFloorOverSeed: { median: round3(floorPaired.median), min: round3(floorPaired.min), max: round3(floorPaired.max) },
      ratioApiOverFloor: { median: round3(apiVsFloor.median), min: round3(apiVsFloor.min), max: round3(apiVsFloor.max) },
      goalRatio: GOAL,
      goalMet: paired.median >= GOAL,
      batchGoalMet: batchPaired.median >= GOAL,
      firstCallMs: { api: round3(firstCallMs), seed: round3(seedFirstCallMs) },
      rowCountsOk: rowsOk,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Section: finalize

/** Fills `file` with `rows` actions through the tool's own store, in big transactions. */
function buildLog(file, rows) {
  const BATCH = 50_000;
  const store = LogStore.open(file, { create: true });
  try {
    for (let done = 0; done < rows; done += BATCH) {
      const batch = [];
      for (let i = done; i < Math.min(rows, done + BATCH); i++) {
        const a = fakeAction(i);
        batch.push({
          session_id: `session-${Math.floor(i / 1000)}`,
          action: a.action,
          statement: a.statement,
          metadata: JSON.stringify(a.metadata),
        });
      }
      store.addActions(batch);
    }
  } finally {
    store.close();
  }
}

/**
 * Where finalize's time goes, once, outside the interleaved rounds: the same steps the tool takes
 * (integrity check, VACUUM INTO snapshot with fsync and rename, one git add of both files),
 * timed one by one after a fresh row so git has new content to hash.
 */
function finalizePhases(repo, logDb, sessionDb, rel) {
  const store = LogStore.open(logDb, { create: false });
  const t = {};
  try {
    store.addActions([{ session_id: 'bench-phases', action: 'edit', statement: 'phase breakdown', metadata: null }]);
    let t0 = performance.now();
    store.integrityProblems();
    t.integrityMs = performance.now() - t0;
    t0 = performance.now();
    store.snapshotTo(sessionDb);
    t.snapshotMs = performance.now() - t0;
  } finally {
    store.close();
  }
  const t0 = performance.now();
  repo.git(['add', '--', ...rel]);
  t.gitAddMs = performance.now() - t0;
  return t;
}

async function benchFinalize({ quick }) {
  const SIZES = quick
    ? [
        { label: '1k', rows: 1_000, rounds: 3 },
        { label: '100k', rows: 100_000, rounds: 1 },
      ]
    : [
        { label: '1k', rows: 1_000, rounds: 3 },
        { label: '100k', rows: 100_000, rounds: 3 },
        { label: '1M', rows: 1_000_000, rounds: 1 },
      ];
  const rows = [];
  const json = { sizes: [] };
  for (const size of SIZES) {
    const mark = tempDirs.length;
    // No .gitattributes: git add stores the raw file, so this needs no LFS.
    const repo = makeRepo(`finalize-${size.label}`);
    const logDb = path.join(repo.dir, 'databases', 'codex_log.db');
    const sessionDb = path.join(repo.dir, 'databases', 'codex_session_logs.db');
    const copyDest = path.join(tempDir(`finalize-${size.label}-copy`), 'copy.db');

    const t0 = performance.now();
    buildLog(logDb, size.rows);
    const buildMs = performance.now() - t0;
    progress(`  finalize ${size.label}: built ${num(size.rows)} rows (${mib(statSync(logDb).size)}) in ${ms(buildMs)}`);

    let bytes = 0;
    let lastResult = null;
    const res = await interleaved(
      size.rounds,
      [
        {
          name: 'copy',
          run() {
            copyFileSync(logDb, copyDest);
          },
          teardown() {
            bytes = statSync(copyDest).size;
            rmSync(copyDest, { force: true });
          },
        },
        {
          name: 'finalize',
          // One more action first, as a session would: the log then differs from what the index
          // holds, so every round's git add hashes and stores both files anew.
          setup: (r) => recordCodexAction('bench-finalize', 'edit', `round ${r}`, null, repo.api),
          async run() {
            lastResult = await finalizeCodexLogDb(repo.api);
          },
        },
      ],
      (r, t) => progress(`  finalize ${size.label} round ${r + 1}/${size.rounds}: copy ${ms(t.copy)}, finalize ${ms(t.finalize)}`),
    );
    closeCodexLogDb();

    // Sanity, not timing: both files are staged.
    const staged = repo.git(['diff', '--cached', '--name-only']).split('\n').filter(Boolean);
    const stagedOk =
      Boolean(lastResult?.staged) && staged.includes('databases/codex_log.db') && staged.includes('databases/codex_session_logs.db');
    if (!stagedOk) progress(`  WARNING: finalize ${size.label} did not stage both databases (staged: ${staged.join(', ') || 'nothing'})`);
    const phases = finalizePhases(repo, logDb, sessionDb, ['databases/codex_log.db', 'databases/codex_session_logs.db']);
    progress(
      `  finalize ${size.label} phases: integrity ${ms(phases.integrityMs)}, snapshot ${ms(phases.snapshotMs)}, git add ${ms(phases.gitAddMs)}`,
    );

    const paired = pairedRatio(res.finalize.ms, res.copy.ms);
    const copyMiBs = bytes / 2 ** 20 / (res.copy.median / 1000);
    const finalizeMiBs = bytes / 2 ** 20 / (res.finalize.median / 1000);
    rows.push([
      'finalize',
      `${size.label} rows (${mib(bytes)}), median of ${size.rounds}`,
      `copy ${ms(res.copy.median)} (${num(copyMiBs)} MiB/s)`,
      `finalize ${ms(res.finalize.median)} (${num(finalizeMiBs, 1)} MiB/s)`,
      `${ratio(paired.median)} slower than a copy`,
    ]);
    rows.push([
      'finalize',
      `${size.label}: where the time goes (1 run)`,
      '',
      `integrity ${ms(phases.integrityMs)}, VACUUM INTO ${ms(phases.snapshotMs)}, git add ${ms(phases.gitAddMs)}`,
      '',
    ]);
    json.sizes.push({
      label: size.label,
      rows: size.rows,
      rounds: size.rounds,
      logBytes: bytes,
      sessionBytes: statSync(sessionDb).size,
      buildMs: round3(buildMs),
      copyMs: { median: round3(res.copy.median), perRound: res.copy.ms.map(round3) },
      finalizeMs: { median: round3(res.finalize.median), perRound: res.finalize.ms.map(round3) },
      copyMiBPerSec: round3(copyMiBs),
      finalizeMiBPerSec: round3(finalizeMiBs),
      ratioFinalizeOverCopy: { median: round3(paired.median), min: round3(paired.min), max: round3(paired.max) },
      phasesMs: { integrity: round3(phases.integrityMs), snapshot: round3(phases.snapshotMs), gitAdd: round3(phases.gitAddMs) },
      stagedOk,
    });
    // Free the disk before the next, bigger size.
    cleanup(mark);
  }
  return { rows, json };
}

// ---------------------------------------------------------------------------------------------
// Section: commit

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = path.join(ROOT, 'dist', 'src', 'bin.js');
const HUSKY_BIN = path.join(ROOT, 'node_modules', 'husky', 'bin.js');

/** A repo with `files` small files committed, and package.json + .gitignore for node_modules. */
function makeBigRepo(prefix, files) {
  const repo = makeRepo(prefix);
  for (let d = 0; d < Math.ceil(files / 100); d++) {
    mkdirSync(path.join(repo.dir, 'src', `d${d}`), { recursive: true });
    for (let f = 0; f < 100 && d * 100 + f < files; f++) {
      writeFileSync(path.join(repo.dir, 'src', `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`);
    }
  }
  writeFileSync(path.join(repo.dir, 'package.json'), `${JSON.stringify({ name: prefix, private: true })}\n`);
  writeFileSync(path.join(repo.dir, '.gitignore'), 'node_modules/\n');
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '-m', 'many files']);
  return repo;
}

/**
 * A logged commit in a 5,000-file repository against the same commit where Husky runs a hook
 * that only starts node (`node -e ''`): once with that hook in pre-commit alone (the issue's
 * baseline), once in pre-commit and post-commit (the same number of node starts as ours).
 */
async function benchCommit({ quick }) {
  const FILES = quick ? 500 : 5000;
  const ROUNDS = quick ? 3 : 15;
  const mark = tempDirs.length;
  const variants = [];
  const hookOnly = (name, hooks) => {
    const repo = makeBigRepo(`commit-${name}`, FILES);
    execFileSync(process.execPath, [HUSKY_BIN], { cwd: repo.dir, env: repo.env, stdio: 'ignore' });
    for (const h of hooks) writeFileSync(path.join(repo.dir, '.husky', h), "node -e ''\n");
    return repo;
  };
  const one = hookOnly('node1', ['pre-commit']);
  const two = hookOnly('node2', ['pre-commit', 'post-commit']);
  const logged = makeBigRepo('commit-logged', FILES);
  mkdirSync(path.join(logged.dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, path.join(logged.dir, 'node_modules', 'codexlog-hooks'), 'dir');
  execFileSync(process.execPath, [BIN, 'install'], { cwd: logged.dir, env: logged.env, stdio: 'ignore' });
  const commitEnv = (repo) => ({ ...repo.env, ALLOW_AUTOLFS: '1' });
  // A first logged commit creates the databases; rounds then measure steady state.
  logged.git(['add', '-A']);
  execFileSync('git', ['commit', '-q', '-m', 'install'], { cwd: logged.dir, env: commitEnv(logged), stdio: 'ignore' });
  for (const [name, repo] of [
    ['node -e (pre-commit)', one],
    ['node -e (pre+post)', two],
    ['codexlog-hooks', logged],
  ]) {
    variants.push({
      name,
      setup(r) {
        writeFileSync(path.join(repo.dir, 'src', 'd0', 'f0.txt'), `round ${r} ${name}\n`);
        repo.git(['add', 'src/d0/f0.txt']);
      },
      run(r) {
        execFileSync('git', ['commit', '-q', '-m', `round ${r}`], { cwd: repo.dir, env: commitEnv(repo), stdio: 'ignore' });
      },
    });
  }
  progress(`  commit: ${FILES} files per repo, ${ROUNDS} rounds`);
  const res = await interleaved(ROUNDS, variants, (r, t) =>
    progress(
      `  commit round ${r + 1}/${ROUNDS}: ${Object.entries(t)
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(', ')}`,
    ),
  );
  const status = logged.git(['status', '--porcelain', '--untracked-files=no']).trim();
  if (status) progress(`  WARNING: the logged repo is dirty after the rounds: ${status}`);
  const vsOne = pairedRatio(res['codexlog-hooks'].ms, res['node -e (pre-commit)'].ms);
  const vsTwo = pairedRatio(res['codexlog-hooks'].ms, res['node -e (pre+post)'].ms);
  const rows = [
    [
      'commit',
      `${FILES}-file repo, median of ${ROUNDS}`,
      `node -e hook ${ms(res['node -e (pre-commit)'].median)}`,
      `logged commit ${ms(res['codexlog-hooks'].median)}`,
      `${ratio(vsOne.median)} (${ratio(vsOne.min)}-${ratio(vsOne.max)}) goal <=1.25x: ${vsOne.median <= 1.25 ? 'met' : 'NOT met'}`,
    ],
    [
      'commit',
      'same, baseline with 2 node hooks',
      `pre+post node -e ${ms(res['node -e (pre+post)'].median)}`,
      `logged commit ${ms(res['codexlog-hooks'].median)}`,
      ratio(vsTwo.median),
    ],
  ];
  const json = {
    files: FILES,
    rounds: ROUNDS,
    clean: status === '',
    ms: Object.fromEntries(Object.entries(res).map(([k, v]) => [k, { median: round3(v.median), perRound: v.ms.map(round3) }])),
    ratioVsOneHook: { median: round3(vsOne.median), min: round3(vsOne.min), max: round3(vsOne.max) },
    ratioVsTwoHooks: { median: round3(vsTwo.median), min: round3(vsTwo.min), max: round3(vsTwo.max) },
  };
  cleanup(mark);
  return { rows, json };
}

// ---------------------------------------------------------------------------------------------
// Section: merge

/**
 * The merge driver on two 100k-row logs that share a base and add 1k rows each, as LFS pointers,
 * against the LFS plumbing any LFS-aware driver needs (smudge three versions, clean one result).
 */
async function benchMerge({ quick }) {
  const BASE = quick ? 10_000 : 100_000;
  const EACH = quick ? 100 : 1_000;
  const ROUNDS = quick ? 2 : 5;
  const mark = tempDirs.length;
  const repo = makeRepo('merge');
  repo.git(['lfs', 'install', '--local', '--skip-repo']);
  const dir = tempDir('merge-files');
  const base = path.join(dir, 'base.db');
  buildLog(base, BASE);
  const sides = {};
  for (const side of ['ours', 'theirs']) {
    sides[side] = path.join(dir, `${side}.db`);
    copyFileSync(base, sides[side]);
    const store = LogStore.open(sides[side], { create: false });
    store.addActions(
      Array.from({ length: EACH }, (_, i) => ({ session_id: side, action: 'edit', statement: `${side} ${i}`, metadata: null })),
    );
    store.close();
  }
  const rel = 'databases/codex_log.db';
  const pointer = (file) => execFileSync('git', ['lfs', 'clean', '--', rel], { cwd: repo.dir, env: repo.env, input: readFileSync(file) });
  const ptr = { base: path.join(dir, 'base.ptr'), ours: path.join(dir, 'ours.ptr'), theirs: path.join(dir, 'theirs.ptr') };
  writeFileSync(ptr.base, pointer(base));
  writeFileSync(ptr.ours, pointer(sides.ours));
  writeFileSync(ptr.theirs, pointer(sides.theirs));
  const work = path.join(dir, 'A.tmp');
  let merged = 0;
  const res = await interleaved(
    ROUNDS,
    [
      {
        name: 'lfs plumbing',
        run() {
          for (const p of [ptr.base, ptr.ours, ptr.theirs])
            execFileSync('git', ['lfs', 'smudge', '--', rel], { cwd: repo.dir, env: repo.env, input: readFileSync(p), maxBuffer: 1 << 30 });
          pointer(sides.ours);
        },
      },
      {
        name: 'merge driver',
        setup() {
          copyFileSync(ptr.ours, work);
        },
        run() {
          execFileSync(process.execPath, [BIN, 'merge-driver', ptr.base, work, ptr.theirs, rel], {
            cwd: repo.dir,
            env: repo.env,
            stdio: 'ignore',
          });
        },
        teardown() {
          const out = execFileSync('git', ['lfs', 'smudge', '--', rel], {
            cwd: repo.dir,
            env: repo.env,
            input: readFileSync(work),
            maxBuffer: 1 << 30,
          });
          const check = path.join(dir, 'check.db');
          writeFileSync(check, out);
          const db = new Database(check, { readonly: true });
          merged = db.prepare('SELECT count(*) AS n FROM codex_actions').get().n;
          db.close();
          rmSync(check);
        },
      },
    ],
    (r, t) => progress(`  merge round ${r + 1}/${ROUNDS}: plumbing ${ms(t['lfs plumbing'])}, driver ${ms(t['merge driver'])}`),
  );
  const expected = BASE + 2 * EACH;
  if (merged !== expected) progress(`  WARNING: merged log has ${merged} rows, expected ${expected}`);
  const paired = pairedRatio(res['merge driver'].ms, res['lfs plumbing'].ms);
  const rows = [
    [
      'merge',
      `2 x ${num(BASE)} rows, +${num(EACH)} each side, median of ${ROUNDS}`,
      `lfs smudge x3 + clean ${ms(res['lfs plumbing'].median)}`,
      `merge driver ${ms(res['merge driver'].median)}`,
      `${ratio(paired.median)} (${merged === expected ? 'rows ok' : 'ROWS WRONG'})`,
    ],
  ];
  const json = {
    baseRows: BASE,
    newRowsEachSide: EACH,
    rounds: ROUNDS,
    mergedRows: merged,
    expectedRows: expected,
    ms: {
      plumbing: { median: round3(res['lfs plumbing'].median), perRound: res['lfs plumbing'].ms.map(round3) },
      driver: { median: round3(res['merge driver'].median), perRound: res['merge driver'].ms.map(round3) },
    },
    ratioDriverOverPlumbing: { median: round3(paired.median), min: round3(paired.min), max: round3(paired.max) },
  };
  cleanup(mark);
  return { rows, json };
}

// ---------------------------------------------------------------------------------------------
// Registry and main

/** Every section, in the order they run. */
const sections = {
  record: { describe: 'record throughput: API vs a seed-style open/insert/commit/close writer', run: benchRecord },
  finalize: { describe: 'finalize time vs log size (1k, 100k, 1M rows) vs a raw file copy', run: benchFinalize },
  commit: { describe: 'a logged commit in a 5,000-file repo vs a husky hook running node -e', run: benchCommit },
  merge: { describe: 'the merge driver on two 100k-row logs, 1k new rows each side, vs LFS plumbing', run: benchMerge },
};

function usage() {
  const names = Object.entries(sections)
    .map(([name, s]) => `  ${name.padEnd(10)} ${s.describe}`)
    .join('\n');
  return `Usage: node scripts/bench.mjs [--only <section>[,<section>]] [--quick]\n\nSections (default: all):\n${names}\n`;
}

function printTable(rows) {
  const head = ['section', 'what', 'baseline', 'subject', 'ratio'];
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => String(r[c]).length)));
  const line = (r) =>
    r
      .map((cell, c) => String(cell).padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

async function main() {
  let args;
  try {
    args = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    process.stderr.write(`${e.message}\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(usage());
    return;
  }
  const chosen = args.only
    ? args.only
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : Object.keys(sections);
  const unknown = chosen.filter((name) => !Object.hasOwn(sections, name));
  if (unknown.length > 0 || chosen.length === 0) {
    process.stderr.write(`Unknown section: ${unknown.join(', ') || '(none given)'}\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }

  const meta = {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    quick: Boolean(args.quick),
  };
  progress(`codexlog-hooks bench: node ${meta.node}, ${meta.cpus} cpus, load ${meta.loadavg.join(' ')}`);
  const rows = [];
  const results = {};
  const started = performance.now();
  try {
    for (const name of chosen) {
      progress(`section ${name}: ${sections[name].describe}`);
      const t0 = performance.now();
      const out = await sections[name].run({ quick: Boolean(args.quick) });
      rows.push(...out.rows);
      results[name] = { ...out.json, sectionMs: Math.round(performance.now() - t0) };
    }
  } finally {
    closeCodexLogDb();
    cleanup();
  }
  meta.totalMs = Math.round(performance.now() - started);
  console.log('');
  printTable(rows);
  console.log('');
  console.log(`BENCH_JSON ${JSON.stringify({ meta, sections: results })}`);
}

// Ctrl-C: remove the temp dirs before going.
process.once('SIGINT', () => {
  closeCodexLogDb();
  cleanup();
  process.exit(130);
});

await main();
