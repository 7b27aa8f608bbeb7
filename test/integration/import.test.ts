// `import codex|claude`: past sessions from the agents' own transcripts into the log, through the
// inbox and ingest like every row. Each uid once: re-importing adds nothing, and neither does
// importing a session the installed hooks already logged (before and after a commit). Only this
// repository's sessions (its work trees included) unless --any-cwd; TEST_MODE writes nothing;
// progress on stderr for big folders; an unreadable file is named and the import goes on.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClaudeTranscriptParser } from '../../src/agents/claude-transcript.ts';
import { CodexTranscriptParser } from '../../src/agents/codex-transcript.ts';
import { parseAll, splitLines } from '../../src/agents/transcript.ts';
import type { AgentName } from '../../src/agents/types.ts';
import type { ImportReport } from '../../src/import.ts';
import { agentHookCommand } from '../../src/install/agent-hooks.ts';
import { fixture, type Rows, rowContextAt, rowsOf, timeless, VARIANTS } from '../helpers/agent-fixtures.ts';
import { inboxFiles, logJson, stateDir } from '../helpers/log.ts';
import { queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import { install, linkPackage, TEAM_ENV } from '../helpers/team.ts';
import { UNSAFE_IN_OUTPUT } from '../helpers/unsafe.ts';

const { repo, dir } = throwawayRepos(test);

/** Where the agent keeps a session's transcript, under its folder (as the agents name them). */
function transcriptPath(root: string, agent: AgentName, variant: string, name: string): string {
  return agent === 'codex' ? path.join(root, '2026', '11', '27', name) : path.join(root, `-tmp-${agent}-${variant}`, name);
}

/** The agent's folder of transcripts of `variants`, with their sessions run in `cwd`; returns it and the files. */
function transcripts(agent: AgentName, variants: string[], cwd: string, root = dir(`${agent}-home-`)): { root: string; files: string[] } {
  const files = variants.map((v) => {
    const f = fixture(agent, v);
    const file = transcriptPath(root, agent, v, f.name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, f.transcript(cwd));
    return file;
  });
  return { root, files };
}

/** The rows the parser makes of a variant run in `cwd`, paths relative to `top`. */
function expectedRows(agent: AgentName, variant: string, cwd: string, top: string): Rows {
  const parser = agent === 'codex' ? new CodexTranscriptParser() : new ClaudeTranscriptParser();
  return rowsOf(parseAll(parser, splitLines(fixture(agent, variant).transcript(cwd))), rowContextAt({ top }));
}

function importJson(r: TestRepo, args: string[], env: NodeJS.ProcessEnv = {}): ImportReport {
  const out = r.cli(['import', ...args, '--json'], { env });
  assert.equal([out.status, out.stderr], [0, env.TEST_MODE ? 'codexlog-hooks: TEST_MODE=1: nothing was written.\n' : ''], out.stderr);
  return JSON.parse(out.stdout) as ImportReport;
}

/** The session events in the uncommitted store. */
const storedEvents = (r: TestRepo) =>
  queryDb<{ uid: string; event: string }>(path.join(stateDir(r), 'uncommitted.db'), 'SELECT uid, event FROM events ORDER BY seq');

for (const agent of ['codex', 'claude'] as const) {
  test(`${agent}: a folder of sessions becomes their rows in the log; importing it again adds nothing`, async () => {
    const r = repo();
    const { root } = transcripts(agent, VARIANTS[agent], r.dir);
    const first = r.cli(['import', agent, root]);
    const n = VARIANTS[agent].length;
    const expected = VARIANTS[agent].map((v) => expectedRows(agent, v, r.dir, r.dir));
    const actions = expected.flatMap((e) => e.actions);
    const events = expected.flatMap((e) => e.events);
    const total = actions.length + events.length;
    const name = agent === 'codex' ? 'Codex' : 'Claude Code';
    assert.equal(
      [first.status, first.stderr, first.stdout],
      [
        0,
        '',
        `Imported ${n} ${name} sessions from ${n} files: ${total} new rows, 0 already in the log. ` +
          'They enter the tracked log at the next commit (or `codexlog-hooks finalize`).\n',
      ],
    );
    const log = logJson(r);
    assert.equal(
      log.map(({ pending, id, ...row }) => [pending, id, row]),
      actions
        .map((a) => [true, null, a] as const)
        .sort((x, y) => Date.parse(x[2].ts as string) - Date.parse(y[2].ts as string) || (x[2].uid < y[2].uid ? -1 : 1)),
    );
    assert.equal((await storedEvents(r)).map((e) => e.uid).sort(), events.map((e) => e.uid).sort());
    assert.equal(inboxFiles(r), [], 'the inbox was ingested');
    const again = importJson(r, [agent, root]);
    assert.equal([again.added, again.alreadyLogged, again.rows, again.sessions], [0, total, total, n]);
    // A single file, given by a path relative to the cwd.
    const one = importJson(r, [agent, path.relative(r.dir, transcripts(agent, ['fail'], r.dir).files[0])]);
    assert.equal([one.files, one.added, one.alreadyLogged], [1, 0, expected[VARIANTS[agent].indexOf('fail')].actions.length + 3]);
    assert.equal(logJson(r), log);
  });
}

/** A repository with the tool installed (git hooks and both agents' hooks), as a team has it. */
function installed(): TestRepo {
  const r = repo();
  writeFileSync(path.join(r.dir, 'package.json'), `${JSON.stringify({ name: 'app', private: true })}\n`);
  writeFileSync(path.join(r.dir, '.gitignore'), 'node_modules/\n');
  linkPackage(r);
  install(r);
  r.git(['add', '-A']);
  r.git(['commit', '-q', '-m', 'install'], { env: TEAM_ENV });
  return r;
}

/** Sends each hook payload of a variant to the installed hook command, as the agent does (sh -c, payload on stdin, in the payload's cwd). */
function runHooks(r: TestRepo, agent: AgentName, variant: string, transcript: string): number {
  const payloads = fixture(agent, variant).payloads(r.dir, transcript);
  for (const p of payloads) {
    const cwd = JSON.parse(p).cwd as string;
    mkdirSync(cwd, { recursive: true });
    const out = r.run('/bin/sh', ['-c', agentHookCommand(agent)], { input: p, cwd });
    assert.equal([out.status, out.stdout, out.stderr], [0, '', ''], `${agent} ${variant} hook`);
  }
  return payloads.length;
}

test('sessions the hooks logged: importing their transcripts adds nothing, before and after the commit', async () => {
  const r = installed();
  const variants: Array<[AgentName, string]> = [
    ...VARIANTS.codex.filter((v) => v !== 'trust-none').map((v) => ['codex', v] as [AgentName, string]),
    ...VARIANTS.claude.filter((v) => v !== 'subdir').map((v) => ['claude', v] as [AgentName, string]),
  ];
  const roots = { codex: dir('codex-home-'), claude: dir('claude-home-') };
  for (const [agent, variant] of variants) {
    const [file] = transcripts(agent, [variant], r.dir, roots[agent]).files;
    assert.ok(runHooks(r, agent, variant, file) > 0);
  }
  // The agents' rows (the install commit's own git rows aside).
  const agentRows = () => logJson(r).filter((x) => /^(codex|claude)-/.test(x.uid));
  const hooked = agentRows();
  const hookedEvents = await storedEvents(r);
  assert.is(
    hooked.length,
    variants.reduce((n, [a, v]) => n + expectedRows(a, v, r.dir, r.dir).actions.length, 0),
  );
  // The hooks' rows are the transcripts' rows (duration_ms aside: Claude's PostToolUse has it, its transcript not).
  const noDuration = (m: string | null) => {
    const o = JSON.parse(m as string);
    delete o.duration_ms;
    return JSON.stringify(o);
  };
  assert.equal(
    hooked.map((h) => ({ ...timeless(h), metadata: noDuration(h.metadata) })).sort((a, b) => (a.uid < b.uid ? -1 : 1)),
    variants
      .flatMap(([a, v]) => expectedRows(a, v, r.dir, r.dir).actions)
      .map((a) => ({ ...timeless(a), id: null, pending: true }))
      .sort((a, b) => (a.uid < b.uid ? -1 : 1)),
  );
  for (const agent of ['codex', 'claude'] as const) {
    const rep = importJson(r, [agent, roots[agent]]);
    assert.equal([rep.added, rep.skipped.sessions, rep.failed], [0, 0, []], `${agent} after the hooks`);
    assert.ok(rep.alreadyLogged > 0 && rep.alreadyLogged === rep.rows);
  }
  assert.equal(agentRows(), hooked);
  assert.equal(await storedEvents(r), hookedEvents);

  // Committed: the rows are in the tracked log now, not the uncommitted store; still nothing to add.
  r.write('app.txt', 'work\n');
  r.git(['add', 'app.txt']);
  r.git(['commit', '-q', '-m', 'work'], { env: TEAM_ENV });
  assert.equal(await storedEvents(r), []);
  const committed = logJson(r);
  assert.equal(
    committed.filter((x) => /^(codex|claude)-/.test(x.uid)).map((x) => [x.uid, x.pending]),
    hooked.map((x) => [x.uid, false]),
  );
  for (const agent of ['codex', 'claude'] as const) {
    const rep = importJson(r, [agent, roots[agent]]);
    assert.equal([rep.added, rep.alreadyLogged === rep.rows], [0, true], `${agent} after the commit`);
  }
  assert.equal(logJson(r), committed);
  assert.equal(await storedEvents(r), []);
});

test('only sessions of this repository and its work trees; the others are skipped and counted, unless --any-cwd', async () => {
  const r = repo();
  r.git(['commit', '-q', '--allow-empty', '-m', 'init']);
  const other = dir('other-project-');
  const worktree = path.join(dir('worktrees-'), 'feature');
  r.git(['worktree', 'add', '-q', '-b', 'feature', worktree]);
  const root = dir('codex-home-');
  transcripts('codex', ['default'], other, root);
  transcripts('codex', ['fail'], other, root);
  transcripts('codex', ['update'], worktree, root);
  transcripts('codex', ['subdir'], r.dir, root);
  const out = r.cli(['import', 'codex', root]);
  assert.equal([out.status, out.stderr], [0, '']);
  assert.equal(out.stdout.split('\n').slice(1), [`Skipped 2 sessions of other folders (${other}); \`--any-cwd\` imports them too.`, '']);
  // The work tree's session: paths relative to its own top level, as its hooks would have logged them.
  assert.equal(
    logJson(r).map((x) => [x.action, x.statement]),
    [
      ['prompt', 'real-agents scripted session codex-update'],
      ['tool.Bash', 'echo codex-update > agent-out.txt'],
      ['tool.apply_patch', 'M agent-out.txt'],
      ['prompt', 'real-agents scripted session codex-subdir'],
      ['tool.Bash', 'echo codex-subdir > agent-out.txt'],
      ['tool.apply_patch', 'A sub/dir/agent-edit.txt'],
    ],
  );
  const any = importJson(r, ['codex', root, '--any-cwd']);
  assert.equal([any.sessions, any.added, any.skipped.sessions], [4, 12, 0]);
  // Outside the repository, paths stay absolute.
  assert.ok(logJson(r).some((x) => x.statement === `A ${other}/agent-edit.txt`));
});

test("a transcript's hostile working folder: escaped in the text, \\u-escaped in --json, the same folder when parsed", () => {
  const r = repo();
  const hostile = '/elsewhere/\u001b]0;PWN\u0007\u001b[2J\u009b31m\u202eevil';
  const root = dir('codex-home-');
  // The fixture puts the folder inside JSON strings: give it JSON-escaped.
  transcripts('codex', ['default'], JSON.stringify(hostile).slice(1, -1), root);
  const text = r.cli(['import', 'codex', root]);
  assert.equal([text.status, text.stderr], [0, '']);
  assert.not.match(text.stdout.replace(/\n/g, ''), UNSAFE_IN_OUTPUT);
  assert.ok(text.stdout.includes('/elsewhere/\\x1b]0;PWN\\x07\\x1b[2J\\x9b31m\\u202eevil'), text.stdout);
  const json = r.cli(['import', 'codex', root, '--json']);
  assert.equal([json.status, json.stderr], [0, '']);
  assert.not.match(json.stdout.replace(/\n/g, ''), UNSAFE_IN_OUTPUT);
  assert.equal((JSON.parse(json.stdout) as ImportReport).skipped.folders, [hostile]);
});

test('TEST_MODE=1: reads and reports what it would add, writes nothing', async () => {
  const r = repo();
  const { root } = transcripts('claude', ['default', 'fail'], r.dir);
  const before = readdirSync(path.join(r.dir, '.git')).sort();
  const rep = importJson(r, ['claude', root], { TEST_MODE: '1' });
  assert.equal([rep.written, rep.sessions, rep.added, rep.alreadyLogged], [false, 2, 12, 0]);
  const text = r.cli(['import', 'claude', root], { env: { TEST_MODE: '1' } });
  assert.is(text.stdout, 'Would import 2 Claude Code sessions from 2 files: 12 new rows, 0 already in the log.\n');
  assert.equal(readdirSync(path.join(r.dir, '.git')).sort(), before, 'nothing in the git dir');
  assert.equal(logJson(r), []);
  // Once imported for real, TEST_MODE sees them as logged.
  importJson(r, ['claude', root]);
  const after = importJson(r, ['claude', root], { TEST_MODE: '1' });
  assert.equal([after.added, after.alreadyLogged], [0, 12]);
});

test('a big folder: progress on stderr (at most every 500 ms, and the last); a single file: none', async () => {
  const r = repo();
  const root = dir('codex-home-');
  const text = fixture('codex', 'fail').transcript(r.dir);
  const sid = '01a21c24-4fc8-78e0-abff-9e93d3da7b2c';
  for (let i = 0; i < 25; i++) {
    const id = `${sid.slice(0, -4)}${String(i).padStart(4, '0')}`;
    const file = path.join(root, '2026', '11', String(10 + (i % 3)), `rollout-2026-11-27T08-34-31-${id}.jsonl`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text.replaceAll(sid, id));
  }
  const out = r.cli(['import', 'codex', root]);
  assert.is(out.status, 0);
  const lines = out.stderr.split('\n').filter(Boolean);
  assert.ok(lines.length >= 1, out.stderr);
  for (const l of lines) assert.match(l, /^codexlog-hooks: import: \d+\/25 files, [\d,]+ rows$/);
  assert.is(lines[lines.length - 1], 'codexlog-hooks: import: 25/25 files, 150 rows');
  assert.match(out.stdout, /^Imported 25 Codex sessions from 25 files: 150 new rows/);
  const single = r.cli(['import', 'codex', path.join(root, '2026', '11', '10')]);
  assert.equal([single.status, single.stderr], [0, '']);
});

test('a file that cannot be read is named; the others are imported; exit 1', async () => {
  const r = repo();
  const { root } = transcripts('codex', ['default', 'update'], r.dir);
  // Readable by nobody, root included: reading /proc/self/mem from offset 0 fails (EIO).
  const bad = path.join(root, '2026', '11', '27', 'rollout-2026-11-27T09-00-00-01a21c24-0000-7000-8000-000000000bad.jsonl');
  symlinkSync('/proc/self/mem', bad);
  const out = r.cli(['import', 'codex', root]);
  assert.is(out.status, 1);
  assert.match(out.stdout, /^Imported 2 Codex sessions from 2 files: 12 new rows/);
  assert.equal(out.stderr.split('\n').slice(0, 2), [
    'codexlog-hooks: 1 file could not be read:',
    `codexlog-hooks:   ${bad}: EIO: i/o error, read`,
  ]);
  assert.is(logJson(r).length, 6);
});

test('a missing path, an unknown agent: errors that say what to give', async () => {
  const r = repo();
  const missing = r.cli(['import', 'codex', 'nowhere']);
  assert.equal(
    [missing.status, missing.stderr],
    [
      1,
      `codexlog-hooks: ${path.join(r.dir, 'nowhere')} does not exist. Give the path of a Codex rollout (rollout-….jsonl) or of a folder of them ` +
        '(by default $CODEX_HOME/sessions, else ~/.codex/sessions).\n',
    ],
  );
  // Without a path: the agent's own folder ($CODEX_HOME/sessions).
  const home = dir('codex-home-');
  transcripts('codex', ['default'], r.dir, path.join(home, 'sessions'));
  const byDefault = importJson(r, ['codex'], { CODEX_HOME: home });
  assert.equal([byDefault.source, byDefault.added], [path.join(home, 'sessions'), 6]);
  const unknown = r.cli(['import', 'gemini', home]);
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown agent "gemini": import reads codex \(rollouts\) or claude/);
});

