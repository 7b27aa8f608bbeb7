// Section rebase: a 20-commit rebase of a logged branch onto a main that moved, with the merge
// driver, against the same rebase with the driver replaced by `true` (git then keeps one side of
// the log without merging: what replaying costs without the driver).
import { execFileSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  api,
  cleanup,
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

export const describe = 'a 20-commit rebase with the merge driver vs the same rebase without it';

export async function run({ quick }) {
  const COMMITS = quick ? 5 : 20;
  const ROUNDS = quick ? 2 : 5;
  const since = mark();
  const tpl = makeRepo('rebase');
  fillRepo(tpl, 10);
  installTool(tpl);
  tpl.git(['add', '-A']);
  tpl.git(['commit', '-q', '-m', 'install']);
  // A log of 1k rows, then a branch of logged commits, and one logged commit on main meanwhile.
  await api.recordCodexActions(
    Array.from({ length: 1000 }, (_, i) => ({ action: 'edit', statement: `history ${i}` })),
    tpl.api,
  );
  api.closeCodexLogDb();
  tpl.git(['commit', '-q', '--allow-empty', '-m', 'history']);
  tpl.git(['checkout', '-q', '-b', 'feature']);
  for (let i = 0; i < COMMITS; i++) {
    await api.recordCodexAction('feature', 'edit', `feature change ${i}`, null, tpl.api);
    api.closeCodexLogDb();
    writeFileSync(path.join(tpl.dir, `feature-${i}.txt`), `${i}\n`);
    tpl.git(['add', '-A']);
    tpl.git(['commit', '-q', '-m', `feature ${i}`]);
  }
  tpl.git(['checkout', '-q', 'main']);
  await api.recordCodexAction('main', 'edit', 'main moved', null, tpl.api);
  api.closeCodexLogDb();
  writeFileSync(path.join(tpl.dir, 'main.txt'), 'main\n');
  tpl.git(['add', '-A']);
  tpl.git(['commit', '-q', '-m', 'main moved']);
  tpl.git(['checkout', '-q', 'feature']);
  const copies = {};
  const fresh = (name, r) => {
    const dir = tempDir(`rebase-${name}-${r}`);
    cpSync(tpl.dir, dir, { recursive: true, verbatimSymlinks: true });
    const repo = makeRepo(`rebase-${name}`, { dir, env: tpl.env, existing: true });
    if (name === 'without driver') repo.git(['config', 'merge.codexlog.driver', 'true']);
    copies[name] = repo;
  };
  let conflicts = 0;
  const res = await interleaved(
    ROUNDS,
    ['without driver', 'with driver'].map((name) => ({
      name,
      setup: (r) => fresh(name, r),
      run() {
        const repo = copies[name];
        execFileSync('git', ['rebase', '-q', 'main'], { cwd: repo.dir, env: repo.env, stdio: 'ignore' });
      },
      teardown() {
        if (copies[name].git(['status', '--porcelain']).trim()) conflicts++;
      },
    })),
    (r, t) => progress(`  rebase round ${r + 1}/${ROUNDS}: without driver ${ms(t['without driver'])}, with driver ${ms(t['with driver'])}`),
  );
  const p = pairedRatio(res['with driver'].ms, res['without driver'].ms);
  cleanup(since);
  return {
    rows: [
      [
        'rebase',
        `${COMMITS} logged commits onto a moved main, median of ${ROUNDS}`,
        `without the driver ${ms(res['without driver'].median)}`,
        `with the driver ${ms(res['with driver'].median)}${conflicts ? ` (${conflicts} left unclean)` : ''}`,
        `${ratio(p.median)} (${ratio(p.min)}-${ratio(p.max)}); at most 2x: ${verdict(p.median, 2)}`,
      ],
    ],
    json: {
      commits: COMMITS,
      rounds: ROUNDS,
      unclean: conflicts,
      ms: Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v.ms.map(round3)])),
      ratio: ratioJson(p),
    },
  };
}
