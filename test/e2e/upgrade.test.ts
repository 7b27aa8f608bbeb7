// A repository installed by 0.1.0 (hook blocks and merge driver naming the build layout,
// dist/src/bin.js, node in every hook, .gitattributes without the segments line) keeps logging
// after the package is upgraded, and `install` moves it to the stable entry point and the sh
// post-* hooks without duplicating a block. What 0.1.0 logged (rows in the tracked file, hook rows
// waiting in .git/codexlog/pending.jsonl and claimed batches) enters the first commit after the
// upgrade, each row exactly once.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uuidv7 } from '../../src/ids.ts';
import { BEGIN, upsertBlock } from '../../src/install/blocks.ts';
import { driverCommand } from '../../src/install/git-config.ts';
import { hookBlocks, shQuote } from '../../src/install/hook-blocks.ts';
import { messages, PREFIX } from '../../src/messages.ts';
import { type Run, throwawayRepos } from '../helpers/repo.ts';
import {
  commitRow,
  committedEvents,
  committedRows,
  DBS,
  expectExit,
  expectNoStack,
  expectPointers,
  LOG_DB,
  logJson,
  meta,
  SEGMENTS,
  SESSION_DB,
  sha,
  stateDir,
} from './__utils__/checks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const ALLOW = { ALLOW_AUTOLFS: '1' };
const OLD_BIN = 'node_modules/codexlog-hooks/dist/src/bin.js';
const NEW_BIN = 'node_modules/codexlog-hooks/bin/codexlog-hooks.js';
const SCRIPT = 'node_modules/codexlog-hooks/bin/codexlog-hook.sh';
const POST_HOOKS = ['post-commit', 'post-rewrite', 'post-merge'];

const repos = throwawayRepos(test);

/** The hook blocks exactly as 0.1.0's install wrote them (its src/install.ts): node in every hook. */
function v010HookBlocks(bin: string): Record<string, string> {
  const q = shQuote(bin);
  const missing = shQuote(`${PREFIX} ${messages.hookNotInstalled(bin)}`);
  const lfs = (hook: string) =>
    `command -v git-lfs >/dev/null 2>&1 || { echo >&2 ${shQuote(`${PREFIX} ${messages.lfsMissing}`)}; exit 2; }\n` + `git lfs ${hook} "$@"`;
  const ours = (hook: string, blocking: boolean) =>
    blocking
      ? `if [ -f ${q} ]; then node ${q} hook ${hook} "$@"; else echo >&2 ${missing}; exit 1; fi`
      : `if [ -f ${q} ]; then node ${q} hook ${hook} "$@" || true; fi`;
  return {
    'pre-commit': ours('pre-commit', true),
    'post-commit': ours('post-commit', false),
    'post-rewrite': ours('post-rewrite', false),
    'post-merge': `${lfs('post-merge')}\n${ours('post-merge', false)}`,
    'post-checkout': lfs('post-checkout'),
    'pre-push': lfs('pre-push'),
  };
}

/** 0.1.0's .gitattributes block: the two databases, no segments. */
const V010_ATTRIBUTES = DBS.map((db) => `${db} filter=lfs diff=lfs merge=codexlog -text`).join('\n');

/** Rewrites the repository's hook blocks, attributes and merge driver exactly as 0.1.0's install wrote them. */
function downgradeToV010(r: AppRepo): void {
  for (const [hook, body] of Object.entries(v010HookBlocks(OLD_BIN))) {
    const file = `.husky/${hook}`;
    r.write(file, upsertBlock(r.read(file).toString('utf8'), body));
  }
  r.write('.gitattributes', upsertBlock(r.read('.gitattributes').toString('utf8'), V010_ATTRIBUTES));
  r.git(['config', 'merge.codexlog.driver', driverCommand(OLD_BIN)]);
}

function huskyFiles(r: AppRepo): string {
  return Object.keys(hookBlocks(NEW_BIN))
    .map((h) => r.read(`.husky/${h}`).toString('utf8'))
    .join('\n');
}

function commit(r: AppRepo, what: string, args: string[] = []): Run {
  r.write(`${what}.txt`, `${what}\n`);
  r.git(['add', '-A']);
  const out = r.tryGit(['commit', '-m', what, ...args], { env: ALLOW });
  expectExit(out, 0, `commit ${what}`);
  expectNoStack(out, `commit ${what}`);
  return out;
}

