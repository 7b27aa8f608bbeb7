// The agents' project hook files: .codex/hooks.json (Codex) and .claude/settings.json (Claude
// Code), committed so that teammates get them. Both have the same shape:
//   {"hooks": {"<Event>": [{"matcher"?: "...", "hooks": [{"type": "command", "command": "...", ...}]}]}}
// Ours are the handlers whose command names `/codexlog/agent-hook`; everything else in the files
// (the user's handlers, unknown keys, their order) is kept. Codex rejects a hooks.json with an
// unknown top-level key, so nothing is added at the top level but `hooks`.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { HOOK_EVENTS } from '../agents/payload.js';
import { AGENTS, type AgentName } from '../agents/types.js';
import { CodexlogError, UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { readText } from './files.js';

/**
 * The command of every entry: the same string in every version and every clone (Codex's trust
 * hash covers it: a change would silently disable the hook until the user reviews it again). It
 * works from any subdirectory, prints nothing and exits 0 on every path: outside a repository,
 * before install, after uninstall, with the package gone.
 */
export function agentHookCommand(agent: AgentName): string {
  return `f="$(git rev-parse --git-common-dir 2>/dev/null)/codexlog/agent-hook"; [ -f "$f" ] && exec sh "$f" ${agent}; exit 0`;
}

/** What marks a handler as ours (narrow: a user's own `codexlog-hooks …` hooks are theirs). */
const OURS = '/codexlog/agent-hook';

/** The timeout of our handlers, in seconds (Codex clamps SessionEnd to 3; the hook takes milliseconds). */
export const AGENT_HOOK_TIMEOUT = 3;

/** The file of each agent, relative to the repository's top level. */
export const AGENT_FILES: Record<AgentName, string> = { codex: '.codex/hooks.json', claude: '.claude/settings.json' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a handler's command is one of ours (of any version). */
export const isOurCommand = (command: string): boolean => command.includes(OURS);

const isOurs = (h: unknown): boolean => isObj(h) && typeof h.command === 'string' && isOurCommand(h.command);

/** Our handler for `agent`. */
function ourHandler(agent: AgentName): Obj {
  return { type: 'command', command: agentHookCommand(agent), timeout: AGENT_HOOK_TIMEOUT };
}

const sameHandler = (h: unknown, agent: AgentName): boolean =>
  isObj(h) &&
  h.command === agentHookCommand(agent) &&
  h.type === 'command' &&
  h.timeout === AGENT_HOOK_TIMEOUT &&
  Object.keys(h).length === 3;

/** A hooks file's parsed content, and how to write it back as it was formatted. */
export interface HooksFile {
  file: string;
  data: Obj;
  indent: string;
  exists: boolean;
}

/** Reads a hooks file; a file that is not a JSON object is an error naming it (and nothing is written). */
export function readHooksFile(file: string): HooksFile {
  const text = readText(file);
  if (text === null) return { file, data: {}, indent: '  ', exists: false };
  let data: unknown;
  try {
    data = text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    throw new CodexlogError(messages.agentFileUnreadable(file, (e as Error).message));
  }
  if (!isObj(data)) throw new CodexlogError(messages.agentFileUnreadable(file, 'the top level is not a JSON object'));
  if (data.hooks !== undefined && !isObj(data.hooks))
    throw new CodexlogError(messages.agentFileUnreadable(file, '"hooks" is not an object'));
  for (const [event, groups] of Object.entries((data.hooks as Obj | undefined) ?? {})) {
    if (!Array.isArray(groups)) throw new CodexlogError(messages.agentFileUnreadable(file, `"hooks.${event}" is not an array`));
  }
  const indent = /^\{\s*\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return { file, data, indent, exists: true };
}

/**
 * Where writing `file` must go: the file a symbolic link points to (settings kept in a dotfiles
 * repository stay linked), else the file itself. A link to nothing is an error naming it.
 */
function writeTarget(file: string): string {
  if (!isLink(file)) return file;
  try {
    return realpathSync(file);
  } catch {
    throw new CodexlogError(messages.agentFileDanglingLink(file));
  }
}

/** Writes the file atomically (a temp file renamed over it, or over the file a link points to), keeping its mode. */
export function writeHooksFile(f: HooksFile): void {
  mkdirSync(path.dirname(f.file), { recursive: true });
  const target = writeTarget(f.file);
  const tmp = `${target}.codexlog-${process.pid}.tmp`;
  let mode: number | undefined;
  try {
    mode = statSync(target).mode & 0o777;
  } catch {
    // a new file
  }
  try {
    writeFileSync(tmp, `${JSON.stringify(f.data, null, f.indent)}\n`, mode === undefined ? undefined : { mode });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Puts our entries for `agent` in `data` (want = true) or takes them out (false). Ours that are
 * already in place stay where they are (Codex's trust key holds the entry's position); stale
 * copies (another command, another event, a duplicate) go; groups and events left empty by that go.
 * Returns whether anything changed.
 */
export function applyAgentEntries(data: Obj, agent: AgentName, want: boolean): boolean {
  const events = want ? Object.keys(HOOK_EVENTS[agent]) : [];
  let changed = false;
  const hooks: Obj = isObj(data.hooks) ? data.hooks : {};
  for (const [event, value] of Object.entries(hooks)) {
    if (!Array.isArray(value)) continue;
    let kept = false;
    const groups: unknown[] = [];
    for (const g of value) {
      if (!isObj(g) || !Array.isArray(g.hooks) || !g.hooks.some(isOurs)) {
        groups.push(g);
        continue;
      }
      const handlers = g.hooks.filter((h) => {
        const keep = !isOurs(h) || (events.includes(event) && !kept && sameHandler(h, agent) && g.matcher === undefined);
        if (isOurs(h) && keep) kept = true;
        return keep;
      });
      if (handlers.length !== g.hooks.length) changed = true;
      if (handlers.length > 0) groups.push(handlers.length === g.hooks.length ? g : { ...g, hooks: handlers });
    }
    if (events.includes(event) && !kept) {
      groups.push({ hooks: [ourHandler(agent)] });
      changed = true;
    }
    if (groups.length > 0) hooks[event] = groups;
    else delete hooks[event];
  }
  for (const event of events) {
    if (hooks[event] === undefined) {
      hooks[event] = [{ hooks: [ourHandler(agent)] }];
      changed = true;
    }
  }
  if (Object.keys(hooks).length > 0) data.hooks = hooks;
  else if (data.hooks !== undefined) {
    delete data.hooks;
    changed = true;
  }
  return changed;
}

/** How far our entries are in a file: all of them, some (or stale ones), or none. */
export type AgentWiring = 'installed' | 'partial' | 'absent';

/** Whether the file has exactly our entries for `agent` (a copy with them applied would not change). */
export function agentWiring(data: Obj, agent: AgentName): AgentWiring {
  const copy = JSON.parse(JSON.stringify(data)) as Obj;
  if (!applyAgentEntries(copy, agent, true)) return 'installed';
  const again = JSON.parse(JSON.stringify(data)) as Obj;
  return applyAgentEntries(again, agent, false) ? 'partial' : 'absent';
}

/** The agents whose file in `top` has any of our entries. */
export function wiredAgents(top: string): AgentName[] {
  return AGENTS.filter((a) => {
    try {
      return agentWiring(readHooksFile(path.join(top, AGENT_FILES[a])).data, a) !== 'absent';
    } catch {
      return false;
    }
  });
}

/**
 * Wires `agents` and unwires the others (none when `agents` is empty); returns a line per file changed.
 * A file left with nothing in it (only our entries were there) is removed, with its folder if empty.
 */
export function setAgentHooks(top: string, agents: readonly AgentName[]): string[] {
  const changes: string[] = [];
  for (const agent of AGENTS) {
    const rel = AGENT_FILES[agent];
    const want = agents.includes(agent);
    const f = readHooksFile(path.join(top, rel));
    if (!f.exists && !want) continue;
    if (!applyAgentEntries(f.data, agent, want)) continue;
    // A link (to a dotfiles repository, say) stays: the file it points to is written instead.
    if (!want && Object.keys(f.data).length === 0 && !isLink(f.file)) {
      rmSync(f.file, { force: true });
      removeDirIfEmpty(path.dirname(f.file));
      changes.push(`${rel}: removed (it held only codexlog-hooks' entries)`);
      continue;
    }
    writeHooksFile(f);
    changes.push(
      want ? `${rel}: ${agent} hooks (${Object.keys(HOOK_EVENTS[agent]).join(', ')})` : `${rel}: codexlog-hooks' entries removed`,
    );
  }
  return changes;
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function removeDirIfEmpty(dir: string): void {
  try {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // not empty or not ours to remove
  }
}

/** Parses `--agents`: a comma-separated list of agent names, or `none`. */
export function parseAgentsFlag(value: string): AgentName[] {
  const words = value
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  if (words.length === 1 && words[0] === 'none') return [];
  const bad = words.filter((w) => !(AGENTS as readonly string[]).includes(w));
  if (bad.length > 0 || words.length === 0) throw new UsageError(messages.agentsFlagInvalid(value, [...AGENTS]));
  return [...new Set(words)] as AgentName[];
}
