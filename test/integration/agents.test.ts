// Agents log themselves: the hook command install writes into .codex/hooks.json and
// .claude/settings.json, run as each agent runs it (its shell, its cwd, the payload on stdin), in
// real repositories with the package linked and installed. Rows are in `log` at once, enter the
// committed log at the next commit, and the work tree stays clean throughout.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AGENT_FILES, agentHookCommand } from '../../src/install/agent-hooks.ts';
import { claudeSession, codexSession, doneMessage, fireConcurrently, fireHook, installedCommand } from '../helpers/agents.ts';
import { expectCleanTree, inboxFiles, LOG, logJson, stateDir } from '../helpers/log.ts';
import { queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import { install, linkPackage, TEAM_ENV } from '../helpers/team.ts';

const repos = throwawayRepos(test);

/** A repository with the package linked and installed (both agents), and a first commit. */
function agentRepo(): TestRepo {
  const r = repos.repo();
  writeFileSync(path.join(r.dir, 'package.json'), `${JSON.stringify({ name: 'app', private: true }, null, 2)}\n`);
  writeFileSync(path.join(r.dir, '.gitignore'), 'node_modules/\n');
  linkPackage(r);
  install(r);
  r.git(['add', '-A']);
  r.git(['commit', '-q', '-m', 'initial'], { env: TEAM_ENV });
  return r;
}

const clean = (r: TestRepo) => expectCleanTree(r);
const meta = (m: string | null) => JSON.parse(m ?? 'null');
const commitAll = (r: TestRepo, subject: string) => {
  r.git(['add', '-A']);
  r.git(['commit', '-q', '-m', subject], { env: TEAM_ENV });
};

test('a Codex session from a subdirectory: rows at once, paths relative to the repository, tree clean, then committed with its sessions', async () => {
  const r = agentRepo();
  const sub = path.join(r.dir, 'sub', 'dir');
  mkdirSync(sub, { recursive: true });
  writeFileSync(path.join(sub, '.keep'), '');
  commitAll(r, 'sub');
  const sid = '01a21c24-43c7-7c93-ac30-7fa0f6ab878c';
  for (const p of codexSession(sid, sub)) fireHook(r, 'codex', p, { cwd: sub });
  clean(r);
  const rows = logJson(r, ['--session', sid]);
  assert.equal(
    rows.map((x) => [x.action, x.statement, x.pending]),
    [
      ['prompt', 'add a greeting', true],
      ['tool.Bash', 'ls', true],
      ['tool.apply_patch', 'A sub/dir/hello.txt', true],
      ['tool.Bash', 'exit 3', true],
    ],
  );
  const patch = meta(rows[2].metadata);
  assert.equal(patch.files, ['sub/dir/hello.txt']);
  assert.is(patch.cwd, 'sub/dir');
  assert.is(patch.tool_use_id, `${sid}-call-2`);
  assert.is(patch.turn_id, `${sid}-turn-1`);
  assert.is(patch.model, 'gpt-5.5');
  // Session events: start, turn end, end, under the agent's own session id.
  const events = (await queryDb<{ event: string; summary: string }>(
    path.join(stateDir(r), 'uncommitted.db'),
    'SELECT event, summary FROM events WHERE session_id = ? ORDER BY seq',
    [sid],
  )) as Array<{ event: string; summary: string }>;
  assert.equal(
    events.map((e) => e.event),
    ['start', 'turn.end', 'end'],
  );
  assert.equal(JSON.parse(events[0].summary), { agent: 'codex', model: 'gpt-5.5', source: 'startup', cwd: 'sub/dir' });
  assert.equal(inboxFiles(r), [], 'payload files deleted once stored');

  r.write('work.txt', 'work\n');
  commitAll(r, 'agent work');
  clean(r);
  // The commit folded the session's rows; its pre-commit row names the session.
  const committed = await queryDb<{ action: string; session_id: string; metadata: string }>(
    path.join(r.dir, LOG),
    'SELECT action, session_id, metadata FROM codex_actions ORDER BY id',
  );
  assert.equal(committed.filter((c) => c.session_id === sid).length, 4);
  const pre = committed.filter((c) => c.action === 'git.pre-commit').at(-1);
  assert.equal(meta(pre?.metadata ?? null).sessions, [{ id: sid, agent: 'codex', model: 'gpt-5.5', rows: 4 }]);
  // log --session: the session's actions and the commit they went into.
  const after = logJson(r, ['--session', sid]);
  assert.equal(
    after.map((x) => [x.action, x.pending]),
    [
      ['prompt', false],
      ['tool.Bash', false],
      ['tool.apply_patch', false],
      ['tool.Bash', false],
      ['git.pre-commit', false],
      ['git.commit', true],
    ],
  );
  assert.is(meta(after[5].metadata).sha, r.git(['rev-parse', 'HEAD']).trim());
  assert.is(meta(after[5].metadata).subject, 'agent work');
});

test('a Claude Code session: a failed command, a Write whose content is never stored, the batch event ignored', () => {
  const r = agentRepo();
  const sid = 'f0ce95b6-559c-4106-a8a8-cc5140294e74';
  for (const p of claudeSession(sid, r.dir)) fireHook(r, 'claude', p);
  clean(r);
  const rows = logJson(r, ['--session', sid]);
  assert.equal(
    rows.map((x) => [x.action, x.statement]),
    [
      ['prompt', 'write the config'],
      ['tool.Bash', 'npm test'],
      ['tool.Write', 'config.txt'],
      ['tool.Bash', 'exit 3'],
    ],
  );
  const failed = meta(rows[3].metadata);
  assert.equal([failed.failed, failed.exit_code, failed.turn_id], [true, 3, `${sid}-prompt-1`]);
  assert.not.ok(JSON.stringify(rows).includes('FILE-CONTENT'), "the Write's content is not in the log");
});

test('the hook prints nothing and exits 0 on every path; writes nothing where it must not', () => {
  const r = agentRepo();
  const payload = codexSession('s-paths', r.dir)[1];
  // Outside any repository.
  const outside = repos.dir();
  fireHook(r, 'codex', payload, { cwd: outside, command: agentHookCommand('codex') });
  // TEST_MODE=1 and CODEXLOG_HOOKS=0: nothing written.
  fireHook(r, 'codex', payload, { env: { TEST_MODE: '1' } });
  fireHook(r, 'claude', payload, { env: { CODEXLOG_HOOKS: 'off' } });
  const payloads = () => inboxFiles(r).filter((f) => f.startsWith('a-'));
  assert.equal(payloads(), []);
  // Not JSON, and empty: left for later while they may still be being written, then a note, never an error.
  fireHook(r, 'codex', 'not json at all');
  fireHook(r, 'codex', '');
  assert.equal(
    logJson(r).filter((x) => x.action === 'agent.unreadable'),
    [],
  );
  assert.is(payloads().length, 2);
  const old = (Date.now() - 120_000) / 1000;
  for (const f of payloads()) utimesSync(path.join(stateDir(r), 'inbox', f), old, old);
  // A broken config does not stop the hook (it reads none).
  writeFileSync(path.join(r.dir, 'codexlog.config.json'), '{ broken');
  fireHook(r, 'codex', payload);
  rmSync(path.join(r.dir, 'codexlog.config.json'));
  r.git(['checkout', '--', 'codexlog.config.json']);
  // The package gone from node_modules: the sh script in the git dir still records.
  unlinkSync(path.join(r.dir, 'node_modules', 'codexlog-hooks'));
  fireHook(r, 'claude', claudeSession('s-nopkg', r.dir)[1]);
  assert.is(payloads().length, 4);
  linkPackage(r);
  const rows = logJson(r);
  assert.equal(
    rows.filter((x) => x.action !== null && !x.action.startsWith('git.')).map((x) => [x.action, x.session_id]),
    [
      ['agent.unreadable', null],
      ['agent.unreadable', null],
      ['prompt', 's-paths'],
      ['prompt', 's-nopkg'],
    ],
  );
  // Before install (a clone that has the committed hook files but never ran install): nothing, silently.
  const fresh = repos.repo();
  fireHook(fresh, 'codex', payload, { command: agentHookCommand('codex') });
  assert.not.ok(existsSync(path.join(stateDir(fresh), 'inbox')));
  // After uninstall: the same.
  assert.is(r.cli(['uninstall']).status, 0);
  fireHook(r, 'codex', payload, { command: agentHookCommand('codex') });
  assert.equal(payloads(), []);
});

test('parallel tool calls lose nothing (Claude fires PostToolUse concurrently)', async () => {
  const r = agentRepo();
  const sid = 'parallel-session';
  const payloads = Array.from({ length: 40 }, (_, i) => ({
    session_id: sid,
    transcript_path: null,
    cwd: r.dir,
    prompt_id: 'p1',
    hook_event_name: 'PostToolUse',
    tool_name: 'Read',
    tool_input: { file_path: path.join(r.dir, `f${i}.txt`) },
    tool_response: { type: 'text', file: { filePath: path.join(r.dir, `f${i}.txt`), content: 'x' } },
    tool_use_id: `toolu_${i}`,
  }));
  await fireConcurrently(r, 'claude', payloads);
  assert.is(inboxFiles(r).filter((f) => f.startsWith('a-claude-')).length, 40);
  const rows = logJson(r, ['--session', sid]);
  assert.equal(rows.map((x) => x.statement).sort(), payloads.map((_, i) => `f${i}.txt`).sort());
  clean(r);
});

test('what the payload lacks comes from the transcript: Codex exit codes, Claude model', () => {
  const r = agentRepo();
  const home = repos.dir('agent-home-');
  const rollout = path.join(home, 'rollout-2026-11-27T08-34-31-codex-x.jsonl');
  writeFileSync(
    rollout,
    [
      JSON.stringify({ timestamp: 't', type: 'session_meta', payload: { id: 'codex-x' } }),
      JSON.stringify({
        timestamp: 't',
        type: 'event_msg',
        payload: { type: 'item_completed', item: { type: 'CommandExecution', id: 'codex-x-call-3', status: 'failed', exit_code: 3 } },
      }),
      JSON.stringify({
        timestamp: 't',
        type: 'event_msg',
        payload: { type: 'item_completed', item: { type: 'CommandExecution', id: 'codex-x-call-1', status: 'completed', exit_code: 0 } },
      }),
      '{"torn line',
    ].join('\n'),
  );
  for (const p of codexSession('codex-x', r.dir, { transcript: rollout })) fireHook(r, 'codex', p);
  const transcript = path.join(home, 'claude-y.jsonl');
  writeFileSync(
    transcript,
    `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'hi' } })}\n${JSON.stringify({
      type: 'assistant',
      message: { model: 'claude-opus-5-5', content: [] },
    })}\n`,
  );
  for (const p of claudeSession('claude-y', r.dir, { transcript })) fireHook(r, 'claude', p);
  const codex = logJson(r, ['--session', 'codex-x']).filter((x) => x.action === 'tool.Bash');
  assert.equal(
    codex.map((x) => [x.statement, meta(x.metadata).exit_code, meta(x.metadata).failed]),
    [
      ['ls', 0, undefined],
      ['exit 3', 3, true],
    ],
  );
  const claude = logJson(r, ['--session', 'claude-y']);
  assert.equal(
    claude.map((x) => [x.action, x.statement]),
    [
      ['prompt', 'write the config'],
      ['tool.Bash', 'npm test'],
      ['tool.Write', 'config.txt'],
      ['tool.Bash', 'exit 3'],
    ],
  );
  for (const x of claude) assert.is(meta(x.metadata).model, 'claude-opus-5-5', `${x.action}`);
  r.write('x.txt', 'x\n');
  commitAll(r, 'both');
  const pre = logJson(r, ['--action', 'git.pre-commit']).at(-1);
  assert.equal(
    meta(pre?.metadata ?? null).sessions.map((s: { id: string; agent: string; model: string }) => [s.id, s.agent, s.model]),
    [
      ['codex-x', 'codex', 'gpt-5.5'],
      ['claude-y', 'claude', 'claude-opus-5-5'],
    ],
  );
});

test('commit trailer: off by default; on, each commit names the sessions it folds in; a stale file from an aborted commit names nothing', () => {
  const r = agentRepo();
  for (const p of codexSession('s-off', r.dir).slice(0, 3)) fireHook(r, 'codex', p);
  r.write('a.txt', 'a\n');
  commitAll(r, 'no trailer');
  assert.is(r.git(['log', '-1', '--format=%B']).trim(), 'no trailer');

  const config = JSON.parse(readFileSync(path.join(r.dir, 'codexlog.config.json'), 'utf8'));
  config.agents.commitTrailer = true;
  writeFileSync(path.join(r.dir, 'codexlog.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  for (const p of codexSession('s-on', r.dir).slice(0, 3)) fireHook(r, 'codex', p);
  for (const p of claudeSession('c-on', r.dir).slice(0, 3)) fireHook(r, 'claude', p);
  commitAll(r, 'with trailer');
  assert.is(
    r.git(['log', '-1', '--format=%B']).trim(),
    'with trailer\n\nCodexlog-Session: s-on (codex, gpt-5.5)\nCodexlog-Session: c-on (claude)',
  );
  assert.is(r.git(['log', '-1', '--format=%(trailers:key=Codexlog-Session,valueonly)']).trim(), 's-on (codex, gpt-5.5)\nc-on (claude)');
  // A commit folding no agent session gets none.
  r.write('b.txt', 'b\n');
  commitAll(r, 'human only');
  assert.is(r.git(['log', '-1', '--format=%B']).trim(), 'human only');
  // A trailer file pre-commit left for a commit that never happened is not used by the next one.
  const stale = path.join(stateDir(r), 'trailer');
  writeFileSync(stale, `${'0'.repeat(40)} ${LOG}\nCodexlog-Session: ghost (codex)\n`);
  r.write('c.txt', 'c\n');
  r.git(['add', '-A']);
  r.git(['commit', '-q', '--no-verify', '-m', 'skipped hooks'], { env: TEAM_ENV });
  assert.is(r.git(['log', '-1', '--format=%B']).trim(), 'skipped hooks');
  assert.not.ok(existsSync(stale), 'used once');
  clean(r);
});

test("install: the user's entries and keys stay, a second run changes nothing, --agents chooses, uninstall removes exactly ours; prepare leaves the files alone", () => {
  const r = repos.repo();
  writeFileSync(path.join(r.dir, 'package.json'), `${JSON.stringify({ name: 'app', private: true }, null, 2)}\n`);
  linkPackage(r);
  const userClaude = `${JSON.stringify(
    {
      permissions: { allow: ['Bash(npm test)'] },
      hooks: { PostToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'prettier --write "$FILE"' }] }] },
    },
    null,
    2,
  )}\n`;
  r.write('.claude/settings.json', userClaude);
  const read = () =>
    Object.fromEntries(Object.values(AGENT_FILES).map((f) => [f, existsSync(path.join(r.dir, f)) ? r.read(f).toString() : null]));
  const first = r.cli(['install'], { env: TEAM_ENV });
  assert.is(first.status, 0, first.stderr);
  assert.ok(first.stderr.includes('/hooks'), 'tells about Codex trust');
  const afterFirst = read();
  const claude = JSON.parse(afterFirst['.claude/settings.json'] as string);
  assert.equal(claude.permissions, { allow: ['Bash(npm test)'] });
  assert.is(claude.hooks.PostToolUse.length, 2);
  assert.is(claude.hooks.PostToolUse[0].hooks[0].command, 'prettier --write "$FILE"');
  assert.is(installedCommand(r, 'claude'), agentHookCommand('claude'));
  // Again: nothing changes.
  assert.is(r.cli(['install'], { env: TEAM_ENV }).status, 0);
  assert.equal(read(), afterFirst);
  // npm install in a clone (prepare) never edits the committed agent files.
  rmSync(path.join(r.dir, '.codex'), { recursive: true });
  assert.is(r.cli(['install', '--prepare'], { env: TEAM_ENV }).status, 0);
  assert.not.ok(existsSync(path.join(r.dir, '.codex')));
  // --agents claude: the Codex file stays absent; install without --agents keeps that choice.
  assert.is(r.cli(['install', '--agents', 'claude'], { env: TEAM_ENV }).status, 0);
  assert.is(r.cli(['install'], { env: TEAM_ENV }).status, 0);
  assert.not.ok(existsSync(path.join(r.dir, '.codex')));
  // --agents none: ours out of the Claude file, the user's left as they wrote it.
  assert.is(r.cli(['install', '--agents', 'none'], { env: TEAM_ENV }).status, 0);
  assert.is(r.read('.claude/settings.json').toString(), userClaude);
  assert.is(r.cli(['install', '--agents', 'codex,claude'], { env: TEAM_ENV }).status, 0);
  assert.equal(read(), afterFirst);
  // A bad value: usage error, nothing changed.
  const bad = r.cli(['install', '--agents', 'gemini'], { env: TEAM_ENV });
  assert.is(bad.status, 2);
  assert.ok(bad.stderr.includes('--agents "gemini"') && bad.stderr.includes('Usage: codexlog-hooks install'), bad.stderr);
  // Uninstall: exactly ours removed; the file we created is gone with its folder.
  assert.is(r.cli(['uninstall']).status, 0);
  assert.is(r.read('.claude/settings.json').toString(), userClaude);
  assert.not.ok(existsSync(path.join(r.dir, '.codex')));
  assert.not.ok(existsSync(path.join(r.dir, '.git', 'codexlog', 'agent-hook')));
});

test('install refuses an agent file it cannot edit, before changing anything', () => {
  const r = repos.repo();
  writeFileSync(path.join(r.dir, 'package.json'), '{"name":"app"}\n');
  linkPackage(r);
  r.write('.codex/hooks.json', '{"hooks": {"Stop": "not-a-list"}}');
  const out = r.cli(['install'], { env: TEAM_ENV });
  assert.is(out.status, 1);
  assert.ok(out.stderr.includes(path.join(r.dir, '.codex', 'hooks.json')) && out.stderr.includes('--agents none'), out.stderr);
  assert.is(r.read('.codex/hooks.json').toString(), '{"hooks": {"Stop": "not-a-list"}}');
  assert.is(r.git(['config', '--get', 'core.hooksPath'], { allowFail: true }), '', 'nothing installed');
  assert.equal(readdirSync(r.dir).sort(), ['.codex', '.git', 'node_modules', 'package.json']);
});

test('check: per agent, installed or not; Codex trust from the user config', () => {
  const r = agentRepo();
  const codexHome = repos.dir('codex-home-');
  const env = { CODEX_HOME: codexHome, PATH: `/usr/bin:/bin:${path.dirname(process.execPath)}` };
  const unknown = r.cli(['check'], { env: { ...TEAM_ENV, ...env } });
  assert.ok(unknown.stdout.includes('codex: hooks installed in .codex/hooks.json.'), unknown.stdout);
  assert.ok(unknown.stdout.includes('claude: hooks installed in .claude/settings.json.'), unknown.stdout);
  assert.ok(unknown.stdout.includes('codex: whether this clone trusts the hooks cannot be told'), unknown.stdout);
  assert.is(unknown.status, 0, unknown.stdout);
  writeFileSync(path.join(codexHome, 'config.toml'), `[projects."${r.dir}"]\ntrust_level = "trusted"\n`);
  const pending = r.cli(['check'], { env: { ...TEAM_ENV, ...env } });
  assert.is(pending.status, 1);
  assert.ok(pending.stdout.includes('✗ codex: 5 of the 5 codexlog-hooks entries are not trusted yet'), pending.stdout);
  // Stale entries: a problem that names the file and the fix.
  const data = JSON.parse(r.read('.claude/settings.json').toString());
  delete data.hooks.Stop;
  r.write('.claude/settings.json', JSON.stringify(data));
  const partial = r.cli(['check'], { env: { ...TEAM_ENV, ...env } });
  assert.ok(
    partial.stdout.includes('✗ claude: the codexlog-hooks entries in .claude/settings.json are incomplete or stale'),
    partial.stdout,
  );
});

test('secrets in a session (prompt, command, output, file content) are redacted before any store, and gone from the git dir and every committed byte', async () => {
  const r = agentRepo();
  const secret = `ghp_${'AgentS3cretT0ken'.repeat(2)}abcdefgh`;
  for (const p of codexSession('s-secret', r.dir, { secret })) fireHook(r, 'codex', p);
  for (const p of claudeSession('c-secret', r.dir, { secret })) fireHook(r, 'claude', p);
  const rows = logJson(r).filter((x) => x.session_id === 's-secret' || x.session_id === 'c-secret');
  assert.is(rows.length, 8);
  const text = JSON.stringify(rows);
  assert.not.ok(text.includes(secret), 'no secret in what log shows');
  const codexBash = rows.find((x) => x.session_id === 's-secret' && x.action === 'tool.Bash');
  assert.is(codexBash?.statement, 'curl -H "Authorization: Bearer [REDACTED:github-token]" https://api.example.test');
  const m = meta(codexBash?.metadata ?? null);
  assert.is(m.output.preview, 'token was [REDACTED:github-token]\n');
  assert.equal(m.redactions, { 'github-token': 2 });
  // The output's hash is of the redacted text: the secret cannot be guessed back from it.
  const { createHash } = await import('node:crypto');
  assert.is(m.output.sha256, createHash('sha256').update('token was [REDACTED:github-token]\n').digest('hex'));
  // The agent's last message of the turn (a session event, not an action) is redacted too.
  const turnEnds = (file: string, table: string) =>
    queryDb<{ session_id: string; summary: string }>(
      file,
      `SELECT session_id, summary FROM ${table} WHERE event = 'turn.end' AND session_id IN ('s-secret', 'c-secret') ORDER BY session_id`,
    );
  const redactedEnds = [
    { session_id: 'c-secret', summary: doneMessage('[REDACTED:github-token]') },
    { session_id: 's-secret', summary: doneMessage('[REDACTED:github-token]') },
  ];
  assert.equal(await turnEnds(path.join(stateDir(r), 'uncommitted.db'), 'events'), redactedEnds);
  r.write('x.txt', 'x\n');
  commitAll(r, 'work');
  clean(r);
  assert.equal(await turnEnds(path.join(r.dir, LOG), 'codex_log'), redactedEnds, 'committed, still redacted');
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (readFileSync(f).includes(secret)) hits.push(path.relative(r.dir, f));
    }
  };
  walk(path.join(r.dir, '.git'));
  walk(path.join(r.dir, 'databases'));
  assert.equal(hits, []);
});

test.run();