test('0.1.0 hooks keep working, and install upgrades blocks, attributes and driver in place', async () => {
  const repo = appRepo(repos, { before: (r) => r.write('.husky/pre-commit', 'echo user-line >> user.log\n') });
  downgradeToV010(repo);
  assert.ok(huskyFiles(repo).includes(OLD_BIN));

  // Before the upgrade: the old entry point still exists in the new package and logs the commit;
  // ALLOW_AUTOLFS lets the pre-commit add the segments to 0.1.0's tracking.
  const before = commit(repo, 'before-upgrade');
  assert.ok(before.stderr.includes(`${PREFIX} ${messages.trackingRepaired([SEGMENTS])}`), before.stderr);
  const segment = SEGMENTS.replace('*', 'probe');
  assert.is(repo.git(['check-attr', '--cached', 'filter', '--', segment]), `${segment}: filter: lfs\n`);
  expectPointers(repo);
  assert.is((await committedRows(repo, 'HEAD', 'git.pre-commit')).length, 1);

  const out = repo.hooks(['install']);
  expectExit(out, 0, 'install');
  // Every block that names the package is rewritten: the pre-commit's entry point, and the post-*
  // hooks, which now hand the event to the sh script; the LFS-only ones (pre-push, post-checkout) stay.
  const naming = Object.entries(hookBlocks(NEW_BIN))
    .filter(([, body]) => body.includes(NEW_BIN) || body.includes(SCRIPT))
    .map(([hook]) => hook);
  assert.equal(naming, ['pre-commit', ...POST_HOOKS]);
  for (const hook of naming) assert.ok(out.stderr.includes(`  - .husky/${hook}\n`), `${hook} not upgraded:\n${out.stderr}`);
  for (const hook of ['pre-push', 'post-checkout']) assert.not.ok(out.stderr.includes(`  - .husky/${hook}\n`), out.stderr);
  assert.ok(out.stderr.includes('  - git config merge.codexlog.driver\n'), out.stderr);

  const files = huskyFiles(repo);
  assert.not.ok(files.includes('dist/src/bin.js'), files);
  for (const hook of Object.keys(hookBlocks(NEW_BIN))) {
    const text = repo.read(`.husky/${hook}`).toString('utf8');
    assert.is(text.split(BEGIN).length - 1, 1, `.husky/${hook} has more than one block:\n${text}`);
  }
  assert.ok(files.includes(`node '${NEW_BIN}' hook pre-commit "$@"`), files);
  for (const hook of POST_HOOKS) {
    const text = repo.read(`.husky/${hook}`).toString('utf8');
    assert.ok(text.includes(`sh '${SCRIPT}' ${hook} "$@" || true`), text);
    assert.not.match(text, /\bnode\b/, `.husky/${hook} still starts node:\n${text}`);
  }
  assert.is(repo.read('.husky/pre-commit').toString('utf8').split('\n')[0], 'echo user-line >> user.log');
  assert.is(repo.git(['config', 'merge.codexlog.driver']).trim(), driverCommand(NEW_BIN));

  // After: still logged, by the sh post-commit too, and a second install changes nothing.
  commit(repo, 'after-upgrade');
  assert.is((await committedRows(repo, 'HEAD', 'git.pre-commit')).length, 2);
  assert.is(commitRow(logJson(repo), sha(repo)).pending, true);
  assert.is(readFileSync(path.join(repo.dir, 'user.log'), 'utf8'), 'user-line\nuser-line\n');
  const again = repo.hooks(['install']);
  expectExit(again, 0, 'install again');
  assert.ok(again.stderr.includes('already installed; nothing changed'), again.stderr);
});

