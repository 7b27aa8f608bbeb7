// scan's pieces that need no repository: the parser of `git log --raw -z`, the finding lines and
// the summary line (which never carry a secret: findings hold none to print).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatFindings, summarize } from '../../src/cli/commands/scan.ts';
import { parseLogRaw } from '../../src/git/history.ts';
import type { ScanReport } from '../../src/scan.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const O = '1'.repeat(40);
const N = '2'.repeat(40);
const Z = '0'.repeat(40);

test('parseLogRaw: versions per commit; deletions, links and submodules have none; odd paths kept', () => {
  const raw =
    `\x01${A}\0\n:100644 100644 ${O} ${N} M\0databases/codex_log.db\0:000000 100644 ${Z} ${O} A\0databases/codex_log.segments/x y.db\0` +
    `\x01${B}\0\n:100644 000000 ${O} ${Z} D\0databases/codex_session_logs.db\0:000000 120000 ${Z} ${N} A\0link.db\0:000000 160000 ${Z} ${N} A\0sub\0` +
    `:100755 100755 ${O} ${N} M\0databases/caf\u00e9.db\0`;
  assert.equal(parseLogRaw(raw), [
    { commit: A, path: 'databases/codex_log.db', blob: N },
    { commit: A, path: 'databases/codex_log.segments/x y.db', blob: O },
    { commit: B, path: 'databases/caf\u00e9.db', blob: N },
  ]);
  assert.equal(parseLogRaw(''), []);
});

const report = (over: Partial<ScanReport>): ScanReport => ({ findings: [], files: 3, rows: 1200, skipped: [], notLocal: 0, ...over });

test('finding lines: rule (and how many), table, uid, column, file, and the commit that introduced the version', () => {
  assert.is(
    formatFindings([
      {
        path: 'databases/codex_log.db',
        commits: null,
        table: 'codex_actions',
        uid: 'u1',
        column: 'statement',
        rules: { 'github-token': 1, jwt: 2 },
      },
      { path: 'databases/codex_log.db', commits: [A, B], table: 'codex_log', uid: 'u2', column: 'summary', rules: { 'high-entropy': 1 } },
    ]),
    [
      'github-token  codex_actions  u1  statement  databases/codex_log.db',
      'jwt (x2)  codex_actions  u1  statement  databases/codex_log.db',
      `high-entropy  codex_log  u2  summary  databases/codex_log.db  ${A} (+1 more)`,
    ].join('\n'),
  );
});

test('finding lines: a hostile uid, file name or rule comes out escaped, one finding per line', () => {
  const out = formatFindings([
    {
      path: 'databases/codex_log.segments/\u001b]0;PWN\u0007.db',
      commits: null,
      table: 'codex_actions',
      uid: 'u\u001b[2J\u009b31m\u202e',
      column: 'statement',
      rules: { 'jwt\r\nfake': 1 },
    },
  ]);
  assert.is(out, 'jwt fake  codex_actions  u\\x1b[2J\\x9b31m\\u202e  statement  databases/codex_log.segments/\\x1b]0;PWN\\x07.db');
});

test('the summary: clean, found, and what was not read', () => {
  assert.is(summarize(report({})), 'No secret found in the committed log (3 files, 1,200 rows checked).');
  assert.is(
    summarize(
      report({
        files: 1,
        rows: 1,
        notLocal: 2,
        skipped: [
          { path: 'p', commit: A, reason: 'x' },
          { path: 'p', commit: B, reason: 'x' },
          { path: 'q', commit: null, reason: 'y' },
        ],
      }),
    ),
    'No secret found in the committed log (1 file, 1 row checked; 2 older versions not read: their Git LFS object is not in this clone ' +
      '(`git lfs fetch --all` gets them); 1 file not read: not a log database or not downloaded (--json says which)).',
  );
  const f = { table: 'codex_actions' as const, uid: 'u1', column: 'statement' };
  assert.is(
    summarize(
      report({
        findings: [
          { ...f, path: 'databases/codex_log.db', commits: null, rules: { jwt: 2 } },
          { ...f, path: 'databases/codex_session_logs.db', commits: null, rules: { jwt: 2 } },
        ],
      }),
    ),
    '4 secrets found in 1 row of the committed log, in 2 files or older versions of them (3 files, 1,200 rows checked). Rotate each secret now: ' +
      'a committed file keeps it in git history. To take it out of history, rewrite the commits that hold those files (git filter-repo) and have every clone fetch again.',
  );
});

test.run();
