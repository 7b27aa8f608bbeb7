// Rows: which columns are redacted, how metadata is walked and where the counts go; rows with
// nothing to redact come out as they came in; redacting a redacted row changes nothing; a batch
// loads secretlint's preset only when a string could hold what it finds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDetector, type RedactionConfig } from '../../src/redact/detector.ts';
import { isSecretKey, ownRedactor, RowRedactor, redactBatch } from '../../src/redact/redact.ts';
import type { EventRow } from '../../src/rows.ts';
import type { StoredAction } from '../../src/store/uncommitted.ts';
import { AN, generator, URLSAFE } from '../fixtures/secret-corpus.ts';

const { pick } = generator(0x40b5);
const an = (n: number) => pick(AN, n);
const CONFIG: RedactionConfig = { patterns: [], allow: [], secretlint: false };
const rows = new RowRedactor(createDetector(CONFIG, null));
const ghp = `ghp_${an(36)}`;
// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable reference, as an agent logs it.
const REF = '${OPENAI_API_KEY}';
const pw = `Zx9${an(13)}`;

const action = (over: Partial<StoredAction>): StoredAction => ({
  uid: '01a2-uid',
  ts: '2026-01-01T00:00:00.000Z',
  session_id: 'session-1',
  action: 'tool.Bash',
  statement: 'npm test',
  metadata: null,
  ...over,
});
const meta = (r: StoredAction) => JSON.parse(r.metadata as string);

test('a row with nothing to redact comes out as it came in, metadata byte for byte', () => {
  for (const metadata of [
    null,
    'free text',
    '{ "agent": "codex",\n  "files": ["src/a.ts"] }',
    '[1, 2]',
    '"quoted"',
    '{"tokens": 1234, "max_tokens": 4096}',
  ]) {
    const row = action({ metadata });
    assert.is(rows.action(row), row, String(metadata));
  }
  const ev: EventRow = { uid: 'e', ts: null, session_id: 's', event: 'start', summary: '{"agent":"claude","model":"opus"}' };
  assert.is(rows.event(ev), ev);
});

test('the statement is redacted and the counts go into the metadata (null metadata becomes the counts)', () => {
  const r = rows.action(action({ statement: `export GITHUB_TOKEN=${ghp}` }));
  assert.is(r.statement, 'export GITHUB_TOKEN=[REDACTED:github-token]');
  assert.is(r.metadata, '{"redactions":{"github-token":1}}');
});

test('JSON object metadata is walked: strings redacted, secret-ish keys redacted whole, counts added', () => {
  const r = rows.action(
    action({
      metadata: JSON.stringify({
        agent: 'codex',
        password: pw,
        headers: { 'x-api-key': 'short-but-secret', Authorization: `Bearer ${an(30)}` },
        env: { DB_PASSWORD: 'hunter2hunter2', NODE_ENV: 'production', OPENAI_API_KEY: REF },
        output: { preview: `remote: https://deploy:${pw}@git.acme.io/x.git`, sha256: 'a'.repeat(64) },
        list: [{ token: 123456 }, { apiKey: '' }, `plain ${ghp}`],
        usage: { input_tokens: 1234, output_tokens: 55, token_count: 3 },
        has_password: true,
        private_key: '~/.ssh/id_ed25519',
      }),
    }),
  );
  assert.equal(meta(r), {
    agent: 'codex',
    password: '[REDACTED:secret-field]',
    headers: { 'x-api-key': '[REDACTED:secret-field]', Authorization: '[REDACTED:auth-header]' },
    env: { DB_PASSWORD: '[REDACTED:secret-field]', NODE_ENV: 'production', OPENAI_API_KEY: REF },
    output: { preview: 'remote: https://deploy:[REDACTED:url-credentials]@git.acme.io/x.git', sha256: 'a'.repeat(64) },
    list: [{ token: '[REDACTED:secret-field]' }, { apiKey: '' }, 'plain [REDACTED:github-token]'],
    usage: { input_tokens: 1234, output_tokens: 55, token_count: 3 },
    has_password: true,
    private_key: '~/.ssh/id_ed25519',
    redactions: { 'secret-field': 4, 'auth-header': 1, 'url-credentials': 1, 'github-token': 1 },
  });
});

