// The real agents log themselves: the `npm pack` tarball installed into a fresh repository, then
// the real Codex CLI and the real Claude Code run one scripted session each, offline, against a
// scripted model server (test/e2e/__utils__/real-agents.sh), so that the repository's own
// .codex/hooks.json and .claude/settings.json fire exactly as for users. Codex runs with its hooks
// reviewed in its own config, as a user's /hooks review leaves them (no bypass flag). Then a
// commit: the rows are right, the work tree stays clean, and the secret the session handled is in
// no committed byte and nowhere in the git dir.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryDb, throwawayRepos } from '../helpers/repo.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const repos = throwawayRepos(test);
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '__utils__', 'real-agents.sh');
// Outside the test run's TMPDIR (scripts/test.mjs checks it is left empty): the CLIs are installed once, ~810 MB.
const CACHE = path.join(process.env.CODEXLOG_E2E_CACHE ?? os.tmpdir(), 'real-agents-cache');
const ALLOW = { ALLOW_AUTOLFS: '1' };
// A GitHub token's shape: what a session might export, echo or paste.
const SECRET = `ghp_${'R3alAgentS3cretT0ken'.repeat(2)}abcd`;

interface Session {
  rc: number;
  run: string;
  stderr: string;
}

/** Runs one real session (`codex_session` / `claude_session` of the script) in `repo`. */
function session(repo: AppRepo, agent: 'codex' | 'claude', tag: string, env: NodeJS.ProcessEnv = {}): Session {
  const r = spawnSync(
    'bash',
    [
      '-c',
      // The script is $1, not $0: sourced as $0 from `bash -c`, it would take itself for run, not sourced.
      `. "$1" "$2" >/dev/null && ${agent}_session "$3" "$4"; rc=$?; echo "RUN=$REAL_AGENTS_LAST_RUN"; exit $rc`,
      'agents',
      SCRIPT,
      CACHE,
      repo.dir,
      tag,
    ],
    { env: { ...repo.env, ...env }, encoding: 'utf8', timeout: 300_000 },
  );
  const run = /RUN=(.*)/.exec(r.stdout)?.[1] ?? '';
  return { rc: r.status ?? -1, run, stderr: r.stderr };
}

/**
 * Where the real CLIs cannot be installed (no network to npm), CODEXLOG_E2E_NO_REAL_AGENTS=1 skips
 * this file's test, visibly; without it a failed install fails the test (CI installs them).
 */
const NO_REAL_AGENTS = process.env.CODEXLOG_E2E_NO_REAL_AGENTS === '1';
if (NO_REAL_AGENTS) console.warn('agents.test.ts: CODEXLOG_E2E_NO_REAL_AGENTS=1, so the real-agents test is SKIPPED.');
const realAgentsTest = NO_REAL_AGENTS ? test.skip : test;

/** Installs the real CLIs (once, into the cache); fails the test if they cannot be. */
function expectAgentsReady(repo: AppRepo): void {
  const r = spawnSync('bash', ['-c', '. "$1" "$2" >/dev/null && real_agents_ready', 'agents', SCRIPT, CACHE], {
    env: repo.env,
    encoding: 'utf8',
    timeout: 900_000,
  });
  assert.is(
    r.status,
    0,
    `the real agents could not be installed (set CODEXLOG_E2E_NO_REAL_AGENTS=1 to skip this test where npm cannot reach them): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`,
  );
}

const meta = (m: string | null) => JSON.parse(m ?? 'null');

/** Every byte git and git-lfs keep for the repository, and every file of the git dir, searched for `needle`. */
function foundIn(repo: AppRepo, needle: string): string[] {
  const hits: string[] = [];
  const objects = spawnSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: repo.dir, env: repo.env, maxBuffer: 1 << 30 });
  if (objects.stdout.includes(needle)) hits.push('a git object');
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && readFileSync(p).includes(needle)) hits.push(path.relative(repo.dir, p));
    }
  };
  walk(path.join(repo.dir, '.git'));
  return hits;
}

