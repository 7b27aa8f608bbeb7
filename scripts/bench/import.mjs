// Section import: `codexlog-hooks import codex <folder>` on a synthetic folder of Codex rollouts
// (shaped like the real 0.171 ones: a session header with long instructions, turns of commands
// with their outputs, apply_patch calls, token counts), against a baseline that only reads the
// same files and JSON.parses every line, in a node process of its own like the CLI's. Timed: the
// first import (rows written through the inbox and ingested) and an import of the same folder
// again (every row already in the log: checked, nothing written).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, interleaved, makeRepo, mib, num, pairedRatio, progress, ratio, ratioJson, round3, tempDir } from './harness.mjs';

/** The baseline: read every rollout and JSON.parse each line, nothing else. */
const BASELINE = `
const fs = require('node:fs'), path = require('node:path');
let lines = 0;
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
  const p = path.join(d, e.name);
  if (e.isDirectory()) walk(p);
  else if (/^rollout-.*\\.jsonl$/.test(e.name)) for (const l of fs.readFileSync(p, 'utf8').split('\\n')) if (l) { JSON.parse(l); lines++; }
} };
walk(process.argv[1]);
process.stdout.write(String(lines));
`;

const hex = (n, width) => n.toString(16).padStart(width, '0');

/** One synthetic rollout: `turns` turns of `commands` commands and one patch each. Returns its text and its row count. */
function rollout(cwd, s, turns, commands) {
  const sid = `01a21c24-${hex(s >> 16, 4)}-7${hex(s & 0xfff, 3)}-8000-${hex(s, 12)}`;
  const t0 = Date.UTC(2026, 10, 1) + s * 3_600_000;
  let clock = 0;
  const lines = [];
  const line = (type, payload) => lines.push(JSON.stringify({ timestamp: new Date(t0 + clock++ * 50).toISOString(), type, payload }));
  line('session_meta', {
    id: sid,
    session_id: sid,
    cwd,
    originator: 'codex_exec',
    cli_version: '0.171.0',
    source: 'exec',
    base_instructions: { text: 'You are Codex, a coding agent. '.repeat(400) },
  });
  let rows = 1;
  for (let t = 0; t < turns; t++) {
    const turn = `01a21c24-${hex(s >> 16, 4)}-7${hex(t, 3)}-9000-${hex(s, 12)}`;
    line('event_msg', { type: 'task_started', turn_id: turn });
    line('turn_context', {
      turn_id: turn,
      cwd,
      model: 'gpt-5.5',
      approval_policy: 'never',
      sandbox_policy: { type: 'danger-full-access' },
    });
    const prompt = `Refactor module ${t} of session ${s}: split the helpers, keep the API, run the tests.`;
    line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] });
    line('event_msg', {
      type: 'item_completed',
      turn_id: turn,
      item: { type: 'UserMessage', id: `u${t}`, content: [{ type: 'text', text: prompt }] },
    });
    rows += 1;
    for (let c = 0; c < commands; c++) {
      const id = `call_${s}_${t}_${c}`;
      const cmd = c % 2 ? `npm test -- src/module_${t}.test.ts` : `rg -n "helper${c}" src/module_${t}.ts`;
      const out = `${'src/module.ts:12: const helper = () => compute(input, options);\n'.repeat(20 + ((s + c) % 40))}`;
      line('response_item', { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd }), call_id: id });
      line('event_msg', {
        type: 'item_completed',
        turn_id: turn,
        item: {
          type: 'CommandExecution',
          id,
          command: ['/bin/bash', '-lc', cmd],
          status: 'completed',
          aggregated_output: out,
          exit_code: c === 3 ? 1 : 0,
        },
      });
      line('response_item', {
        type: 'function_call_output',
        call_id: id,
        output: `Chunk ID: ab12\nWall time: 0.1 seconds\nProcess exited with code ${c === 3 ? 1 : 0}\nOutput:\n${out}`,
      });
      line('event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: 1000 * c, output_tokens: 50 * c } } });
      rows += 1;
    }
    const patch = `*** Begin Patch\n*** Update File: src/module_${t}.ts\n@@\n-const helper = 1;\n+const helper = 2;\n*** End Patch\n`;
    line('response_item', { type: 'custom_tool_call', name: 'apply_patch', input: patch, call_id: `call_${s}_${t}_p` });
    line('response_item', {
      type: 'custom_tool_call_output',
      call_id: `call_${s}_${t}_p`,
      output: `Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\nM src/module_${t}.ts\n`,
    });
    line('event_msg', { type: 'task_complete', turn_id: turn, last_agent_message: `Done with module ${t}.` });
    rows += 2;
  }
  return { name: `rollout-2026-11-01T00-00-00-${sid}.jsonl`, text: `${lines.join('\n')}\n`, rows: rows + 1, lines: lines.length };
}