test('a value under a secret-ish key that a rule names gets that rule; JSON escapes do not hide a secret', () => {
  const r = rows.action(
    action({ metadata: `{"access_token":"${ghp.replace('g', '\\u0067')}","note":"${'\\u0073'}k-proj-${pick(URLSAFE, 40)}"}` }),
  );
  assert.equal(meta(r), {
    access_token: '[REDACTED:github-token]',
    note: '[REDACTED:openai-api-key]',
    redactions: { 'github-token': 1, 'openai-api-key': 1 },
  });
});

test('a {name, value} pair whose name names a secret: the value is redacted whole, as under a secret-ish key', () => {
  const r = rows.action(
    action({
      metadata: JSON.stringify({
        env: [
          { name: 'DB_PASSWORD', value: 'hunter2hunter2' },
          { name: 'LOG_LEVEL', value: 'debug' },
        ],
        input: { key: 'x-api-key', value: 'short-but-secret' },
      }),
    }),
  );
  assert.equal(meta(r), {
    env: [
      { name: 'DB_PASSWORD', value: '[REDACTED:secret-field]' },
      { name: 'LOG_LEVEL', value: 'debug' },
    ],
    input: { key: 'x-api-key', value: '[REDACTED:secret-field]' },
    redactions: { 'secret-field': 2 },
  });
});

test('counts a writer left in redactions are kept and added to', () => {
  const r = rows.action(
    action({ statement: `login -p ${pw} x`, metadata: '{"agent":"claude","redactions":{"secret-assignment":2,"jwt":1}}' }),
  );
  assert.equal(meta(r), { agent: 'claude', redactions: { 'secret-assignment': 3, jwt: 1 } });
});

// The reserved key is the writer's like any other: what is not a count under it is scanned, and the
// key comes out as counts only.
const underRedactions: Array<[string, unknown, Record<string, number>]> = [
  // [name, the value under `redactions`, the counts it comes out as]
  ['a string', ghp, { 'github-token': 1 }],
  ['an array', [ghp], { 'github-token': 1 }],
  ['an object of strings', { by: ghp }, { 'github-token': 1 }],
  ['counts with a string among them', { jwt: 2, note: ghp }, { jwt: 2, 'github-token': 1 }],
  ['a secret-ish key', { password: pw }, { 'secret-field': 1 }],
  ['a token as the name of a count', { [ghp]: 1 }, { '[REDACTED:github-token]': 1, 'github-token': 1 }],
];
for (const [name, value, counts] of underRedactions) {
  test(`a secret under the redactions key is found: ${name}`, () => {
    const r = rows.action(action({ metadata: JSON.stringify({ agent: 'claude', redactions: value }) }));
    assert.not.ok(r.metadata?.includes(ghp) || r.metadata?.includes(pw), String(r.metadata));
    assert.equal(meta(r), { agent: 'claude', redactions: counts });
  });
}

test('what is not a count under the redactions key, holding no secret, is left alone; rebuilt as counts when the row had one', () => {
  const metadata = JSON.stringify({ agent: 'claude', redactions: { note: 'none', jwt: 1 } });
  const row = action({ metadata });
  assert.is(rows.action(row), row);
  assert.equal(meta(rows.action(action({ statement: `export GITHUB_TOKEN=${ghp}`, metadata }))), {
    agent: 'claude',
    redactions: { jwt: 1, 'github-token': 1 },
  });
});

test('free-text and non-object JSON metadata become {value, redactions} once something in the row was redacted', () => {
  assert.equal(meta(rows.action(action({ metadata: `token=${an(24)} in text` }))), {
    value: 'token=[REDACTED:secret-assignment] in text',
    redactions: { 'secret-assignment': 1 },
  });
  assert.equal(meta(rows.action(action({ metadata: `["ok", {"password": "${pw}"}]` }))), {
    value: ['ok', { password: '[REDACTED:secret-field]' }],
    redactions: { 'secret-field': 1 },
  });
  // Nothing in the metadata, a secret in the statement: the metadata text is kept as the value.
  assert.equal(meta(rows.action(action({ statement: `echo ${ghp}`, metadata: 'just words' }))), {
    value: 'just words',
    redactions: { 'github-token': 1 },
  });
});

