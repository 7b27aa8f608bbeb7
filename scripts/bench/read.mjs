// Section read: reading a big log back out. `export` of a 1M-row history (JSON Lines, CSV, one
// SQLite database) against `sqlite3 -json` dumping the same rows from one database file (the
// export's own SQLite output); `report` generation at 100k rows against exporting those rows as
// JSON Lines; and the report's time to first render in headless Chromium (the page stamps
// performance.now() on <html data-rendered> once the first rows are in the DOM) against an
// empty log's report. Peak memory of the 1M-row export shows that it streams.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BIN,
  buildHistory,
  cleanup,
  fillRepo,
  installTool,
  interleaved,
  makeRepo,
  mark,
  median,
  mib,
  ms,
  num,
  pairedRatio,
  progress,
  ratio,
  ratioJson,
  round3,
  tempDir,
} from './harness.mjs';

export const describe = 'export of 1M rows vs sqlite3 -json; report at 100k rows; its first render in headless Chromium';

/** Runs a command with stdout to `out` (or nowhere); returns its peak RSS in KiB when GNU time is there. */
function exec(repo, cmd, args, out = null) {
  const timed = existsSync('/usr/bin/time');
  const fd = out ? openSync(out, 'w') : 'ignore';
  try {
    const r = spawnSync(timed ? '/usr/bin/time' : cmd, timed ? ['-f', '%M', cmd, ...args] : args, {
      cwd: repo.dir,
      env: repo.env,
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    const kib = timed ? Number(r.stderr.trim().split('\n').at(-1)) : Number.NaN;
    return Number.isFinite(kib) ? kib : null;
  } finally {
    if (out) closeSync(fd);
  }
}

const cli = (repo, args) => exec(repo, process.execPath, [BIN, ...args]);

/** A repository with an installed tool and a committed history of `rows` rows, its view built. */
async function history(label, rows) {
  const repo = makeRepo(`read-${label}`);
  fillRepo(repo, 10);
  installTool(repo);
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '-m', 'install']);
  const t0 = Date.now();
  await buildHistory(repo, rows, { onProgress: (n) => n % 100_000 === 0 && progress(`  read ${label}: ${num(n)} rows`) });
  const t1 = Date.now();
  // The first reader copies every segment into the view (once); the figures below are the warm ones.
  cli(repo, ['log', '--limit', '1']);
  progress(`  read ${label}: ${num(rows)} rows built in ${ms(t1 - t0)}, view built in ${ms(Date.now() - t1)}`);
  return repo;
}

