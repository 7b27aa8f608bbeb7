#!/usr/bin/env node
// `npm test`'s runner: every tier through uvu, with TMPDIR pointed at a folder of this run's own,
// then a check that no test (and nothing a test ran) left a file behind there. The e2e tier's
// installed-package cache lives outside it on purpose (CODEXLOG_E2E_CACHE), to be reused by later runs.
//
//   node scripts/test.mjs [folder] [pattern]      (default: test "\.test\.ts$")
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [dir = 'test', pattern = '\\.test\\.ts$'] = process.argv.slice(2);
const outerTmp = os.tmpdir();
const runTmp = realpathSync(mkdtempSync(path.join(outerTmp, 'codexlog-test-run-')));
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');
const r = spawnSync(process.execPath, [uvu, '-r', 'tsx', dir, pattern, '-i', 'fixtures'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: runTmp, CODEXLOG_E2E_CACHE: process.env.CODEXLOG_E2E_CACHE ?? outerTmp },
});
// tsx keeps its compile cache in TMPDIR (tsx-<uid>): the runner's own, not a test's leftover.
const left = readdirSync(runTmp).filter((name) => !/^tsx-\d+$/.test(name));
rmSync(runTmp, { recursive: true, force: true });
if (left.length > 0) {
  console.error(`\nTests left ${left.length} temp entr${left.length === 1 ? 'y' : 'ies'} behind (each test must clean up what it makes):`);
  for (const name of left.slice(0, 20)) console.error(`  ${name}`);
}
process.exitCode = r.status !== 0 ? (r.status ?? 1) : left.length > 0 ? 1 : 0;
