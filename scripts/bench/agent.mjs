// What the agents' hook adds to every event (it sits on the agent's critical path for every tool
// call): the installed command, run as Codex runs it (/bin/bash -c) and as Claude Code does
// (/bin/sh -c), from a subdirectory, with a 2 KB PostToolUse payload on stdin, against the same
// shell running `true` with the same stdin, interleaved. Also from a linked worktree (one more git
// call), and what ingesting the waiting payloads later costs the next reader, per payload.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  BIN,
  fillRepo,
  installTool,
  interleaved,
  makeRepo,
  median,
  ms,
  num,
  pairedRatio,
  progress,
  ratio,
  ratioJson,
  round3,
  verdict,
} from './harness.mjs';

export const describe = 'the agent hook command per event, against a hook that runs `true`';

const TARGET_MS = 15;
const GOAL_MS = 5;

/** A PostToolUse payload of about 2 KB, like a Claude Bash call with some output. */
function payload(dir, i) {
  return JSON.stringify({
    session_id: 'bench-session',
    transcript_path: null,
    cwd: dir,
    prompt_id: 'bench-prompt',
    permission_mode: 'default',
    hook_event_name: 'PostToolUse',
    tool_name: 'Bash',
    tool_input: { command: `npm test -- --grep case-${i}`, description: 'Run the tests' },
    tool_response: { stdout: 'ok '.repeat(600), stderr: '', interrupted: false, isImage: false },
    tool_use_id: `toolu_bench_${i}`,
  });
}

function commandOf(repo, file) {
  const data = JSON.parse(readFileSync(path.join(repo.dir, file), 'utf8'));
  return data.hooks.PostToolUse.flatMap((g) => g.hooks).find((h) => h.command.includes('/codexlog/agent-hook')).command;
}

function shell(sh, command, cwd, env, input) {
  const r = spawnSync(sh, ['-c', command], { cwd, env, input });
  if (r.status !== 0 || r.stdout.length > 0) throw new Error(`${sh} -c ${command}: exit ${r.status}, stdout ${r.stdout}`);
}

export async function run({ quick }) {
  const rounds = quick ? 30 : 200;
  const repo = makeRepo('agent');
  fillRepo(repo, 10);
  installTool(repo);
  const sub = path.join(repo.dir, 'src', 'd0');
  const codexCmd = commandOf(repo, '.codex/hooks.json');
  const claudeCmd = commandOf(repo, '.claude/settings.json');
  // A linked worktree: the hook asks git once more for the worktree's own inbox.
  const wt = path.join(repo.dir, '..', `${path.basename(repo.dir)}-wt`);
  repo.git(['worktree', 'add', '-q', wt]);
  const wtSub = path.join(wt, 'src', 'd0');
  const input = Buffer.from(payload(sub, 0));
  const env = repo.env;
  const t = await interleaved(
    rounds,
    [
      { name: 'bash true', run: () => shell('/bin/bash', 'true', sub, env, input) },
      { name: 'bash hook', run: (r) => shell('/bin/bash', codexCmd, sub, env, Buffer.from(payload(sub, r))) },
      { name: 'sh true', run: () => shell('/bin/sh', 'true', sub, env, input) },
      { name: 'sh hook', run: (r) => shell('/bin/sh', claudeCmd, sub, env, Buffer.from(payload(sub, r))) },
      { name: 'sh hook worktree', run: (r) => shell('/bin/sh', claudeCmd, wtSub, env, Buffer.from(payload(wtSub, r))) },
    ],
    (r) => {
      if ((r + 1) % 50 === 0) progress(`  agent: ${r + 1}/${rounds} rounds`);
    },
  );
  const inbox = path.join(repo.dir, '.git', 'codexlog', 'inbox');
  const waiting = readdirSync(inbox).filter((f) => f.startsWith('a-')).length;
  // Deferred work: the next reader ingests every waiting payload (parse, map, redact, store).
  const t0 = performance.now();
  const out = spawnSync(process.execPath, [BIN, 'log', '--limit', '1'], { cwd: repo.dir, env });
  const ingestMs = performance.now() - t0;
  if (out.status !== 0) throw new Error(`log failed: ${out.stderr}`);
  const t1 = performance.now();
  spawnSync(process.execPath, [BIN, 'log', '--limit', '1'], { cwd: repo.dir, env });
  const emptyMs = performance.now() - t1;
  mkdirSync(inbox, { recursive: true });

  const added = (subject, base) => median(t[subject].ms.map((x, r) => x - t[base].ms[r]));
  const bashAdded = added('bash hook', 'bash true');
  const shAdded = added('sh hook', 'sh true');
  const wtAdded = added('sh hook worktree', 'sh true');
  const perPayload = (ingestMs - emptyMs) / waiting;
  const rows = [
    [
      'agent',
      'hook per event, /bin/bash -c (Codex)',
      ms(t['bash true'].median),
      ms(t['bash hook'].median),
      ratio(pairedRatio(t['bash hook'].ms, t['bash true'].ms).median),
    ],
    ['agent', `  adds (target ≤ ${TARGET_MS} ms, goal ${GOAL_MS} ms): ${verdict(bashAdded, TARGET_MS)}`, '', ms(bashAdded), ''],
    [
      'agent',
      'hook per event, /bin/sh -c (Claude Code)',
      ms(t['sh true'].median),
      ms(t['sh hook'].median),
      ratio(pairedRatio(t['sh hook'].ms, t['sh true'].ms).median),
    ],
    ['agent', `  adds: ${verdict(shAdded, TARGET_MS)}`, '', ms(shAdded), ''],
    [
      'agent',
      'hook per event in a linked worktree, /bin/sh -c',
      ms(t['sh true'].median),
      ms(t['sh hook worktree'].median),
      ratio(pairedRatio(t['sh hook worktree'].ms, t['sh true'].ms).median),
    ],
    ['agent', `  adds: ${verdict(wtAdded, TARGET_MS)}`, '', ms(wtAdded), ''],
    [
      'agent',
      `next reader ingests ${num(waiting)} payloads (log, vs. log with none)`,
      ms(emptyMs),
      ms(ingestMs),
      ratio(ingestMs / emptyMs),
    ],
    ['agent', '  deferred cost per payload', '', ms(perPayload), ''],
  ];
  return {
    rows,
    json: {
      rounds,
      medianMs: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, round3(v.median)])),
      addedMs: { bash: round3(bashAdded), sh: round3(shAdded), worktree: round3(wtAdded) },
      ratio: {
        bash: ratioJson(pairedRatio(t['bash hook'].ms, t['bash true'].ms)),
        sh: ratioJson(pairedRatio(t['sh hook'].ms, t['sh true'].ms)),
        worktree: ratioJson(pairedRatio(t['sh hook worktree'].ms, t['sh true'].ms)),
      },
      targetMs: TARGET_MS,
      goalMs: GOAL_MS,
      ingest: { payloads: waiting, ms: round3(ingestMs), emptyMs: round3(emptyMs), perPayloadMs: round3(perPayload) },
    },
  };
}
