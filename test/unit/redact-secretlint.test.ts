// secretlint's recommended preset as redaction runs it: its rules run synchronously through the
// documented rule API, with the three repairs (filter-comments off, gcp off, spans rebuilt from the
// reported secret), in windows on big strings, and behind a gate of literals that every finding of
// the pinned version contains. The rule list is pinned here: moving the package's pin fails this
// test until the gate is reviewed against the new rules.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Finding } from '../../src/redact/finding.ts';
import { loadSecretlint, mayMatch, prepare } from '../../src/redact/secretlint.ts';
import { AN, B64, D, generator, HEX, heldOut, negatives, positives, secretlintOnly, URLSAFE } from '../fixtures/secret-corpus.ts';

const creators = presetRules as unknown as Parameters<typeof prepare>[0];
const ungated = prepare(creators, false);
const { pick } = generator(0x5ec7);
const an = (n: number) => pick(AN, n);

const find = (layer: ReturnType<typeof prepare>, text: string): Finding[] => {
  const out: Finding[] = [];
  layer.findings(text, out);
  return out;
};

test('the pinned preset: 23 rules run (filter-comments and gcp off)', async () => {
  const layer = await loadSecretlint();
  assert.equal(layer.rules, [
    'secretlint:aws',
    'secretlint:privatekey',
    'secretlint:npm',
    'secretlint:basicauth',
    'secretlint:slack',
    'secretlint:sendgrid',
    'secretlint:shopify',
    'secretlint:github',
    'secretlint:gitlab',
    'secretlint:grafana',
    'secretlint:openai',
    'secretlint:anthropic',
    'secretlint:groq',
    'secretlint:huggingface',
    'secretlint:linear',
    'secretlint:notion',
    'secretlint:1password',
    'secretlint:database-connection-string',
    'secretlint:hashicorp-vault',
    'secretlint:vercel',
    'secretlint:databricks',
    'secretlint:docker',
    'secretlint:figma',
  ]);
});

/** One sample per rule, in the form the preset looks for. */
function samples(): string[] {
  const rsa = Array.from({ length: 12 }, () => pick(B64, 64)).join('\n');
  // A 1Password service account token: base64 of JSON whose last quantum is the closing brace ("fQ==").
  let ops = JSON.stringify({
    signInAddress: 'my.1password.com',
    email: 'ci@acme.io',
    secretKey: `A3-${an(6)}-${an(6)}`,
    srpX: pick(HEX, 64),
  });
  while (ops.length % 3 !== 1) ops = `${ops.slice(0, -1)} }`;
  return [
    `AWS_SECRET_ACCESS_KEY=${pick(B64, 39)}Q`,
    `-----BEGIN RSA PRIVATE KEY-----\nMI${rsa}\n-----END RSA PRIVATE KEY-----`,
    `npm_${an(36)}`,
    `https://deploy:${an(12)}@registry.acme.io/x`,
    `xoxb-${pick(D, 12)}-${pick(D, 13)}-${an(24)}`,
    `https://hooks.slack.com/services/T${an(8)}/B${an(10)}/${an(24)}`,
    `SG.${pick(URLSAFE, 22)}.${pick(URLSAFE, 43)}`,
    `shpat_${pick(HEX, 32)}`,
    `ghp_${an(36)}`,
    `glpat-${pick(URLSAFE, 20)}`,
    `glc_${pick(`${AN}+/`, 60)}==`,
    `glsa_${an(32)}_${pick(HEX, 8)}`,
    `sk-proj-${pick(URLSAFE, 74)}T3BlbkFJ${pick(URLSAFE, 74)}`,
    `sk-ant-api03-${pick(URLSAFE, 93)}AA`,
    `gsk_${an(52)}`,
    `hf_${pick('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 34)}`,
    `lin_api_${an(40)}`,
    `ntn_${pick(D, 11)}${an(35)}`,
    `ops_${Buffer.from(ops).toString('base64')}`,
    `mongodb+srv://app:${an(12)}@cluster0.mongodb.net/db`,
    `postgres://app:${an(12)}@db:5432/app`,
    `hvs.${pick(URLSAFE, 95)}`,
    `vcp_${an(24)}`,
    `dapi${pick(HEX, 32)}`,
    `dckr_pat_${pick(URLSAFE, 27)}`,
    `figd_${pick(URLSAFE, 40)}`,
  ];
}

test('the gate: every text the preset finds something in passes it (samples of every rule, every corpus, ordinary output)', () => {
  const ordinary = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ordinary-output');
  const texts = [
    ...samples(),
    ...positives().map((c) => c.text),
    ...heldOut().map((c) => c.text),
    ...secretlintOnly().map((c) => c.text),
    ...negatives().map((c) => c.text),
    ...readdirSync(ordinary).map((f) => readFileSync(path.join(ordinary, f), 'utf8')),
  ];
  let found = 0;
  for (const text of texts) {
    if (find(ungated, text).length === 0) continue;
    found += 1;
    assert.ok(mayMatch(text), `the preset finds something in ${JSON.stringify(text.slice(0, 60))} but the gate would skip it`);
  }
  assert.ok(found >= 40, `${found} texts with preset findings`);
  const rulesHit = new Set(samples().flatMap((t) => find(ungated, t).map((f) => f.rule)));
  assert.is(rulesHit.size, 23, `every rule has a sample it finds (${[...rulesHit].join(', ')})`);
  // And ordinary git rows do not pass it: most commits never import the preset.
  for (const t of ['fix: close the db handle', 'a'.repeat(40), 'pre-commit on main: 3 staged paths', 'src/db.ts', 'feature/login-page'])
    assert.not.ok(mayMatch(t), t);
});

test('the aws rule reports only the start of the secret: the span is rebuilt to cover all of it', async () => {
  const layer = await loadSecretlint();
  // (Its pattern ends with \b: a key ending in + / = is left to our own aws-secret-access-key rule.)
  const secret = `${pick(B64, 39)}Q`;
  const text = `export AWS_SECRET_ACCESS_KEY=${secret}`;
  const [f] = find(layer, text);
  assert.equal([f.rule, text.slice(f.start, f.end)], ['secretlint:aws', secret]);
});

test('a "secretlint-disable" comment in agent output does not switch the rules off', async () => {
  const layer = await loadSecretlint();
  const token = `ghp_${an(36)}`;
  const found = find(layer, `// secretlint-disable\n${token}`);
  assert.equal(
    found.map((f) => f.rule),
    ['secretlint:github'],
  );
});

test('a long string is scanned in overlapping windows: findings far in keep their offsets', async () => {
  const layer = await loadSecretlint();
  const token = `glc_${pick(`${AN}+/`, 60)}==`;
  const text = `${'lorem ipsum dolor '.repeat(8000)}glc ${token} ${'sit amet '.repeat(10000)}`;
  const found = find(layer, text);
  assert.is(found.length, 1);
  assert.is(text.slice(found[0].start, found[0].end), token);
});

test.run();
