// The agents' hook files (src/install/agent-hooks.ts): our entries added and removed, the user's
// entries and unknown keys kept, no duplicate, stale copies dropped, positions kept.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HOOK_EVENTS } from '../../src/agents/payload.ts';
import { CodexlogError, UsageError } from '../../src/errors.ts';
import {
  AGENT_HOOK_TIMEOUT,
  agentHookCommand,
  agentWiring,
  applyAgentEntries,
  parseAgentsFlag,
  readHooksFile,
  setAgentHooks,
  writeHooksFile,
} from '../../src/install/agent-hooks.ts';
import { messages } from '../../src/messages.ts';
import { thrown } from '../helpers/expect.ts';
import { throwawayRepos } from '../helpers/repo.ts';

const repos = throwawayRepos(test);
const ours = (agent: 'codex' | 'claude') => ({ type: 'command', command: agentHookCommand(agent), timeout: AGENT_HOOK_TIMEOUT });
const userGroup = { matcher: '^Bash$', hooks: [{ type: 'command', command: 'my-linter --check', timeout: 30 }] };

test('the command is one stable string per agent (Codex trust covers it)', () => {
  assert.is(
    agentHookCommand('codex'),
    'f="$(git rev-parse --git-common-dir 2>/dev/null)/codexlog/agent-hook"; [ -f "$f" ] && exec sh "$f" codex; exit 0',
  );
  assert.is(agentHookCommand('claude'), agentHookCommand('codex').replace(' codex;', ' claude;'));
});

test('into an empty file: exactly our events, nothing at the top level but hooks', () => {
  const data: Record<string, unknown> = {};
  assert.ok(applyAgentEntries(data, 'codex', true));
  assert.equal(Object.keys(data), ['hooks']);
  assert.equal(data.hooks, Object.fromEntries(Object.keys(HOOK_EVENTS.codex).map((e) => [e, [{ hooks: [ours('codex')] }]])));
  assert.not.ok(applyAgentEntries(data, 'codex', true), 'a second run changes nothing');
  assert.is(agentWiring(data, 'codex'), 'installed');
  assert.is(agentWiring({}, 'claude'), 'absent');
  // In another agent's file our entries are stale copies.
  assert.is(agentWiring(structuredClone(data), 'claude'), 'partial');
});

test("the user's entries, their order and unknown keys stay; ours is appended after them", () => {
  const data: Record<string, unknown> = {
    $schema: 'x',
    disableAllHooks: false,
    permissions: { allow: ['Bash(ls)'] },
    hooks: { PostToolUse: [userGroup], Notification: [{ hooks: [{ type: 'command', command: 'notify-send hi' }] }] },
  };
  const before = structuredClone(data);
  assert.ok(applyAgentEntries(data, 'claude', true));
  const hooks = data.hooks as Record<string, unknown[]>;
  assert.equal(hooks.PostToolUse, [userGroup, { hooks: [ours('claude')] }]);
  assert.equal(hooks.Notification, (before.hooks as Record<string, unknown>).Notification);
  assert.equal(data.permissions, before.permissions);
  assert.is(data.$schema, 'x');
  // Uninstall takes exactly ours out: the file is as it was.
  assert.ok(applyAgentEntries(data, 'claude', false));
  assert.equal(data, before);
});

test('ours already in place keeps its position (its Codex trust key)', () => {
  const data = { hooks: { Stop: [{ hooks: [ours('codex')] }, userGroup] } };
  applyAgentEntries(data, 'codex', true);
  assert.equal(data.hooks.Stop, [{ hooks: [ours('codex')] }, userGroup]);
});

test('stale copies go: duplicates, another command, another timeout, events we no longer use, a handler beside a user one', () => {
  const old = { type: 'command', command: 'sh "$(git rev-parse --git-common-dir)/codexlog/agent-hook" codex', timeout: 10 };
  const data = {
    hooks: {
      SessionStart: [{ hooks: [ours('codex')] }, { hooks: [ours('codex')] }],
      PostToolUse: [{ hooks: [old] }, { matcher: '*', hooks: [userGroup.hooks[0], ours('codex')] }],
      PreToolUse: [{ hooks: [ours('codex')] }],
      Stop: [{ hooks: [{ ...ours('codex'), timeout: 60 }] }],
    },
  };
  assert.is(agentWiring(data, 'codex'), 'partial');
  applyAgentEntries(data, 'codex', true);
  const h = data.hooks as Record<string, unknown[]>;
  assert.equal(h.SessionStart, [{ hooks: [ours('codex')] }]);
  assert.equal(h.PostToolUse, [{ matcher: '*', hooks: [userGroup.hooks[0]] }, { hooks: [ours('codex')] }]);
  assert.is(h.PreToolUse, undefined);
  assert.equal(h.Stop, [{ hooks: [ours('codex')] }]);
  assert.is(agentWiring(data, 'codex'), 'installed');
});