// BUG (store): `codexlog-hooks hook` knows only pre-commit, so 0.1.0's post-* blocks
// (`node …/dist/src/bin.js hook post-commit "$@" || true`) print `Unknown hook "post-commit".`
// and a usage line on every commit, amend and pull, and their rows are lost until the user runs
// `install` (bin.ts promises that such a repository "keeps logging until install upgrades it").
// Un-skip once `hook post-commit|post-rewrite|post-merge` hands the event to the sh script.
test("0.1.0's post-* blocks still record commits and rewrites before the upgrade", () => {
  const repo = appRepo(repos);
  downgradeToV010(repo);
  const first = commit(repo, 'before-upgrade');
  assert.not.ok(first.stderr.includes(messages.unknownHook('post-commit')), first.stderr);
  const old = sha(repo);
  const amend = repo.tryGit(['commit', '--amend', '-m', 'before-upgrade, amended'], { env: ALLOW });
  expectExit(amend, 0, 'commit --amend');
  assert.not.ok(amend.stderr.includes(messages.unknownHook('post-rewrite')), amend.stderr);
  const rows = logJson(repo);
  assert.is(commitRow(rows, sha(repo)).pending, true);
  const rewrites = rows.filter((r) => r.action === 'git.rewrite');
  assert.equal(
    rewrites.map((r) => meta(r).mappings),
    [[{ old, new: sha(repo) }]],
  );
});

/** A row as 0.1.0 stored it: every action and event has its uid. */
interface V010Action {
  uid: string;
  session_id: string | null;
  ts: string;
  action: string;
  statement: string;
  metadata: string | null;
}
interface V010Event {
  uid: string;
  session_id: string;
  event: string;
  summary: string | null;
  ts: string;
}

/** Creates 0.1.0's log (its schema, user_version 1, rollback journal) or adds rows to it, as 0.1.0's store did. */
async function writeV010Log(file: string, actions: V010Action[], events: V010Event[]): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    if ((db.pragma('user_version', { simple: true }) as number) === 0) {
      const uid = `uid TEXT NOT NULL UNIQUE DEFAULT ('r-' || lower(hex(randomblob(16))))`;
      db.exec(
        `CREATE TABLE codex_actions (id INTEGER PRIMARY KEY, session_id TEXT, ts TEXT, action TEXT, statement TEXT, metadata TEXT, ${uid})`,
      );
      db.exec(`CREATE TABLE codex_log (session_id TEXT, event TEXT, summary TEXT, ts TEXT, ${uid})`);
      db.exec('CREATE INDEX IF NOT EXISTS codex_actions_session ON codex_actions(session_id)');
      db.pragma('user_version = 1');
    }
    const addAction = db.prepare(
      'INSERT INTO codex_actions (uid, session_id, ts, action, statement, metadata) VALUES (@uid, @session_id, @ts, @action, @statement, @metadata)',
    );
    const addEvent = db.prepare(
      'INSERT INTO codex_log (uid, session_id, event, summary, ts) VALUES (@uid, @session_id, @event, @summary, @ts)',
    );
    db.transaction(() => {
      for (const a of actions) addAction.run(a);
      for (const e of events) addEvent.run(e);
    })();
  } finally {
    db.close();
  }
}

/** A line of 0.1.0's pending.jsonl (src/pending.ts addPending): the row, then its uid and ts. */
function pendingLine(a: V010Action): string {
  return `${JSON.stringify({ session_id: a.session_id, action: a.action, statement: a.statement, metadata: a.metadata, uid: a.uid, ts: a.ts })}\n`;
}

