// Configuration: loaded once with cosmiconfig from the repository root, validated into a frozen
// object, then merged with the environment in one function (resolveSettings).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EnvRules } from './env.js';
import { CodexlogError } from './errors.js';
import { importPackage } from './import-package.js';
import { messages } from './messages.js';
import type { RedactionConfig } from './redact/detector.js';

/** The validated contents of codexlog.config.json (or .codexlogrc*, or package.json#codexlog). */
export interface Config {
  readonly paths: {
    readonly log: string;
    readonly sessionLog: string;
    /** The folder of sealed, immutable segments of the log. */
    readonly segments: string;
  };
  readonly lfs: { readonly requireAllowAutoLfs: boolean };
  readonly segments: {
    /** Finalize seals the older rows of the log into a segment once the log file passes this size. */
    readonly sealAboveBytes: number;
  };
  readonly agents: {
    /** Each commit's message names the agent sessions whose rows it folds in (a `Codexlog-Session:` trailer). */
    readonly commitTrailer: boolean;
  };
  /** Secrets redaction: the team's own patterns, an allow list, and whether secretlint's preset runs too. */
  readonly redaction: RedactionConfig;
}

/**
 * Defaults that apply when no config file exists, or for keys a file leaves out. The seal size:
 * every commit stores the whole active log as a new LFS object, so it bounds what a commit adds to
 * LFS storage; the history then lives in segments of about this size (a 1M-row history, about
 * 300 MB, in about 300 of them). See the README's "Log size and LFS storage".
 */
export const DEFAULT_CONFIG: Config = Object.freeze({
  paths: Object.freeze({
    log: 'databases/codex_log.db',
    sessionLog: 'databases/codex_session_logs.db',
    segments: 'databases/codex_log.segments',
  }),
  lfs: Object.freeze({ requireAllowAutoLfs: true }),
  segments: Object.freeze({ sealAboveBytes: 1024 * 1024 }),
  agents: Object.freeze({ commitTrailer: false }),
  redaction: Object.freeze({ patterns: Object.freeze([]), allow: Object.freeze([]), secretlint: true }),
});

/** The places searched, in order, in the repository root only. */
export const CONFIG_FILES = [
  'package.json',
  'codexlog.config.json',
  '.codexlogrc',
  '.codexlogrc.json',
  '.codexlogrc.yaml',
  '.codexlogrc.yml',
];

const SECTIONS: Record<string, readonly string[]> = {
  paths: ['log', 'sessionLog', 'segments'],
  lfs: ['requireAllowAutoLfs'],
  segments: ['sealAboveBytes'],
  agents: ['commitTrailer'],
  redaction: ['patterns', 'allow', 'secretlint'],
};

/** Names of custom patterns: they become part of the label, [REDACTED:custom:<name>]. */
const PATTERN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Flags a custom pattern may carry (g, d and y are ours to set). */
const PATTERN_FLAGS = /^[imsu]*$/;

/** Compiles `source`, or says why it does not compile. */
function regexProblem(source: string, flags = ''): string | null {
  try {
    const re = new RegExp(source, flags);
    // A pattern that matches nothing at all would redact nothing and loop on every position.
    if (re.test('')) return 'matches the empty string; it must match at least one character';
    return null;
  } catch (e) {
    return `is not a valid regular expression (${(e as Error).message})`;
  }
}

/** Validates the redaction section; errors name the key (redaction.patterns[2].regex). */
function validateRedaction(v: Record<string, unknown>, fail: (key: string, problem: string) => never): RedactionConfig {
  const d = DEFAULT_CONFIG.redaction;
  const list = (key: string, value: unknown): unknown[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) fail(key, 'must be an array');
    return value as unknown[];
  };
  const names = new Set<string>();
  const patterns = list('redaction.patterns', v.patterns).map((p, i) => {
    const key = `redaction.patterns[${i}]`;
    if (p === null || typeof p !== 'object' || Array.isArray(p))
      fail(key, 'must be an object like {"name": "acme", "regex": "ACME-[0-9]{8}"}');
    const o = p as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!['name', 'regex', 'flags'].includes(k)) fail(`${key}.${k}`, 'is not a known key (known: name, regex, flags)');
    if (typeof o.name !== 'string' || !PATTERN_NAME.test(o.name))
      fail(`${key}.name`, 'must be a name of letters, digits, ".", "_" or "-" (at most 64 characters)');
    if (names.has(o.name as string)) fail(`${key}.name`, `repeats the name "${o.name as string}"; each pattern needs its own`);
    names.add(o.name as string);
    const flags = o.flags === undefined ? '' : o.flags;
    if (typeof flags !== 'string' || !PATTERN_FLAGS.test(flags)) fail(`${key}.flags`, 'must be a string of the flags i, m, s, u');
    if (typeof o.regex !== 'string' || o.regex === '') fail(`${key}.regex`, 'must be a non-empty regular expression (a string)');
    const problem = regexProblem(o.regex as string, flags as string);
    if (problem) fail(`${key}.regex`, problem);
    return Object.freeze({ name: o.name as string, regex: o.regex as string, flags: flags as string });
  });
  const allow = list('redaction.allow', v.allow).map((a, i) => {
    const key = `redaction.allow[${i}]`;
    if (typeof a !== 'string' || a === '') fail(key, 'must be a non-empty regular expression (a string)');
    const problem = regexProblem(a as string);
    if (problem) fail(key, problem);
    return a as string;
  });
  if (v.secretlint !== undefined && typeof v.secretlint !== 'boolean') fail('redaction.secretlint', 'must be true or false');
  return Object.freeze({
    patterns: Object.freeze(patterns),
    allow: Object.freeze(allow),
    secretlint: (v.secretlint as boolean | undefined) ?? d.secretlint,
  });
}

