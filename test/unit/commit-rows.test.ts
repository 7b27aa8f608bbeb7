// The rows git's hooks record (src/commit-rows.ts) and the sessions a commit folds in
// (sessionsOf, src/finalize.ts): pure functions of facts, as tables of cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  blockedRow,
  type CommitFacts,
  commitRow,
  type MergedFacts,
  mergeRow,
  operationOf,
  preCommitRow,
  rewriteRow,
  summarizeStaged,
} from '../../src/commit-rows.ts';
import { sessionsOf } from '../../src/finalize.ts';
import type { StoredAction } from '../../src/store/uncommitted.ts';

const H = 'a'.repeat(40);
const P1 = 'b'.repeat(40);
const P2 = 'c'.repeat(40);
const O = 'd'.repeat(40);
const T = 'e'.repeat(40);

// --- operationOf -------------------------------------------------------------------------------------

const operations: Array<[string | null, string | null]> = [
  [null, null],
  ['', null],
  ['commit', null],
  ['commit (amend)', null],
  ['commit (initial)', null],
  ['rebase (pick)', 'rebase'],
  ['rebase -i (reword)', 'rebase'],
  ['rebase', 'rebase'],
  ['cherry-pick', 'cherry-pick'],
  ['revert', 'revert'],
  ['merge feature', 'merge'],
  ['merge origin/main', 'merge'],
  ['pull', 'pull'],
  ['pull --rebase origin main', 'pull'],
  ['am', 'am'],
  // A word that only starts like an operation is not one.
  ['amend', null],
  ['merged', null],
  ['rebased', null],
  ['pullx', null],
  ['Rebase (pick)', null],
  [' rebase', null],
];
for (const [action, expected] of operations) {
  test(`operationOf(${JSON.stringify(action)}) is ${JSON.stringify(expected)}`, () => assert.is(operationOf(action), expected));
}

// --- commitRow ---------------------------------------------------------------------------------------

const head: CommitFacts = { sha: H, parents: [P1], subject: 'fix: the parser' };

const commits: Array<[string, string | null, string | null, string | null, Record<string, unknown>]> = [
  // name, session, GIT_REFLOG_ACTION, pre-commit uid, metadata
  [
    'a plain commit, no session, no pre-commit row',
    null,
    null,
    null,
    { sha: H, parents: [P1], subject: 'fix: the parser', operations: [], reflogAction: null, precommit: null },
  ],
  [
    'an amend, linked to its pre-commit row',
    's1',
    'commit (amend)',
    'uid-of-pre-commit',
    { sha: H, parents: [P1], subject: 'fix: the parser', operations: [], reflogAction: 'commit (amend)', precommit: 'uid-of-pre-commit' },
  ],
  [
    'a commit replayed by a rebase',
    null,
    'rebase (pick)',
    null,
    { sha: H, parents: [P1], subject: 'fix: the parser', operations: ['rebase'], reflogAction: 'rebase (pick)', precommit: null },
  ],
  [
    'a cherry-pick',
    's2',
    'cherry-pick',
    'p',
    { sha: H, parents: [P1], subject: 'fix: the parser', operations: ['cherry-pick'], reflogAction: 'cherry-pick', precommit: 'p' },
  ],
];
for (const [name, session, action, precommit, metadata] of commits) {
  test(`commitRow: ${name}`, () => {
    const row = commitRow(session, head, action, precommit);
    assert.equal(row, { session_id: session, action: 'git.commit', statement: 'fix: the parser', metadata: JSON.stringify(metadata) });
    // The metadata keys come in this order (sha, parents, subject, operations, reflogAction, precommit).
    assert.equal(Object.keys(JSON.parse(row.metadata as string)), ['sha', 'parents', 'subject', 'operations', 'reflogAction', 'precommit']);
  });
}

test('commitRow: a root commit with an empty subject', () => {
  const row = commitRow(null, { sha: H, parents: [], subject: '' }, null, null);
  assert.is(row.statement, '');
  assert.equal(JSON.parse(row.metadata as string).parents, []);
});

// --- mergeRow ----------------------------------------------------------------------------------------

const merges: Array<[string, CommitFacts, MergedFacts, string | null, string]> = [
  // name, HEAD after, merged facts, GIT_REFLOG_ACTION, statement
  [
    'a fast-forward pull',
    { sha: T, parents: [P1], subject: 'feat: theirs' },
    { merged: 'origin main', range: `${O}..${T}`, squash: false, fastForward: true },
    'pull origin main',
    `fast-forward of origin main (${O}..${T}): feat: theirs`,
  ],
  [
    'a true merge',
    { sha: H, parents: [P1, P2], subject: "Merge branch 'feature'" },
    { merged: 'feature', range: `${O}..${H}`, squash: false, fastForward: false },
    'merge feature',
    `merge of feature (${O}..${H}): Merge branch 'feature'`,
  ],
  [
    'a squash merge (HEAD stays; the range is what the branch adds)',
    { sha: H, parents: [P1], subject: 'base' },
    { merged: 'feature', range: `${H}..${T}`, squash: true, fastForward: false },
    'merge feature',
    `squash merge of feature (${H}..${T}): base`,
  ],
  [
    'nothing known about what came in',
    { sha: H, parents: [P1, P2], subject: 'Merge' },
    { merged: null, range: null, squash: false, fastForward: false },
    null,
    'merge: Merge',
  ],
  [
    'a squash of an unknown branch',
    { sha: H, parents: [P1], subject: 's' },
    { merged: null, range: null, squash: true, fastForward: false },
    'merge',
    'squash merge: s',
  ],
];
for (const [name, after, facts, action, statement] of merges) {
  test(`mergeRow: ${name}`, () => {
    assert.equal(mergeRow('s1', after, facts, action), {
      session_id: 's1',
      action: 'git.merge',
      statement,
      metadata: JSON.stringify({ ...after, ...facts, reflogAction: action }),
    });
    assert.equal(Object.keys(JSON.parse(mergeRow(null, after, facts, action).metadata as string)), [
      'sha',
      'parents',
      'subject',
      'merged',
      'range',
      'squash',
      'fastForward',
      'reflogAction',
    ]);
  });
}