test('a repository logged by 0.1.0: the first commit after the upgrade carries every old and pending row exactly once', async () => {
  const repo = appRepo(repos);
  downgradeToV010(repo);
  const t0 = Date.now() - 3_600_000;
  const at = (minute: number) => new Date(t0 + minute * 60_000).toISOString();
  const action = (minute: number, name: string, session: string | null): V010Action => ({
    uid: uuidv7(t0 + minute * 60_000),
    session_id: session,
    ts: at(minute),
    action: name,
    statement: `0.1.0 row at minute ${minute}`,
    metadata: JSON.stringify({ minute }),
  });
  const event = (minute: number, kind: string): V010Event => ({
    uid: uuidv7(t0 + minute * 60_000),
    session_id: 'agent-0',
    event: kind,
    summary: kind === 'end' ? 'done' : null,
    ts: at(minute),
  });

  // 1. 0.1.0's last commit: its pre-commit had folded these rows into the log, copied it to the
  // session database, and git-lfs's clean filter stored both.
  const committed = [action(1, 'agent.edit', 'agent-0'), action(2, 'git.pre-commit', null), action(3, 'agent.test', 'agent-0')];
  const committedEv = [event(0, 'start')];
  await writeV010Log(path.join(repo.dir, LOG_DB), committed, committedEv);
  copyFileSync(path.join(repo.dir, LOG_DB), path.join(repo.dir, SESSION_DB));
  repo.write('v010.txt', 'logged by 0.1.0\n');
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '--no-verify', '-m', 'logged by 0.1.0']);
  expectPointers(repo);

  // 2. Then, as 0.1.0 went on: `record` wrote rows into the tracked file itself; post-commit and
  // post-rewrite queued rows in pending.jsonl; and a pre-commit that crashed after folding its
  // claimed batch left pending.<id>.claimed behind (one of its rows already in the log).
  const recorded = [action(4, 'agent.edit', 'agent-0'), action(5, 'agent.edit', 'agent-0')];
  const recordedEv = [event(6, 'end')];
  await writeV010Log(path.join(repo.dir, LOG_DB), recorded, recordedEv);
  const queued = [action(7, 'git.commit', null), action(8, 'git.rewrite', null)];
  const claimed = [action(9, 'git.commit', null)];
  const state = stateDir(repo);
  writeFileSync(path.join(state, 'pending.jsonl'), queued.map(pendingLine).join(''));
  writeFileSync(path.join(state, `pending.${uuidv7()}.claimed`), [committed[2], ...claimed].map(pendingLine).join(''));
  const legacyFiles = () => readdirSync(state).filter((f) => f.startsWith('pending'));
  assert.is(legacyFiles().length, 2);

  // 3. The upgrade, then the first commit.
  expectExit(repo.hooks(['install']), 0, 'install');
  commit(repo, 'after-upgrade');
  const oids = expectPointers(repo);
  assert.is(oids[SESSION_DB], oids[LOG_DB], 'both databases should be one LFS object');
  assert.is(repo.git(['status', '--porcelain']), '', 'the commit left changes behind');
  assert.equal(legacyFiles(), [], "0.1.0's pending files are still there");

  // Every row exactly once (by uid and by content); 0.1.0's rows keep their ids; the rows waiting
  // in pending files follow them. Anything else is a row of the new hooks.
  const rows = await committedRows(repo);
  const expected = [...committed, ...recorded, ...queued, ...claimed];
  for (const a of expected) {
    const same = rows.filter((r) => r.uid === a.uid);
    assert.is(same.length, 1, `${a.statement} (${a.uid}) is in the commit ${same.length} times`);
    assert.equal(
      [same[0].session_id, same[0].ts, same[0].action, same[0].statement, same[0].metadata],
      [a.session_id, a.ts, a.action, a.statement, a.metadata],
      `${a.statement} changed`,
    );
    assert.is(rows.filter((r) => r.statement === a.statement).length, 1, `${a.statement} is duplicated under another uid`);
  }
  assert.equal(
    rows.slice(0, 5).map((r) => [r.id, r.uid]),
    [...committed, ...recorded].map((a, i) => [i + 1, a.uid]),
    "0.1.0's rows keep their ids",
  );
  assert.ok(
    rows.filter((r) => [...queued, ...claimed].some((a) => a.uid === r.uid)).every((r) => (r.id as number) > 5),
    'the pending rows come after the tracked ones',
  );
  const known = new Set(expected.map((a) => a.uid));
  const others = rows.filter((r) => !known.has(r.uid));
  assert.ok(
    others.every((r) => r.action === 'git.pre-commit' || r.action === 'git.commit'),
    `unexpected rows: ${JSON.stringify(others)}`,
  );
  assert.is(others.filter((r) => r.action === 'git.pre-commit').length, 1, "the upgrade commit's own git.pre-commit row");
  assert.is(new Set(rows.map((r) => r.uid)).size, rows.length, 'a uid appears twice');

  const events = await committedEvents(repo);
  assert.equal(
    events.map((e) => [e.uid, e.session_id, e.event, e.summary, e.ts]),
    [...committedEv, ...recordedEv].map((e) => [e.uid, e.session_id, e.event, e.summary, e.ts]),
    "0.1.0's session events",
  );

  // The log shows each of them once, none waiting.
  const shown = logJson(repo);
  for (const a of expected) {
    const same = shown.filter((r) => r.uid === a.uid);
    assert.is(same.length, 1, `log shows ${a.statement} ${same.length} times`);
    assert.is(same[0].pending, false, `${a.statement} is still shown pending`);
  }
  assert.not.ok(existsSync(path.join(state, 'pending.jsonl')));
});

test.run();