/** Validates a parsed config object; errors name `file` and the offending key. */
export function validateConfig(raw: unknown, file: string): Config {
  const fail = (key: string, problem: string): never => {
    throw new CodexlogError(messages.configInvalid(file, key, problem));
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('(top level)', 'must be an object');
  const obj = raw as Record<string, unknown>;
  const known = Object.keys(SECTIONS);
  for (const k of Object.keys(obj)) if (!known.includes(k) && k !== '$schema') fail(k, `is not a known key (known: ${known.join(', ')})`);
  const section = (name: string): Record<string, unknown> => {
    const v = obj[name];
    if (v === undefined) return {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(name, 'must be an object');
    const keys = SECTIONS[name];
    for (const k of Object.keys(v as object)) if (!keys.includes(k)) fail(`${name}.${k}`, `is not a known key (known: ${keys.join(', ')})`);
    return v as Record<string, unknown>;
  };
  const relPath = (key: string, v: unknown, dflt: string): string => {
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || v.trim() === '') fail(key, 'must be a non-empty string');
    if (path.isAbsolute(v as string)) fail(key, 'must be a path relative to the repository root');
    return v as string;
  };
  const bool = (key: string, v: unknown, dflt: boolean): boolean => {
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') fail(key, 'must be true or false');
    return v as boolean;
  };
  const int = (key: string, v: unknown, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(key, `must be a whole number of at least ${min}`);
    return v as number;
  };
  const paths = section('paths');
  const d = DEFAULT_CONFIG;
  const log = relPath('paths.log', paths.log, d.paths.log);
  const sessionLog = relPath('paths.sessionLog', paths.sessionLog, d.paths.sessionLog);
  const segments = relPath('paths.segments', paths.segments, d.paths.segments);
  if (path.normalize(log) === path.normalize(sessionLog)) fail('paths.sessionLog', 'must differ from paths.log');
  const lfs = section('lfs');
  const seal = section('segments');
  const agents = section('agents');
  const redaction = validateRedaction(section('redaction'), fail);
  return Object.freeze({
    paths: Object.freeze({ log, sessionLog, segments }),
    lfs: Object.freeze({ requireAllowAutoLfs: bool('lfs.requireAllowAutoLfs', lfs.requireAllowAutoLfs, d.lfs.requireAllowAutoLfs) }),
    segments: Object.freeze({ sealAboveBytes: int('segments.sealAboveBytes', seal.sealAboveBytes, d.segments.sealAboveBytes, 64 * 1024) }),
    agents: Object.freeze({ commitTrailer: bool('agents.commitTrailer', agents.commitTrailer, d.agents.commitTrailer) }),
    redaction,
  });
}

/** A loaded config and the file it came from (null for the defaults). */
export interface LoadedConfig {
  config: Config;
  file: string | null;
}

/** Loads and validates the config found in `root` (the repository root); defaults when none. */
export async function loadConfig(root: string): Promise<LoadedConfig> {
  // cosmiconfig costs ~10-15 ms to import, on every commit's pre-commit hook. The common case (the
  // first place found is well-formed JSON) is read directly, in cosmiconfig's own order and with
  // its package.json#codexlog rule; anything else (YAML, rc files, a parse error to report with
  // cosmiconfig's wording) goes through cosmiconfig.
  const quick = loadJsonConfig(root);
  if (quick) return quick;
  const { cosmiconfig } = await importPackage<typeof import('cosmiconfig')>('cosmiconfig');
  let result: Awaited<ReturnType<ReturnType<typeof cosmiconfig>['search']>>;
  try {
    // Inside the try: creating the explorer already parses package.json (cosmiconfig's meta config).
    const explorer = cosmiconfig('codexlog', {
      searchPlaces: CONFIG_FILES,
      // Look in the repository root only: a config above the repository is not the team's.
      searchStrategy: 'none',
      cache: false,
    });
    result = await explorer.search(root);
  } catch (e) {
    const named = /^\w+ Error in (.+):$/.exec((e as Error).message.split('\n')[0])?.[1];
    const file = (e as { filepath?: string }).filepath ?? named ?? guessFailingFile(root);
    throw new CodexlogError(messages.configUnreadable(file, parseProblem((e as Error).message)), { cause: e });
  }
  if (!result || result.isEmpty) return { config: DEFAULT_CONFIG, file: result?.filepath ?? null };
  return { config: validateConfig(result.config, result.filepath), file: result.filepath };
}

/** The config when the first search place that exists is valid JSON; null to ask cosmiconfig. */
function loadJsonConfig(root: string): LoadedConfig | null {
  for (const name of CONFIG_FILES) {
    const file = path.join(root, name);
    if (!existsSync(file)) continue;
    if (name !== 'package.json' && !name.endsWith('.json')) return null;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return null;
    }
    if (name === 'package.json') {
      const own = (data as Record<string, unknown> | null)?.codexlog;
      if (own === undefined) continue;
      if (own === null) return null;
      return { config: validateConfig(own, file), file };
    }
    if (data === null) return null;
    return { config: validateConfig(data, file), file };
  }
  return { config: DEFAULT_CONFIG, file: null };
}