function chromium(file, profile) {
  const r = spawnSync(
    'chromium',
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      '--virtual-time-budget=5000',
      '--dump-dom',
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (r.status !== 0) throw new Error(`chromium failed (${r.status}): ${r.stderr}`);
  const m = /data-rendered="([\d.]+)"/.exec(r.stdout);
  if (!m) throw new Error(`the report never marked its first render (${file})`);
  return Number(m[1]);
}

export async function run({ quick }) {
  const BIG = quick ? 100_000 : 1_000_000;
  const REPORT = quick ? 20_000 : 100_000;
  const ROUNDS = quick ? 2 : 3;
  const since = mark();
  const out = tempDir('read-out');
  const file = (name) => path.join(out, name);

  // --- export of the big history, against sqlite3 -json over one database of the same rows ---------
  const big = await history('big', BIG);
  cli(big, ['export', '--format', 'sqlite', '-o', file('baseline.db')]);
  const peak = {};
  const exp = await interleaved(
    ROUNDS,
    [
      {
        name: 'sqlite3',
        run: () => exec(big, 'sqlite3', ['-json', file('baseline.db'), 'SELECT * FROM codex_actions'], file('sqlite3.json')),
      },
      { name: 'jsonl', run: () => (peak.jsonl = cli(big, ['export', '--force', '-o', file('log.jsonl')])) },
      { name: 'csv', run: () => (peak.csv = cli(big, ['export', '--format', 'csv', '--force', '-o', file('log.csv')])) },
      { name: 'sqlite', run: () => (peak.sqlite = cli(big, ['export', '--format', 'sqlite', '--force', '-o', file('log.db')])) },
    ],
    (r, t) =>
      progress(
        `  read export round ${r + 1}/${ROUNDS}: sqlite3 -json ${ms(t.sqlite3)}, jsonl ${ms(t.jsonl)}, csv ${ms(t.csv)}, sqlite ${ms(t.sqlite)}`,
      ),
  );
  const sizes = Object.fromEntries(['sqlite3.json', 'log.jsonl', 'log.csv', 'log.db'].map((f) => [f, statSync(file(f)).size]));
  cleanup(since + 1); // the big history goes; `out` stays until the end

  // --- report at 100k rows, against exporting the same rows -----------------------------------------
  const mid = await history('report', REPORT);
  const rep = await interleaved(
    ROUNDS,
    [
      { name: 'export', run: () => cli(mid, ['export', '--force', '-o', file('mid.jsonl')]) },
      { name: 'report', run: () => (peak.report = cli(mid, ['report', '--force', '-o', file('report.html')])) },
    ],
    (r, t) => progress(`  read report round ${r + 1}/${ROUNDS}: export ${ms(t.export)}, report ${ms(t.report)}`),
  );
  const reportBytes = statSync(file('report.html')).size;

  // --- first render in Chromium: the 100k-row report against an empty log's report -----------------
  let render = null;
  if (spawnSync('chromium', ['--version']).status === 0) {
    const empty = makeRepo('read-empty');
    cli(empty, ['report', '-o', file('empty.html')]);
    const stamps = { empty: [], report: [] };
    const wall = await interleaved(
      ROUNDS,
      ['empty', 'report'].map((name) => ({
        name,
        run: (r) =>
          stamps[name].push(chromium(file(`${name === 'empty' ? 'empty' : 'report'}.html`), tempDir(`read-chromium-${name}-${r}`))),
      })),
      (r, t) => progress(`  read chromium round ${r + 1}/${ROUNDS}: empty log ${ms(t.empty)}, ${num(REPORT)} rows ${ms(t.report)}`),
    );
    render = { stamps, wall, firstRender: median(stamps.report), emptyRender: median(stamps.empty) };
  } else {
    progress('  read: chromium is not installed (apt-get install -y chromium): no first-render figure');
  }
  cleanup(since);

  const pe = {
    jsonl: pairedRatio(exp.jsonl.ms, exp.sqlite3.ms),
    csv: pairedRatio(exp.csv.ms, exp.sqlite3.ms),
    sqlite: pairedRatio(exp.sqlite.ms, exp.sqlite3.ms),
  };
  const pr = pairedRatio(rep.report.ms, rep.export.ms);
  const kib = (k) => (k === null || k === undefined ? 'n/a' : mib(k * 1024));
  const rows = [
    [
      'read',
      `export ${num(BIG)} rows as JSON Lines (${mib(sizes['log.jsonl'])}), peak RSS ${kib(peak.jsonl)}`,
      `sqlite3 -json, one file: ${ms(exp.sqlite3.median)}`,
      ms(exp.jsonl.median),
      `${ratio(pe.jsonl.median)} (${ratio(pe.jsonl.min)}-${ratio(pe.jsonl.max)})`,
    ],
    [
      'read',
      `export ${num(BIG)} rows as CSV (${mib(sizes['log.csv'])}), peak RSS ${kib(peak.csv)}`,
      'same',
      ms(exp.csv.median),
      ratio(pe.csv.median),
    ],
    [
      'read',
      `export ${num(BIG)} rows as one SQLite file (${mib(sizes['log.db'])}), peak RSS ${kib(peak.sqlite)}`,
      'same',
      ms(exp.sqlite.median),
      ratio(pe.sqlite.median),
    ],
    [
      'read',
      `report of ${num(REPORT)} rows (${mib(reportBytes)}), peak RSS ${kib(peak.report)}`,
      `export of the same rows: ${ms(rep.export.median)}`,
      ms(rep.report.median),
      `${ratio(pr.median)} (${ratio(pr.min)}-${ratio(pr.max)})`,
    ],
  ];
  if (render) {
    rows.push([
      'read',
      `first rows rendered in Chromium, ${num(REPORT)}-row report (data-rendered); whole headless run`,
      `empty log: ${ms(render.emptyRender)}; run ${ms(render.wall.empty.median)}`,
      `${ms(render.firstRender)}; run ${ms(render.wall.report.median)}`,
      ratio(render.firstRender / render.emptyRender),
    ]);
  }
  return {
    rows,
    json: {
      rounds: ROUNDS,
      exportRows: BIG,
      reportRows: REPORT,
      exportMs: Object.fromEntries(['sqlite3', 'jsonl', 'csv', 'sqlite'].map((k) => [k, exp[k].ms.map(round3)])),
      exportRatio: { jsonl: ratioJson(pe.jsonl), csv: ratioJson(pe.csv), sqlite: ratioJson(pe.sqlite) },
      exportBytes: sizes,
      peakRssKiB: peak,
      reportMs: { export: rep.export.ms.map(round3), report: rep.report.ms.map(round3) },
      reportRatio: ratioJson(pr),
      reportBytes,
      firstRenderMs: render ? { report: render.stamps.report.map(round3), empty: render.stamps.empty.map(round3) } : null,
      chromiumRunMs: render ? { report: render.wall.report.ms.map(round3), empty: render.wall.empty.ms.map(round3) } : null,
    },
  };
}
