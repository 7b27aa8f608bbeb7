// Section history: a commit adding 10 rows with a 1M-row history against the same commit with a
// 1k-row history, and the LFS bytes such a commit adds (the per-commit cost must not grow with
// the history: the log seals older rows into immutable segments).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  api,
  buildHistory,
  cleanup,
  fakeAction,
  fillRepo,
  installTool,
  interleaved,
  lfsBytes,
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
  verdict,
} from './harness.mjs';

export const describe = 'a commit adding 10 rows: 1M-row history vs 1k-row history, and the LFS bytes it adds';

export async function run({ quick }) {
  const BIG = quick ? 100_000 : 1_000_000;
  const SMALL = 1_000;
  const ROUNDS = quick ? 3 : 9;
  const since = mark();
  const repos = {};
  for (const [label, rows] of [
    ['small', SMALL],
    ['big', BIG],
  ]) {
    const repo = makeRepo(`history-${label}`);
    fillRepo(repo, 100);
    installTool(repo);
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '-m', 'install']);
    const t0 = Date.now();
    await buildHistory(repo, rows, { onProgress: (n) => n % 100_000 === 0 && progress(`  history ${label}: ${num(n)} rows`) });
    const segments = repo.git(['ls-files', 'databases/codex_log.segments']).split('\n').filter(Boolean).length;
    progress(`  history ${label}: ${num(rows)} rows in ${segments} segments, built in ${ms(Date.now() - t0)}`);
    repos[label] = { repo, rows, segments };
  }
  const added = { bytes: [], objects: [] };
  let n = 0;
  const res = await interleaved(
    ROUNDS,
    ['small', 'big'].map((label) => {
      const { repo } = repos[label];
      let before = null;
      return {
        name: label,
        async setup(r) {
          await api.recordCodexActions(
            Array.from({ length: 10 }, () => {
              const a = fakeAction(n++);
              return { sessionId: 'bench-history', action: a.action, statement: a.statement, metadata: a.metadata };
            }),
            repo.api,
          );
          api.closeCodexLogDb();
          writeFileSync(path.join(repo.dir, 'src', 'd0', 'f0.txt'), `round ${r}\n`);
          repo.git(['add', 'src/d0/f0.txt']);
          before = lfsBytes(repo);
        },
        run(r) {
          execFileSync('git', ['commit', '-q', '-m', `round ${r}`], { cwd: repo.dir, env: repo.env, stdio: 'ignore' });
        },
        teardown() {
          if (label !== 'big') return;
          const after = lfsBytes(repo);
          added.bytes.push(after.bytes - before.bytes);
          added.objects.push(after.objects - before.objects);
        },
      };
    }),
    (r, t) => progress(`  history round ${r + 1}/${ROUNDS}: 1k-row history ${ms(t.small)}, ${num(BIG)}-row history ${ms(t.big)}`),
  );
  const p = pairedRatio(res.big.ms, res.small.ms);
  const maxBytes = Math.max(...added.bytes);
  const rowsBig = (await api.readCodexLog({}, repos.big.repo.api)).length;
  api.closeCodexLogDb();
  cleanup(since);
  return {
    rows: [
      [
        'history',
        `commit adding 10 rows, median of ${ROUNDS}`,
        `1k-row history ${ms(res.small.median)}`,
        `${num(BIG)}-row history (${repos.big.segments} segments) ${ms(res.big.median)}`,
        `${ratio(p.median)} (${ratio(p.min)}-${ratio(p.max)}); at most 1.3x: ${verdict(p.median, 1.3)}`,
      ],
      [
        'history',
        'LFS bytes one such commit adds',
        '',
        `median ${mib(median(added.bytes))}, max ${mib(maxBytes)}, objects ${median(added.objects)}`,
        `at most 4 MiB: ${verdict(maxBytes, 4 * 2 ** 20)}`,
      ],
    ],
    json: {
      rounds: ROUNDS,
      historyRows: { small: SMALL, big: BIG },
      segments: { small: repos.small.segments, big: repos.big.segments },
      rowsReadBackBig: rowsBig,
      ms: { small: res.small.ms.map(round3), big: res.big.ms.map(round3) },
      ratio: ratioJson(p),
      lfsBytesAddedPerCommit: added.bytes,
      lfsObjectsAddedPerCommit: added.objects,
    },
  };
}