// cosmiconfig's messages read "JSON Error in <file>:" then code frames (coloured when the terminal
// allows) around the parser's own sentence; keep that sentence (the file is named separately).
function parseProblem(message: string): string {
  const lines = message
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removes the ANSI colour codes cosmiconfig adds.
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim());
  return lines.find((l) => l !== '' && !/^(>|\d+ \||\|)/.test(l)) ?? message.split('\n')[0];
}

function guessFailingFile(root: string): string {
  const found = CONFIG_FILES.filter((f) => f !== 'package.json').find((f) => existsSync(path.join(root, f)));
  return path.join(root, found ?? 'package.json');
}

/** Everything a command needs to know, from the config and the environment, resolved once. */
export interface Settings {
  readonly workspace: string;
  /** Absolute paths of the two databases. */
  readonly logDb: string;
  readonly sessionDb: string;
  /** The same paths relative to the workspace, with forward slashes (for git and .gitattributes). */
  readonly logDbRel: string;
  readonly sessionDbRel: string;
  /** The folder of sealed segments (absolute, and relative to the workspace with forward slashes). */
  readonly segmentsDir: string;
  readonly segmentsDirRel: string;
  /** GH_COPILOT_BACKUP_ROOT, absolute; null when unset. */
  readonly backupRoot: string | null;
  /** Every environment rule (TEST_MODE, ALLOW_AUTOLFS, SESSION_ID_SOURCE, ...). */
  readonly env: EnvRules;
  readonly config: Config;
  readonly configFile: string | null;
}

/** The single place where environment variables and the config meet. */
export function resolveSettings(rules: EnvRules, workspace: string, loaded: LoadedConfig): Settings {
  const inside = (key: string, rel: string): string => {
    const abs = path.resolve(workspace, rel);
    if (!isInside(abs, workspace)) throw new CodexlogError(messages.dbOutsideWorkspace(key, rel, workspace));
    return abs;
  };
  const logDb = inside('paths.log', loaded.config.paths.log);
  const sessionDb = inside('paths.sessionLog', loaded.config.paths.sessionLog);
  const segmentsDir = inside('paths.segments', loaded.config.paths.segments);
  const toRel = (abs: string) => path.relative(workspace, abs).split(path.sep).join('/');
  return Object.freeze({
    workspace,
    logDb,
    sessionDb,
    logDbRel: toRel(logDb),
    sessionDbRel: toRel(sessionDb),
    segmentsDir,
    segmentsDirRel: toRel(segmentsDir),
    backupRoot: rules.backupRoot ? path.resolve(workspace, rules.backupRoot) : null,
    env: rules,
    config: loaded.config,
    configFile: loaded.file,
  });
}

/** Checks GH_COPILOT_WORKSPACE names an existing folder; returns it absolute. */
export function workspaceFromEnv(rules: EnvRules, cwd: string): string | null {
  const w = rules.workspace;
  if (!w) return null;
  const abs = path.resolve(cwd, w);
  let ok = false;
  try {
    ok = statSync(abs).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new CodexlogError(messages.envInvalid('GH_COPILOT_WORKSPACE', w, 'an existing folder (the repository root)'));
  return abs;
}

/** Whether `inner` is `outer` or inside it. */
export function isInside(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
