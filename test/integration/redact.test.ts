// Secrets never reach a committed file: recorded through the API, the CLI's record and session
// end, the 0.1.0 pending file, and a commit whose subject holds a token (through installed hooks),
// a secret is shown as [REDACTED:<rule>] by every reader and is in no byte under .git (the inbox,
// uncommitted.db and its -wal, view.db, the LFS objects) nor in any committed file.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  closeCodexLogDb,
  finalizeCodexLogDb,
  logCodexEnd,
  logCodexStart,
  readCodexLog,
  readCodexSessions,
  recordCodexAction,
  recordCodexActions,
} from '../../src/index.ts';
import { messages } from '../../src/messages.ts';
import { AN, generator, URLSAFE } from '../fixtures/secret-corpus.ts';
import { inboxFiles, LOG, logJson, SESSION, stateDir } from '../helpers/log.ts';
import { ROOT, type TestRepo, throwawayRepos } from '../helpers/repo.ts';
import { install, linkPackage, TEAM_ENV } from '../helpers/team.ts';

const { repo } = throwawayRepos(test);
const { pick } = generator(0x1eaf);
const an = (n: number) => pick(AN, n);

/** Every file under `dir` (recursively), with its bytes. */
function filesUnder(dir: string): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push([p, readFileSync(p)]);
    }
  };
  walk(dir);
  return out;
}

/** No file under `dir` holds any of `secrets` (nor a 12-character piece of one), except those `skip` names. */
function expectNowhere(dir: string, secrets: string[], skip: (rel: string) => boolean = () => false): void {
  const needles = secrets.flatMap((s) => [s, s.slice(0, 12), s.slice(-12)]);
  for (const [file, bytes] of filesUnder(dir)) {
    const rel = path.relative(dir, file);
    if (skip(rel)) continue;
    for (const n of needles) assert.not.ok(bytes.includes(n), `${rel} holds ${n.slice(0, 6)}…`);
  }
}

/** The committed files of HEAD, each as git stores it, and (for LFS pointers) the object itself. */
function expectNotCommitted(r: TestRepo, secrets: string[]): void {
  for (const file of r.git(['ls-tree', '-r', '--name-only', 'HEAD']).split('\n').filter(Boolean)) {
    const blob = Buffer.from(r.git(['cat-file', 'blob', `HEAD:${file}`]), 'utf8');
    for (const s of secrets) assert.not.ok(blob.includes(s), `committed ${file}`);
  }
  const objects = filesUnder(path.join(r.dir, '.git', 'lfs', 'objects'));
  assert.ok(objects.length > 0, 'LFS objects were stored');
  for (const [file, bytes] of objects) for (const s of secrets) assert.not.ok(bytes.includes(s), `LFS object ${path.basename(file)}`);
}

