// sessions, show, stats and why on a log with several agents, sessions, commits (one amended) and
// a segment (test/helpers/read-log.ts): committed and uncommitted rows read as one log, or the
// committed ones alone; JSON exact; text escaped and fitted to the terminal; nothing written.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messages } from '../../src/messages.ts';
import type { CommitDetail } from '../../src/read/commit.ts';
import type { SessionSummary } from '../../src/read/sessions.ts';
import type { Stats } from '../../src/read/stats.ts';
import { displayWidth } from '../../src/read/table.ts';
import type { WhyEntry } from '../../src/read/why.ts';
import { LOG, logJson, SESSION } from '../helpers/log.ts';
import { buildReadLog, type ReadLog, S } from '../helpers/read-log.ts';
import { type Run, type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import { UNSAFE_IN_OUTPUT } from '../helpers/unsafe.ts';

const { repo } = throwawayRepos(test, { per: 'file' });
let r: TestRepo;
let log: ReadLog;
let tracked: Buffer[];
test.before(async () => {
  r = repo();
  log = await buildReadLog(r);
  tracked = [r.read(LOG), r.read(SESSION)];
});

function ok(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const out = r.cli(args, { env });
  assert.equal([out.status, out.stderr], [0, ''], args.join(' '));
  return out;
}
const json = <T>(args: string[]): T => JSON.parse(ok([...args, '--json']).stdout) as T;

test('the log spans a segment, the log file and the uncommitted store', () => {
  const segments = r.git(['ls-files', 'databases/codex_log.segments']).split('\n').filter(Boolean);
  assert.is(segments.length, 1, 'the first commit’s rows were sealed into a segment');
  const rows = logJson(r);
  assert.is(rows.filter((x) => x.pending).length, 4, 'C2 and K1 rows, the amend’s git.commit and git.rewrite');
  assert.is(rows.filter((x) => x.session_id === S.C1).length, 204);
});

test('sessions --json: one entry per session with agent, models, span, actions, files and commits as they are now', () => {
  const sessions = json<SessionSummary[]>(['sessions']);
  const facts = sessions.map(({ start, end, ...s }) => ({ ...s, ordered: start !== null && end !== null && start <= end }));
  assert.equal(facts, [
    {
      id: S.C1,
      agent: 'codex',
      models: ['gpt-5'],
      ended: true,
      actions: 204,
      files: ['docs/guide.md', 'src/app.ts'],
      commits: [log.sha1, log.sha3],
      pending: false,
      ordered: true,
    },
    { id: S.P, agent: null, models: [], ended: false, actions: 1, files: [], commits: [log.sha1], pending: false, ordered: true },
    {
      id: S.K1,
      agent: 'claude',
      models: ['claude-opus'],
      ended: false,
      actions: 4,
      files: ['src/app.ts', 'src/lib/util.ts'],
      commits: [log.sha3],
      pending: true,
      ordered: true,
    },
    {
      id: S.C2,
      agent: 'codex',
      models: ['gpt-5-codex'],
      ended: false,
      actions: 2,
      files: ['README.md', 'src/app.ts', 'src/lib/util.ts'],
      commits: [log.sha3],
      pending: true,
      ordered: true,
    },
  ]);
  assert.ok(sessions[0].start && sessions[1].start && sessions[0].start <= sessions[1].start);
});

test('sessions --committed: the uncommitted rows do not count', () => {
  const sessions = json<SessionSummary[]>(['sessions', '--committed']);
  assert.equal(
    sessions.map((s) => [s.id, s.actions, s.files.length, s.pending]),
    [
      [S.C1, 204, 2, false],
      [S.P, 1, 0, false],
      [S.K1, 3, 2, false],
      [S.C2, 1, 2, false],
    ],
  );
});

test('sessions (table): fits COLUMNS, short SHAs, the uncommitted ones starred', () => {
  for (const width of ['200', '100', '60']) {
    const out = ok(['sessions'], { COLUMNS: width }).stdout;
    const lines = out.trimEnd().split('\n');
    assert.is(lines.length, 1 + 4 + 2);
    assert.equal(lines.slice(-2), ['', messages.pendingFootnote]);
    // The table fits; the footnote after it is a sentence, which a terminal wraps.
    for (const line of lines.slice(0, -2)) assert.ok(displayWidth(line) <= Number(width), `${width}: ${line}`);
  }
  const wide = ok(['sessions'], { COLUMNS: '200' }).stdout;
  assert.match(wide, new RegExp(`^${S.C1} +codex +gpt-5 .* 204 +2 +${log.sha1.slice(0, 10)} ${log.sha3.slice(0, 10)}$`, 'm'));
  assert.match(wide, new RegExp(`^${S.K1} +claude +claude-opus .* 4\\* +2 +${log.sha3.slice(0, 10)}$`, 'm'));
});

test('show <first commit>: its sessions, all their rows (read from the segment), its own rows', () => {
  const d = json<CommitDetail & { kind: string; known: boolean }>(['show', log.sha1]);
  assert.equal([d.kind, d.known, d.sha, d.subject, d.rewrittenFrom, d.rewrittenAs], ['commit', true, log.sha1, 'feat: app', [], []]);
  assert.equal(
    d.sessions.map((s) => [s.id, s.agent, s.model, s.rows, s.via]),
    [
      [S.C1, 'codex', 'gpt-5', 203, null],
      [S.P, null, null, 1, null],
    ],
  );
  assert.is(d.actions.length, 204);
  assert.equal(d.actions.filter((a) => a.session_id === S.C1).length, 203);
  assert.ok(
    d.actions.every((a) => !a.pending && a.id !== null),
    'all committed',
  );
  assert.equal(
    d.rows.map((x) => x.action),
    ['git.pre-commit', 'git.commit'],
  );
  // The same commit named by a branch-relative name and by a short SHA.
  assert.equal(json<CommitDetail>(['show', 'HEAD~1']).sha, log.sha1);
  assert.equal(json<CommitDetail>(['show', log.sha1.slice(0, 8)]).sha, log.sha1);
});

test('show HEAD (an amend): its own session, and those of the commit it replaced, via that SHA', () => {
  const d = json<CommitDetail>(['show', 'HEAD']);
  assert.equal([d.sha, d.subject, d.rewrittenFrom, d.rewrittenAs], [log.sha3, 'feat: util (amended)', [log.sha2], []]);
  assert.equal(
    d.sessions.map((s) => [s.id, s.rows, s.via]),
    [
      [S.C2, 1, null],
      [S.K1, 3, log.sha2],
      [S.C1, 1, log.sha2],
    ],
  );
  assert.equal(
    d.actions.map((a) => [a.session_id, a.action]),
    [
      [S.K1, 'prompt'],
      [S.K1, 'tool.Edit'],
      [S.K1, 'tool.Write'],
      [S.C1, 'tool.Bash'],
      [S.C2, 'tool.Write'],
    ],
  );
  assert.equal(
    d.rows.map((x) => [x.action, x.pending]),
    [
      ['git.pre-commit', false],
      ['git.commit', true],
      ['git.rewrite', true],
    ],
  );
});

test('show <the replaced SHA>: the log still knows it, and says what it became', () => {
  const d = json<CommitDetail>(['show', log.sha2]);
  assert.equal([d.rewrittenAs, d.sessions.map((s) => s.id)], [[log.sha3], [S.K1, S.C1]]);
  const text = ok(['show', log.sha2]).stdout;
  assert.ok(text.includes(messages.commitRewritten([], [log.sha3])), text);
});

test('show <a commit without pre-commit>: its own row, and no session', () => {
  const d = json<CommitDetail>(['show', log.init]);
  assert.equal([d.sessions, d.actions, d.rows.map((x) => x.action)], [[], [], ['git.commit']]);
  assert.ok(ok(['show', log.init]).stdout.includes(messages.commitNoSessions));
});

test('show <session>: its timeline, the start event first, its commits in place', () => {
  const out = json<{
    kind: string;
    session: SessionSummary;
    timeline: Array<{ kind: string; event?: string; action?: string; sha?: string }>;
  }>(['show', S.K1]);
  assert.is(out.kind, 'session');
  assert.is(out.session.id, S.K1);
  assert.equal(
    out.timeline.map((e) => e.event ?? e.action ?? e.sha),
    ['start', 'prompt', 'tool.Edit', 'tool.Write', log.sha3, 'tool.Read'],
  );
  // C1: started, its rows, into sha1, one more row, ended, and (through the amend) into sha3.
  const c1 = json<{ timeline: Array<{ kind: string; event?: string; sha?: string }> }>(['show', S.C1]).timeline;
  const kinds = c1.map((e) => e.event ?? e.sha ?? e.kind);
  assert.equal(kinds.slice(0, 2), ['start', 'action']);
  assert.equal(kinds.slice(-4), [log.sha1, 'action', 'end', log.sha3]);
  assert.is(c1.length, 1 + 204 + 1 + 2);
});

test('show: unknown names, ambiguity and --as', () => {
  const none = r.cli(['show', 'no-such-thing']);
  assert.equal([none.status, none.stdout, none.stderr], [1, '', `codexlog-hooks: ${messages.showNotFound('no-such-thing')}\n`]);
  const noSession = r.cli(['show', 'HEAD', '--as', 'session']);
  assert.equal([noSession.status, noSession.stderr], [1, `codexlog-hooks: ${messages.showNoSession('HEAD')}\n`]);
  const noCommit = r.cli(['show', S.K1, '--as', 'commit']);
  assert.equal([noCommit.status, noCommit.stderr], [1, `codexlog-hooks: ${messages.showNoCommit(S.K1)}\n`]);
  const bad = r.cli(['show', 'x', '--as', 'branch']);
  assert.is(bad.status, 2);
  // A branch named like a session: both match, and the user must say which.
  r.git(['branch', S.P]);
  try {
    const both = r.cli(['show', S.P]);
    assert.is(both.status, 2);
    assert.ok(both.stderr.startsWith(`codexlog-hooks: ${messages.showAmbiguous(S.P, log.sha3)}\n`), both.stderr);
    assert.is(json<{ kind: string }>(['show', S.P, '--as', 'session']).kind, 'session');
    assert.is(json<{ kind: string }>(['show', S.P, '--as', 'commit']).kind, 'commit');
  } finally {
    r.git(['branch', '-D', S.P]);
  }
});

test('stats --json: counts by agent, model, action, day; commits that carry agent activity', () => {
  const all = logJson(r);
  const s = json<Stats>(['stats']);
  const agentRows = all.filter((x) => !x.action?.startsWith('git.'));
  assert.equal([s.rows, s.pending, s.agentRows, s.sessions], [all.length, all.filter((x) => x.pending).length, agentRows.length, 4]);
  assert.equal(s.commits, { total: 3, withAgent: 2, withSessions: 2 });
  assert.equal(s.byAgent, [
    { name: 'codex', count: 206 },
    { name: 'claude', count: 4 },
    { name: null, count: 1 },
  ]);
  assert.equal(s.byModel, [
    { name: 'gpt-5', count: 204 },
    { name: 'claude-opus', count: 4 },
    { name: null, count: 3 },
  ]);
  assert.equal(s.byAction[0], { name: 'tool.Read', count: 201 });
  assert.equal(
    s.byAction.reduce((n, c) => n + c.count, 0),
    all.length,
  );
  // Days in UTC, as the rows' own timestamps say (a run across midnight makes two).
  const days = new Map<string, number>();
  for (const x of all) days.set(String(x.ts).slice(0, 10), (days.get(String(x.ts).slice(0, 10)) ?? 0) + 1);
  assert.equal(
    s.byDay,
    [...days].map(([name, count]) => ({ name, count })),
  );
  // --committed and --since.
  assert.is(json<Stats>(['stats', '--committed']).rows, all.filter((x) => !x.pending).length);
  const later = json<Stats>(['stats', '--since', '2999-01-01']);
  assert.equal([later.rows, later.commits.total, later.byDay], [0, 0, []]);
  const text = ok(['stats']).stdout;
  assert.ok(text.includes(messages.stats.commits(3, 2, 2)), text);
});

test('why <path>: the agent rows that touched it, newest first, with their commits', () => {
  const rows = json<WhyEntry[]>(['why', 'src/app.ts']);
  assert.equal(
    rows.map((x) => [x.session_id, x.action, x.agent, x.pending, x.commits, x.files]),
    [
      [S.K1, 'tool.Read', 'claude', true, [], ['src/app.ts']],
      [S.C2, 'tool.Bash', 'codex', true, [], ['src/app.ts']],
      [S.K1, 'tool.Edit', 'claude', false, [log.sha3], ['src/app.ts']],
      [S.C1, 'tool.apply_patch', 'codex', false, [log.sha1], ['src/app.ts']],
    ],
  );
  // A folder names every path under it; --limit keeps the newest; --committed the committed.
  assert.equal(
    json<WhyEntry[]>(['why', 'src/lib']).map((x) => [x.action, x.files]),
    [
      ['tool.Write', ['src/lib/util.ts']],
      ['tool.Write', ['src/lib/util.ts']],
      ['tool.Edit', ['src/lib/util.ts']],
    ],
  );
  assert.is(json<WhyEntry[]>(['why', 'docs/guide.md', '--limit', '5']).length, 5);
  assert.is(json<WhyEntry[]>(['why', 'src/app.ts', '--committed']).length, 2);
  // A path given from a subfolder is relative to it.
  r.write('src/keep', '');
  const fromSrc = r.cli(['why', 'app.ts', '--json'], { cwd: path.join(r.dir, 'src') });
  assert.equal(JSON.parse(fromSrc.stdout), rows);
  assert.equal(json<WhyEntry[]>(['why', 'src/app']), [], 'a path prefix is not a folder');
});

test('why: a path outside the repository, and one nobody touched', () => {
  const out = r.cli(['why', '../elsewhere']);
  assert.equal([out.status, out.stderr], [1, `codexlog-hooks: ${messages.whyOutside('../elsewhere', r.dir)}\n`]);
  assert.equal([ok(['why', 'nothing.txt']).stdout], [`${messages.whyNothing('nothing.txt')}\n`]);
});

test('every read command escapes the hostile row (ESC, BEL, C1, RTL override, NUL), in tables and JSON', () => {
  const commands = [
    ['log'],
    ['log', '--json'],
    ['sessions'],
    ['show', S.K1],
    ['show', S.K1, '--json'],
    ['show', 'HEAD'],
    ['show', 'HEAD', '--json'],
    ['why', 'src/lib/util.ts'],
    ['why', 'src/lib/util.ts', '--json'],
    ['stats'],
  ];
  for (const args of commands) {
    for (const env of [{}, { COLUMNS: '70' }]) {
      const out = ok(args, env).stdout;
      assert.not.match(out, UNSAFE_IN_OUTPUT, args.join(' '));
    }
  }
  const log = ok(['show', S.K1]).stdout;
  assert.ok(log.includes('edit \\x1b]0;pwned\\x07\\x1b[2J done\\x9b31m <script>'), log);
  const j = json<{ timeline: Array<{ statement?: string }> }>(['show', S.K1]);
  assert.ok(
    j.timeline.some((e) => e.statement?.startsWith('edit \u001b]0;pwned\u0007')),
    'JSON holds the data as stored',
  );
});

test('--help lists every read command with its usage line, and each answers --help', () => {
  const help = ok(['--help']).stdout;
  for (const usage of [
    'sessions [--committed] [--json]',
    'show <commit-ish | session-id> [--as commit|session] [--committed] [--json]',
    'stats [--since <time>] [--committed] [--json]',
    'why <path> [--limit <n>] [--committed] [--json]',
    'export [--format jsonl|csv|sqlite] [-o <file>] [--force] [--committed]',
    'sql "<query>" [--json | --csv] [--committed]',
    'report [-o <file.html>] [--force] [--since <time>] [--committed]',
  ]) {
    assert.ok(help.includes(`\n  codexlog-hooks ${usage}\n`), usage);
    assert.ok(ok([usage.split(' ')[0], '--help']).stdout.startsWith(`Usage: codexlog-hooks ${usage}\n\n`), usage);
  }
});

test('messages that quote what a user gave (a command, a session id) show its control characters escaped', () => {
  const fresh = repo();
  const unknown = fresh.cli(['\u001b]0;t\u0007']);
  assert.is(unknown.status, 2);
  assert.ok(unknown.stderr.startsWith(`codexlog-hooks: ${messages.unknownCommand('\\x1b]0;t\\x07')}\n`), unknown.stderr);
  assert.not.match(unknown.stderr, UNSAFE_IN_OUTPUT);
  const started = fresh.cli(['session', 'start', '--id', 'a\u001b[2Jb']);
  assert.equal(
    [started.status, started.stdout, started.stderr],
    [0, 'a\\x1b[2Jb\n', `codexlog-hooks: ${messages.sessionStarted('a\\x1b[2Jb')}\n`],
  );
});

test('reading changed nothing in the work tree', () => {
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '?? src/keep\n');
  assert.ok(r.read(LOG).equals(tracked[0]) && r.read(SESSION).equals(tracked[1]));
  assert.equal(readdirSync(path.join(r.dir, 'databases')).sort(), ['codex_log.db', 'codex_log.segments', 'codex_session_logs.db']);
});

test.run();
