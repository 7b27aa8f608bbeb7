// Section redact: what redaction costs where it runs, in ingest (inside every pre-commit hook and
// every reader).
//  1. Ingest of N realistic agent rows (tool output previews, prompts, git rows; 1 in 20 holding a
//     secret): parse the inbox lines, redact, store in the uncommitted store in one transaction,
//     against the same with an identity redactor. The public API has no way to turn redaction off
//     (on purpose), so this part drives ingest's own modules from dist/src.
//  2. Cold start, in fresh processes through the CLI (`log --json`, what a reader runs): ingesting
//     one git.commit row (our rule table loads) and one row a secretlint rule could match (the
//     preset loads too), against the same process with nothing to ingest (nothing redacted).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BIN,
  cleanup,
  interleaved,
  makeRepo,
  mark,
  ms,
  num,
  pairedRatio,
  progress,
  ROOT,
  ratio,
  ratioJson,
  round3,
  tempDir,
} from './harness.mjs';

export const describe = 'ingest of N agent rows with redaction vs an identity redactor; cold start of the first redaction';

const dist = (p) => import(path.join(ROOT, 'dist', 'src', p));

/** Token characters from a seeded generator (format-valid fake secrets are made, never stored). */
function tokens(seed) {
  let s = seed;
  const AN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return (n) =>
    Array.from({ length: n }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return AN[Math.floor((s / 2 ** 32) * AN.length)];
    }).join('');
}

