// Recall and precision on corpora. Recall: every secret of the positive corpora is gone, found by
// exactly the rules expected, with our own rules alone and with secretlint's preset too. Precision:
// nothing at all is redacted in ordinary agent output (test/fixtures/ordinary-output: real git,
// npm, ls, tsc, LFS, lockfile, stack-trace output captured from this project's own work) nor in the
// negative corpus (SHAs, oids, integrity hashes, UUIDs, base64 of text, code, placeholders).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDetector, type Detector, type RedactionConfig } from '../../src/redact/detector.ts';
import { RowRedactor } from '../../src/redact/redact.ts';
import { loadSecretlint } from '../../src/redact/secretlint.ts';
import { CORPUS_PATTERNS, heldOut, negatives, positives, type SecretCase, secretlintOnly } from '../fixtures/secret-corpus.ts';

const CONFIG: RedactionConfig = { patterns: CORPUS_PATTERNS, allow: [], secretlint: true };
const ORDINARY = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ordinary-output');

let detectors: Array<[string, Detector]> = [];
test.before(async () => {
  detectors = [
    ['our rules', createDetector({ ...CONFIG, secretlint: false }, null)],
    ['our rules + secretlint', createDetector(CONFIG, await loadSecretlint())],
  ];
});

function expectRecall(cases: SecretCase[], detector: Detector, what: string): void {
  for (const c of cases) {
    const r = detector.redact(c.text);
    assert.equal(Object.keys(r.counts).sort(), [...c.expect].sort(), `${what}: rules of "${c.note ?? c.text.slice(0, 50)}"`);
    for (const s of c.secrets) assert.not.ok(r.text.includes(s), `${what}: a secret of "${c.note ?? c.text.slice(0, 50)}" survived`);
  }
}

test('positive corpus (59 cases, 66 secrets): every secret redacted, exact rule names', () => {
  const cases = positives();
  assert.is(cases.length, 59);
  assert.is(cases.flatMap((c) => c.secrets).length, 66);
  for (const [what, d] of detectors) expectRecall(cases, d, what);
});

test('held-out corpus (25 cases): 25 of 26 secrets redacted (the bare 40-hex one is missed by design), exact rule names', () => {
  const cases = heldOut();
  assert.is(cases.length, 25);
  assert.is(cases.flatMap((c) => c.secrets).length, 25, 'the by-design miss has no secret to check');
  for (const [what, d] of detectors) expectRecall(cases, d, what);
});

test('formats only secretlint names (grafana, notion, linear, vercel, figma): found by the preset under its rule name', () => {
  const [, combined] = detectors[1];
  expectRecall(secretlintOnly(), combined, 'our rules + secretlint');
});

test('negative corpus (45 cases): nothing redacted', () => {
  for (const [what, d] of detectors) {
    for (const c of negatives()) assert.equal(d.findings(c.text), [], `${what}: ${c.note}`);
  }
});

/** Ordinary agent tool output: real captures, each file as one tool output. */
const ordinary = readdirSync(ORDINARY)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => [f, readFileSync(path.join(ORDINARY, f), 'utf8')] as const);

test(`ordinary agent output (${ordinary.length} captures): not one redaction, as text or as row metadata`, () => {
  assert.ok(ordinary.length >= 25);
  const lines = ordinary.reduce((n, [, t]) => n + t.split('\n').length, 0);
  assert.ok(lines > 4000, `${lines} lines`);
  for (const [what, d] of detectors) {
    const rows = new RowRedactor(d);
    for (const [file, text] of ordinary) {
      const found = d.findings(text);
      assert.equal(
        found.map((f) => `${f.rule}: ${text.slice(Math.max(0, f.start - 30), f.end + 10)}`),
        [],
        `${what}: ${file}`,
      );
      // As a tool row would carry it: the command, and the output's preview in the metadata.
      const row = {
        uid: 'u',
        ts: null,
        session_id: 's',
        action: 'tool.Bash',
        statement: `cat ${file}`,
        metadata: JSON.stringify({ agent: 'codex', output: { bytes: text.length, preview: text } }),
      };
      assert.is(rows.action(row), row, `${what}: ${file} as a row comes out untouched`);
      // Line by line, as short outputs.
      for (const line of text.split('\n')) assert.equal(d.findings(line), [], `${what}: ${file}: ${line}`);
    }
  }
});

test.run();
