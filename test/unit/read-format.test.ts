// The text every read command prints, built from fixed data: exact layouts, and for every
// formatter the same hostile strings (ESC and C1 sequences, BEL, NUL, an RTL override, HTML, a
// very long value) that must come out escaped, one row per line, within the terminal's width.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatTable } from '../../src/cli/commands/log.ts';
import { formatSessions } from '../../src/cli/commands/sessions.ts';
import { formatCommit, formatTimeline } from '../../src/cli/commands/show.ts';
import { cellText, tableLines } from '../../src/cli/commands/sql.ts';
import { formatStats } from '../../src/cli/commands/stats.ts';
import { formatWhy } from '../../src/cli/commands/why.ts';
import { messages } from '../../src/messages.ts';
import type { CommitDetail } from '../../src/read/commit.ts';
import type { SessionSummary, TimelineEntry } from '../../src/read/sessions.ts';
import type { Stats } from '../../src/read/stats.ts';
import { displayWidth } from '../../src/read/table.ts';
import type { WhyEntry } from '../../src/read/why.ts';
import type { LogEntry } from '../../src/store/view.ts';
import { UNSAFE_IN_OUTPUT } from '../helpers/unsafe.ts';

const PLAIN = { width: null, color: false };
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/** Hostile strings: each must come out escaped. */
const HOSTILE = [
  '\u001b]0;retitled\u0007',
  '\u001b[2J\u001b[H',
  '\u009b31m',
  'ok\rfake',
  'nul\u0000',
  'file\u202eexe.txt',
  '<script>alert(1)</script>',
  `long ${'x'.repeat(5000)}`,
];

function expectSafe(out: string, width: number | null, rows: number): void {
  assert.not.match(out, UNSAFE_IN_OUTPUT);
  const lines = out.split('\n');
  assert.ok(lines.length >= rows, `${lines.length} lines for ${rows} rows`);
  if (width !== null) for (const line of lines) assert.ok(displayWidth(line) <= width, `${displayWidth(line)} > ${width}: ${line}`);
}

const entry = (over: Partial<LogEntry>): LogEntry => ({
  id: 1,
  uid: 'u',
  session_id: 's1',
  ts: '2026-01-02T03:04:05.000Z',
  action: 'tool.Bash',
  statement: 'npm test',
  metadata: null,
  pending: false,
  ...over,
});
const session = (over: Partial<SessionSummary>): SessionSummary => ({
  id: 's1',
  agent: 'codex',
  models: ['gpt-5'],
  start: '2026-01-02T03:04:05.000Z',
  end: '2026-01-02T04:00:00.000Z',
  ended: true,
  actions: 3,
  files: ['src/a.ts'],
  commits: [A],
  pending: false,
  ...over,
});

test('formatSessions: one line per session, commits as short SHAs, uncommitted sessions starred', () => {
  const out = formatSessions(
    [session({}), session({ id: 's2', agent: null, models: [], commits: [], actions: 12, files: [], pending: true })],
    PLAIN,
  );
  assert.is(
    out,
    [
      'SESSION  AGENT  MODEL  START                END                  ACTIONS  FILES  COMMITS',
      's1       codex  gpt-5  2026-01-02 03:04:05  2026-01-02 04:00:00        3      1  aaaaaaaaaa',
      's2                     2026-01-02 03:04:05  2026-01-02 04:00:00      12*      0',
      '',
      messages.pendingFootnote,
    ].join('\n'),
  );
});

test('formatWhy: newest first as given, commits as short SHAs', () => {
  const rows: WhyEntry[] = [
    { ...entry({ pending: true, id: null }), agent: 'codex', files: ['src/a.ts'], commits: [] },
    { ...entry({ action: 'tool.Edit', statement: 'src/a.ts' }), agent: 'claude', files: ['src/a.ts'], commits: [A, B] },
  ];
  assert.is(
    formatWhy(rows, PLAIN),
    [
      'TS                     AGENT   SESSION  ACTION     COMMITS                STATEMENT',
      '2026-01-02 03:04:05 *  codex   s1       tool.Bash                         npm test',
      '2026-01-02 03:04:05    claude  s1       tool.Edit  aaaaaaaaaa bbbbbbbbbb  src/a.ts',
      '',
      messages.pendingFootnote,
    ].join('\n'),
  );
});