test('a secret in an imported prompt comes out redacted, as for every row', async () => {
  const r = repo();
  const root = dir('claude-home-');
  const f = fixture('claude', 'default');
  const secret = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
  const file = transcriptPath(root, 'claude', 'default', f.name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, f.transcript(r.dir).replaceAll('real-agents scripted session claude-default', `use the token ${secret}`));
  importJson(r, ['claude', root]);
  const prompt = logJson(r).find((x) => x.action === 'prompt');
  assert.ok(prompt && !prompt.statement?.includes(secret), prompt?.statement ?? 'no prompt');
  assert.is(prompt?.statement, 'use the token [REDACTED:github-token]');
});

test("an imported output's hash is of its redacted text, as the hooks' is (a short secret's hash could be guessed back)", async () => {
  const r = repo();
  const root = dir('codex-home-');
  const f = fixture('codex', 'default');
  const secret = 'hunter22xyz';
  const file = transcriptPath(root, 'codex', 'default', f.name);
  mkdirSync(path.dirname(file), { recursive: true });
  const text = f.transcript(r.dir).replaceAll('"aggregated_output":""', `"aggregated_output":"password=${secret}\\n"`);
  assert.ok(text.includes(secret), 'the secret is in the transcript');
  writeFileSync(file, text);
  importJson(r, ['codex', root]);
  const tool = logJson(r).find((x) => x.metadata?.includes('password='));
  const output = JSON.parse(tool?.metadata ?? '{}').output as { sha256: string; preview: string };
  assert.ok(output.preview.endsWith('password=[REDACTED:secret-assignment]\n'), output.preview);
  // The preview is the whole (short) output, redacted: the hash is of exactly that.
  assert.is(output.sha256, createHash('sha256').update(output.preview).digest('hex'));
});

test.run();