realAgentsTest(
  'a real Codex session and a real Claude Code session, then a commit: the right rows, a clean tree, no secret anywhere',
  async () => {
    const repo = appRepo(repos, { env: ALLOW });
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '-m', 'install codexlog-hooks']);
    expectAgentsReady(repo);
    // Turn 1's command, with a token in it; it still writes the tag the scripted edit of turn 2 expects.
    const shellCmd = (tag: string) => `export GITHUB_TOKEN=${SECRET}; echo $GITHUB_TOKEN | wc -c; echo ${tag} > agent-out.txt`;

    const codex = session(repo, 'codex', 'codex-e2e', {
      REAL_AGENTS_CODEX_HOOK_TRUST: 'review',
      REAL_AGENTS_SHELL_CMD: shellCmd('codex-e2e'),
    });
    assert.is(codex.rc, 0, codex.stderr);
    const claude = session(repo, 'claude', 'claude-e2e', { REAL_AGENTS_SHELL_CMD: shellCmd('claude-e2e'), REAL_AGENTS_EDIT: 'update' });
    assert.is(claude.rc, 0, claude.stderr);
    repos.later(() => {
      for (const s of [codex, claude]) if (s.run.startsWith(CACHE)) rmSync(s.run, { recursive: true, force: true });
    });
    // What the agents did to the work tree is theirs; nothing else changed (no database, no log file).
    assert.equal(repo.git(['status', '--porcelain', '--untracked-files=all']).split('\n').filter(Boolean).sort(), [
      '?? agent-edit.txt',
      '?? agent-out.txt',
    ]);

    const out = repo.hooks(['log', '--json']);
    assert.is(out.status, 0, out.stderr);
    const rows = JSON.parse(out.stdout) as Array<{
      session_id: string;
      action: string;
      statement: string;
      metadata: string;
      pending: boolean;
    }>;
    const bySession = new Map<string, typeof rows>();
    for (const r of rows)
      if (r.action && !r.action.startsWith('git.')) bySession.set(r.session_id, [...(bySession.get(r.session_id) ?? []), r]);
    const sessions = [...bySession.entries()];
    assert.is(sessions.length, 2, JSON.stringify(rows, null, 1));
    const codexRows = sessions.find(([, rs]) => meta(rs[0].metadata).agent === 'codex')?.[1] ?? [];
    const claudeRows = sessions.find(([, rs]) => meta(rs[0].metadata).agent === 'claude')?.[1] ?? [];

    // Codex: the prompt, the command (redacted), the patch that added agent-edit.txt.
    assert.equal(
      codexRows.map((r) => r.action),
      ['prompt', 'tool.Bash', 'tool.apply_patch'],
    );
    assert.is(codexRows[0].statement, 'real-agents scripted session codex-e2e');
    assert.is(
      codexRows[1].statement,
      'export GITHUB_TOKEN=[REDACTED:github-token]; echo $GITHUB_TOKEN | wc -c; echo codex-e2e > agent-out.txt',
    );
    assert.is(codexRows[2].statement, 'A agent-edit.txt');
    const patch = meta(codexRows[2].metadata);
    assert.equal([patch.agent, patch.model, patch.files, patch.exit_code], ['codex', 'gpt-5.5', ['agent-edit.txt'], 0]);
    assert.match(patch.tool_use_id, /^call_/);
    assert.match(patch.turn_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'turn id: a UUID');
    assert.is(meta(codexRows[1].metadata).exit_code, 0, 'exit code from the rollout');

    // Claude: the prompt, the command, a Read and an Edit of agent-out.txt.
    assert.equal(
      claudeRows.map((r) => [r.action, r.statement]),
      [
        ['prompt', 'real-agents scripted session claude-e2e'],
        ['tool.Bash', 'export GITHUB_TOKEN=[REDACTED:github-token]; echo $GITHUB_TOKEN | wc -c; echo claude-e2e > agent-out.txt'],
        ['tool.Read', 'agent-out.txt'],
        ['tool.Edit', 'agent-out.txt'],
      ],
    );
    const edit = meta(claudeRows[3].metadata);
    assert.equal([edit.agent, edit.files], ['claude', ['agent-out.txt']]);
    assert.match(edit.tool_use_id, /^toolu_/);
    assert.is(edit.model, 'claude-opus-5-5', "the model, from Claude's transcript");

    // Codex trust, as Codex itself reports it (app-server), with the run's own config.
    const codexBin = path.join(CACHE, readdirSync(CACHE).find((d) => d.startsWith('npm-codex')) ?? '', 'node_modules', '.bin');
    const check = repo.hooks(['check'], { env: { CODEX_HOME: path.join(codex.run, 'codex-home'), PATH: `${codexBin}:${repo.env.PATH}` } });
    assert.ok(check.stdout.includes('codex: all 5 codexlog-hooks entries are trusted (as codex app-server reports)'), check.stdout);
    assert.ok(check.stdout.includes('claude: hooks installed in .claude/settings.json.'), check.stdout);

    // The commit folds both sessions in and names them.
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '-m', 'agent work']);
    assert.is(repo.git(['status', '--porcelain', '--untracked-files=all']), '');
    const after = JSON.parse(repo.hooks(['log', '--json', '--action', 'git.pre-commit']).stdout) as typeof rows;
    const folded = meta(after.at(-1)?.metadata ?? null).sessions as Array<{ id: string; agent: string; model: string; rows: number }>;
    assert.equal(
      folded.map((s) => [s.id, s.agent, s.model, s.rows]).sort(),
      [
        [claudeRows[0].session_id, 'claude', 'claude-opus-5-5', 4],
        [codexRows[0].session_id, 'codex', 'gpt-5.5', 3],
      ].sort(),
    );
    for (const s of [codexRows[0].session_id, claudeRows[0].session_id]) {
      const mine = JSON.parse(repo.hooks(['log', '--json', '--session', s]).stdout) as typeof rows;
      assert.ok(
        mine.every((r) => !r.pending || r.action === 'git.commit'),
        'committed',
      );
      assert.ok(
        mine.some((r) => r.action === 'git.commit' && meta(r.metadata).subject === 'agent work'),
        'the commit it went into',
      );
    }
    // Session events, committed: start, turn end and end of both, under the agents' own ids.
    const events = await queryDb<{ session_id: string; event: string; summary: string }>(
      path.join(repo.dir, 'databases', 'codex_log.db'),
      'SELECT session_id, event, summary FROM codex_log ORDER BY rowid',
    );
    for (const [sid, agent] of [
      [codexRows[0].session_id, 'codex'],
      [claudeRows[0].session_id, 'claude'],
    ]) {
      const mine = events.filter((e) => e.session_id === sid);
      assert.equal(
        mine.map((e) => e.event),
        ['start', 'turn.end', 'end'],
        `${agent} events`,
      );
      assert.is(JSON.parse(mine[0].summary).agent, agent);
      assert.match(mine[1].summary, /^Done (codex|claude)-e2e\.$/);
    }
    // The secret: in no git object, no LFS object, no file of the git dir (inbox, stores, WAL, view).
    assert.equal(foundIn(repo, SECRET), []);
    assert.ok(existsSync(path.join(repo.dir, '.git', 'lfs', 'objects')));
    assert.ok(statSync(path.join(repo.dir, '.git', 'codexlog', 'uncommitted.db')).size > 0);
  },
);

test.run();