test('API: statement, metadata, a batch and session events are redacted before any store; the live inbox file is blanked', async () => {
  const r = repo();
  const o = { cwd: r.dir, env: r.env };
  const ghp = `ghp_${an(36)}`;
  const pw = `Zx9${an(14)}`;
  const jwtBody = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.${pick(URLSAFE, 43)}`;
  const bearer = an(40);
  await logCodexStart('s1', o);
  await recordCodexAction('s1', 'tool.Bash', `export GITHUB_TOKEN=${ghp}`, { agent: 'codex', env: { DB_PASSWORD: pw } }, o);
  await recordCodexActions(
    [{ action: 'prompt', statement: `use this token: ${jwtBody}`, metadata: `curl -H "Authorization: Bearer ${bearer}"`, sessionId: 's1' }],
    o,
  );
  await logCodexEnd('s1', `Done; I set GH_TOKEN=${ghp} for you.`, o);
  // Until ingest, the raw rows wait in the inbox (the check below would see them).
  assert.ok(filesUnder(path.join(stateDir(r), 'inbox')).some(([, bytes]) => bytes.includes(ghp)));
  const rows = await readCodexLog({}, o);
  assert.equal(
    rows.map((x) => [x.statement, x.metadata]),
    [
      [
        'export GITHUB_TOKEN=[REDACTED:github-token]',
        '{"agent":"codex","env":{"DB_PASSWORD":"[REDACTED:secret-field]"},"redactions":{"secret-field":1,"github-token":1}}',
      ],
      [
        'use this token: [REDACTED:jwt]',
        '{"value":"curl -H \\"Authorization: Bearer [REDACTED:auth-header]\\"","redactions":{"auth-header":1,"jwt":1}}',
      ],
    ],
  );
  assert.equal(
    (await readCodexSessions(o)).map((e) => [e.event, e.summary]),
    [
      ['start', null],
      ['end', 'Done; I set GH_TOKEN=[REDACTED:github-token] for you.'],
    ],
  );
  const secrets = [ghp, pw, jwtBody, bearer];
  // This process's inbox file is still open (a live writer): what ingest read is blanked.
  assert.ok(inboxFiles(r).some((f) => f.startsWith('p-')));
  expectNowhere(path.join(r.dir, '.git'), secrets);
  await finalizeCodexLogDb(o);
  closeCodexLogDb();
  await readCodexLog({}, o);
  assert.equal(inboxFiles(r), [], 'the closed inbox file is gone once read');
  expectNowhere(r.dir, secrets);
  assert.ok(readFileSync(path.join(r.dir, LOG)).includes('[REDACTED:github-token]'));
});

test('CLI: record and session end are redacted; log shows the labels; nothing raw under .git or in the databases', () => {
  const r = repo();
  const glpat = `glpat-${pick(URLSAFE, 20)}`;
  const dbpw = an(16);
  const apiKey = an(32);
  const grafana = `glc_${pick(`${AN}+/`, 60)}==`;
  for (const args of [
    ['session', 'start', '--id', 'sess-1'],
    ['record', 'tool.Bash', `git clone https://oauth2:${glpat}@gitlab.com/acme/infra.git`],
    ['record', 'tool.Bash', 'psql', '--metadata', `{"cmd":"psql","env":{"PGPASSWORD":"${dbpw}"}}`],
    ['record', 'prompt', `my grafana token is ${grafana}`, '--metadata', `X-API-Key: ${apiKey}`],
    ['session', 'end', '--summary', `{"agent":"claude","note":"used api_key=${apiKey}"}`],
  ]) {
    const out = r.cli(args);
    assert.is(out.status, 0, out.stderr);
  }
  const table = r.cli(['log']);
  assert.is(table.status, 0, table.stderr);
  assert.match(table.stdout, 'git clone https://oauth2:[REDACTED:gitlab-token]@');
  assert.match(table.stdout, 'my grafana token is [REDACTED:secretlint:grafana]');
  const rows = logJson(r);
  assert.is(rows[0].statement, 'git clone https://oauth2:[REDACTED:gitlab-token]@gitlab.com/acme/infra.git');
  assert.equal(JSON.parse(rows[1].metadata as string), {
    cmd: 'psql',
    env: { PGPASSWORD: '[REDACTED:secret-field]' },
    redactions: { 'secret-field': 1 },
  });
  assert.equal(JSON.parse(rows[2].metadata as string), {
    value: 'X-API-Key: [REDACTED:secret-assignment]',
    redactions: { 'secret-assignment': 1, 'secretlint:grafana': 1 },
  });
  const fin = r.cli(['finalize']);
  assert.is(fin.status, 0, fin.stderr);
  const secrets = [glpat, dbpw, apiKey, grafana];
  expectNowhere(r.dir, secrets);
  for (const db of [LOG, SESSION]) assert.ok(readFileSync(path.join(r.dir, db)).includes('[REDACTED:gitlab-token]'), db);
});

test("the 0.1.0 pending file's rows are redacted too, and the file goes", () => {
  const r = repo();
  const token = `ghp_${an(36)}`;
  mkdirSync(stateDir(r), { recursive: true });
  writeFileSync(
    path.join(stateDir(r), 'pending.jsonl'),
    `${JSON.stringify({ uid: 'legacy-1', ts: '2025-01-01T00:00:00.000Z', session_id: null, action: 'git.commit', statement: `wip ${token}`, metadata: null })}\n`,
  );
  assert.equal(
    logJson(r).map((x) => [x.uid, x.statement]),
    [['legacy-1', 'wip [REDACTED:github-token]']],
  );
  assert.not.ok(existsSync(path.join(stateDir(r), 'pending.jsonl')));
  expectNowhere(path.join(r.dir, '.git'), [token]);
});

test('a huge row is cut at the scan limit: a secret past it is not kept at all', async () => {
  const r = repo();
  const o = { cwd: r.dir, env: r.env };
  const first = `ghp_${an(36)}`;
  const last = `ghp_${an(36)}`;
  await recordCodexAction('s', 'tool.Read', `${first}\n${'ordinary output line\n'.repeat(60_000)}${last}`, null, o);
  const [row] = await readCodexLog({}, o);
  assert.ok((row.statement as string).startsWith('[REDACTED:github-token]\nordinary'));
  assert.match(row.statement as string, /\[TRUNCATED:\d+ characters not kept\]$/);
  assert.equal(JSON.parse(row.metadata as string), { redactions: { 'github-token': 1, truncated: 1 } });
  closeCodexLogDb();
  await finalizeCodexLogDb(o);
  expectNowhere(r.dir, [first, last]);
});

