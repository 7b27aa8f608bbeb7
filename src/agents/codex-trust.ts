// Whether Codex will run our hooks in this clone. Codex runs a project's hooks only when the
// project is trusted (`[projects."<path>"] trust_level = "trusted"` in the user's config) and each
// hook was reviewed in /hooks (`[hooks.state."<hooks.json>:<event>:<group>:<handler>"]
// trusted_hash`), and skips the others without a word. We never write those entries (upstream
// does not support it); we only read them:
//  1. `codex app-server` (hooks/list), when codex is on the PATH: Codex's own answer, per hook;
//  2. else the user's config.toml: the project's trust, and which of our entries were reviewed
//     (their hash cannot be checked without Codex);
//  3. else: cannot tell.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { isObject } from './payload.js';

/** Our entries in a hooks.json: their trust keys (the key Codex records a review under). */
export interface CodexEntry {
  key: string;
  event: string;
}

/** What can be told about the trust of our entries. */
export type CodexTrust =
  | { state: 'unknown'; why: string }
  | { state: 'project-untrusted'; config: string }
  | { state: 'rejected'; warnings: string[] }
  | { state: 'known'; total: number; pending: string[]; where: string };

/** Codex's name of an event in trust keys: SessionStart → session_start. */
export const snakeEvent = (event: string): string => event.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The trust keys of the handlers for which `isOurs` holds, in a parsed hooks.json at `file` (absolute). */
export function codexEntries(file: string, data: Record<string, unknown>, isOurs: (command: string) => boolean): CodexEntry[] {
  const out: CodexEntry[] = [];
  const hooks = isObject(data.hooks) ? data.hooks : {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((g, gi) => {
      if (!isObject(g) || !Array.isArray(g.hooks)) return;
      g.hooks.forEach((h, hi) => {
        if (isObject(h) && typeof h.command === 'string' && isOurs(h.command))
          out.push({ key: `${file}:${snakeEvent(event)}:${gi}:${hi}`, event });
      });
    });
  }
  return out;
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Whether two trust keys name the same handler (the paths compared with symbolic links resolved). */
export function sameKey(a: string, b: string): boolean {
  const split = (k: string) => {
    const m = /^(.*):([a-z_]+:\d+:\d+)$/.exec(k);
    return m ? { file: m[1], rest: m[2] } : null;
  };
  const x = split(a);
  const y = split(b);
  return !!x && !!y && x.rest === y.rest && (x.file === y.file || real(x.file) === real(y.file));
}

/** Where the user's Codex config is. */
export function codexConfigFile(env: NodeJS.ProcessEnv): string {
  return path.join(env.CODEX_HOME || path.join(env.HOME || homedir(), '.codex'), 'config.toml');
}

/** The first `codex` on PATH, or null. */
export function findCodex(env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, 'codex');
    if (existsSync(f)) return f;
  }
  return null;
}

interface ListedHook {
  key?: unknown;
  command?: unknown;
  sourcePath?: unknown;
  trustStatus?: unknown;
}

/** Asks `codex app-server` for the hooks of `cwd` (JSON-RPC over stdio); null when it does not answer in time. */
export function codexHooksList(
  codex: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 15_000,
): Promise<{ hooks: ListedHook[]; warnings: string[] } | null> {
  return new Promise((resolve) => {
    let done = false;
    const p = spawn(codex, ['app-server'], { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
    const finish = (v: { hooks: ListedHook[]; warnings: string[] } | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      p.kill();
      resolve(v);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const send = (o: unknown) => p.stdin.write(`${JSON.stringify(o)}\n`);
    p.on('error', () => finish(null));
    p.on('exit', () => finish(null));
    p.stdin.on('error', () => finish(null));
    let buf = '';
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let m: Record<string, unknown>;
        try {
          m = JSON.parse(line);
        } catch {
          continue;
        }
        if (m.id === 1) {
          send({ method: 'initialized' });
          send({ id: 2, method: 'hooks/list', params: { cwds: [cwd] } });
        } else if (m.id === 2) {
          const data = isObject(m.result) && Array.isArray(m.result.data) ? m.result.data : [];
          const entry = data.find(isObject) ?? {};
          finish({
            hooks: Array.isArray(entry.hooks) ? (entry.hooks as ListedHook[]) : [],
            warnings: Array.isArray(entry.warnings) ? entry.warnings.map(String) : [],
          });
        }
      }
    });
    send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'codexlog-hooks', title: null, version: '0' } } });
  });
}

/** What Codex's own hooks/list says about our entries in `file`. */
async function trustFromAppServer(
  codex: string,
  top: string,
  file: string,
  ours: CodexEntry[],
  env: NodeJS.ProcessEnv,
): Promise<CodexTrust | null> {
  const listed = await codexHooksList(codex, top, env);
  if (!listed) return null;
  const mine = listed.hooks.filter((h) => typeof h.key === 'string' && ours.some((o) => sameKey(o.key, h.key as string)));
  const aboutFile = listed.warnings.filter((w) => w.includes(file));
  if (mine.length === 0 && aboutFile.length > 0) return { state: 'rejected', warnings: aboutFile };
  // An untrusted project lists no hook at all, and says nothing.
  if (mine.length === 0) return { state: 'project-untrusted', config: 'codex app-server' };
  const pending = ours.filter((o) => !mine.some((h) => sameKey(o.key, h.key as string) && h.trustStatus === 'trusted')).map((o) => o.event);
  return { state: 'known', total: ours.length, pending, where: 'as codex app-server reports' };
}

/** What the user's config.toml says about the project and our entries. */
async function trustFromConfig(top: string, ours: CodexEntry[], env: NodeJS.ProcessEnv): Promise<CodexTrust> {
  const file = codexConfigFile(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { state: 'unknown', why: `no Codex config at ${file}, and codex is not on the PATH` };
  }
  let config: Record<string, unknown>;
  try {
    // smol-toml: a complete TOML 1.0 parser (inline tables, quoted keys, escapes) without dependencies.
    const { parse } = await import('smol-toml');
    config = parse(text) as Record<string, unknown>;
  } catch (e) {
    return { state: 'unknown', why: `${file} could not be read as TOML: ${(e as Error).message.split('\n')[0]}` };
  }
  const projects = isObject(config.projects) ? config.projects : {};
  const trusted = [top, real(top)].some((p) => {
    const entry = projects[p];
    return isObject(entry) && entry.trust_level === 'trusted';
  });
  if (!trusted) return { state: 'project-untrusted', config: file };
  const state = isObject(config.hooks) && isObject(config.hooks.state) ? config.hooks.state : {};
  const reviewed = Object.entries(state)
    .filter(([, s]) => isObject(s) && typeof s.trusted_hash === 'string')
    .map(([k]) => k);
  const pending = ours.filter((o) => !reviewed.some((k) => sameKey(o.key, k))).map((o) => o.event);
  return {
    state: 'known',
    total: ours.length,
    pending,
    where: `reviewed in ${file}; whether a review matches the current command only Codex can tell`,
  };
}

/** Whether Codex will run our entries (`ours`, from codexEntries) of the hooks.json at `file` in the project `top`. */
export async function codexTrust(top: string, file: string, ours: CodexEntry[], env: NodeJS.ProcessEnv): Promise<CodexTrust> {
  const codex = findCodex(env);
  if (codex) {
    const fromCodex = await trustFromAppServer(codex, top, file, ours, env);
    if (fromCodex) return fromCodex;
  }
  return trustFromConfig(top, ours, env);
}
