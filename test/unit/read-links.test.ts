// How the git rows link commits and sessions (row-conventions): commit → its pre-commit row →
// the sessions it folded in; rewrites (amend, rebase) pass sessions on to the new SHAs; a row
// went into the first pre-commit after it that lists its session.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildLinks,
  commitsOfPrecommit,
  commitsOfSession,
  currentCommits,
  type GitRowInput,
  precommitOfRow,
  previousPrecommit,
  rewrittenAs,
  rewrittenFrom,
  sessionsOfCommit,
} from '../../src/read/links.ts';

const sha = (c: string) => c.repeat(40);
const A = sha('a');
const B = sha('b');
const B2 = sha('c'); // B amended
const B3 = sha('d'); // B2 rebased
const M = sha('e'); // a merge
const X = sha('f'); // a commit without pre-commit

let n = 0;
const row = (action: string, ts: string, metadata: unknown, pending = false): GitRowInput => ({
  uid: `u${++n}`,
  ts,
  action,
  metadata: typeof metadata === 'string' ? metadata : JSON.stringify(metadata),
  pending,
});
const session = (id: string, agent: string | null, rows: number) => ({ id, agent, model: agent ? `${agent}-model` : null, rows });

const P1 = row('git.pre-commit', '2026-01-01T10:00:00Z', {
  branch: 'main',
  sessions: [session('s1', 'codex', 3), session('plain', null, 1)],
});
const C1 = row('git.commit', '2026-01-01T10:00:01Z', { sha: A, parents: [], subject: 'first', precommit: P1.uid });
const P2 = row('git.pre-commit', '2026-01-01T11:00:00Z', {
  branch: 'main',
  sessions: [session('s1', 'codex', 2), session('s2', 'claude', 4)],
});
const C2 = row('git.commit', '2026-01-01T11:00:01Z', { sha: B, parents: [A], subject: 'second', precommit: P2.uid });
const P3 = row('git.pre-commit', '2026-01-01T12:00:00Z', { branch: 'main', sessions: [session('s3', 'codex', 1)] });
const C3 = row('git.commit', '2026-01-01T12:00:01Z', { sha: B2, parents: [A], subject: 'second, amended', precommit: P3.uid });
const R1 = row('git.rewrite', '2026-01-01T12:00:02Z', { kind: 'amend', mappings: [{ old: B, new: B2 }] });
const C4 = row('git.commit', '2026-01-01T13:00:00Z', { sha: B3, parents: [A], subject: 'second, rebased', precommit: null }, true);
const R2 = row('git.rewrite', '2026-01-01T13:00:01Z', { kind: 'rebase', mappings: [{ old: B2, new: B3 }] }, true);
const G1 = row('git.merge', '2026-01-01T14:00:00Z', { sha: M, parents: [B3, A], subject: 'merge x', merged: 'x' });
const C5 = row('git.commit', '2026-01-01T15:00:00Z', { sha: X, parents: [M], subject: 'revert', precommit: null });
const junk = [
  row('git.commit', '2026-01-01T15:00:00Z', 'not json'),
  row('git.commit', '2026-01-01T15:00:00Z', { sha: 'short', precommit: P1.uid }),
  row('git.pre-commit', '2026-01-01T15:00:00Z', { sessions: 'none' }),
  row('git.rewrite', '2026-01-01T15:00:00Z', { mappings: [{ old: A, new: A }, null, { old: 1, new: B }] }),
  row('edit', '2026-01-01T15:00:00Z', { sha: A }),
];
const links = buildLinks([P1, C1, P2, C2, P3, C3, R1, C4, R2, G1, C5, ...junk]);

test('buildLinks: commits by SHA and by pre-commit; malformed rows skipped', () => {
  assert.equal(
    links.commits.map((c) => [c.kind, c.sha[0], c.precommit, c.pending]),
    [
      ['commit', 'a', P1.uid, false],
      ['commit', 'b', P2.uid, false],
      ['commit', 'c', P3.uid, false],
      ['commit', 'd', null, true],
      ['merge', 'e', null, false],
      ['commit', 'f', null, false],
    ],
  );
  assert.equal([...links.precommits.keys()], [P1.uid, P2.uid, P3.uid, junk[2].uid]);
  assert.equal(links.precommits.get(junk[2].uid)?.sessions, []);
  assert.equal([...links.rewrites.keys()], [B, B2]);
  assert.equal(links.rewriteRows.get(B2), [R1.uid, R2.uid]);
});

// A row's parents are SHAs or nothing: anything else (hostile text, numbers, short or upper-case hex) is dropped.
const parentCases: Array<[string, unknown, string[]]> = [
  ['full SHAs kept in order', [B, A], [B, A]],
  ['a SHA-256 kept', ['1'.repeat(64)], ['1'.repeat(64)]],
  ['terminal escapes dropped', ['\u001b]0;PWN\u0007\u001b[2J', A], [A]],
  ['short or upper-case hex dropped', ['abc1234', 'A'.repeat(40)], []],
  ['non-strings dropped', [1, null, { sha: A }], []],
  ['not an array', A, []],
];
for (const [name, parents, expected] of parentCases) {
  test(`buildLinks parents: ${name}`, () => {
    const l = buildLinks([row('git.commit', '2026-01-01T10:00:00Z', { sha: A, parents })]);
    assert.equal(l.commits[0].parents, expected);
  });
}

