#!/usr/bin/env node
// `npm run demo`: the whole job end to end, in throwaway repositories in the OS temp dir.
//  1. a fresh repository adopts codexlog-hooks (git hooks, Git LFS, the agents' hooks)
//  2. a Codex session and a Claude Code session arrive through the installed agent hooks, run the
//     way the agents run them; a secret in them is redacted; the work tree stays clean
//  3. the seed's API and the CLI still record
//  4. a commit blocked by the Git LFS gate, then the commit as an agent makes it (one LFS object,
//     the sessions named in a trailer)
//  5. reading the log: log --session, sessions, show, why, stats, the HTML report
//  6. a session from before install, imported from its transcript (twice: nothing added again)
//  7. a teammate's clone: both commit, a pull merges the logs without a conflict
//  8. scan and check
// Nothing outside the temp dir is touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'codexlog-hooks.js');
const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'codexlog-demo-')));
const repo = path.join(base, 'app');
const keep = process.argv.includes('--keep');

// A clean environment: nothing inherited from a surrounding git hook or agent session, a HOME of
// its own (no global git config or Codex config leaks in).
const { ENV_VARIABLES } = await import(path.join(root, 'dist', 'src', 'index.js'));
const home = path.join(base, 'home');
mkdirSync(home);
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_') && !ENV_VARIABLES.includes(k))),
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  GIT_CONFIG_NOSYSTEM: '1',
  CODEX_HOME: path.join(home, '.codex'),
};

/** A failed step: reported in one line, after the throwaway repositories are removed. */
class DemoError extends Error {}

const step = (title) => console.log(`\n\x1b[1m== ${title}\x1b[0m`);
const note = (text) => console.log(`\x1b[2m${text}\x1b[0m`);
function run(cmd, args, { extraEnv = {}, show = true, allowFail = false, cwd = repo, input } = {}) {
  if (show) console.log(`$ ${[cmd, ...args].map((a) => (/[\s"$;|&]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', input });
  const out = `${r.stdout}${r.stderr}`.trimEnd();
  if (show && out) console.log(out.replace(/^/gm, '  '));
  if (r.status !== 0 && !allowFail) throw new DemoError(`\`${cmd} ${args.join(' ')}\` failed with exit ${r.status}`);
  return r;
}
const cli = (args, opts = {}) => run('codexlog-hooks', args, { ...opts, extraEnv: { ...opts.extraEnv } });
const ALLOW = { ALLOW_AUTOLFS: '1' };