test("the config's patterns and allow list apply on every write path; a bad regex names the file and the key", () => {
  const r = repo();
  const config = path.join(r.dir, 'codexlog.config.json');
  const publicKey = `pk_test_${an(24)}`;
  writeFileSync(
    config,
    JSON.stringify({ redaction: { patterns: [{ name: 'acme', regex: 'ACME-[0-9]{8}' }], allow: ['pk_test_[A-Za-z0-9]{24}'] } }),
  );
  assert.is(
    r.cli(['record', 'note', `order ACME-12345678 paid with ${publicKey}`, '--metadata', `PUBLISHABLE_TOKEN=${publicKey}`]).status,
    0,
  );
  assert.equal(
    logJson(r).map((x) => [x.statement, x.metadata]),
    [[`order [REDACTED:custom:acme] paid with ${publicKey}`, `{"value":"PUBLISHABLE_TOKEN=${publicKey}","redactions":{"custom:acme":1}}`]],
  );
  writeFileSync(config, JSON.stringify({ redaction: { patterns: [{ name: 'acme', regex: 'ACME-[0-9{8}' }] } }));
  const bad = r.cli(['record', 'note', 'x']);
  assert.equal(
    [bad.status, bad.stderr],
    [
      1,
      `codexlog-hooks: ${messages.configInvalid(config, 'redaction.patterns[0].regex', 'is not a valid regular expression (Invalid regular expression: /ACME-[0-9{8}/: Unterminated character class)')}\n`,
    ],
  );
});

test('a commit whose subject holds a token: the git.commit row is redacted, nothing raw in our files, the LFS objects or any committed file', () => {
  assert.ok(statSync(path.join(ROOT, 'dist', 'codexlog-hooks.mjs')).isFile(), 'npm run build first');
  const r = repo();
  writeFileSync(path.join(r.dir, 'package.json'), `${JSON.stringify({ name: 'app', private: true })}\n`);
  writeFileSync(path.join(r.dir, '.gitignore'), 'node_modules/\n');
  linkPackage(r);
  install(r);
  r.git(['add', '-A']);
  r.git(['commit', '-q', '-m', 'initial'], { env: TEAM_ENV });
  const token = `ghp_${an(36)}`;
  const pw = an(18);
  assert.is(r.cli(['record', 'tool.Bash', `PGPASSWORD=${pw} psql -c "select 1"`], { env: TEAM_ENV }).status, 0);
  r.write('a.txt', 'a\n');
  r.git(['add', 'a.txt']);
  r.git(['commit', '-q', '-m', `fix: use ${token} for the deploy`], { env: TEAM_ENV });
  // The git.commit row enters the log at the next commit.
  r.write('b.txt', 'b\n');
  r.git(['add', 'b.txt']);
  r.git(['commit', '-q', '-m', 'chore: b'], { env: TEAM_ENV });
  const rows = logJson(r, [], TEAM_ENV);
  const commitRow = rows.find((x) => x.action === 'git.commit' && x.statement?.startsWith('fix:'));
  assert.ok(commitRow, JSON.stringify(rows.map((x) => [x.action, x.statement])));
  assert.is(commitRow.statement, 'fix: use [REDACTED:github-token] for the deploy');
  assert.is(commitRow.pending, false);
  const meta = JSON.parse(commitRow.metadata as string);
  assert.equal([meta.subject, meta.redactions], ['fix: use [REDACTED:github-token] for the deploy', { 'github-token': 2 }]);
  assert.ok(rows.some((x) => x.statement === 'PGPASSWORD=[REDACTED:secret-assignment] psql -c "select 1"'));
  expectNotCommitted(r, [token, pw]);
  // git itself keeps the commit message (its objects, reflog and COMMIT_EDITMSG): that is the
  // commit, not the log. Everything else under .git, ours included, holds no raw byte of it.
  const gitsOwn = (rel: string) => rel.startsWith('objects') || rel.startsWith('logs') || rel === 'COMMIT_EDITMSG';
  expectNowhere(path.join(r.dir, '.git'), [token], gitsOwn);
  expectNowhere(path.join(r.dir, '.git'), [pw]);
  expectNowhere(r.dir, [token], (rel) => rel.startsWith('.git') || rel.startsWith('node_modules'));
});

test.run();