const rewrites: Array<[string, string, string[], string[]]> = [
  ['never rewritten', A, [A], []],
  ['amended, then rebased: what it became last', B, [B3], []],
  ['the amended one', B2, [B3], [B]],
  ['the last one', B3, [B3], [B, B2]],
];
for (const [name, from, as, before] of rewrites) {
  test(`rewrittenAs / rewrittenFrom: ${name}`, () => {
    assert.equal(rewrittenAs(links, from), as);
    assert.equal(rewrittenFrom(links, from), before);
  });
}

test('rewrites that loop back end, and fork into two', () => {
  const l = buildLinks([
    row('git.rewrite', '2026-01-01T00:00:00Z', { mappings: [{ old: A, new: B }] }),
    row('git.rewrite', '2026-01-01T00:00:01Z', { mappings: [{ old: B, new: A }] }),
    row('git.rewrite', '2026-01-01T00:00:02Z', {
      mappings: [
        { old: X, new: M },
        { old: X, new: B2 },
      ],
    }),
  ]);
  // A loop has no last SHA: every SHA in it was replaced.
  assert.equal(rewrittenAs(l, A), [A]);
  assert.equal(rewrittenFrom(l, A), [B]);
  assert.equal(rewrittenAs(l, X), [B2, M]);
});

test('commitsOfPrecommit: the commits (as they are now) naming a pre-commit row', () => {
  assert.equal(commitsOfPrecommit(links, P1.uid), [A]);
  assert.equal(commitsOfPrecommit(links, P2.uid), [B3]);
  assert.equal(commitsOfPrecommit(links, P3.uid), [B3]);
  assert.equal(commitsOfPrecommit(links, 'nobody'), []);
});

test('sessionsOfCommit: its own pre-commit sessions, then those of the commits it replaced (via)', () => {
  assert.equal(sessionsOfCommit(links, A), [
    { ...session('s1', 'codex', 3), precommit: P1.uid, via: null },
    { ...session('plain', null, 1), precommit: P1.uid, via: null },
  ]);
  assert.equal(sessionsOfCommit(links, B3), [
    { ...session('s1', 'codex', 2), precommit: P2.uid, via: B },
    { ...session('s2', 'claude', 4), precommit: P2.uid, via: B },
    { ...session('s3', 'codex', 1), precommit: P3.uid, via: B2 },
  ]);
  assert.equal(sessionsOfCommit(links, M), []);
  assert.equal(sessionsOfCommit(links, X), []);
  assert.equal(sessionsOfCommit(links, sha('9')), []);
});

test('commitsOfSession: every commit the session went into, as it is now', () => {
  assert.equal(commitsOfSession(links, 's1'), [A, B3]);
  assert.equal(commitsOfSession(links, 's2'), [B3]);
  assert.equal(commitsOfSession(links, 'plain'), [A]);
  assert.equal(commitsOfSession(links, 'unknown'), []);
});

const rowsAt: Array<[string, string | null, string | null, string | null]> = [
  ['before the first pre-commit', 's1', '2026-01-01T09:00:00Z', P1.uid],
  ['at the pre-commit itself', 's1', '2026-01-01T10:00:00Z', P1.uid],
  ['between the two', 's1', '2026-01-01T10:30:00Z', P2.uid],
  ['the seed form, UTC', 's1', '2026-01-01 10:30:00', P2.uid],
  ['after the last (not committed yet)', 's1', '2026-01-01T11:30:00Z', null],
  ['another session', 's2', '2026-01-01T09:00:00Z', P2.uid],
  ['no session', null, '2026-01-01T09:00:00Z', null],
  ['no time', 's1', null, null],
];
for (const [name, s, ts, uid] of rowsAt) {
  test(`precommitOfRow: ${name}`, () => {
    assert.is(precommitOfRow(links, s, ts)?.uid ?? null, uid);
  });
}

test('previousPrecommit: the rows a pre-commit folded came after the one before it', () => {
  const p1 = links.precommits.get(P1.uid);
  const p2 = links.precommits.get(P2.uid);
  assert.is(p1 && previousPrecommit(links, 's1', p1), null);
  assert.is(p2 && previousPrecommit(links, 's1', p2)?.uid, P1.uid);
  assert.is(p2 && previousPrecommit(links, 's2', p2), null);
});

test('currentCommits: git.commit rows whose SHA no rewrite replaced, each once', () => {
  const doubled = buildLinks([C1, { ...C1, uid: 'again' }, C2, R1]);
  assert.equal(
    currentCommits(doubled).map((c) => c.sha),
    [A],
  );
  assert.equal(
    currentCommits(links).map((c) => c.sha),
    [A, B3, X],
  );
});

test.run();
