// Section commit: a logged commit in a 5,000-file repository against the same commit where a
// husky pre-commit only starts node (`node -e ''`). It also counts the node processes a logged
// commit starts (post-commit, post-rewrite and post-merge must start none).

import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  cleanup,
  fillRepo,
  HUSKY_BIN,
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

export const describe = "a logged commit in a 5,000-file repo vs a husky pre-commit running node -e ''";

/** A PATH folder whose `node` logs each start, then runs the real node. */
function countingNode() {
  const dir = tempDir('node-counter');
  const log = path.join(dir, 'starts.log');
  const real = process.execPath;
  writeFileSync(path.join(dir, 'node'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(path.join(dir, 'node'), 0o755);
  writeFileSync(log, '');
  return { dir, count: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length, reset: () => writeFileSync(log, '') };
}

export async function run({ quick }) {
  const FILES = quick ? 500 : 5000;
  const ROUNDS = quick ? 3 : 15;
  const since = mark();
  const baseline = makeRepo('commit-node');
  fillRepo(baseline, FILES);
  execFileSync(process.execPath, [HUSKY_BIN], { cwd: baseline.dir, env: baseline.env, stdio: 'ignore' });
  writeFileSync(path.join(baseline.dir, '.husky', 'pre-commit'), "node -e ''\n");
  const logged = makeRepo('commit-logged');
  fillRepo(logged, FILES);
  installTool(logged);
  logged.git(['add', '-A']);
  logged.git(['commit', '-q', '-m', 'install']);
  // Counting node starts of one logged commit (outside the timed rounds).
  const counter = countingNode();
  const envWith = (repo) => ({ ...repo.env, PATH: `${counter.dir}:${repo.env.PATH}` });
  writeFileSync(path.join(logged.dir, 'src', 'd0', 'f1.txt'), 'count\n');
  logged.git(['add', 'src/d0/f1.txt']);
  execFileSync('git', ['commit', '-q', '-m', 'count'], { cwd: logged.dir, env: envWith(logged), stdio: 'ignore' });
  const nodeStarts = counter.count();
  counter.reset();
  execFileSync('git', ['commit', '-q', '--amend', '-m', 'count (amend)'], { cwd: logged.dir, env: envWith(logged), stdio: 'ignore' });
  const amendStarts = counter.count();
  progress(`  commit: node processes per logged commit ${nodeStarts}, per amend ${amendStarts}`);

  const variants = [
    ['node -e hook', baseline],
    ['logged commit', logged],
  ].map(([name, repo]) => ({
    name,
    setup(r) {
      writeFileSync(path.join(repo.dir, 'src', 'd0', 'f0.txt'), `round ${r} ${name}\n`);
      repo.git(['add', 'src/d0/f0.txt']);
    },
    run(r) {
      execFileSync('git', ['commit', '-q', '-m', `round ${r}`], { cwd: repo.dir, env: repo.env, stdio: 'ignore' });
    },
  }));
  progress(`  commit: ${FILES} files per repo, ${ROUNDS} rounds`);
  const res = await interleaved(ROUNDS, variants, (r, t) =>
    progress(`  commit round ${r + 1}/${ROUNDS}: node -e hook ${ms(t['node -e hook'])}, logged ${ms(t['logged commit'])}`),
  );
  const status = logged.git(['status', '--porcelain']).trim();
  if (status) progress(`  WARNING: the logged repo is dirty after the rounds: ${status}`);
  const p = pairedRatio(res['logged commit'].ms, res['node -e hook'].ms);
  cleanup(since);
  return {
    rows: [
      [
        'commit',
        `${FILES}-file repo, median of ${ROUNDS}`,
        `husky pre-commit node -e '' ${ms(res['node -e hook'].median)}`,
        `logged commit ${ms(res['logged commit'].median)}`,
        `${ratio(p.median)} (${ratio(p.min)}-${ratio(p.max)}); at most 1.6x: ${verdict(p.median, 1.6)}, goal 1.25x: ${verdict(p.median, 1.25)}`,
      ],
      ['commit', 'node processes started', '', `per commit ${nodeStarts}, per amend ${amendStarts}`, 'post-* hooks start none'],
    ],
    json: {
      files: FILES,
      rounds: ROUNDS,
      clean: status === '',
      nodeStartsPerCommit: nodeStarts,
      nodeStartsPerAmend: amendStarts,
      ms: Object.fromEntries(Object.entries(res).map(([k, v]) => [k, { median: round3(v.median), perRound: v.ms.map(round3) }])),
      ratio: ratioJson(p),
    },
  };
}