/** N inbox lines like an agent session writes: tool rows with output previews, prompts, git rows. */
function agentLines(n) {
  const dir = path.join(ROOT, 'test', 'fixtures', 'ordinary-output');
  const outputs = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  const an = tokens(0xbe9c);
  const lines = [];
  for (let i = 0; i < n; i++) {
    const text = outputs[i % outputs.length];
    const at = (i * 997) % Math.max(1, text.length - 2048);
    let preview = text.slice(at, at + 512 + ((i * 131) % 1536));
    if (i % 20 === 7) preview += `\nexport GITHUB_TOKEN=ghp_${an(36)}`;
    const kind = i % 10;
    const row =
      kind === 0
        ? {
            action: 'prompt',
            statement: `please fix the failing test in src/module_${i % 97}.ts and rerun npm test`,
            metadata: { agent: 'codex', model: 'gpt-5' },
          }
        : kind === 1
          ? {
              action: 'git.commit',
              statement: `fix: handle case ${i}`,
              metadata: {
                sha: 'a'.repeat(40),
                parents: ['b'.repeat(40)],
                subject: `fix: handle case ${i}`,
                operations: [],
                reflogAction: null,
                precommit: null,
              },
            }
          : {
              action: 'tool.Bash',
              statement: ['git log -p', 'npm test', 'ls -la', 'cat package-lock.json', 'npx tsc --noEmit'][i % 5],
              metadata: {
                agent: 'codex',
                tool_use_id: `call_${i}`,
                files: [`src/module_${i % 97}.ts`],
                output: { bytes: preview.length, preview },
              },
            };
    lines.push({
      t: 'a',
      uid: `bench-${i}`,
      ts: new Date(1_700_000_000_000 + i).toISOString(),
      session_id: 'bench-session',
      action: row.action,
      statement: row.statement,
      metadata: JSON.stringify(row.metadata),
    });
  }
  return Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

async function ingestPart({ quick }) {
  const N = quick ? 500 : 2000;
  const ROUNDS = quick ? 3 : 11;
  const { parseInboxLines } = await dist('inbox.js');
  const { UncommittedStore } = await dist('store/uncommitted.js');
  const { redactBatch } = await dist('redact/redact.js');
  const { DEFAULT_CONFIG } = await dist('config.js');
  const config = DEFAULT_CONFIG.redaction;
  const buf = agentLines(N);
  const dir = tempDir('redact-ingest');
  const identity = async (actions, events) => ({ actions, events });
  const redact = (actions, events) => redactBatch(config, actions, events);
  // What ingest does with a p-/d- file: parse its lines, redact the rows, store them in one transaction.
  const ingest = async (r, name, redactor) => {
    const store = UncommittedStore.open(path.join(dir, `${name}-${r}.db`), { create: true });
    try {
      const { lines } = parseInboxLines(buf, 0);
      const rows = lines.map((l) => ({
        uid: l.uid,
        ts: l.ts,
        session_id: l.session_id,
        action: l.action,
        statement: l.statement,
        metadata: l.metadata,
      }));
      const out = await redactor(rows, []);
      store.transaction(() => store.insert(out.actions, out.events));
    } finally {
      store.close();
    }
  };
  // Warm both (JIT, the rule table, secretlint's preset if a row needs it) before timing.
  await ingest('warm', 'redacted', redact);
  await ingest('warm', 'identity', identity);
  const res = await interleaved(ROUNDS, [
    { name: 'identity', run: (r) => ingest(r, 'identity', identity) },
    { name: 'redacted', run: (r) => ingest(r, 'redacted', redact) },
  ]);
  const p = pairedRatio(res.redacted.ms, res.identity.ms);
  const kb = Math.round(buf.length / 1024);
  progress(`  redact ingest: ${N} rows (${kb} KiB): identity ${ms(res.identity.median)}, redacted ${ms(res.redacted.median)}`);
  return {
    row: [
      'redact',
      `ingest of ${num(N)} agent rows (${num(kb)} KiB), median of ${ROUNDS}`,
      `identity redactor ${ms(res.identity.median)}`,
      `redacted ${ms(res.redacted.median)} (${num((res.redacted.median * 1000) / N, 0)} µs/row)`,
      `${ratio(p.median)} (${ratio(p.min)}-${ratio(p.max)})`,
    ],
    json: {
      rows: N,
      kib: kb,
      rounds: ROUNDS,
      ms: { identity: round3(res.identity.median), redacted: round3(res.redacted.median) },
      ratio: ratioJson(p),
    },
  };
}

async function coldPart({ quick }) {
  const ROUNDS = quick ? 3 : 15;
  const repo = makeRepo('redact-cold');
  execFileSync(process.execPath, [BIN, 'log', '--json'], { cwd: repo.dir, env: repo.env, stdio: 'ignore' });
  const inbox = path.join(repo.dir, '.git', 'codexlog', 'inbox');
  const an = tokens(0xc01d);
  const line = (uid, statement, metadata) =>
    `${JSON.stringify({ t: 'a', uid, ts: new Date().toISOString(), session_id: null, action: 'git.commit', statement, metadata })}\n`;
  let n = 0;
  const variants = [
    ['nothing to redact', null],
    [
      'a git.commit row',
      () =>
        line(
          `c-${n}`,
          'fix: close the db handle',
          JSON.stringify({ sha: 'a'.repeat(40), parents: [], subject: 'fix: close the db handle' }),
        ),
    ],
    ['a row secretlint could match', () => line(`s-${n}`, `use glc_${an(60)}== for grafana`, null)],
  ].map(([name, make]) => ({
    name,
    setup() {
      n += 1;
      if (!make) return;
      mkdirSync(inbox, { recursive: true });
      // A closed writer's file (d-…): ingest reads it and removes it.
      writeFileSync(path.join(inbox, `d-999999-${Date.now()}-${String(n).padStart(8, '0')}.jsonl`), make());
    },
    run() {
      execFileSync(process.execPath, [BIN, 'log', '--json', '--limit', '1'], { cwd: repo.dir, env: repo.env, stdio: 'ignore' });
    },
  }));
  const res = await interleaved(ROUNDS, variants, (r, t) =>
    progress(
      `  redact cold round ${r + 1}/${ROUNDS}: ${Object.entries(t)
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(', ')}`,
    ),
  );
  const base = res['nothing to redact'];
  const rows = [];
  const json = { rounds: ROUNDS, ms: {}, ratio: {} };
  for (const name of ['a git.commit row', 'a row secretlint could match']) {
    const p = pairedRatio(res[name].ms, base.ms);
    rows.push([
      'redact',
      `cold start: a reader ingesting ${name}`,
      `same process, nothing to ingest ${ms(base.median)}`,
      `${ms(res[name].median)} (${res[name].median >= base.median ? '+' : '-'}${ms(Math.abs(res[name].median - base.median))})`,
      `${ratio(p.median)} (${ratio(p.min)}-${ratio(p.max)})`,
    ]);
    json.ms[name] = round3(res[name].median);
    json.ratio[name] = ratioJson(p);
  }
  json.ms.baseline = round3(base.median);
  return { rows, json };
}

export async function run({ quick }) {
  const since = mark();
  try {
    const ingest = await ingestPart({ quick });
    const cold = await coldPart({ quick });
    return { rows: [ingest.row, ...cold.rows], json: { ingest: ingest.json, cold: cold.json } };
  } finally {
    cleanup(since);
  }
}
