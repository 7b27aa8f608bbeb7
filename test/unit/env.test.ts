// The environment rules, decided once (src/env.ts): the yes/no parser, readEnv and the escape hatches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentTranscriptsDir, debugEnabled, envFlag, hooksSkipped, parseYesNo, readEnv } from '../../src/env.ts';
import { CodexlogError } from '../../src/errors.ts';
import { thrown } from '../helpers/expect.ts';

const flagCases: Array<[string | undefined, boolean | null]> = [
  [undefined, null],
  ['', null],
  ['1', true],
  ['true', true],
  ['TRUE', true],
  ['yes', true],
  ['on', true],
  [' 1 ', true],
  ['On', true],
  ['0', false],
  ['false', false],
  ['False', false],
  ['no', false],
  ['off', false],
  [' 0\n', false],
];
for (const [value, expected] of flagCases) {
  test(`envFlag(${JSON.stringify(value)}) is ${expected}`, () => {
    assert.is(envFlag(value === undefined ? {} : { FLAG: value }, 'FLAG'), expected);
  });
}

for (const value of ['2', 'maybe', 'y', 'n', '10', 'enabled', ' ']) {
  test(`envFlag(${JSON.stringify(value)}) is an error naming the variable and value`, () => {
    const e = thrown(() => envFlag({ ALLOW_AUTOLFS: value }, 'ALLOW_AUTOLFS'), CodexlogError);
    assert.is(e.message, `ALLOW_AUTOLFS=${value} is not valid: expected 1 or 0.`);
  });
}

const ruleCases: Array<[string, NodeJS.ProcessEnv, Partial<Record<string, unknown>>]> = [
  [
    'nothing set',
    {},
    { testMode: false, hooksDisabled: false, allowAutoLfs: null, sessionId: null, workspace: null, backupRoot: null, debug: false },
  ],
  ['TEST_MODE=0', { TEST_MODE: '0' }, { testMode: false }],
  ['TEST_MODE=true', { TEST_MODE: 'true' }, { testMode: true }],
  ['blank SESSION_ID_SOURCE', { SESSION_ID_SOURCE: '   ' }, { sessionId: null }],
  ['SESSION_ID_SOURCE trimmed', { SESSION_ID_SOURCE: ' s-1\n' }, { sessionId: 's-1' }],
  ['blank GH_COPILOT_BACKUP_ROOT', { GH_COPILOT_BACKUP_ROOT: ' ' }, { backupRoot: null }],
  ['GH_COPILOT_WORKSPACE', { GH_COPILOT_WORKSPACE: ' /repo ' }, { workspace: '/repo' }],
  ['ALLOW_AUTOLFS=1', { ALLOW_AUTOLFS: '1' }, { allowAutoLfs: true }],
  ['ALLOW_AUTOLFS=off', { ALLOW_AUTOLFS: 'off' }, { allowAutoLfs: false }],
  ['HUSKY=0', { HUSKY: '0' }, { hooksDisabled: true }],
  ['HUSKY=1', { HUSKY: '1' }, { hooksDisabled: false }],
  ['CODEXLOG_HOOKS=0', { CODEXLOG_HOOKS: '0' }, { hooksDisabled: true }],
  ['CODEXLOG_HOOKS=1', { CODEXLOG_HOOKS: '1' }, { hooksDisabled: false }],
  ['DEBUG=codexlog', { DEBUG: 'codexlog' }, { debug: true }],
  ['DEBUG=*', { DEBUG: '*' }, { debug: true }],
  ['DEBUG=other', { DEBUG: 'express' }, { debug: false }],
];
for (const [name, env, expected] of ruleCases) {
  test(`readEnv: ${name}`, () => {
    const rules = readEnv(env) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected)) assert.equal(rules[k], v, k);
    assert.ok(Object.isFrozen(rules));
  });
}

for (const name of ['TEST_MODE', 'ALLOW_AUTOLFS', 'CODEXLOG_HOOKS']) {
  test(`readEnv: a bad ${name} is an error naming it`, () => {
    const e = thrown(() => readEnv({ [name]: 'perhaps' }), CodexlogError);
    assert.is(e.message, `${name}=perhaps is not valid: expected 1 or 0.`);
  });
}

const hatches: Array<[NodeJS.ProcessEnv, boolean]> = [
  [{}, false],
  [{ TEST_MODE: '1' }, true],
  [{ TEST_MODE: 'yes' }, true],
  [{ TEST_MODE: '0' }, false],
  [{ CODEXLOG_HOOKS: '0' }, true],
  [{ CODEXLOG_HOOKS: 'off' }, true],
  [{ HUSKY: '0' }, true],
  [{ HUSKY: 'false' }, false],
  // Malformed values are not a skip: readEnv reports them.
  [{ TEST_MODE: 'perhaps' }, false],
  [{ TEST_MODE: 'perhaps', HUSKY: '0' }, true],
];
for (const [env, expected] of hatches) {
  test(`hooksSkipped(${JSON.stringify(env)}) is ${expected}`, () => assert.is(hooksSkipped(env), expected));
}

test('parseYesNo: malformed is undefined, never an exception', () => {
  assert.is(parseYesNo('perhaps'), undefined);
  assert.is(parseYesNo(undefined), null);
});

test('debugEnabled never throws', () => {
  assert.is(debugEnabled({ DEBUG: '' }), false);
});

const transcriptDirs: Array<[string, 'codex' | 'claude', NodeJS.ProcessEnv, string]> = [
  ['Codex, by default', 'codex', { HOME: '/home/u' }, '/home/u/.codex/sessions'],
  ['Codex, CODEX_HOME', 'codex', { HOME: '/home/u', CODEX_HOME: '/opt/codex' }, '/opt/codex/sessions'],
  ['Claude Code, by default', 'claude', { HOME: '/home/u' }, '/home/u/.claude/projects'],
  ['Claude Code, CLAUDE_CONFIG_DIR', 'claude', { HOME: '/home/u', CLAUDE_CONFIG_DIR: '/cfg/claude' }, '/cfg/claude/projects'],
  ['an empty CODEX_HOME is unset', 'codex', { HOME: '/home/u', CODEX_HOME: ' ' }, '/home/u/.codex/sessions'],
];
for (const [name, agent, env, expected] of transcriptDirs) {
  test(`agentTranscriptsDir: ${name}`, () => assert.is(agentTranscriptsDir(agent, env), expected));
}

test.run();