export const describe = 'import codex <folder of rollouts>, first and again, vs reading and JSON.parse of the same lines';

export async function run({ quick }) {
  const ROUNDS = quick ? 3 : 5;
  const FILES = quick ? 40 : 400;
  const TURNS = 8;
  const COMMANDS = 6;
  const folder = tempDir('import-sessions');
  // The sessions ran in this folder: each timed import gets a new repository made there, so that
  // they are its own sessions (others would be skipped).
  const cwd = path.join(tempDir('import-repos'), 'repo');
  let rows = 0;
  let lines = 0;
  let bytes = 0;
  for (let s = 0; s < FILES; s++) {
    const one = rollout(cwd, s, TURNS, COMMANDS);
    const file = path.join(folder, '2026', '11', String(1 + (s % 28)).padStart(2, '0'), one.name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, one.text);
    rows += one.rows;
    lines += one.lines;
    bytes += Buffer.byteLength(one.text);
  }
  progress(`  import: ${FILES} rollouts, ${num(lines)} lines, ${mib(bytes)}, ${num(rows)} rows`);
  const freshRepo = () => {
    rmSync(cwd, { recursive: true, force: true });
    mkdirSync(cwd);
    return makeRepo('import', { dir: cwd });
  };
  const importInto = (repo) => JSON.parse(repo.run(process.execPath, [BIN, 'import', 'codex', folder, '--json']));
  let repo = null;
  const res = await interleaved(
    ROUNDS,
    [
      {
        name: 'parse',
        run() {
          const r = spawnSync(process.execPath, ['-e', BASELINE, folder], { encoding: 'utf8' });
          if (Number(r.stdout) !== lines) throw new Error(`baseline read ${r.stdout} lines, expected ${lines}: ${r.stderr}`);
        },
      },
      {
        name: 'import',
        setup() {
          repo = freshRepo();
        },
        run() {
          const rep = importInto(repo);
          if (rep.added !== rows) throw new Error(`import added ${rep.added} rows, expected ${rows}`);
        },
      },
      {
        name: 'again',
        setup() {
          repo = freshRepo();
          importInto(repo);
        },
        run() {
          const rep = importInto(repo);
          if (rep.added !== 0 || rep.alreadyLogged !== rows) throw new Error(`import again added ${rep.added} rows`);
        },
      },
    ],
    (r, t) =>
      progress(
        `  import round ${r + 1}/${ROUNDS}: parse ${num(rows / (t.parse / 1000))} rows/s, import ${num(rows / (t.import / 1000))} rows/s, again ${num(rows / (t.again / 1000))} rows/s`,
      ),
  );
  const rate = (ms) => rows / (ms / 1000);
  const first = pairedRatio(res.import.ms, res.parse.ms);
  const again = pairedRatio(res.again.ms, res.parse.ms);
  return {
    rows: [
      [
        'import',
        `${FILES} rollouts (${mib(bytes)}, ${num(rows)} rows), median of ${ROUNDS} rounds`,
        `read + JSON.parse ${num(Math.round(rate(res.parse.median)))} rows/s`,
        `import ${num(Math.round(rate(res.import.median)))} rows/s`,
        `${ratio(first.median)} (${ratio(first.min)}-${ratio(first.max)}) of the baseline's time`,
      ],
      [
        'import',
        'the same folder again (every row already logged)',
        '',
        `import ${num(Math.round(rate(res.again.median)))} rows/s`,
        `${ratio(again.median)} (${ratio(again.min)}-${ratio(again.max)})`,
      ],
    ],
    json: {
      rounds: ROUNDS,
      files: FILES,
      lines,
      bytes,
      rows,
      rowsPerSecond: {
        parse: Math.round(rate(res.parse.median)),
        import: Math.round(rate(res.import.median)),
        again: Math.round(rate(res.again.median)),
      },
      ratioFirst: ratioJson(first),
      ratioAgain: ratioJson(again),
      msPerRound: Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v.ms.map(round3)])),
    },
  };
}
