// A log to read, built the way a team's would be: agent rows that follow the row conventions
// (written through the API, and a plain row through the CLI), real commits through the real hooks
// (pre-commit through the CLI, post-* through the sh recorder), a small seal threshold so the first
// commit's rows end up in a segment, an amend, and rows still uncommitted at the end.
//
//   init     (--no-verify: a git.commit without pre-commit)
//   sha1     feat: app     codex session C1 (204 rows: prompt, patch, test run, 200 reads) and a plain session
//   sha2     feat: util    claude session K1 (3 rows, one hostile) and one more row of C1; C1 ends
//   sha3     sha2 amended, with codex session C2's first row
//   pending  a row each of C2 and K1
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { recordSessionEvent } from '../../src/actions.ts';
import { closeCodexLogDb, logCodexEnd, recordCodexActions } from '../../src/index.ts';
import { attributeLines } from '../../src/install/attributes.ts';
import { openWorkspace } from '../../src/workspace.ts';
import { LOG, SESSION } from './log.ts';
import { hasGitLfs, ROOT, type TestRepo } from './repo.ts';

/** The hook scripts a repository of ours runs. */
const BIN = path.join(ROOT, 'bin', 'codexlog-hooks.js');
const RECORDER = path.join(ROOT, 'bin', 'codexlog-hook.sh');

/** Text an agent row could carry that a terminal or a page must never act on. */
export const HOSTILE = 'edit \u001b]0;pwned\u0007\u001b[2J done\u009b31m <script>document.title="pwned"</script> \u202eexe.txt\u0000';

/** The session ids of the log. */
export const S = { C1: 'codex-c1', K1: 'claude-k1', C2: 'codex-c2', P: 'plain-1' } as const;

/** What a test needs to know of the log it reads. */
export interface ReadLog {
  init: string;
  sha1: string;
  sha2: string;
  sha3: string;
}

const ALLOW = { ALLOW_AUTOLFS: '1' };

/** Builds the log (see the top of this file) in `r`, a fresh repository. */
export async function buildReadLog(r: TestRepo): Promise<ReadLog> {
  if (!hasGitLfs()) throw new Error('git-lfs is required to build the log');
  const o = { cwd: r.dir, env: r.env };
  r.git(['lfs', 'install', '--local', '--skip-repo']);
  r.write('.gitattributes', `${attributeLines({ dbs: [LOG, SESSION], segmentsDir: 'databases/codex_log.segments' })}\n`);
  r.write('codexlog.config.json', `${JSON.stringify({ segments: { sealAboveBytes: 65536 } })}\n`);
  const hooks = path.join(r.dir, '.git', 'test-hooks');
  mkdirSync(hooks);
  writeFileSync(path.join(hooks, 'pre-commit'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' hook pre-commit\n`, { mode: 0o755 });
  for (const hook of ['post-commit', 'post-merge', 'post-rewrite']) {
    writeFileSync(path.join(hooks, hook), `#!/bin/sh\nsh '${RECORDER}' ${hook} "$@" || true\n`, { mode: 0o755 });
  }
  r.git(['config', 'core.hooksPath', hooks]);
  r.write('README.md', 'hello\n');
  r.git(['add', '-A']);
  r.git(['commit', '-q', '--no-verify', '-m', 'init']);
  const head = () => r.git(['rev-parse', 'HEAD']).trim();
  const init = head();
  const ws = await openWorkspace(o);
  const start = (id: string, agent: string, model: string) =>
    recordSessionEvent(ws, id, 'start', JSON.stringify({ agent, model, source: 'startup', cwd: r.dir }));
  const rows = (sessionId: string, list: Array<[string, string, Record<string, unknown>]>) =>
    recordCodexActions(
      list.map(([action, statement, metadata]) => ({ sessionId, action, statement, metadata })),
      o,
    );
  const commit = (subject: string, file: string, extra: string[] = []) => {
    closeCodexLogDb();
    r.write(file, `${subject}\n`);
    r.git(['add', file]);
    r.git(['commit', '-q', ...extra, '-m', subject], { env: ALLOW });
    return head();
  };

  // sha1: codex C1, big enough (about 100 KB) that the next commit seals it into a segment.
  start(S.C1, 'codex', 'gpt-5');
  const c1 = { agent: 'codex', model: 'gpt-5' };
  await rows(S.C1, [
    ['prompt', 'add the app', { ...c1, turn_id: 't1' }],
    ['tool.apply_patch', 'src/app.ts', { ...c1, tool_use_id: 'p1', files: ['src/app.ts'] }],
    ['tool.Bash', 'npm test', { ...c1, tool_use_id: 'b1', files: [], exit_code: 0 }],
  ]);
  await rows(
    S.C1,
    Array.from({ length: 200 }, (_, i): [string, string, Record<string, unknown>] => [
      'tool.Read',
      `docs/guide.md section ${i}: ${'lorem ipsum dolor sit amet '.repeat(16)}`,
      { ...c1, tool_use_id: `r${i}`, files: ['docs/guide.md'] },
    ]),
  );
  closeCodexLogDb();
  const plain = r.cli(['record', 'note', 'a plain note', '--session', S.P]);
  if (plain.status !== 0) throw new Error(plain.stderr);
  const sha1 = commit('feat: app', 'src/app.ts');

  // sha2: claude K1, and C1 once more (a session across two commits), which then ends.
  start(S.K1, 'claude', 'claude-opus');
  const k1 = { agent: 'claude', model: 'claude-opus' };
  await rows(S.K1, [
    ['prompt', 'make a util', { ...k1 }],
    ['tool.Edit', HOSTILE, { ...k1, tool_use_id: 'e1', files: ['src/app.ts', 'src/lib/util.ts'] }],
    ['tool.Write', 'src/lib/util.ts', { ...k1, tool_use_id: 'w1', files: ['src/lib/util.ts'] }],
  ]);
  await rows(S.C1, [['tool.Bash', 'npm run lint', { ...c1, tool_use_id: 'b2', files: [] }]]);
  await logCodexEnd(S.C1, 'done', o);
  const sha2 = commit('feat: util', 'src/lib/util.ts');

  // sha3: the amend, carrying C2's first row (C2 names no model on its rows).
  start(S.C2, 'codex', 'gpt-5-codex');
  await rows(S.C2, [['tool.Write', 'README.md and util', { agent: 'codex', tool_use_id: 'w2', files: ['README.md', 'src/lib/util.ts'] }]]);
  const sha3 = commit('feat: util (amended)', 'README.md', ['--amend']);

  // Uncommitted: one row each of C2 and K1, touching src/app.ts.
  await rows(S.C2, [['tool.Bash', 'npm test again', { agent: 'codex', tool_use_id: 'b3', files: ['src/app.ts'] }]]);
  await rows(S.K1, [['tool.Read', 'src/app.ts', { ...k1, tool_use_id: 'r-last', files: ['src/app.ts'] }]]);
  closeCodexLogDb();
  return { init, sha1, sha2, sha3 };
}
