// `scan` on real repositories with real SQLite files and Git LFS: a secret written straight into a
// committed log (as an older version, before redaction, would have stored it) is found, named by
// rule, table, uid, column and file, and never printed; a clean log exits 0; --history finds a
// secret that only an older commit's version holds, and counts versions whose object is not here.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lfsObjectPath } from '../../src/git/lfs-objects.ts';
import { parsePointer } from '../../src/git/pointer.ts';
import { attributeLines } from '../../src/install/attributes.ts';
import type { ScanReport } from '../../src/scan.ts';
import { AN, generator } from '../fixtures/secret-corpus.ts';
import { LOG, SESSION } from '../helpers/log.ts';
import { hasGitLfs, type Run, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const { repo } = throwawayRepos(test);
const { pick } = generator(0x5ca7);
const an = (n: number) => pick(AN, n);
const SEGMENTS = 'databases/codex_log.segments';

/** A repository with LFS filters and our attributes, a log with one redacted row, committed. */
function loggedRepo(): TestRepo {
  assert.ok(hasGitLfs(), 'git-lfs is required for this test');
  const r = repo();
  r.git(['lfs', 'install', '--local', '--skip-repo']);
  r.write('.gitattributes', `${attributeLines({ dbs: [LOG, SESSION], segmentsDir: SEGMENTS })}\n`);
  assert.is(r.cli(['record', 'tool.Bash', `export GITHUB_TOKEN=ghp_${an(36)}`]).status, 0);
  assert.is(r.cli(['finalize']).status, 0);
  r.git(['add', '-A']);
  r.git(['commit', '-q', '--no-verify', '-m', 'log']);
  return r;
}

/** Writes a row straight into a log file, bypassing ingest (what an older version could have committed). */
async function plant(file: string, uid: string, statement: string, metadata: string | null = null): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  try {
    db.prepare(
      "INSERT INTO codex_actions (session_id, ts, action, statement, metadata, uid) VALUES ('s', '2024-01-01T00:00:00Z', 'tool.Bash', ?, ?, ?)",
    ).run(statement, metadata, uid);
  } finally {
    db.close();
  }
}

const scan = (r: TestRepo, args: string[] = []) => r.cli(['scan', ...args]);

function expectSecretFree(out: Run, secrets: string[]): void {
  for (const s of secrets) {
    for (const piece of [s, s.slice(0, 8), s.slice(-8)]) {
      assert.not.ok(out.stdout.includes(piece), `stdout holds ${piece.slice(0, 4)}…`);
      assert.not.ok(out.stderr.includes(piece), `stderr holds ${piece.slice(0, 4)}…`);
    }
  }
}

test('a clean log: exit 0, nothing on stdout, one summary line on stderr', () => {
  const r = loggedRepo();
  const out = scan(r);
  assert.equal(
    [out.status, out.stdout, out.stderr],
    [0, '', 'codexlog-hooks: No secret found in the committed log (2 files, 2 rows checked).\n'],
  );
  const hist = scan(r, ['--history']);
  assert.equal([hist.status, hist.stdout], [0, '']);
  // The work tree's two files, and the committed version of each (one LFS object, read once).
  assert.is(hist.stderr, 'codexlog-hooks: No secret found in the committed log (4 files, 4 rows checked).\n');
});

