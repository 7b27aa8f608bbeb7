#!/usr/bin/env node
// `npm run demo`: the whole job end to end in a throwaway repository in the OS temp dir.
// 1. install codexlog-hooks into a fresh repo, 2. an agent session through the API and the CLI,
// 3. a commit blocked by the LFS gate, and its message, 4. the commit as an agent makes it,
// 5. the log. Nothing outside the temp dir is touched.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'codexlog-hooks.js');
const repo = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'codexlog-demo-')));
const keep = process.argv.includes('--keep');

// A clean environment: nothing inherited from a surrounding git hook or agent session.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) =>
      !k.startsWith('GIT_') &&
      !['GH_COPILOT_WORKSPACE', 'SESSION_ID_SOURCE', 'TEST_MODE', 'ALLOW_AUTOLFS', 'HUSKY', 'CODEXLOG_HOOKS'].includes(k),
  ),
);

/** A failed step: reported in one line, after the throwaway repository is removed. */
class DemoError extends Error {}

const step = (title) => console.log(`\n\x1b[1m== ${title}\x1b[0m`);
function run(cmd, args, extraEnv = {}, { show = true, allowFail = false } = {}) {
  if (show) console.log(`$ ${[cmd, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: repo, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`.trimEnd();
  if (show && out) console.log(out.replace(/^/gm, '  '));
  if (r.status !== 0 && !allowFail) throw new DemoError(`\`${cmd} ${args.join(' ')}\` failed with exit ${r.status}`);
  return r;
}
const cli = (args, extraEnv, opts) => run('node', [bin, ...args], extraEnv, opts);

try {
  if (spawnSync('git', ['lfs', 'version']).status !== 0) {
    throw new DemoError('git-lfs is not installed. Install it (Debian/Ubuntu: sudo apt-get install git-lfs), then run npm run demo again.');
  }
  console.log(`Throwaway repository: ${repo}`);

  step('1. A fresh repository adopts codexlog-hooks');
  run('git', ['init', '-q', '-b', 'main'], {}, { show: false });
  for (const [k, v] of [
    ['user.name', 'Demo Agent'],
    ['user.email', 'agent@demo.invalid'],
    ['commit.gpgSign', 'false'],
  ]) {
    run('git', ['config', k, v], {}, { show: false });
  }
  writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify({ name: 'demo-app', private: true }, null, 2)}\n`);
  writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
  // As `npm install -D codexlog-hooks` would, minus the download: link this checkout.
  mkdirSync(path.join(repo, 'node_modules'), { recursive: true });
  symlinkSync(root, path.join(repo, 'node_modules', 'codexlog-hooks'), 'dir');
  cli(['install']);

  step('2. An agent works: a session through the API and the CLI');
  const api = await import(path.join(root, 'dist', 'src', 'index.js'));
  const opts = { cwd: repo, env };
  const session = await api.logCodexStart('demo-session-1', opts);
  await api.recordCodexAction(session, 'plan', 'read the issue and planned the change', { files: ['src/app.js'] }, opts);
  writeFileSync(path.join(repo, 'app.js'), 'console.log("hello");\n');
  await api.recordCodexAction(session, 'generate', 'created app.js', 'one file, 1 line', opts);
  await api.logCodexEnd(session, 'app.js created', opts);
  api.closeCodexLogDb();
  cli(['session', 'start', '--id', 'demo-session-2']);
  cli(['record', 'test', 'ran the tests: 3 passed', '--metadata', '{"passed":3,"failed":0}']);

  step('3. Committing without ALLOW_AUTOLFS is blocked, with the fix in the message');
  run('git', ['add', '-A'], {}, { show: false });
  const blocked = run('git', ['commit', '-m', 'Add app.js'], {}, { allowFail: true });
  console.log(`  (exit code ${blocked.status}; index and databases unchanged)`);

  step('4. The agent commits with ALLOW_AUTOLFS=1');
  run('git', ['commit', '-q', '-m', 'Add app.js'], { ALLOW_AUTOLFS: '1' });
  run('git', ['show', '--stat', '--format=%h %s', 'HEAD']);
  run('git', ['lfs', 'ls-files']);
  run('git', ['status', '--short']);
  cli(['session', 'end', '--summary', 'tests pass']);

  step('5. The log');
  cli(['log']);
  cli(['check'], { ALLOW_AUTOLFS: '1' });
  console.log(`\nDone.${keep ? ` The repository is kept at ${repo}` : ' (run with -- --keep to keep the repository)'}`);
} catch (e) {
  if (!(e instanceof DemoError)) throw e;
  console.error(`demo: ${e.message}`);
  process.exitCode = 1;
} finally {
  if (!keep) rmSync(repo, { recursive: true, force: true });
}
