// Every environment rule, decided once. Nothing else in the code reads an environment variable or
// parses a yes/no value: commands get these answers through the Settings object (config.ts).
import { homedir } from 'node:os';
import path from 'node:path';
import type { AgentName } from './agents/types.js';
import { CodexlogError } from './errors.js';
import { messages } from './messages.js';

/** Every variable that changes what codexlog-hooks does (tests, bench and demo clear these). */
export const ENV_VARIABLES = [
  'GH_COPILOT_WORKSPACE',
  'GH_COPILOT_BACKUP_ROOT',
  'SESSION_ID_SOURCE',
  'TEST_MODE',
  'ALLOW_AUTOLFS',
  'CODEXLOG_HOOKS',
  'HUSKY',
  'DEBUG',
] as const;

/** git's variables that change which repository or index a call sees (part of the API's cache key). */
export const GIT_LOCATION_VARIABLES = ['GIT_DIR', 'GIT_INDEX_FILE', 'GIT_WORK_TREE'] as const;

const YES = ['1', 'true', 'yes', 'on'];
const NO = ['0', 'false', 'no', 'off'];

/** The one yes/no parser: true, false, null when unset or empty, or undefined when malformed. */
export function parseYesNo(value: string | undefined): boolean | null | undefined {
  if (value === undefined || value === '') return null;
  const s = value.trim().toLowerCase();
  if (YES.includes(s)) return true;
  if (NO.includes(s)) return false;
  return undefined;
}

/** A yes/no variable; a malformed value is an error that names the variable. */
export function envFlag(env: NodeJS.ProcessEnv, name: string): boolean | null {
  const v = parseYesNo(env[name]);
  if (v === undefined) throw new CodexlogError(messages.envInvalid(name, env[name] ?? '', '1 or 0'));
  return v;
}

/** What the environment decides, resolved once per run. */
export interface EnvRules {
  /** TEST_MODE=1: nothing is created, written or staged. */
  readonly testMode: boolean;
  /** CODEXLOG_HOOKS=0 or HUSKY=0: the git hooks do nothing. */
  readonly hooksDisabled: boolean;
  /** ALLOW_AUTOLFS: true, false, or null when unset (the clone's opt-in then decides). */
  readonly allowAutoLfs: boolean | null;
  /** SESSION_ID_SOURCE, trimmed; null when unset. */
  readonly sessionId: string | null;
  /** GH_COPILOT_WORKSPACE as given (resolved against the cwd by the workspace); null when unset. */
  readonly workspace: string | null;
  /** GH_COPILOT_BACKUP_ROOT as given; null when unset. */
  readonly backupRoot: string | null;
  /** DEBUG names codexlog (or *): print stack traces. */
  readonly debug: boolean;
}

/** Reads every rule; malformed yes/no values are errors that name the variable. */
export function readEnv(env: NodeJS.ProcessEnv): EnvRules {
  const text = (name: string) => env[name]?.trim() || null;
  return Object.freeze({
    testMode: envFlag(env, 'TEST_MODE') === true,
    hooksDisabled: envFlag(env, 'CODEXLOG_HOOKS') === false || env.HUSKY === '0',
    allowAutoLfs: envFlag(env, 'ALLOW_AUTOLFS'),
    sessionId: text('SESSION_ID_SOURCE'),
    workspace: text('GH_COPILOT_WORKSPACE'),
    backupRoot: text('GH_COPILOT_BACKUP_ROOT'),
    debug: debugEnabled(env),
  });
}

/**
 * The escape hatches of the hooks (TEST_MODE=1, CODEXLOG_HOOKS=0, HUSKY=0), read before anything
 * else: they must work even when the config or another variable is broken. A malformed value is
 * not a skip (readEnv reports it).
 */
export function hooksSkipped(env: NodeJS.ProcessEnv): boolean {
  return parseYesNo(env.TEST_MODE) === true || parseYesNo(env.CODEXLOG_HOOKS) === false || env.HUSKY === '0';
}

/** TEST_MODE read leniently, for the CLI's "nothing was written" notice. */
export function testModeOn(env: NodeJS.ProcessEnv): boolean {
  return parseYesNo(env.TEST_MODE) === true;
}

/** DEBUG=codexlog (or DEBUG=*): stack traces on errors. Never fails. */
export function debugEnabled(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DEBUG && /codexlog|\*/.test(env.DEBUG));
}

/**
 * Where an agent keeps its session transcripts: Codex's rollouts in $CODEX_HOME/sessions (by default
 * ~/.codex/sessions), Claude Code's in $CLAUDE_CONFIG_DIR/projects (by default ~/.claude/projects).
 */
export function agentTranscriptsDir(agent: AgentName, env: NodeJS.ProcessEnv): string {
  const home = env.HOME?.trim() || homedir();
  if (agent === 'codex') return path.join(env.CODEX_HOME?.trim() || path.join(home, '.codex'), 'sessions');
  return path.join(env.CLAUDE_CONFIG_DIR?.trim() || path.join(home, '.claude'), 'projects');
}