test('a secret planted in the committed log: exit 1, rule, table, uid, column and file named, the secret nowhere in the output', async () => {
  const r = loggedRepo();
  const token = `glpat-${an(20)}`;
  const pw = 'correct-horse-battery-staple';
  await plant(
    path.join(r.dir, LOG),
    'planted-1',
    `git push https://oauth2:${token}@gitlab.com/x.git`,
    JSON.stringify({ env: { DB_PASSWORD: pw } }),
  );
  const out = scan(r);
  assert.is(out.status, 1, out.stderr);
  assert.is(
    out.stdout,
    [
      'gitlab-token  codex_actions  planted-1  statement  databases/codex_log.db',
      'secret-field  codex_actions  planted-1  metadata  databases/codex_log.db',
      '',
    ].join('\n'),
  );
  assert.match(
    out.stderr,
    /^codexlog-hooks: 2 secrets found in 1 row of the committed log, in 1 file or older version of it \(2 files, 3 rows checked\)\. Rotate each secret now/,
  );
  assert.is(out.stderr.split('\n').length, 2, 'one line');
  expectSecretFree(out, [token, pw]);
  const json = scan(r, ['--json']);
  assert.is(json.status, 1);
  const report = JSON.parse(json.stdout) as ScanReport;
  assert.equal(report.findings, [
    { path: LOG, commits: null, table: 'codex_actions', uid: 'planted-1', column: 'statement', rules: { 'gitlab-token': 1 } },
    { path: LOG, commits: null, table: 'codex_actions', uid: 'planted-1', column: 'metadata', rules: { 'secret-field': 1 } },
  ]);
  expectSecretFree(json, [token, pw]);
});

test('a secret in a sealed segment and in an LFS pointer whose object is here: both found', async () => {
  const r = loggedRepo();
  const token = `ghp_${an(36)}`;
  const segment = `${SEGMENTS}/20240101T000000Z-${'ab'.repeat(16)}.db`;
  r.write(segment, r.read(LOG));
  await plant(path.join(r.dir, segment), 'in-segment', `token ${token}`);
  r.git(['add', segment]);
  r.git(['commit', '-q', '--no-verify', '-m', 'segment']);
  // The work tree's segment replaced by its pointer (a clone that has the object but did not check it out).
  r.write(segment, r.git(['cat-file', 'blob', `HEAD:${segment}`]));
  const out = scan(r);
  assert.is(out.status, 1, out.stderr);
  assert.is(out.stdout, `github-token  codex_actions  in-segment  statement  ${segment}\n`);
  expectSecretFree(out, [token]);
});

test('--history: a secret only an older version holds is found with the commit that introduced it; missing LFS objects are counted', async () => {
  const r = loggedRepo();
  const token = `ghp_${an(36)}`;
  await plant(path.join(r.dir, LOG), 'old-row', `echo ${token}`);
  r.git(['add', LOG]);
  r.git(['commit', '-q', '--no-verify', '-m', 'an old version with a secret']);
  const leaky = r.git(['rev-parse', 'HEAD']).trim();
  // The next version no longer has the row.
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(r.dir, LOG));
  db.prepare("DELETE FROM codex_actions WHERE uid = 'old-row'").run();
  db.exec('VACUUM');
  db.close();
  r.git(['add', LOG]);
  r.git(['commit', '-q', '--no-verify', '-m', 'clean again']);
  const now = scan(r);
  assert.is(now.status, 0, now.stderr);
  const hist = scan(r, ['--history']);
  assert.is(hist.status, 1, hist.stderr);
  assert.is(hist.stdout, `github-token  codex_actions  old-row  statement  ${LOG}  ${leaky}\n`);
  expectSecretFree(hist, [token]);
  // Without the leaky version's LFS object, it cannot be read: counted, not a failure.
  const pointer = parsePointer(Buffer.from(r.git(['cat-file', 'blob', `${leaky}:${LOG}`])));
  assert.ok(pointer);
  rmSync(lfsObjectPath(path.join(r.dir, '.git', 'lfs'), pointer.oid));
  const without = scan(r, ['--history']);
  assert.equal([without.status, without.stdout], [0, '']);
  assert.match(
    without.stderr,
    /; 1 older version not read: its Git LFS object is not in this clone \(`git lfs fetch --all` gets them\)\)\.\n$/,
  );
});

test('usage: unknown flags and positionals are usage errors', () => {
  const r = repo();
  const out = scan(r, ['--all']);
  assert.is(out.status, 2);
  assert.match(out.stderr, 'Usage: codexlog-hooks scan [--history] [--json]');
  assert.is(scan(r, ['x']).status, 2);
  // No log at all: nothing to check.
  const empty = scan(r);
  assert.equal(
    [empty.status, empty.stdout, empty.stderr],
    [0, '', 'codexlog-hooks: No secret found in the committed log (0 files, 0 rows checked).\n'],
  );
});

test.run();
