// The shared harness of `npm run bench`: throwaway repositories, interleaved timing, paired ratios
// and formatting. Sections import the package only through its public entry (dist/src/index.js)
// and its CLI (bin/codexlog-hooks.js), as a user would.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** The package root, its CLI, and husky's. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'codexlog-hooks.js');
export const HUSKY_BIN = path.join(ROOT, 'node_modules', 'husky', 'bin.js');

/** The public API, loaded once the build exists. */
export const api = await import(path.join(ROOT, 'dist', 'src', 'index.js'));

const tempDirs = [];

/** A temp dir under os.tmpdir(), removed by cleanup(). */
export function tempDir(prefix) {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), `codexlog-bench-${prefix}-`)));
  tempDirs.push(dir);
  return dir;
}

/** How many temp dirs exist now (pass it to cleanup() to remove only the later ones). */
export const mark = () => tempDirs.length;

/** Removes the temp dirs made since `since` (default: all of them). */
export function cleanup(since = 0) {
  for (const dir of tempDirs.splice(since)) rmSync(dir, { recursive: true, force: true });
}

/** process.env without GIT_* and the tool's own variables, so the bench also runs inside a git hook. */
export function cleanEnv(home) {
  const drop = new Set(api.ENV_VARIABLES);
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && !drop.has(k)) env[k] = v;
  // A HOME of its own keeps the user's global git config (LFS filters, hooks) out of the repo.
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Bench Agent',
    GIT_AUTHOR_EMAIL: 'bench@example.test',
    GIT_COMMITTER_NAME: 'Bench Agent',
    GIT_COMMITTER_EMAIL: 'bench@example.test',
    ALLOW_AUTOLFS: '1',
  };
}

/** A throwaway git repository: { dir, env, git(args, input?), run(cmd, args), api: { cwd, env } }. */
export function makeRepo(prefix, options = {}) {
  const dir = options.dir ?? tempDir(prefix);
  const env = options.env ?? cleanEnv(tempDir(`${prefix}-home`));
  const git = (args, input) =>
    execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  if (!options.existing) {
    git(['init', '--quiet', '--initial-branch=main']);
    for (const [k, v] of [
      ['commit.gpgSign', 'false'],
      ['gc.auto', '0'],
    ])
      git(['config', k, v]);
  }
  const run = (cmd, args, extra = {}) => {
    const r = spawnSync(cmd, args, { cwd: dir, env: { ...env, ...extra }, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  };
  return { dir, env, git, run, api: { cwd: dir, env } };
}

/** Writes `files` small files (100 per folder) plus package.json and .gitignore, and commits them. */
export function fillRepo(repo, files) {
  for (let d = 0; d < Math.ceil(files / 100); d++) {
    mkdirSync(path.join(repo.dir, 'src', `d${d}`), { recursive: true });
    for (let f = 0; f < 100 && d * 100 + f < files; f++)
      writeFileSync(path.join(repo.dir, 'src', `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`);
  }
  writeFileSync(path.join(repo.dir, 'package.json'), `${JSON.stringify({ name: 'bench-app', private: true })}\n`);
  writeFileSync(path.join(repo.dir, '.gitignore'), 'node_modules/\n');
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '-m', 'files']);
}

/** Links this checkout as the repo's codexlog-hooks dependency and runs `codexlog-hooks install`. */
export function installTool(repo, extraConfig = null) {
  mkdirSync(path.join(repo.dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, path.join(repo.dir, 'node_modules', 'codexlog-hooks'), 'dir');
  repo.run(process.execPath, [BIN, 'install']);
  if (extraConfig) {
    const file = path.join(repo.dir, 'codexlog.config.json');
    const cfg = JSON.parse(execFileSync('cat', [file], { encoding: 'utf8' }));
    writeFileSync(file, `${JSON.stringify({ ...cfg, ...extraConfig }, null, 2)}\n`);
  }
}

/** The bytes under .git/lfs/objects (what LFS storage grows by). */
export function lfsBytes(repo) {
  const root = path.join(repo.dir, '.git', 'lfs', 'objects');
  let total = 0;
  let objects = 0;
  const walk = (d) => {
    let entries = [];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        total += statSync(p).size;
        objects += 1;
      }
    }
  };
  walk(root);
  return { bytes: total, objects };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times each variant `rounds` times, interleaved: round r runs every variant once, starting at
 * variant r mod n, so drift in machine load hits all of them alike. Only `run` is timed; `setup`
 * and `teardown` bracket it. Returns { [name]: { ms: [...], median } }, ms[r] for round r.
 */
export async function interleaved(rounds, variants, onRound = () => {}) {
  const out = Object.fromEntries(variants.map((v) => [v.name, { ms: [], median: Number.NaN }]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(r + i) % variants.length];
      if (v.setup) await v.setup(r);
      const t0 = performance.now();
      await v.run(r);
      out[v.name].ms[r] = performance.now() - t0;
      if (v.teardown) await v.teardown(r);
    }
    onRound(r, Object.fromEntries(variants.map((v) => [v.name, out[v.name].ms[r]])));
  }
  for (const v of variants) out[v.name].median = median(out[v.name].ms);
  return out;
}

/** Per-round ratios a[r] / b[r], and their median, min and max. */
export function pairedRatio(a, b) {
  const ratios = a.map((x, r) => x / b[r]);
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

export const num = (x, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ms = (x) => (x < 10 ? `${num(x, 2)} ms` : x < 1000 ? `${num(x, 1)} ms` : `${num(x / 1000, 2)} s`);
export const mib = (bytes) => `${num(bytes / 2 ** 20, bytes < 2 ** 20 ? 2 : 1)} MiB`;
export const ratio = (x) => `${num(x, x < 10 ? 2 : x < 100 ? 1 : 0)}x`;
export const round3 = (x) => Math.round(x * 1000) / 1000;
/** A ratio's JSON form. */
export const ratioJson = (p) => ({ median: round3(p.median), min: round3(p.min), max: round3(p.max) });
/** "met" / "NOT met" against a bound (`atMost` or `atLeast`). */
export const verdict = (value, bound, kind = 'atMost') => ((kind === 'atMost' ? value <= bound : value >= bound) ? 'met' : 'NOT met');

/** Progress goes to stderr; stdout holds the summary table and the BENCH_JSON line. */
export const progress = (msg) => process.stderr.write(`${msg}\n`);

// Something like what an agent logs: a short action name, a sentence, a little JSON.
export const fakeAction = (i) => ({
  action: ['edit', 'run', 'read', 'generate'][i % 4],
  statement: `updated src/module_${i % 97}.ts: refactored helper number ${i} and adjusted its callers`,
  metadata: { file: `src/module_${i % 97}.ts`, lines: (i * 7) % 400, tool: 'bench' },
});

/**
 * Builds a committed history of `rows` rows through the public API the way a team makes one:
 * batches recorded and finalized, so the log seals into ~1 MiB segments as it goes, then one commit.
 */
export async function buildHistory(repo, rows, options = {}) {
  const batch = options.batch ?? 3000;
  let n = 0;
  while (n < rows) {
    const size = Math.min(batch, rows - n);
    await api.recordCodexActions(
      Array.from({ length: size }, (_, i) => {
        const a = fakeAction(n + i);
        return { sessionId: `history-${Math.floor((n + i) / 500)}`, action: a.action, statement: a.statement, metadata: a.metadata };
      }),
      repo.api,
    );
    await api.finalizeCodexLogDb(repo.api);
    n += size;
    if (options.onProgress) options.onProgress(n);
  }
  api.closeCodexLogDb();
  repo.git(['commit', '-q', '-m', `history of ${rows} rows`]);
}
