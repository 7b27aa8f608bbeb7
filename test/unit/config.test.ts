// Config validation and the one function that merges the environment's rules into the config.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Config, DEFAULT_CONFIG, resolveSettings, validateConfig } from '../../src/config.ts';
import { readEnv } from '../../src/env.ts';
import { CodexlogError } from '../../src/errors.ts';
import { thrown as thrownAs } from '../helpers/expect.ts';

const FILE = '/repo/codexlog.config.json';
const invalid = (key: string, problem: string) =>
  `Invalid config in ${FILE}: "${key}" ${problem}. Fix that key (see the README's Config section).`;

const thrown = (fn: () => unknown) => thrownAs(fn, CodexlogError);

const invalidCases: Array<[string, unknown, string, string]> = [
  ['null', null, '(top level)', 'must be an object'],
  ['an array', [], '(top level)', 'must be an object'],
  ['a string', 'paths', '(top level)', 'must be an object'],
  ['a number', 3, '(top level)', 'must be an object'],
  ['unknown top-level key', { path: {} }, 'path', 'is not a known key (known: paths, lfs, segments, agents, redaction)'],
  ['paths as a string', { paths: 'databases' }, 'paths', 'must be an object'],
  ['paths as null', { paths: null }, 'paths', 'must be an object'],
  ['paths as an array', { paths: [] }, 'paths', 'must be an object'],
  ['unknown key in paths', { paths: { lg: 'x.db' } }, 'paths.lg', 'is not a known key (known: log, sessionLog, segments)'],
  ['paths.log a number', { paths: { log: 5 } }, 'paths.log', 'must be a non-empty string'],
  ['paths.log empty', { paths: { log: '' } }, 'paths.log', 'must be a non-empty string'],
  ['paths.log blank', { paths: { log: '   ' } }, 'paths.log', 'must be a non-empty string'],
  ['paths.log null', { paths: { log: null } }, 'paths.log', 'must be a non-empty string'],
  ['paths.log absolute', { paths: { log: '/tmp/x.db' } }, 'paths.log', 'must be a path relative to the repository root'],
  ['paths.sessionLog a boolean', { paths: { sessionLog: true } }, 'paths.sessionLog', 'must be a non-empty string'],
  [
    'paths.sessionLog absolute',
    { paths: { sessionLog: '/tmp/s.db' } },
    'paths.sessionLog',
    'must be a path relative to the repository root',
  ],
  [
    'sessionLog equal to the default log',
    { paths: { sessionLog: 'databases/codex_log.db' } },
    'paths.sessionLog',
    'must differ from paths.log',
  ],
  [
    'both equal after normalising',
    { paths: { log: 'db/a.db', sessionLog: './db/../db/a.db' } },
    'paths.sessionLog',
    'must differ from paths.log',
  ],
  ['paths.segments empty', { paths: { segments: '' } }, 'paths.segments', 'must be a non-empty string'],
  ['paths.segments absolute', { paths: { segments: '/tmp/segs' } }, 'paths.segments', 'must be a path relative to the repository root'],
  ['lfs as a boolean', { lfs: true }, 'lfs', 'must be an object'],
  ['unknown key in lfs', { lfs: { track: true } }, 'lfs.track', 'is not a known key (known: requireAllowAutoLfs)'],
  ['lfs.requireAllowAutoLfs a string', { lfs: { requireAllowAutoLfs: 'yes' } }, 'lfs.requireAllowAutoLfs', 'must be true or false'],
  ['lfs.requireAllowAutoLfs a number', { lfs: { requireAllowAutoLfs: 1 } }, 'lfs.requireAllowAutoLfs', 'must be true or false'],
  ['segments as a number', { segments: 65536 }, 'segments', 'must be an object'],
  ['unknown key in segments', { segments: { sealAbove: 1 } }, 'segments.sealAbove', 'is not a known key (known: sealAboveBytes)'],
  [
    'segments.sealAboveBytes below 64 KiB',
    { segments: { sealAboveBytes: 65535 } },
    'segments.sealAboveBytes',
    'must be a whole number of at least 65536',
  ],
  [
    'segments.sealAboveBytes zero',
    { segments: { sealAboveBytes: 0 } },
    'segments.sealAboveBytes',
    'must be a whole number of at least 65536',
  ],
  [
    'segments.sealAboveBytes a fraction',
    { segments: { sealAboveBytes: 100000.5 } },
    'segments.sealAboveBytes',
    'must be a whole number of at least 65536',
  ],
  [
    'segments.sealAboveBytes a string',
    { segments: { sealAboveBytes: '1MB' } },
    'segments.sealAboveBytes',
    'must be a whole number of at least 65536',
  ],
  [
    'segments.sealAboveBytes beyond safe integers',
    { segments: { sealAboveBytes: 2 ** 53 } },
    'segments.sealAboveBytes',
    'must be a whole number of at least 65536',
  ],
];
for (const [name, raw, key, problem] of invalidCases) {
  test(`validateConfig rejects ${name}, naming the file and "${key}"`, () => {
    const e = thrown(() => validateConfig(raw, FILE));
    assert.is(e.message, invalid(key, problem));
    assert.is(e.exitCode, 1);
  });
}

