// Section merge: the merge driver on two histories that share a base and add rows on each side,
// against the LFS plumbing any LFS-aware driver needs (smudge the three versions, clean the result).
// Twice: two 1M-row histories (+1k rows each side), and a 1k-row log (+100 each side).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  api,
  BIN,
  buildHistory,
  cleanup,
  fakeAction,
  fillRepo,
  installTool,
  interleaved,
  makeRepo,
  mark,
  ms,
  pairedRatio,
  progress,
  ratio,
  ratioJson,
  round3,
  tempDir,
  verdict,
} from './harness.mjs';

export const describe = 'the merge driver (1M-row histories +1k each side; a 1k-row log) vs LFS smudge x3 + clean';

const LOG = 'databases/codex_log.db';

/** Copies every LFS object of `from` into `to` (as a fetch would). */
function copyObjects(from, to) {
  const walk = (rel) => {
    const d = path.join(from, '.git', 'lfs', 'objects', rel);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (!existsSync(path.join(to, '.git', 'lfs', 'objects', r))) {
        mkdirSync(path.join(to, '.git', 'lfs', 'objects', rel), { recursive: true });
        copyFileSync(path.join(d, e.name), path.join(to, '.git', 'lfs', 'objects', r));
      }
    }
  };
  walk('');
}

async function measure(label, historyRows, eachSide, rounds) {
  const since = mark();
  const base = makeRepo(`merge-${label}`);
  fillRepo(base, 10);
  installTool(base);
  base.git(['add', '-A']);
  base.git(['commit', '-q', '-m', 'install']);
  await buildHistory(base, historyRows);
  const sides = {};
  let n = 0;
  for (const side of ['ours', 'theirs']) {
    const dir = tempDir(`merge-${label}-${side}`);
    cpSync(base.dir, dir, { recursive: true, verbatimSymlinks: true });
    const repo = makeRepo(`merge-${label}-${side}`, { dir, env: base.env, existing: true });
    await api.recordCodexActions(
      Array.from({ length: eachSide }, () => {
        const a = fakeAction(n++);
        return { sessionId: side, action: a.action, statement: `${side}: ${a.statement}`, metadata: a.metadata };
      }),
      repo.api,
    );
    api.closeCodexLogDb();
    writeFileSync(path.join(dir, `${side}.txt`), side);
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '-m', side]);
    sides[side] = repo;
  }
  const ours = sides.ours;
  copyObjects(sides.theirs.dir, ours.dir);
  const files = tempDir(`merge-${label}-files`);
  const ptr = {
    base: base.git(['show', `HEAD:${LOG}`]),
    ours: ours.git(['show', `HEAD:${LOG}`]),
    theirs: sides.theirs.git(['show', `HEAD:${LOG}`]),
  };
  for (const [k, v] of Object.entries(ptr)) writeFileSync(path.join(files, k), v);
  const work = path.join(files, 'A');
  const oursContent = path.join(files, 'ours.db');
  writeFileSync(
    oursContent,
    execFileSync('git', ['lfs', 'smudge', '--', LOG], { cwd: ours.dir, env: ours.env, input: ptr.ours, maxBuffer: 1 << 30 }),
  );
  const uids = (pointerText) => {
    const f = path.join(files, 'check.db');
    writeFileSync(
      f,
      execFileSync('git', ['lfs', 'smudge', '--', LOG], { cwd: ours.dir, env: ours.env, input: pointerText, maxBuffer: 1 << 30 }),
    );
    const db = new Database(f, { readonly: true });
    try {
      return db.prepare('SELECT uid FROM codex_actions').pluck().all();
    } finally {
      db.close();
    }
  };
  const count = (pointerText) => uids(pointerText).length;
  // Every row of both sides, once: what the merged log must hold.
  const expected = new Set([...uids(ptr.ours), ...uids(ptr.theirs)]).size;
  let merged = 0;
  const res = await interleaved(
    rounds,
    [
      {
        name: 'plumbing',
        run() {
          for (const k of ['base', 'ours', 'theirs'])
            execFileSync('git', ['lfs', 'smudge', '--', LOG], { cwd: ours.dir, env: ours.env, input: ptr[k], maxBuffer: 1 << 30 });
          execFileSync('git', ['lfs', 'clean', '--', LOG], { cwd: ours.dir, env: ours.env, input: readFileSync(oursContent) });
        },
      },
      {
        name: 'driver',
        setup() {
          writeFileSync(work, ptr.ours);
        },
        run() {
          execFileSync(process.execPath, [BIN, 'merge-driver', path.join(files, 'base'), work, path.join(files, 'theirs'), LOG], {
            cwd: ours.dir,
            env: ours.env,
            stdio: 'ignore',
          });
        },
        teardown() {
          merged = count(readFileSync(work, 'utf8'));
        },
      },
    ],
    (r, t) => progress(`  merge ${label} round ${r + 1}/${rounds}: plumbing ${ms(t.plumbing)}, driver ${ms(t.driver)}`),
  );
  cleanup(since);
  return { res, merged, expected, paired: pairedRatio(res.driver.ms, res.plumbing.ms) };
}

export async function run({ quick }) {
  const big = await measure('1M', quick ? 100_000 : 1_000_000, quick ? 100 : 1000, quick ? 3 : 7);
  const small = await measure('1k', 1000, 100, quick ? 3 : 11);
  const line = (m, what, bound) => [
    'merge',
    what,
    `LFS plumbing ${ms(m.res.plumbing.median)}`,
    `driver ${ms(m.res.driver.median)} (${m.merged === m.expected ? 'rows ok' : `ROWS WRONG: ${m.merged}/${m.expected}`})`,
    `${ratio(m.paired.median)} (${ratio(m.paired.min)}-${ratio(m.paired.max)}); ${bound}`,
  ];
  return {
    rows: [
      line(
        big,
        `2 x ${quick ? '100k' : '1M'}-row histories, +${quick ? 100 : 1000} rows each side`,
        `at most 2x: ${verdict(big.paired.median, 2)}`,
      ),
      line(small, '1k-row log, +100 rows each side', `driver at most 150 ms: ${verdict(small.res.driver.median, 150)}`),
    ],
    json: Object.fromEntries(
      [
        ['history', big],
        ['small', small],
      ].map(([k, m]) => [
        k,
        {
          mergedRows: m.merged,
          expectedRows: m.expected,
          ms: { plumbing: m.res.plumbing.ms.map(round3), driver: m.res.driver.ms.map(round3) },
          medianMs: { plumbing: round3(m.res.plumbing.median), driver: round3(m.res.driver.median) },
          ratio: ratioJson(m.paired),
        },
      ]),
    ),
  };
}