// --- rewriteRow, blockedRow --------------------------------------------------------------------------

const rewrites: Array<[string, Array<{ old: string; new: string }>, string]> = [
  ['amend', [{ old: O, new: H }], 'amend: 1 commit rewritten'],
  [
    'rebase',
    [
      { old: O, new: H },
      { old: P1, new: P2 },
      { old: T, new: P1 },
    ],
    'rebase: 3 commits rewritten',
  ],
];
for (const [kind, mappings, statement] of rewrites) {
  test(`rewriteRow: ${kind}`, () => {
    assert.equal(rewriteRow(null, kind, mappings), {
      session_id: null,
      action: 'git.rewrite',
      statement,
      metadata: JSON.stringify({ kind, mappings }),
    });
  });
}

test('blockedRow: the reasons, in order', () => {
  assert.equal(blockedRow('s', ['first', 'second']), {
    session_id: 's',
    action: 'git.blocked',
    statement: 'commit blocked by the Git LFS gate',
    metadata: '{"reasons":["first","second"]}',
  });
});

// --- summarizeStaged, preCommitRow -------------------------------------------------------------------

const ours = (p: string) => p.startsWith('databases/');

test('summarizeStaged: our databases and .gitattributes are left out; letters counted', () => {
  const s = summarizeStaged(
    [
      { status: 'A', path: 'a.txt' },
      { status: 'M', path: 'b.txt' },
      { status: 'M', path: 'databases/codex_log.db' },
      { status: 'A', path: 'databases/codex_log.segments/x.db' },
      { status: 'M', path: '.gitattributes' },
      { status: 'D', path: 'c.txt' },
      { status: 'T', path: 'link' },
    ],
    ours,
  );
  assert.equal(s, { total: 4, added: 1, modified: 1, deleted: 1, other: 1, paths: ['a.txt', 'b.txt', 'c.txt', 'link'], truncated: false });
});

test('summarizeStaged: more than 50 paths are counted, 50 listed', () => {
  const changes = Array.from({ length: 51 }, (_, i) => ({ status: 'A', path: `f${i}` }));
  const s = summarizeStaged(changes, ours);
  assert.is(s.total, 51);
  assert.is((s.paths as string[]).length, 50);
  assert.is(s.truncated, true);
});

const preCommits: Array<[string, string | null, Array<{ status: string; path: string }>, string]> = [
  [
    'on a branch, two paths',
    'main',
    [
      { status: 'A', path: 'a' },
      { status: 'M', path: 'b' },
    ],
    'pre-commit on main: 2 staged paths',
  ],
  ['one path', 'feature/x', [{ status: 'A', path: 'a' }], 'pre-commit on feature/x: 1 staged path'],
  [
    'detached HEAD, only our files',
    null,
    [{ status: 'M', path: 'databases/codex_log.db' }],
    'pre-commit on (detached HEAD): 0 staged paths',
  ],
];
for (const [name, branch, changes, statement] of preCommits) {
  test(`preCommitRow: ${name}`, () => {
    const sessions = [{ id: 's1', agent: 'codex', model: null, rows: 2 }];
    const row = preCommitRow('s1', { branch, changes, exclude: ours, operations: ['merge'], sessions });
    assert.equal(row, {
      session_id: 's1',
      action: 'git.pre-commit',
      statement,
      metadata: JSON.stringify({ branch, staged: summarizeStaged(changes, ours), operations: ['merge'], sessions }),
    });
  });
}

// --- sessionsOf --------------------------------------------------------------------------------------

const act = (session_id: string | null, action: string, metadata: string | null): StoredAction => ({
  uid: `${session_id}-${action}-${metadata}`,
  ts: '2024-05-01T10:00:00.000Z',
  session_id,
  action,
  statement: 'x',
  metadata,
});

const sessions: Array<[string, StoredAction[], ReturnType<typeof sessionsOf>]> = [
  ['no rows', [], []],
  [
    'rows per session, in first-seen order',
    [act('s2', 'edit', null), act('s1', 'edit', null), act('s2', 'run', null)],
    [
      { id: 's2', agent: null, model: null, rows: 2 },
      { id: 's1', agent: null, model: null, rows: 1 },
    ],
  ],
  [
    'agent and model from the first row that names them',
    [
      act('s1', 'edit', '{"file":"a"}'),
      act('s1', 'edit', '{"agent":"codex","model":"gpt-5"}'),
      act('s1', 'edit', '{"agent":"other","model":"other"}'),
    ],
    [{ id: 's1', agent: 'codex', model: 'gpt-5', rows: 3 }],
  ],
  [
    'free text, arrays, non-string values name no agent',
    [act('s1', 'edit', 'agent=codex'), act('s1', 'edit', '["codex"]'), act('s1', 'edit', '{"agent":5,"model":null}')],
    [{ id: 's1', agent: null, model: null, rows: 3 }],
  ],
  [
    "git's own rows and rows without a session are no agent session",
    [act(null, 'edit', null), act('s1', 'git.commit', null), act('s1', 'git.pre-commit', null), act('s1', 'edit', null)],
    [{ id: 's1', agent: null, model: null, rows: 1 }],
  ],
];
for (const [name, rows, expected] of sessions) {
  test(`sessionsOf: ${name}`, () => assert.equal(sessionsOf(rows), expected));
}

test.run();
