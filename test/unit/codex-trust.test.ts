// Whether Codex will run our hooks (src/agents/codex-trust.ts), read from the user's config.toml
// (codex itself is kept off the PATH here; the e2e tier asks the real `codex app-server`).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codexEntries, codexTrust, sameKey, snakeEvent } from '../../src/agents/codex-trust.ts';
import { AGENT_HOOK_TIMEOUT, agentHookCommand, applyAgentEntries, isOurCommand } from '../../src/install/agent-hooks.ts';
import { trailerLines } from '../../src/trailer.ts';
import { throwawayRepos } from '../helpers/repo.ts';

const repos = throwawayRepos(test);

test('snake_case event names as Codex writes them in trust keys', () => {
  assert.is(snakeEvent('SessionStart'), 'session_start');
  assert.is(snakeEvent('UserPromptSubmit'), 'user_prompt_submit');
  assert.is(snakeEvent('PostToolUse'), 'post_tool_use');
  assert.is(snakeEvent('Stop'), 'stop');
});

test('our entries and their trust keys (group and handler positions)', () => {
  const user = { hooks: [{ type: 'command', command: 'lint' }] };
  const data: Record<string, unknown> = { hooks: { PostToolUse: [user] } };
  applyAgentEntries(data, 'codex', true);
  const entries = codexEntries('/r/.codex/hooks.json', data, isOurCommand);
  assert.equal(
    entries.map((e) => e.key),
    [
      '/r/.codex/hooks.json:post_tool_use:1:0',
      '/r/.codex/hooks.json:session_start:0:0',
      '/r/.codex/hooks.json:user_prompt_submit:0:0',
      '/r/.codex/hooks.json:stop:0:0',
      '/r/.codex/hooks.json:session_end:0:0',
    ],
  );
  assert.ok(sameKey('/r/.codex/hooks.json:stop:0:0', '/r/.codex/hooks.json:stop:0:0'));
  assert.not.ok(sameKey('/r/.codex/hooks.json:stop:0:0', '/r/.codex/hooks.json:stop:0:1'));
  assert.not.ok(sameKey('/r/.codex/hooks.json:stop:0:0', '/s/.codex/hooks.json:stop:0:0'));
  assert.not.ok(sameKey('garbage', 'garbage'));
});

/** What codexTrust answers with `configText` as the user's config.toml (TOP: the repository), and where that config is. */
async function trustWith(configText: string | null) {
  const top = repos.dir();
  const home = repos.dir('codex-home-');
  if (configText !== null) writeFileSync(path.join(home, 'config.toml'), configText.replaceAll('TOP', top));
  const file = path.join(top, '.codex', 'hooks.json');
  mkdirSync(path.dirname(file));
  const data: Record<string, unknown> = {};
  applyAgentEntries(data, 'codex', true);
  const entries = codexEntries(file, data, isOurCommand);
  // No codex on this PATH: the config is the only source.
  const trust = await codexTrust(top, file, entries, { CODEX_HOME: home, PATH: '/nonexistent' });
  return { trust, config: path.join(home, 'config.toml') };
}

/** Where a `known` answer says the reviews were read. */
const reviewedIn = (config: string) => `reviewed in ${config}; whether a review matches the current command only Codex can tell`;

test('no config: cannot tell, and says why', async () => {
  const { trust, config } = await trustWith(null);
  assert.equal(trust, { state: 'unknown', why: `no Codex config at ${config}, and codex is not on the PATH` });
});

test('a config that is not TOML: cannot tell, naming it', async () => {
  const { trust, config } = await trustWith('[projects\nbroken = ');
  assert.equal(trust, {
    state: 'unknown',
    why: `${config} could not be read as TOML: Invalid TOML document: illegal character in key`,
  });
});

test('the project not trusted', async () => {
  const { trust, config } = await trustWith('[projects."/elsewhere"]\ntrust_level = "trusted"\n');
  assert.equal(trust, { state: 'project-untrusted', config });
});

test('trusted project, two hooks reviewed: the other three pending, by event', async () => {
  const { trust, config } = await trustWith(
    [
      '[projects."TOP"]',
      'trust_level = "trusted"',
      '[hooks.state."TOP/.codex/hooks.json:session_start:0:0"]',
      'trusted_hash = "sha256:abc"',
      '[hooks.state."TOP/.codex/hooks.json:stop:0:0"]',
      'trusted_hash = "sha256:def"',
      '[hooks.state."TOP/.codex/hooks.json:post_tool_use:3:0"]',
      'trusted_hash = "sha256:another-position"',
      '',
    ].join('\n'),
  );
  assert.equal(trust, { state: 'known', total: 5, pending: ['UserPromptSubmit', 'PostToolUse', 'SessionEnd'], where: reviewedIn(config) });
});

test('all reviewed (inline table form)', async () => {
  const events = ['session_start', 'user_prompt_submit', 'post_tool_use', 'stop', 'session_end'];
  const { trust, config } = await trustWith(
    `projects = { "TOP" = { trust_level = "trusted" } }\n[hooks.state]\n${events
      .map((e) => `"TOP/.codex/hooks.json:${e}:0:0" = { trusted_hash = "sha256:x" }`)
      .join('\n')}\n`,
  );
  assert.equal(trust, { state: 'known', total: 5, pending: [], where: reviewedIn(config) });
});

test('the command and timeout stay what the trust hashes were computed over', () => {
  // Changing either silently disables every reviewed hook in every clone: this test is the alarm.
  assert.is(AGENT_HOOK_TIMEOUT, 3);
  assert.is(
    agentHookCommand('claude'),
    'f="$(git rev-parse --git-common-dir 2>/dev/null)/codexlog/agent-hook"; [ -f "$f" ] && exec sh "$f" claude; exit 0',
  );
});

test('trailer lines: one per session, agent and model when known, no control characters', () => {
  assert.equal(
    trailerLines([
      { id: 's1', agent: 'codex', model: 'gpt-5.5', rows: 3 },
      { id: 's2', agent: 'claude', model: null, rows: 1 },
      { id: 's3', agent: null, model: null, rows: 1 },
      { id: 'evil\nSigned-off-by: x', agent: 'a\u001b[31m', model: null, rows: 1 },
    ]),
    [
      'Codexlog-Session: s1 (codex, gpt-5.5)',
      'Codexlog-Session: s2 (claude)',
      'Codexlog-Session: s3',
      'Codexlog-Session: evil Signed-off-by: x (a [31m)',
    ],
  );
});

test.run();