test("a user's own codexlog-hooks command is theirs", () => {
  const mine = { type: 'command', command: 'npx codexlog-hooks record --action note' };
  const data = { hooks: { Stop: [{ hooks: [mine] }] } };
  applyAgentEntries(data, 'codex', true);
  applyAgentEntries(data, 'codex', false);
  assert.equal(data, { hooks: { Stop: [{ hooks: [mine] }] } });
});

test('removing ours from a file that held only ours leaves an empty object', () => {
  const data: Record<string, unknown> = {};
  applyAgentEntries(data, 'claude', true);
  applyAgentEntries(data, 'claude', false);
  assert.equal(data, {});
});

test('files: atomic write keeping indentation and mode; unreadable files are refused and left alone', () => {
  const dir = repos.dir();
  const file = path.join(dir, '.claude', 'settings.json');
  mkdirSync(path.dirname(file));
  writeFileSync(file, '{\n\t"model": "opus"\n}\n', { mode: 0o640 });
  const f = readHooksFile(file);
  applyAgentEntries(f.data, 'claude', true);
  writeHooksFile(f);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('{\n\t"model": "opus",\n\t"hooks": {'), text.slice(0, 60));
  assert.is(statSync(file).mode & 0o777, 0o640);
  for (const [bad, why] of [
    ['{"hooks": [', 'JSON'],
    ['[1,2]', 'the top level is not a JSON object'],
    ['{"hooks": 3}', '"hooks" is not an object'],
    ['{"hooks": {"Stop": {}}}', '"hooks.Stop" is not an array'],
  ]) {
    writeFileSync(file, bad);
    const e = thrown(() => readHooksFile(file), CodexlogError);
    assert.ok(e.message.includes(file) && e.message.includes(why), e.message);
    assert.is(readFileSync(file, 'utf8'), bad);
  }
});

test('a hooks file that is a symbolic link: the file it points to is written, the link stays; a link to nothing is refused', () => {
  const dir = repos.dir();
  const dotfiles = path.join(dir, 'dotfiles');
  mkdirSync(dotfiles);
  mkdirSync(path.join(dir, 'repo', '.claude'), { recursive: true });
  const target = path.join(dotfiles, 'claude-settings.json');
  writeFileSync(target, '{\n  "model": "opus"\n}\n');
  const link = path.join(dir, 'repo', '.claude', 'settings.json');
  symlinkSync('../../dotfiles/claude-settings.json', link);
  setAgentHooks(path.join(dir, 'repo'), ['claude']);
  assert.ok(lstatSync(link).isSymbolicLink(), 'still a link');
  const wired = JSON.parse(readFileSync(target, 'utf8'));
  assert.is(wired.model, 'opus');
  assert.equal(Object.keys(wired.hooks).sort(), Object.keys(HOOK_EVENTS.claude).sort());
  assert.equal(readdirSync(dotfiles), ['claude-settings.json'], 'no temp file left');
  setAgentHooks(path.join(dir, 'repo'), []);
  assert.ok(lstatSync(link).isSymbolicLink(), 'unwiring keeps the link');
  assert.equal(JSON.parse(readFileSync(target, 'utf8')), { model: 'opus' });
  // Only ours in it: the link and the file it points to stay, emptied of ours.
  writeFileSync(target, '{}\n');
  setAgentHooks(path.join(dir, 'repo'), ['claude']);
  setAgentHooks(path.join(dir, 'repo'), []);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(JSON.parse(readFileSync(target, 'utf8')), {});
  rmSync(target);
  const e = thrown(() => setAgentHooks(path.join(dir, 'repo'), ['claude']), CodexlogError);
  assert.is(e.message, messages.agentFileDanglingLink(link));
  assert.not.ok(existsSync(target), 'nothing created where the link points');
});

test('setAgentHooks: wires the chosen agents, unwires the others, removes a file that held only ours', () => {
  const top = repos.dir();
  assert.equal(setAgentHooks(top, ['codex', 'claude']).length, 2);
  assert.equal(setAgentHooks(top, ['codex', 'claude']), []);
  const changes = setAgentHooks(top, ['codex']);
  assert.equal(changes, [".claude/settings.json: removed (it held only codexlog-hooks' entries)"]);
  assert.not.ok(statSafe(path.join(top, '.claude')), 'the folder it created is gone');
  writeFileSync(path.join(top, '.codex', 'hooks.json'), JSON.stringify({ hooks: { Stop: [userGroup] } }));
  setAgentHooks(top, ['codex']);
  setAgentHooks(top, []);
  assert.equal(JSON.parse(readFileSync(path.join(top, '.codex', 'hooks.json'), 'utf8')), { hooks: { Stop: [userGroup] } });
});

function statSafe(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

test('--agents', () => {
  assert.equal(parseAgentsFlag('codex,claude'), ['codex', 'claude']);
  assert.equal(parseAgentsFlag(' Claude , claude '), ['claude']);
  assert.equal(parseAgentsFlag('none'), []);
  for (const bad of ['', 'gemini', 'codex,gemini', 'none,codex', ',']) {
    const e = thrown(() => parseAgentsFlag(bad), UsageError);
    assert.ok(e.message.includes('codex, claude'), e.message);
  }
});

test.run();