const validCases: Array<[string, unknown, Config]> = [
  ['an empty object', {}, DEFAULT_CONFIG],
  ['$schema alone', { $schema: './schema.json' }, DEFAULT_CONFIG],
  ['empty sections', { paths: {}, lfs: {}, segments: {} }, DEFAULT_CONFIG],
  [
    'a log path only',
    { paths: { log: 'logs/agent.db' } },
    {
      paths: { log: 'logs/agent.db', sessionLog: 'databases/codex_session_logs.db', segments: 'databases/codex_log.segments' },
      lfs: { requireAllowAutoLfs: true },
      segments: { sealAboveBytes: 1024 * 1024 },
      agents: { commitTrailer: false },
      redaction: DEFAULT_CONFIG.redaction,
    },
  ],
  ['the smallest seal size', { segments: { sealAboveBytes: 65536 } }, { ...DEFAULT_CONFIG, segments: { sealAboveBytes: 65536 } }],
  [
    'every key',
    {
      paths: { log: 'a/log.db', sessionLog: 'a/session.db', segments: 'a/segments' },
      lfs: { requireAllowAutoLfs: false },
      segments: { sealAboveBytes: 5_000_000 },
      agents: { commitTrailer: true },
      redaction: {
        patterns: [{ name: 'acme', regex: 'ACME-[0-9]{8}', flags: 'i' }],
        allow: ['pk_test_[A-Za-z0-9]{24}'],
        secretlint: false,
      },
    },
    {
      paths: { log: 'a/log.db', sessionLog: 'a/session.db', segments: 'a/segments' },
      lfs: { requireAllowAutoLfs: false },
      segments: { sealAboveBytes: 5_000_000 },
      agents: { commitTrailer: true },
      redaction: {
        patterns: [{ name: 'acme', regex: 'ACME-[0-9]{8}', flags: 'i' }],
        allow: ['pk_test_[A-Za-z0-9]{24}'],
        secretlint: false,
      },
    },
  ],
];
for (const [name, raw, expected] of validCases) {
  test(`validateConfig accepts ${name}`, () => {
    const c = validateConfig(raw, FILE);
    assert.equal(c, expected);
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.paths) && Object.isFrozen(c.lfs) && Object.isFrozen(c.segments));
    assert.ok(Object.isFrozen(c.redaction) && Object.isFrozen(c.redaction.patterns) && Object.isFrozen(c.redaction.allow));
  });
}

const WS = '/work/repo';
const loaded = (config: Config = DEFAULT_CONFIG, file: string | null = null) => ({ config, file });

