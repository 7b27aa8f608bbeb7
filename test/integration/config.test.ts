// The config file: found in the repository root only, validated, and every problem reported with
// the file (and key) at exit code 1 before anything is written.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  closeCodexLogDb,
  finalizeCodexLogDb,
  initCodexLogDb,
  readCodexLog,
  recordCodexAction,
  recordCodexActions,
} from '../../src/index.ts';
import { rejection, thrown } from '../helpers/expect.ts';
import { listFiles, queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

const { repo, dir } = throwawayRepos(test);

const invalid = (file: string, key: string, problem: string) =>
  `Invalid config in ${file}: "${key}" ${problem}. Fix that key (see the README's Config section).`;
const unreadable = (file: string, detail: string) =>
  `Could not read the config file ${file}: ${detail}. Fix the file (or remove it to use the defaults).`;

const apiError = async (p: Promise<unknown>): Promise<string> => (await rejection(p)).message;

const ALL = [['record', 'edit', 'x'], ['log'], ['finalize'], ['session', 'start']];

/** The commands (by default a writer and finalize) and the API fail with exactly `message`; nothing is created. */
async function expectConfigError(r: TestRepo, message: string, commands = [ALL[0], ALL[2]]): Promise<void> {
  const before = listFiles(r.dir);
  for (const args of commands) {
    const out = r.cli(args);
    assert.equal([out.status, out.stdout, out.stderr], [1, '', `codexlog-hooks: ${message}\n`], args.join(' '));
  }
  assert.is(await apiError(recordCodexAction('s', 'edit', 'x', undefined, { cwd: r.dir, env: r.env })), message);
  assert.equal(listFiles(r.dir), before);
  assert.is(r.git(['ls-files', '--stage']), '');
  assert.not.ok(existsSync(path.join(r.dir, '.git/codexlog')), 'nothing recorded in the git dir either');
}

/** V8's own sentence for `text` (its wording differs between Node versions). */
const jsonError = (text: string): string => thrown(() => JSON.parse(text), SyntaxError).message;

const malformed: Array<[string, string, string, string]> = [
  // file, content, parser's sentence, name
  ['codexlog.config.json', '{bad', `${jsonError('{bad')} while parsing '{bad'`, 'invalid JSON'],
  [
    'codexlog.config.json',
    '{"paths": {"log": "a.db",}}',
    `${jsonError('{"paths": {"log": "a.db",}}')} while parsing '{"paths": {"log": "a.db",}}'`,
    'a trailing comma',
  ],
  ['.codexlogrc.json', '[1, 2', `${jsonError('[1, 2')} while parsing '[1, 2'`, 'unterminated JSON'],
  ['.codexlogrc.yaml', 'paths: [\n', 'unexpected end of the stream within a flow collection (2:1)', 'invalid YAML'],
  ['package.json', '{bad', `${jsonError('{bad')} while parsing '{bad'`, 'a broken package.json'],
];
for (const [file, content, detail, name] of malformed) {
  test(`${name} in ${file}: exit 1, the message names the file and the parser's complaint`, async () => {
    const r = repo();
    r.write(file, content);
    await expectConfigError(r, unreadable(path.join(r.dir, file), detail));
  });
}

const invalidCases: Array<[string, string, unknown, string, string]> = [
  // name, file, content, key, problem
  [
    'an unknown top-level key',
    'codexlog.config.json',
    { path: { log: 'x.db' } },
    'path',
    'is not a known key (known: paths, lfs, segments, agents, redaction)',
  ],
  [
    'an unknown nested key',
    'codexlog.config.json',
    { paths: { logs: 'x.db' } },
    'paths.logs',
    'is not a known key (known: log, sessionLog, segments)',
  ],
  [
    'a seal size below 64 KiB',
    'codexlog.config.json',
    { segments: { sealAboveBytes: 1000 } },
    'segments.sealAboveBytes',
    'must be a whole number of at least 65536',
  ],
  ['a number for a path', 'codexlog.config.json', { paths: { log: 5 } }, 'paths.log', 'must be a non-empty string'],
  [
    'a string for a boolean',
    '.codexlogrc.json',
    { lfs: { requireAllowAutoLfs: 'yes' } },
    'lfs.requireAllowAutoLfs',
    'must be true or false',
  ],
  [
    'an absolute path',
    '.codexlogrc',
    { paths: { sessionLog: '/tmp/s.db' } },
    'paths.sessionLog',
    'must be a path relative to the repository root',
  ],
  ['an array at the top', 'codexlog.config.json', [], '(top level)', 'must be an object'],
];
for (const [name, file, content, key, problem] of invalidCases) {
  test(`${name} in ${file}: exit 1, the message names the file and "${key}"`, async () => {
    const r = repo();
    r.write(file, JSON.stringify(content));
    await expectConfigError(r, invalid(path.join(r.dir, file), key, problem));
  });
}

test('every command refuses a malformed config the same way', async () => {
  const r = repo();
  r.write('codexlog.config.json', '{bad');
  await expectConfigError(r, unreadable(path.join(r.dir, 'codexlog.config.json'), `${jsonError('{bad')} while parsing '{bad'`), ALL);
});

test('a broken package.json next to a valid config file: the message names package.json', async () => {
  const r = repo();
  r.write('codexlog.config.json', '{}');
  r.write('package.json', '{"name": ');
  await expectConfigError(r, unreadable(path.join(r.dir, 'package.json'), `${jsonError('{"name": ')} while parsing "{\\"name\\": "`));
});

test('an invalid "codexlog" key in package.json names package.json and the key', async () => {
  const r = repo();
  r.write('package.json', JSON.stringify({ name: 'x', version: '1.0.0', codexlog: { lfs: { track: true } } }));
  await expectConfigError(r, invalid(path.join(r.dir, 'package.json'), 'lfs.track', 'is not a known key (known: requireAllowAutoLfs)'));
});

for (const [key, value] of [
  ['log', '../outside.db'],
  ['sessionLog', 'a/../../outside.db'],
  ['segments', '../segments'],
] as const) {
  test(`a ${key} path that leaves the repository is refused, naming the key`, async () => {
    const r = repo();
    r.write('codexlog.config.json', JSON.stringify({ paths: { [key]: value } }));
    await expectConfigError(
      r,
      `The config's "paths.${key}" (${value}) resolves outside the workspace (${r.dir}). Use a path inside the repository.`,
    );
  });
}

test('a valid config moves both databases; finalize stages the configured paths', async () => {
  const r = repo();
  r.write('codexlog.config.json', JSON.stringify({ paths: { log: 'logs/agent.db', sessionLog: 'logs/agent-session.db' } }));
  assert.is(await initCodexLogDb({ cwd: r.dir, env: r.env }), path.join(r.dir, 'logs/agent.db'));
  await recordCodexAction('s1', 'edit', 'configured', undefined, { cwd: r.dir, env: r.env });
  closeCodexLogDb();
  const out = r.cli(['finalize']);
  assert.equal([out.status, out.stderr], [0, 'codexlog-hooks: Finalized logs/agent.db into logs/agent-session.db; both are staged.\n']);
  assert.equal(listFiles(r.dir), ['codexlog.config.json', 'logs/', 'logs/agent-session.db', 'logs/agent.db']);
  assert.is(r.git(['diff', '--cached', '--name-only']), 'logs/agent-session.db\nlogs/agent.db\n');
  assert.equal(await queryDb(path.join(r.dir, 'logs/agent-session.db'), 'SELECT statement FROM codex_actions'), [
    { statement: 'configured' },
  ]);
});

test('a config in package.json#codexlog is used', async () => {
  const r = repo();
  r.write('package.json', JSON.stringify({ name: 'x', codexlog: { paths: { log: 'db/log.db', sessionLog: 'db/copy.db' } } }));
  const out = r.cli(['record', 'edit', 'x']);
  assert.is(out.status, 0, out.stderr);
  assert.equal(listFiles(r.dir), ['package.json']);
  const fin = r.cli(['finalize']);
  assert.equal([fin.status, fin.stderr], [0, 'codexlog-hooks: Finalized db/log.db into db/copy.db; both are staged.\n']);
  assert.equal(listFiles(r.dir), ['db/', 'db/copy.db', 'db/log.db', 'package.json']);
});

test('an empty config file means the defaults', async () => {
  const r = repo();
  r.write('codexlog.config.json', '');
  assert.is(r.cli(['record', 'edit', 'x']).status, 0);
  assert.equal(listFiles(r.dir), ['codexlog.config.json']);
  assert.is(r.cli(['finalize']).status, 0);
  assert.equal(listFiles(r.dir), ['codexlog.config.json', 'databases/', 'databases/codex_log.db', 'databases/codex_session_logs.db']);
});

test('paths.segments and segments.sealAboveBytes: where, and past which size, finalize seals', async () => {
  const r = repo();
  r.write('codexlog.config.json', JSON.stringify({ paths: { segments: 'old logs' }, segments: { sealAboveBytes: 65536 } }));
  const o = { cwd: r.dir, env: r.env };
  await recordCodexActions(
    Array.from({ length: 300 }, (_, i) => ({ action: 'edit', statement: `row ${i} ${'x'.repeat(300)}` })),
    o,
  );
  // Past the threshold, the log is sealed whole (its own rows too) into the configured folder.
  const res = await finalizeCodexLogDb(o);
  await recordCodexAction('s', 'edit', 'next', undefined, o);
  assert.is((await finalizeCodexLogDb(o))?.sealed, null, 'a log under the threshold is not sealed');
  closeCodexLogDb();
  assert.match(res?.sealed ?? '', /^old logs\/\d{8}T\d{6}Z-[0-9a-f]{32}\.db$/);
  assert.equal(listFiles(path.join(r.dir, 'old logs')), [path.basename(res?.sealed ?? '')]);
  assert.equal(r.git(['diff', '--cached', '--name-only', '-z']).split('\0').filter(Boolean), [
    'databases/codex_log.db',
    'databases/codex_session_logs.db',
    res?.sealed,
  ]);
  assert.is((await readCodexLog({}, o)).length, 301);
});

test('config files above the repository root and in subfolders are ignored', async () => {
  const parent = dir('codexlog-parent-');
  writeFileSync(path.join(parent, 'codexlog.config.json'), '{bad');
  mkdirSync(path.join(parent, 'repo'));
  const r = repo({ dir: path.join(parent, 'repo') });
  r.write('sub/codexlog.config.json', JSON.stringify({ paths: { log: 'elsewhere.db' } }));
  const out = r.cli(['record', 'edit', 'x'], { cwd: path.join(r.dir, 'sub') });
  assert.is(out.status, 0, out.stderr);
  const fin = r.cli(['finalize'], { cwd: path.join(r.dir, 'sub') });
  assert.is(fin.status, 0, fin.stderr);
  assert.equal(listFiles(r.dir), [
    'databases/',
    'databases/codex_log.db',
    'databases/codex_session_logs.db',
    'sub/',
    'sub/codexlog.config.json',
  ]);
});

test.run();
