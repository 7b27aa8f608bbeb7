// The detector, rule by rule: what each rule must find (and under which name), what it must leave
// alone, the allow list, the config's own patterns, idempotence, the cut of huge strings, and time
// linear in the input on adversarial 1 MB strings. Tokens are generated here, not written down
// (format-valid fake tokens in a repository trip code hosts' push protection).
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDetector, MAX_SCAN_CHARS, type RedactionConfig } from '../../src/redact/detector.ts';
import { entropyThreshold, shannon } from '../../src/redact/entropy.ts';
import { AN, AZ, az, B64, D, generator, HEX, URLSAFE } from '../fixtures/secret-corpus.ts';

const { pick } = generator(0x7e57ab1e);
const an = (n: number) => pick(AN, n);
const hex = (n: number) => pick(HEX, n);
const us = (n: number) => pick(URLSAFE, n);
const CONFIG: RedactionConfig = { patterns: [], allow: [], secretlint: false };
const own = createDetector(CONFIG, null);

/** The rule names found in `text`, and whether each of `secrets` is gone after redaction. */
function check(text: string, rules: string[], secrets: string[], detector = own): void {
  const r = detector.redact(text);
  assert.equal(Object.keys(r.counts).sort(), [...rules].sort(), `rules for ${JSON.stringify(text.slice(0, 80))}`);
  for (const s of secrets) assert.not.ok(r.text.includes(s), `${s.slice(0, 12)}… is gone from ${JSON.stringify(r.text.slice(0, 120))}`);
  for (const rule of rules) assert.ok(r.text.includes(`[REDACTED:${rule}]`), `the label of ${rule}`);
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'agent', iat: 1716239022 })}.${us(43)}`;
const truePositives: Array<[string, string, string[], string]> = [
  // [name, text, rules, secret]
  ['OpenAI project key', `OPENAI_API_KEY=sk-proj-${us(60)}`, ['openai-api-key'], `sk-proj-`],
  ['OpenAI legacy key', `key sk-${an(20)}T3BlbkFJ${an(20)} used`, ['openai-api-key'], 'T3BlbkFJ'],
  ['Anthropic key', `x-api-key: sk-ant-api03-${us(93)}AA`, ['anthropic-api-key'], 'sk-ant-api03-'],
  ['GitHub classic token', `token ghp_${an(36)}`, ['github-token'], 'ghp_'],
  ['GitHub fine-grained token', `github_pat_11${pick(AZ + D, 20)}_${an(59)}`, ['github-token'], 'github_pat_'],
  ['GitLab token', `glpat-${us(20)} in CI`, ['gitlab-token'], 'glpat-'],
  ['Slack bot token', `xoxb-${pick(D, 12)}-${pick(D, 13)}-${an(24)}`, ['slack-token'], 'xoxb-'],
  [
    'Slack webhook',
    `https://hooks.slack.com/services/T${pick(AZ, 8)}/B${pick(AZ, 10)}/${an(24)}`,
    ['slack-webhook'],
    'hooks.slack.com/services/T',
  ],
  ['AWS access key id', `aws_access_key_id=AKIA${pick(AZ + D, 16)}`, ['aws-access-key-id'], 'AKIA'],
  ['AWS secret key', `aws_secret_access_key = ${pick(B64, 40)}`, ['aws-secret-access-key'], ''],
  ['Google API key', `apiKey: "AIza${us(35)}"`, ['google-api-key'], 'AIza'],
  ['Google OAuth client secret', `GOCSPX-${us(28)}`, ['google-oauth'], 'GOCSPX-'],
  ['Stripe live key', `sk_live_${an(40)}`, ['stripe-key'], 'sk_live_'],
  ['npm token', `//registry.npmjs.org/:_authToken=npm_${an(36)}`, ['npm-token'], 'npm_'],
  ['Hugging Face token', `HF_TOKEN=hf_${pick(AZ + az, 34)}`, ['huggingface-token'], 'hf_'],
  ['SendGrid key', `SG.${us(22)}.${us(43)}`, ['sendgrid-key'], 'SG.'],
  ['Docker PAT', `dckr_pat_${us(27)}`, ['docker-pat'], 'dckr_pat_'],
  ['Vault token', `VAULT_TOKEN=hvs.${us(91)}`, ['vault-token'], 'hvs.'],
  ['Databricks token', `dapi${hex(32)}`, ['databricks-token'], 'dapi'],
  ['Groq key', `gsk_${an(52)}`, ['groq-api-key'], 'gsk_'],
  ['Shopify token', `shpat_${hex(32)}`, ['shopify-token'], 'shpat_'],
  ['JWT', `id_token=${jwt}`, ['jwt'], 'eyJ'],
  ['credentials in a postgres URL', `postgres://app:${an(16)}@db.internal:5432/app`, ['url-credentials'], ''],
  ['password-only userinfo', `redis://:${an(14)}@cache:6379/0`, ['url-credentials'], ''],
  ['Authorization: Bearer', `-H "Authorization: Bearer ${an(40)}"`, ['auth-header'], ''],
  ['Authorization: Basic', `Authorization: Basic ${Buffer.from(`bot:${an(12)}`).toString('base64')}`, ['auth-header'], ''],
  ['password=', `PGPASSWORD=${an(18)} psql`, ['secret-assignment'], ''],
  ['token: (YAML)', `webhook:\n  token: ${an(32)}`, ['secret-assignment'], ''],
  ['"api_key": "..." (JSON)', `{"api_key": "${an(30)}"}`, ['secret-assignment'], ''],
  ['--password x', `mysql -u root --password='Tr0ub4dor&${an(4)}'`, ['secret-assignment'], ''],
  ['curl -u user:pass', `curl -u admin:${an(8)}-${an(6)} https://ci`, ['secret-assignment'], ''],
  ['docker login -p', `docker login -u bot -p ${an(16)} registry`, ['secret-assignment'], ''],
  ['high entropy, no context', `the key is ${an(40)} keep it`, ['high-entropy'], ''],
  // CLIs that take a password on the command line, .netrc, environment lists.
  ['mysql -pPASS', `mysql -uroot -p${an(14)} prod < dump.sql`, ['secret-assignment'], ''],
  ['mysqldump -pPASS', `mysqldump -h db -u app -p'${an(12)}' app`, ['secret-assignment'], ''],
  ['redis-cli -a PASS', `redis-cli -h cache -a ${an(14)} ping`, ['secret-assignment'], ''],
  ['sshpass -p PASS (a word and digits)', 'sshpass -p Hunter2xyz9 ssh deploy@host', ['secret-assignment'], 'Hunter2xyz9'],
  ['.netrc on one line', 'machine github.com login bob password Hunter2xyz9', ['secret-assignment'], 'Hunter2xyz9'],
  ['.netrc on several lines', `machine api.heroku.com\n  login bob@acme.io\n  password ${an(16)}\n`, ['secret-assignment'], ''],
  ['an environment list entry', `"env": [{"name": "DB_PASSWORD", "value": "${an(14)}"}]`, ['secret-assignment'], ''],
  // Base64 of a secret: the decoded text goes through the rules (kubectl get secret -o yaml).
  ['base64 of a connection string', `  DATABASE_URL: ${b64(`postgres://app:${an(16)}@db:5432/app`)}`, ['base64-secret'], ''],
  ['base64 of a GitHub token', `  GITHUB_PAT: ${b64(`ghp_${an(36)}`)}`, ['base64-secret'], ''],
  ['base64 of a Stripe key', `"STRIPE": "${b64(`sk_live_${an(24)}`)}"`, ['base64-secret'], ''],
  ['base64url of an .env line', `ENV_FILE=${Buffer.from(`PGPASSWORD=${an(18)}\n`).toString('base64url')}`, ['base64-secret'], ''],
  // JSON inside a JSON string: the quotes around keys and values are escaped.
  [
    "AWS Secrets Manager's SecretString",
    JSON.stringify({ Name: 'prod/db', SecretString: JSON.stringify({ username: 'admin', password: `S3cr3t!${an(10)}` }) }),
    ['secret-assignment'],
    'S3cr3t!',
  ],
  [
    'curl -d "{\\"password\\":…}"',
    `curl -d "{\\"username\\":\\"admin\\",\\"password\\":\\"S3cr3t!${an(10)}\\"}" https://api`,
    ['secret-assignment'],
    'S3cr3t!',
  ],
  ['escaped, spaced', `{\\"api_key\\": \\"${an(12)}\\"}`, ['secret-assignment'], ''],
  [
    'escaped twice (JSON in JSON in JSON)',
    JSON.stringify({ raw: JSON.stringify({ inner: JSON.stringify({ password: `S3cr3t!${an(10)}` }) }) }),
    ['secret-assignment'],
    'S3cr3t!',
  ],
];
for (const [name, text, rules, marker] of truePositives) {
  test(`finds ${name} as ${rules.join(', ')}`, () => {
    const found = own.findings(text);
    assert.ok(found.length > 0, 'a finding');
    // The whole token goes: every character after the marker up to the end of the token.
    const secrets = found.map((f) => text.slice(f.start, f.end));
    if (marker)
      assert.ok(
        secrets.some((s) => s.startsWith(marker) || s.includes(marker)),
        `the span holds ${marker}`,
      );
    check(text, rules, secrets);
  });
}