test('resolveSettings: defaults with an empty environment', () => {
  const s = resolveSettings(readEnv({}), WS, loaded());
  assert.equal(
    { ...s },
    {
      workspace: WS,
      logDb: path.join(WS, 'databases', 'codex_log.db'),
      sessionDb: path.join(WS, 'databases', 'codex_session_logs.db'),
      logDbRel: 'databases/codex_log.db',
      sessionDbRel: 'databases/codex_session_logs.db',
      segmentsDir: path.join(WS, 'databases', 'codex_log.segments'),
      segmentsDirRel: 'databases/codex_log.segments',
      backupRoot: null,
      env: readEnv({}),
      config: DEFAULT_CONFIG,
      configFile: null,
    },
  );
  assert.ok(Object.isFrozen(s));
});

test('resolveSettings: every variable it reads', () => {
  const config = validateConfig({ paths: { log: 'logs/./a.db', sessionLog: 'logs/b.db', segments: 'logs/segs/' } }, FILE);
  const s = resolveSettings(
    readEnv({
      GH_COPILOT_BACKUP_ROOT: ' ../backups ',
      TEST_MODE: '1',
      SESSION_ID_SOURCE: '  sess-42 ',
      ALLOW_AUTOLFS: 'off',
      CODEXLOG_HOOKS: '0',
    }),
    WS,
    loaded(config, FILE),
  );
  assert.equal(
    { ...s },
    {
      workspace: WS,
      logDb: path.join(WS, 'logs', 'a.db'),
      sessionDb: path.join(WS, 'logs', 'b.db'),
      logDbRel: 'logs/a.db',
      sessionDbRel: 'logs/b.db',
      segmentsDir: path.join(WS, 'logs', 'segs'),
      segmentsDirRel: 'logs/segs',
      backupRoot: '/work/backups',
      env: {
        testMode: true,
        hooksDisabled: true,
        allowAutoLfs: false,
        sessionId: 'sess-42',
        workspace: null,
        backupRoot: '../backups',
        debug: false,
      },
      config,
      configFile: FILE,
    },
  );
});

const backupCases: Array<[string, NodeJS.ProcessEnv, string | null]> = [
  ['blank GH_COPILOT_BACKUP_ROOT', { GH_COPILOT_BACKUP_ROOT: ' ' }, null],
  ['absolute GH_COPILOT_BACKUP_ROOT', { GH_COPILOT_BACKUP_ROOT: '/var/backups/codex' }, '/var/backups/codex'],
  ['relative GH_COPILOT_BACKUP_ROOT', { GH_COPILOT_BACKUP_ROOT: 'b' }, '/work/repo/b'],
];
for (const [name, env, expected] of backupCases) {
  test(`resolveSettings: ${name}`, () => assert.is(resolveSettings(readEnv(env), WS, loaded()).backupRoot, expected));
}

const withPaths = (paths: Partial<Config['paths']>): Config => ({ ...DEFAULT_CONFIG, paths: { ...DEFAULT_CONFIG.paths, ...paths } });
const outside: Array<[string, Config, string, string]> = [
  ['paths.log', withPaths({ log: '../elsewhere.db', sessionLog: 's.db' }), 'paths.log', '../elsewhere.db'],
  ['paths.sessionLog', withPaths({ log: 'a.db', sessionLog: 'x/../../s.db' }), 'paths.sessionLog', 'x/../../s.db'],
  ['paths.segments', withPaths({ segments: '../segments' }), 'paths.segments', '../segments'],
];
for (const [name, config, key, value] of outside) {
  test(`resolveSettings: ${name} resolving outside the workspace is an error naming the key`, () => {
    const e = thrown(() => resolveSettings(readEnv({}), WS, loaded(config)));
    assert.is(e.message, `The config's "${key}" (${value}) resolves outside the workspace (${WS}). Use a path inside the repository.`);
  });
}

test('codexlog.config.json at the top of this repository documents every key with its default', () => {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'codexlog.config.json');
  const example = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(validateConfig(example, file), DEFAULT_CONFIG);
  assert.equal(example, JSON.parse(JSON.stringify(DEFAULT_CONFIG)), 'every key, and only the known keys, with the defaults');
});

test.run();