const stats: Stats = {
  since: null,
  rows: 10,
  pending: 2,
  agentRows: 8,
  sessions: 2,
  commits: { total: 4, withAgent: 3, withSessions: 3 },
  byAgent: [
    { name: 'codex', count: 6 },
    { name: null, count: 2 },
  ],
  byModel: [{ name: 'gpt-5', count: 8 }],
  byAction: [
    { name: 'tool.Bash', count: 8 },
    { name: 'git.commit', count: 2 },
  ],
  byDay: [{ name: '2026-01-02', count: 10 }],
};

test('formatStats: the summary lines, then the four tables with shares', () => {
  assert.is(
    formatStats(stats, PLAIN),
    [
      messages.stats.rows(10, 2, null),
      messages.stats.agentRows(8, 2),
      messages.stats.commits(4, 3, 3),
      '',
      'AGENT         ROWS  SHARE',
      'codex            6  75.0%',
      '(none named)     2  25.0%',
      '',
      'MODEL  ROWS   SHARE',
      'gpt-5     8  100.0%',
      '',
      'ACTION      ROWS  SHARE',
      'tool.Bash      8  80.0%',
      'git.commit     2  20.0%',
      '',
      'DAY         ROWS   SHARE',
      '2026-01-02    10  100.0%',
    ].join('\n'),
  );
  assert.is(messages.stats.commits(4, 3, 3), '4 commits: 3 (75%) carry agent activity, 3 (75%) carry rows of any session');
  assert.is(messages.stats.commits(0, 0, 0), 'No commits in the log.');
});

const detail: CommitDetail = {
  sha: A,
  subject: 'feat: a',
  parents: [B],
  ts: '2026-01-02T05:00:00.000Z',
  rewrittenFrom: [],
  rewrittenAs: [],
  rows: [
    entry({ action: 'git.pre-commit', statement: 'pre-commit on main: 1 staged path', session_id: null }),
    entry({ action: 'git.commit', statement: 'feat: a', session_id: null, id: null, pending: true }),
  ],
  sessions: [{ id: 's1', agent: 'codex', model: 'gpt-5', rows: 1, precommit: 'p', via: null }],
  actions: [entry({})],
};

test('formatCommit: header, sessions, their rows, its own rows', () => {
  assert.is(
    formatCommit(detail, PLAIN),
    [
      `commit ${A}  feat: a`,
      'recorded 2026-01-02 05:00:00 (uncommitted)',
      `parents ${B}`,
      '',
      messages.show.sessions(1),
      'SESSION  AGENT  MODEL  ROWS  VIA',
      's1       codex  gpt-5     1',
      '',
      messages.show.actions(1),
      'TS                   SESSION  ACTION     STATEMENT',
      '2026-01-02 03:04:05  s1       tool.Bash  npm test',
      '',
      messages.show.own(2),
      'TS                     ACTION          STATEMENT',
      '2026-01-02 03:04:05    git.pre-commit  pre-commit on main: 1 staged path',
      '2026-01-02 03:04:05 *  git.commit      feat: a',
      '',
      messages.pendingFootnote,
    ].join('\n'),
  );
});

test('formatCommit: a commit the log has nothing about says so', () => {
  const out = formatCommit({ ...detail, ts: null, subject: null, parents: [], rows: [], sessions: [], actions: [] }, PLAIN);
  assert.is(out, [`commit ${A}`, '', messages.commitNotInLog(A)].join('\n'));
});

const timeline: TimelineEntry[] = [
  { kind: 'event', ts: '2026-01-02T03:04:05.000Z', uid: 'e', event: 'start', summary: '{"agent":"codex"}', pending: false },
  {
    kind: 'action',
    ts: '2026-01-02T03:05:00.000Z',
    uid: 'a',
    id: 7,
    action: 'prompt',
    statement: 'fix it',
    metadata: null,
    pending: false,
  },
  { kind: 'commit', ts: '2026-01-02T03:06:00.000Z', sha: A, subject: 'fix', pending: true },
];

test('formatTimeline: the session facts, then events, rows and commits in time order', () => {
  assert.is(
    formatTimeline(session({}), timeline, PLAIN),
    [
      messages.show.session('s1'),
      messages.show.sessionFacts('codex', 'gpt-5', 3, 1, 1),
      messages.show.span('2026-01-02 03:04:05', '2026-01-02 04:00:00', true),
      messages.show.commits([A]),
      '',
      messages.show.timeline(3),
      'TS                     WHAT    DETAIL',
      '2026-01-02 03:04:05    start   {"agent":"codex"}',
      '2026-01-02 03:05:00    prompt  fix it',
      '2026-01-02 03:06:00 *  commit  aaaaaaaaaa fix',
      '',
      messages.pendingFootnote,
    ].join('\n'),
  );
});

