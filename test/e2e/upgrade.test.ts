// A repository installed by 0.1.0 (husky at .husky/_, hook blocks and a merge driver naming the
// build layout, dist/src/bin.js, node in every hook, .gitattributes without the segments line)
// keeps logging after the package is upgraded, and `install` moves its hooks into the git dir:
// 0.1.0's blocks leave the .husky files (the user's own lines stay, and run before ours), the
// merge driver becomes the git-dir script. What 0.1.0 logged (rows in the tracked file, hook rows
// waiting in .git/codexlog/pending.jsonl and claimed batches) enters the first commit after the
// upgrade, each row exactly once.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uuidv7 } from '../../src/ids.ts';
import { attributeLines } from '../../src/install/attributes.ts';
import { BEGIN } from '../../src/install/blocks.ts';
import { DRIVER_COMMAND } from '../../src/install/git-config.ts';
import { PREPARE } from '../../src/install/package-json.ts';
import { messages, PREFIX } from '../../src/messages.ts';
import { listFiles, type Run, throwawayRepos } from '../helpers/repo.ts';
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
import { expectHooksInstalled, oursHooksPath } from './__utils__/hooks.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';
import { installAsV010, V010_BIN, V010_HOOKS, V010_PREPARE, v010DriverCommand } from './__utils__/v010.ts';

const ALLOW = { ALLOW_AUTOLFS: '1' };
const USER_LINE = 'echo user-line >> "$(git rev-parse --git-path user.log)"\n';

const repos = throwawayRepos(test);

/** A repository of today's package, installed the way 0.1.0 installed it. */
function v010Repo(before?: (r: AppRepo) => void): AppRepo {
  const repo = appRepo(repos, { install: false, before });
  installAsV010(repo);
  return repo;
}

/** The .husky files (husky's own stub folder left out), by name, with their text. */
function huskyFiles(r: AppRepo): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of listFiles(path.join(r.dir, '.husky'))) {
    if (!f.startsWith('_/') && !f.endsWith('/')) files[f] = r.read(`.husky/${f}`).toString('utf8');
  }
  return files;
}

function userLineRuns(r: AppRepo): string {
  const file = path.join(r.dir, '.git', 'user.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function commit(r: AppRepo, what: string, args: string[] = []): Run {
  r.write(`${what}.txt`, `${what}\n`);
  r.git(['add', '-A']);
  const out = r.tryGit(['commit', '-m', what, ...args], { env: ALLOW });
  expectExit(out, 0, `commit ${what}`);
  expectNoStack(out, `commit ${what}`);
  return out;
}

test("0.1.0 hooks keep working; install removes 0.1.0's blocks (the user's lines stay and run first), the driver becomes the git-dir script", async () => {
  const repo = v010Repo((r) => r.write('.husky/pre-commit', USER_LINE));
  const v010 = huskyFiles(repo);
  assert.equal(Object.keys(v010), V010_HOOKS.slice().sort());
  // node through 0.1.0's entry point in pre-commit and the post-* hooks; git lfs in the others.
  for (const hook of ['pre-commit', 'post-commit', 'post-rewrite', 'post-merge'])
    assert.ok(v010[hook].includes(`node '${V010_BIN}'`), v010[hook]);
  for (const hook of ['post-checkout', 'pre-push']) assert.ok(v010[hook].includes(`git lfs ${hook} "$@"`), v010[hook]);
  assert.is(repo.git(['config', 'core.hooksPath']).trim(), '.husky/_');
  assert.is(repo.git(['config', 'merge.codexlog.driver']).trim(), v010DriverCommand());

  // Before the upgrade: the old entry point still exists in the new package and logs the commit;
  // ALLOW_AUTOLFS lets the pre-commit add the segments to 0.1.0's tracking.
  const before = commit(repo, 'before-upgrade');
  assert.ok(before.stderr.includes(`${PREFIX} ${messages.trackingRepaired([SEGMENTS])}`), before.stderr);
  const segment = SEGMENTS.replace('*', 'probe');
  assert.is(repo.git(['check-attr', '--cached', 'filter', '--', segment]), `${segment}: filter: lfs\n`);
  expectPointers(repo);
  assert.is((await committedRows(repo, 'HEAD', 'git.pre-commit')).length, 1);
  assert.is(userLineRuns(repo), 'user-line\n');

  const out = repo.hooks(['install']);
  expectExit(out, 0, 'install');
  expectNoStack(out, 'install');
  // Every block 0.1.0 wrote is removed, each said; the hooks now run from the git dir.
  for (const hook of V010_HOOKS) {
    assert.ok(
      out.stderr.includes(`  - .husky/${hook}: the old codexlog-hooks block removed (the hooks now run from the git dir)\n`),
      `${hook} not upgraded:\n${out.stderr}`,
    );
  }
  assert.ok(out.stderr.includes(`  - core.hooksPath = ${oursHooksPath(repo)}\n`), out.stderr);
  assert.ok(out.stderr.includes('  - git config merge.codexlog.driver\n'), out.stderr);
  assert.ok(out.stderr.includes('\nyour hooks keep running, before codexlog-hooks:\n  - .husky/pre-commit\n'), out.stderr);
  // The user's file is as the user wrote it; the files 0.1.0 created for its blocks are gone.
  assert.equal(huskyFiles(repo), { 'pre-commit': USER_LINE });
  expectHooksInstalled(repo, 'install over 0.1.0');
  assert.is(repo.git(['config', 'merge.codexlog.driver']).trim(), DRIVER_COMMAND);
  assert.is(JSON.parse(repo.read('package.json').toString('utf8')).scripts.prepare, PREPARE);
  const attributes = repo.read('.gitattributes').toString('utf8');
  assert.is(attributes.split(BEGIN).length - 1, 1, attributes);
  assert.ok(attributes.includes(attributeLines({ dbs: DBS, segmentsDir: 'databases/codex_log.segments' })), attributes);

  // After: still logged, the user's line ran first (once), and a second install changes nothing.
  commit(repo, 'after-upgrade');
  assert.is((await committedRows(repo, 'HEAD', 'git.pre-commit')).length, 2);
  assert.is(commitRow(logJson(repo), sha(repo)).pending, true);
  assert.is(userLineRuns(repo), 'user-line\nuser-line\n');
  const again = repo.hooks(['install']);
  expectExit(again, 0, 'install again');
  assert.is(again.stderr, `${PREFIX} ${messages.installDone([], ['.husky/pre-commit'])}\n`);

  // Uninstall puts core.hooksPath back to what it was before 0.1.0's install (unset), and takes
  // 0.1.0's prepare command and driver with the rest; the user's file stays.
  const un = repo.hooks(['uninstall']);
  expectExit(un, 0, 'uninstall');
  assert.is(repo.tryGit(['config', 'core.hooksPath']).status, 1, `core.hooksPath is still set:\n${un.stderr}`);
  assert.is(repo.tryGit(['config', 'merge.codexlog.driver']).status, 1);
  assert.is(JSON.parse(repo.read('package.json').toString('utf8')).scripts?.prepare, undefined);
  assert.equal(huskyFiles(repo), { 'pre-commit': USER_LINE });
  assert.not.ok(repo.read('package.json').toString('utf8').includes(V010_PREPARE));
});

test("0.1.0's post-* blocks still record commits and rewrites before the upgrade", () => {
  const repo = v010Repo();
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
  const repo = v010Repo();
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