test('a private key block: the body goes, the BEGIN and END lines stay', () => {
  const body = Array.from({ length: 8 }, () => pick(B64, 64)).join('\n');
  const text = `$ cat id_rsa\n-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\ndone`;
  const r = own.redact(text);
  assert.is(r.text, '$ cat id_rsa\n-----BEGIN RSA PRIVATE KEY-----[REDACTED:private-key]-----END RSA PRIVATE KEY-----\ndone');
  assert.equal(r.counts, { 'private-key': 1 });
  // An END line further on that this body does not reach belongs to another block: this one was cut short.
  const cut = own.redact(`-----BEGIN PRIVATE KEY-----\n${body.slice(0, 130)}\n\`);\nconst x = f(1);\n-----END PRIVATE KEY-----`);
  assert.is(cut.text, '-----BEGIN PRIVATE KEY-----[REDACTED:private-key]`);\nconst x = f(1);\n-----END PRIVATE KEY-----');
  // Truncated output (no END line) and JSON-escaped newlines.
  check(`-----BEGIN PRIVATE KEY-----\n${body}`, ['private-key'], [body]);
  check(
    JSON.stringify({ private_key: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n` }),
    ['private-key'],
    [body.slice(0, 64)],
  );
});

const falsePositives: Array<[string, string]> = [
  [
    'temp folders named by mkdtemp and mktemp',
    'Read /tmp/codexlog-test-run-Ab3dEf/codexlog-test-Gh7iJk/agent-out.txt and /tmp/tmp.WZcbckaN2W',
  ],
  ['a git SHA', `commit ${hex(40)}`],
  ['an LFS oid', `oid sha256:${hex(64)}\nsize 12345`],
  ['a UUID', `session ${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`],
  ['an npm integrity hash', `"integrity": "sha512-${pick(B64, 86)}=="`],
  ['a go.sum hash', `golang.org/x/text v0.14.0 h1:${pick(B64, 43)}=`],
  ['base64 of text', `echo ${Buffer.from('hello world, this is an ordinary sentence of text').toString('base64')} | base64 -d`],
  ['an ssh public key', `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${pick(B64, 43)} jane@laptop`],
  ['a short ghp_', 'ghp_short is not a token'],
  ['sk- in a word', 'the task-runner and disk-usage tools'],
  ['AKIA in lower case', 'akia1234567890abcdef'],
  ['a JWT-like string without a payload', 'eyJhbGciOiJIUzI1NiJ9 alone'],
  ['a public key block', String(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }))],
  [
    'an RSA public key block',
    String(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' })),
  ],
  ['a certificate', `-----BEGIN CERTIFICATE-----\n${Array.from({ length: 6 }, () => pick(B64, 64)).join('\n')}\n-----END CERTIFICATE-----`],
  ['a URL without a password', 'https://user@github.com/acme/widgets.git and postgres://localhost:5432/db'],
  ['a URL with a placeholder password', 'postgres://user:password@localhost:5432/dev'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text an agent logs, not a template.
  ['a templated header', 'Authorization: `Bearer ${token}`'],
  ['a TypeScript type', 'interface Login { password: string; token?: string }'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text an agent logs, not a template.
  ['a variable reference', 'export GITHUB_TOKEN=$GH_TOKEN && echo "${API_KEY}"'],
  ['a placeholder', 'password=<your-password> token: your-token-here api_key=changeme'],
  ['prose', 'Unexpected token: the password field must be set'],
  ['token counts', 'input_tokens: 1234, max_tokens=4096, token_count: 17'],
  ['a path', 'private_key: ~/.ssh/id_ed25519 and secret_file=/run/secrets/db'],
  ['an identifier', 'useCallbackWithDependencyTrackingAndMemoization(handleResizeObserverEntries123)'],
  ['a version range', '"js-tokens": "^4.0.0", "@types/passport": "1.0.16"'],
  ['an e-mail address', 'secret: ops@acme-corp.io'],
  ['a keyword that starts a longer word', "'secretlint:1password', tokenizer: gpt2tok3n, passwordless=enabled1"],
  ['the name of a variable', "export const TOKEN_SECRET = 'CODEXLOG_SYNC_TOKEN';"],
  ['a file name', "const SECRET = 'secret.txt'; password_file: db-password.env"],
  ['mysql -p asking for the password', 'mysql -u root -p prod < dump.sql; ls -p src'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text an agent logs, not a template.
  ['CLI passwords from variables', 'redis-cli -a $REDIS_PASSWORD ping; sshpass -p "${SSHPASS}" ssh host'],
  ['a .netrc line without a password', 'machine github.com login bob password'],
  [
    'environment list entries that are no secret',
    '[{"name":"LOG_LEVEL","value":"debugverbose"},{"name":"API_TOKEN_FILE","value":"/run/secrets/api"}]',
  ],
  ['base64 of text naming no secret', `data:\n  README: ${b64('password=<your-password> and token: your-token-here')}`],
  [
    'JSON in a string with no secret',
    JSON.stringify({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the text an agent logs, not a template.
      SecretString: JSON.stringify({ username: 'admin', password_file: '/run/secrets/db', token: '${TOKEN}', max_tokens: 4096 }),
    }),
  ],
];
for (const [name, text] of falsePositives) {
  test(`leaves ${name} alone`, () => {
    const r = own.redact(text);
    assert.equal(r.counts, {}, JSON.stringify(r.text));
    assert.is(r.text, text);
  });
}

test('entropy: the threshold grows with length and random base62 tokens pass it, hex never counts', () => {
  assert.ok(entropyThreshold(20) < entropyThreshold(32));
  assert.ok(entropyThreshold(64) <= 5.2);
  // A random token lacking one of upper case, lower case or digit is left to context rules: 48
  // characters of base62 lack one about once in a hundred.
  let flagged = 0;
  for (let i = 0; i < 500; i++) if (own.findings(`value ${an(48)} end`).length) flagged++;
  assert.ok(flagged >= 490, `${flagged}/500 random 48-character base62 tokens flagged`);
  assert.is(shannon('aaaa'), 0);
  assert.equal(own.findings(`digest ${hex(64)} and ${hex(40).toUpperCase()}`), []);
});

test('the allow list exempts whole matches only; AWS documentation keys are allowed by default', () => {
  const testKey = `pk_test_${an(24)}`;
  const sk = `sk_live_${an(24)}`;
  const allowing = createDetector({ ...CONFIG, allow: ['pk_test_[A-Za-z0-9]{24}', 'sk_live_X+'] }, null);
  // pk_test_ is no rule of ours; allowed anyway, and the sk_live_ key is still found (the allow pattern does not match all of it).
  assert.equal(allowing.redact(`publishable ${testKey} and ${sk}`).counts, { 'stripe-key': 1 });
  const exact = createDetector({ ...CONFIG, allow: [sk] }, null);
  assert.equal(exact.redact(`STRIPE=${sk}`).counts, {});
  assert.equal(exact.redact(`STRIPE=${sk}0`).counts, { 'stripe-key': 1 });
  assert.equal(own.redact('aws_access_key_id = AKIAIOSFODNN7EXAMPLE').counts, {});
});

test("the config's patterns: custom:<name>, a capture group named secret narrows the span, flags apply", () => {
  const d = createDetector(
    {
      ...CONFIG,
      patterns: [
        { name: 'acme', regex: 'ACME-[0-9]{8}', flags: '' },
        { name: 'vendor', regex: 'vendor-key[=:](?<secret>[a-z0-9]{12})', flags: 'i' },
      ],
    },
    null,
  );
  const r = d.redact('order ACME-12345678 and VENDOR-KEY=abc123def456 and ACME-1234');
  assert.is(r.text, 'order [REDACTED:custom:acme] and VENDOR-KEY=[REDACTED:custom:vendor] and ACME-1234');
  assert.equal(r.counts, { 'custom:acme': 1, 'custom:vendor': 1 });
});

test('overlapping findings merge into one span named by the highest-priority rule', () => {
  const token = `ghp_${an(36)}`;
  // secret-assignment (the value after GITHUB_TOKEN=) and github-token cover the same characters.
  const r = own.redact(`GITHUB_TOKEN=${token}`);
  assert.is(r.text, 'GITHUB_TOKEN=[REDACTED:github-token]');
  assert.equal(r.counts, { 'github-token': 1 });
});

test('redacting twice changes nothing (labels are never redacted again)', () => {
  for (const [, text] of truePositives) {
    const once = own.redact(text).text;
    const twice = own.redact(once);
    assert.is(twice.text, once);
    assert.equal(twice.counts, {});
  }
});

test('a string past the scan limit is cut (and counted), and a cut string is not cut again', () => {
  const token = `ghp_${an(36)}`;
  const big = `${token} ${'lorem ipsum '.repeat(Math.ceil(MAX_SCAN_CHARS / 12))}${token}`;
  const r = own.redact(big);
  assert.ok(r.text.startsWith('[REDACTED:github-token] lorem'));
  assert.match(r.text, /\[TRUNCATED:\d+ characters not kept\]$/);
  assert.not.ok(r.text.includes(token));
  assert.equal(r.counts, { 'github-token': 1, truncated: 1 });
  assert.is(own.redact(r.text).text, r.text);
});

// Hostile input: 1 MB strings built to make a backtracking regex go quadratic or worse.
const MB = 1024 * 1024;
const rep = (s: string) => s.repeat(Math.ceil(MB / s.length)).slice(0, MB);
const adversarial: Array<[string, string]> = [
  ['one 1 MB token', rep('aZ3kQ9xT2mB7')],
  ['eyJ- repeated', rep('eyJ-')],
  ['eyJ runs and dots', rep('eyJhbGciOi.')],
  ['sk- repeated', rep('sk-')],
  ['ghp_ repeated', rep('ghp_')],
  ['xoxb- repeated', rep('xoxb-1-')],
  ['password= repeated', rep('password=')],
  ['mysql -p repeated', rep('mysql -p')],
  ['redis-cli -a repeated', rep('redis-cli -a ')],
  ['sshpass repeated', rep('sshpass ')],
  ['machine login repeated', rep('machine a login b ')],
  ['name/value repeated', rep('{"name":"x_token","value":"')],
  ['escaped password= repeated', rep('\\"password\\":\\"')],
  ['JSON in a string, never closed', `"secret": "{${rep('\\"token\\":\\"ab')}`],
  ['token: repeated', rep('token: ')],
  ['password=$ repeated', rep('password=$x')],
  ['a:a:a:', rep('a:')],
  ['://x:y', rep('://ab:cd')],
  ['scheme://user:pass with no @', `https://${rep('user:pass')}`],
  ['BEGIN PRIVATE KEY without END', `-----BEGIN PRIVATE KEY-----\n${rep('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n')}`],
  ['BEGIN header repeated', rep('-----BEGIN RSA PRIVATE KEY-----\n')],
  ['BEGIN CERTIFICATE repeated', rep('-----BEGIN CERTIFICATE-----\n')],
  ['Bearer repeated', rep('Bearer ')],
  ['Authorization: Bearer + one long token', `Authorization: Bearer ${rep('a')}`],
  ['login -p repeated', rep('login -p -p ')],
  ['-u a: repeated', rep('-u a:')],
  ['--password repeated', rep('--password ')],
  ['AKIA repeated', rep('AKIAAKIA')],
  ['secret_key= + base64', rep('secret_key=AAAA')],
  ['all hex', rep('0123456789abcdef')],
  ['base64 with slashes', rep('ab/cd+EF/12=')],
];
for (const [name, text] of adversarial) {
  test(`1 MB adversarial input (${name}): linear time`, () => {
    const t0 = performance.now();
    own.redact(text);
    const ms = performance.now() - t0;
    // Linear passes take tens of milliseconds here; a quadratic one would take minutes.
    assert.ok(ms < 3000, `${name}: ${ms.toFixed(0)} ms`);
  });
}

test.run();