test('log without a width: the same hostile strings escaped, the columns at their caps', () => {
  const out = formatTable(HOSTILE.map((h) => entry({ session_id: h, action: h, statement: h })));
  expectSafe(out, 2 + 24 + 20 + 20 + 60 + 8, HOSTILE.length);
});

test('sql cells: NULL, blobs, numbers', () => {
  assert.equal([cellText(null), cellText(Buffer.from('hi')), cellText(1.5), cellText('x')], ['NULL', "x'6869'", '1.5', 'x']);
});

test('sql tableLines: widths from the first rows, numbers to the right, later rows clipped to those widths', async () => {
  const rows = [[1, 'a'], [22, null], ...Array.from({ length: 300 }, (_, i) => [i, i === 250 ? 'y'.repeat(50) : 'b'])];
  const lines: string[] = [];
  for await (const line of tableLines(['n', 'name'], rows, PLAIN)) lines.push(line);
  assert.equal(lines.slice(0, 3), ['  n  name', '  1  a', ' 22  NULL']);
  assert.is(lines.length, 303);
  // Row 250 came after the sample: its long value is clipped to the column's sampled width.
  assert.is(lines[253], '250  yyy…');
});

// Every formatter with hostile text in every text field, at a narrow and an unlimited width.
for (const width of [null, 60]) {
  const o = { width, color: false };
  const cases: Array<[string, () => string, number]> = [
    [
      'log (fitted)',
      () =>
        formatTable(
          HOSTILE.map((h) => entry({ session_id: h, action: h, statement: h })),
          o,
        ),
      HOSTILE.length,
    ],
    [
      'sessions',
      () =>
        formatSessions(
          HOSTILE.map((h) => session({ id: h, agent: h, models: [h, h] })),
          o,
        ),
      HOSTILE.length,
    ],
    [
      'why',
      () =>
        formatWhy(
          HOSTILE.map((h) => ({ ...entry({ session_id: h, action: h, statement: h }), agent: h, files: [h], commits: [A] })),
          o,
        ),
      HOSTILE.length,
    ],
    [
      'stats',
      () =>
        formatStats(
          { ...stats, byAgent: HOSTILE.map((h) => ({ name: h, count: 1 })), byAction: HOSTILE.map((h) => ({ name: h, count: 1 })) },
          o,
        ),
      HOSTILE.length,
    ],
    [
      'show <commit>',
      () =>
        formatCommit(
          {
            ...detail,
            subject: HOSTILE.join(' '),
            // An unreadable ts is shown as stored; parents come from a row's metadata.
            ts: HOSTILE.join(''),
            parents: HOSTILE,
            sessions: HOSTILE.map((h) => ({ id: h, agent: h, model: h, rows: 1, precommit: 'p', via: null })),
            actions: HOSTILE.map((h) => entry({ session_id: h, action: h, statement: h })),
            rows: HOSTILE.map((h) => entry({ action: h, statement: h })),
          },
          o,
        ),
      HOSTILE.length * 3,
    ],
    [
      'show <session>',
      () =>
        formatTimeline(
          session({ id: HOSTILE.join(''), agent: HOSTILE[0], models: HOSTILE, start: HOSTILE[1], end: HOSTILE[0], commits: HOSTILE }),
          HOSTILE.map((h) => ({ kind: 'action', ts: null, uid: 'u', id: 1, action: h, statement: h, metadata: h, pending: false })),
          o,
        ),
      HOSTILE.length,
    ],
  ];
  for (const [name, render, rows] of cases) {
    test(`${name}, width ${width ?? 'unlimited'}: hostile strings escaped, one row per line${width ? ', lines within the width' : ''}`, () => {
      const out = render();
      // Headers of show and the facts lines hold whole values; only tables are fitted.
      expectSafe(out, name.startsWith('show') || name === 'stats' ? null : width, rows);
      assert.ok(out.includes('\\x1b]0;retitled\\x07') || out.includes('\\x1b]0;re'), 'ESC shown escaped');
    });
  }
  test(`sql table, width ${width ?? 'unlimited'}: hostile values escaped`, async () => {
    const lines: string[] = [];
    for await (const line of tableLines(
      HOSTILE,
      HOSTILE.map((h) => [h, h, h, h, h, h, h, h]),
      o,
    ))
      lines.push(line);
    expectSafe(lines.join('\n'), null, HOSTILE.length + 1);
  });
}

test.run();