/** Makes `dir` a project that depends on codexlog-hooks, as `npm install -D codexlog-hooks` would (linked to this checkout). */
function adopt(dir) {
  if (!existsSync(path.join(dir, 'package.json')))
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'demo-app', private: true }, null, 2)}\n`);
  mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(root, path.join(dir, 'node_modules', 'codexlog-hooks'), 'dir');
  symlinkSync(bin, path.join(dir, 'node_modules', '.bin', 'codexlog-hooks'));
}
env.PATH = `${path.join(repo, 'node_modules', '.bin')}${path.delimiter}${env.PATH}`;

/** The command install wrote into an agent's hook file. */
function hookCommand(file) {
  const data = JSON.parse(readFileSync(path.join(repo, file), 'utf8'));
  return data.hooks.PostToolUse.flatMap((g) => g.hooks).find((h) => h.command.includes('/codexlog/agent-hook')).command;
}

/** Sends one event to the agent hook as the agent does: its shell, the session's cwd, the payload on stdin. */
function fire(shell, command, payload, cwd) {
  const r = spawnSync(shell, ['-c', command], { cwd, env, input: JSON.stringify(payload), encoding: 'utf8' });
  if (r.status !== 0 || r.stdout !== '')
    throw new DemoError(`the agent hook exited ${r.status} or printed to stdout: ${r.stdout}${r.stderr}`);
}

try {
  if (spawnSync('git', ['lfs', 'version']).status !== 0) {
    throw new DemoError('git-lfs is not installed. Install it (Debian/Ubuntu: sudo apt-get install git-lfs), then run npm run demo again.');
  }
  console.log(`Throwaway folder: ${base}`);

  step('1. A fresh repository adopts codexlog-hooks');
  mkdirSync(repo);
  run('git', ['init', '-q', '-b', 'main'], { show: false });
  for (const [k, v] of [
    ['user.name', 'Demo Agent'],
    ['user.email', 'agent@demo.invalid'],
    ['commit.gpgSign', 'false'],
  ])
    run('git', ['config', k, v], { show: false });
  writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
  mkdirSync(path.join(repo, 'src'));
  writeFileSync(path.join(repo, 'src', 'README.md'), '# the app\n');
  adopt(repo);
  note('(as after `npm install -D codexlog-hooks`)');
  cli(['install']);
  run('git', ['add', '-A'], { show: false });
  run('git', ['commit', '-q', '-m', 'Adopt codexlog-hooks'], { extraEnv: ALLOW });

  step('2. Agents work: their own hooks log them (nothing hand-instrumented)');
  const secret = `ghp_${'D3moT0kenN0tReal'.repeat(2)}abcdefgh`;
  const codexCmd = hookCommand('.codex/hooks.json');
  const claudeCmd = hookCommand('.claude/settings.json');
  note(`.codex/hooks.json and .claude/settings.json run, for every event: ${codexCmd}`);
  const sub = path.join(repo, 'src');
  const codexSid = '019ab2c4-43c7-7c93-ac30-7fa0f6ab878c';
  const turn = { session_id: codexSid, turn_id: '019ab2c4-43df-7191-9d66-7fbcae52a1cc', transcript_path: null, cwd: sub, model: 'gpt-5.5' };
  note(
    `A Codex session in src/ (payloads as Codex sends them, through /bin/bash -c "<command>"); its command exports a token: ${secret.slice(0, 8)}…`,
  );
  fire('/bin/bash', codexCmd, { ...turn, turn_id: undefined, hook_event_name: 'SessionStart', source: 'startup' }, sub);
  fire(
    '/bin/bash',
    codexCmd,
    { ...turn, hook_event_name: 'UserPromptSubmit', prompt: 'Add a greeting to the app, then run the tests' },
    sub,
  );
  writeFileSync(path.join(sub, 'app.js'), 'console.log("hello");\n');
  fire(
    '/bin/bash',
    codexCmd,
    {
      ...turn,
      hook_event_name: 'PostToolUse',
      tool_name: 'apply_patch',
      tool_input: { command: '*** Begin Patch\n*** Add File: app.js\n+console.log("hello");\n*** End Patch\n' },
      tool_response: 'Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\nA app.js\n',
      tool_use_id: 'call_demo_patch',
    },
    sub,
  );
  fire(
    '/bin/bash',
    codexCmd,
    {
      ...turn,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: `export GITHUB_TOKEN=${secret} && node app.js` },
      tool_response: 'hello\n',
      tool_use_id: 'call_demo_run',
    },
    sub,
  );
  fire('/bin/bash', codexCmd, { ...turn, hook_event_name: 'Stop', last_assistant_message: 'Added app.js; it prints hello.' }, sub);
  fire(
    '/bin/bash',
    codexCmd,
    { session_id: codexSid, transcript_path: null, cwd: sub, hook_event_name: 'SessionEnd', reason: 'other' },
    sub,
  );
  const claudeSid = 'c1a0de5e-559c-4106-a8a8-cc5140294e74';
  const claude = { session_id: claudeSid, transcript_path: null, cwd: repo, prompt_id: '8d4397fb-a75e-40f6-aebb-983fdf3fe0a2' };
  note('A Claude Code session at the top level (through /bin/sh -c "<command>"): a failing command, then an edit');
  fire('/bin/sh', claudeCmd, { ...claude, hook_event_name: 'SessionStart', source: 'startup' }, repo);
  fire('/bin/sh', claudeCmd, { ...claude, hook_event_name: 'UserPromptSubmit', prompt: 'Make the greeting louder' }, repo);
  fire(
    '/bin/sh',
    claudeCmd,
    {
      ...claude,
      hook_event_name: 'PostToolUseFailure',
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      tool_use_id: 'toolu_demo_1',
      error: 'Exit code 1\nnpm error Missing script: "test"',
    },
    repo,
  );
  writeFileSync(path.join(sub, 'app.js'), 'console.log("HELLO!");\n');
  fire(
    '/bin/sh',
    claudeCmd,
    {
      ...claude,
      hook_event_name: 'PostToolUse',
      tool_name: 'Edit',
      tool_input: { file_path: path.join(sub, 'app.js'), old_string: 'hello', new_string: 'HELLO!' },
      tool_response: { filePath: path.join(sub, 'app.js'), originalFile: 'console.log("hello");\n', structuredPatch: [] },
      tool_use_id: 'toolu_demo_2',
      duration_ms: 4,
    },
    repo,
  );
  fire('/bin/sh', claudeCmd, { ...claude, hook_event_name: 'Stop', last_assistant_message: 'Done.' }, repo);
  note("The rows wait in the git dir: the work tree shows only the agents' own work.");
  run('git', ['status', '--short']);
  note('`log` shows them at once (uncommitted: *); the token is redacted before anything stored it.');
  cli(['log']);

  step("3. The seed's API and the CLI record too (Python-era agents keep working)");
  const api = await import(path.join(root, 'dist', 'src', 'index.js'));
  const opts = { cwd: repo, env };
  const session = await api.logCodexStart('demo-api-session', opts);
  await api.recordCodexAction(session, 'plan', 'read the issue and planned the change', { files: ['src/app.js'] }, opts);
  await api.logCodexEnd(session, 'planned', opts);
  api.closeCodexLogDb();
  note('recordCodexAction() from the library, then the CLI:');
  cli(['record', 'review', 'looked over app.js', '--session', 'demo-api-session']);

  step('4. Committing: blocked without ALLOW_AUTOLFS (the fix is in the message), then as an agent commits');
  const config = JSON.parse(readFileSync(path.join(repo, 'codexlog.config.json'), 'utf8'));
  config.agents.commitTrailer = true;
  writeFileSync(path.join(repo, 'codexlog.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  note('(codexlog.config.json: "agents": {"commitTrailer": true} names the sessions in each commit message)');
  run('git', ['add', '-A'], { show: false });
  const blocked = run('git', ['commit', '-m', 'Add app.js'], { allowFail: true });
  note(`(exit code ${blocked.status}; index and databases unchanged)`);
  run('git', ['commit', '-q', '-m', 'Add app.js'], { extraEnv: ALLOW });
  run('git', ['log', '-1', '--format=%h %s%n%n%b']);
  note('Both databases are one LFS object; the work tree is clean:');
  run('git', ['lfs', 'ls-files']);
  run('git', ['status', '--short']);

  step('5. Reading the log');
  cli(['log', '--session', codexSid]);
  cli(['sessions']);
  cli(['show', 'HEAD']);
  cli(['why', 'src/app.js']);
  cli(['stats']);
  cli(['report']);

  step('6. A session from before install, imported from its transcript');
  const fixture = path.join(root, 'test', 'fixtures', 'agents', 'codex', 'default');
  const rollout = readdirSync(fixture).find((f) => f.startsWith('rollout-'));
  const sessions = path.join(base, 'codex-sessions');
  mkdirSync(sessions);
  writeFileSync(path.join(sessions, rollout), readFileSync(path.join(fixture, rollout), 'utf8').replaceAll('@REPO@', repo));
  note('(a rollout a real Codex 0.171 wrote, moved into this repository)');
  cli(['import', 'codex', sessions]);
  note('Importing it again adds nothing (its rows have the ids the hooks would have given them):');
  cli(['import', 'codex', sessions]);

  step("7. A teammate's clone: both log and commit, a pull merges the logs without a conflict");
  const remote = path.join(base, 'remote.git');
  run('git', ['init', '-q', '--bare', '-b', 'main', remote], { show: false });
  note('(the imported rows wait in the git dir like any others: finalize stages them now, without other changes)');
  cli(['finalize'], { extraEnv: ALLOW });
  run('git', ['commit', '-q', '-m', 'Log an imported session'], { extraEnv: ALLOW });
  run('git', ['remote', 'add', 'origin', `file://${remote}`], { show: false });
  run('git', ['push', '-q', '-u', 'origin', 'main'], { extraEnv: ALLOW });
  const mate = path.join(base, 'teammate');
  run('git', ['clone', '-q', `file://${remote}`, mate], { cwd: base });
  for (const [k, v] of [
    ['user.name', 'Teammate'],
    ['user.email', 'mate@demo.invalid'],
  ])
    run('git', ['config', k, v], { cwd: mate, show: false });
  adopt(mate);
  note('(the teammate runs npm install: the prepare script installs the hooks in that clone)');
  run('codexlog-hooks', ['install', '--prepare'], {
    cwd: mate,
    extraEnv: { PATH: `${path.join(mate, 'node_modules', '.bin')}:${env.PATH}` },
  });
  note('(its clone came before the LFS filters were set up: the databases are pointers until `git lfs pull`)');
  run('git', ['lfs', 'pull'], { cwd: mate });
  run('codexlog-hooks', ['record', 'edit', 'teammate: added docs'], { cwd: mate });
  writeFileSync(path.join(mate, 'DOCS.md'), '# docs\n');
  run('git', ['add', 'DOCS.md'], { cwd: mate, show: false });
  run('git', ['commit', '-q', '-m', 'Add docs'], { cwd: mate, extraEnv: ALLOW });
  run('git', ['push', '-q'], { cwd: mate, extraEnv: ALLOW });
  cli(['record', 'edit', 'meanwhile: tweaked app.js']);
  writeFileSync(path.join(sub, 'app.js'), 'console.log("HELLO, team!");\n');
  run('git', ['commit', '-q', '-am', 'Tweak the greeting'], { extraEnv: ALLOW });
  run('git', ['pull', '-q', '--no-rebase', '--no-edit'], { extraEnv: ALLOW });
  run('git', ['log', '--oneline', '--graph', '-4']);
  cli(['log', '--action', 'edit']);

  step('8. scan (no secret in any committed version) and check');
  cli(['scan', '--history']);
  cli(['check'], { extraEnv: ALLOW, allowFail: true });
  console.log(`\nDone.${keep ? ` Everything is kept in ${base}` : ' (run with -- --keep to keep the repositories)'}`);
} catch (e) {
  if (!(e instanceof DemoError)) throw e;
  console.error(`demo: ${e.message}`);
  process.exitCode = 1;
} finally {
  if (!keep) rmSync(base, { recursive: true, force: true });
}