test('session id and action name are redacted too (their counts go to the metadata)', () => {
  const r = rows.action(action({ session_id: ghp, action: `run ${ghp}` }));
  assert.equal(
    [r.session_id, r.action, r.metadata],
    ['[REDACTED:github-token]', 'run [REDACTED:github-token]', '{"redactions":{"github-token":2}}'],
  );
});

test('events: a JSON object summary is walked and gets its counts; a free-text summary gets labels only', () => {
  const json = rows.event({
    uid: 'e',
    ts: null,
    session_id: 's',
    event: 'start',
    summary: `{"agent":"codex","cwd":"/w","env":{"API_TOKEN":"${an(32)}"}}`,
  });
  // The value under a secret-ish key goes whole, named by the rule that recognises it (random: high-entropy).
  assert.equal(JSON.parse(json.summary as string), {
    agent: 'codex',
    cwd: '/w',
    env: { API_TOKEN: '[REDACTED:high-entropy]' },
    redactions: { 'high-entropy': 1 },
  });
  const text = rows.event({ uid: 'e', ts: null, session_id: 's', event: 'turn.end', summary: `Set GH_TOKEN=${ghp} and rerun.` });
  assert.is(text.summary, 'Set GH_TOKEN=[REDACTED:github-token] and rerun.');
});

test('redacting a redacted row changes nothing', () => {
  const inputs = [
    action({ statement: `export GITHUB_TOKEN=${ghp}`, metadata: `{"password":"${pw}","x":"Bearer ${an(30)}"}` }),
    action({ statement: 'x', metadata: `token=${an(24)} in text` }),
    action({ statement: `echo ${ghp}`, metadata: '[1]' }),
    action({ statement: `echo ${ghp}`, metadata: null }),
  ];
  for (const row of inputs) {
    const once = rows.action(row);
    assert.is.not(once, row);
    assert.is(rows.action(once), once, String(row.metadata));
  }
});

test('JSON nested past the walk limit is redacted as text', () => {
  let deep: unknown = { password: pw };
  for (let i = 0; i < 100; i++) deep = { a: deep };
  const r = rows.action(action({ metadata: JSON.stringify(deep) }));
  const m = meta(r);
  assert.equal(Object.keys(m), ['value', 'redactions']);
  assert.not.ok(String(m.value).includes(pw));
});

test('secret-ish keys', () => {
  for (const k of [
    'password',
    'DB_PASSWORD',
    'passwd',
    'secret',
    'client_secret',
    'token',
    'accessToken',
    'x-api-key',
    'apiKey',
    'aws_secret_access_key',
    '_authToken',
    'Authorization',
    'cookie',
    'private_key',
  ])
    assert.ok(isSecretKey(k), k);
  for (const k of [
    'tokens',
    'input_tokens',
    'max_tokens',
    'token_count',
    'tokenizer',
    'secret_name',
    'password_hint',
    'keys',
    'author',
    'pwd',
    'cwd',
  ])
    assert.not.ok(isSecretKey(k), k);
});

test('redactBatch: rows no preset rule could match never load secretlint; a row that could is redacted with it', async () => {
  const config: RedactionConfig = { patterns: [], allow: [], secretlint: true };
  const own = ownRedactor(config);
  const commit = action({
    action: 'git.commit',
    statement: 'fix: close the db handle',
    metadata: JSON.stringify({ sha: 'a'.repeat(40), parents: ['b'.repeat(40)], subject: 'fix: close the db handle', precommit: null }),
  });
  const before = own.detector.deferredHits;
  const plain = await redactBatch(config, [commit], []);
  assert.is(plain.actions[0], commit);
  assert.is(own.detector.deferredHits, before, 'no string could hold a preset finding');
  const grafana = `glc_${pick(`${AN}+/`, 60)}==`;
  const out = await redactBatch(config, [commit, action({ statement: `token is ${grafana}` })], []);
  assert.ok(own.detector.deferredHits > before);
  assert.is(out.actions[0], commit);
  assert.is(out.actions[1].statement, 'token is [REDACTED:secretlint:grafana]');
});

test.run();
