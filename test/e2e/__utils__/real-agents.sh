# Vendored from the team's shared tools (shared/real-agents.sh) so that CI, which has only this
# repository, runs the real agents too. Keep it a verbatim copy below this header.
# real-agents.sh: run the REAL Codex CLI and the REAL Claude Code CLI for one short, scripted,
# non-interactive session in a repo, offline, against a fake model server on 127.0.0.1, so that the
# repo's own project-level hooks (.codex/hooks.json, .claude/settings.json) fire as they do for users.
#
# Use from a test script (bash):
#   . ../shared/real-agents.sh "$CACHE_DIR"   # installs both CLIs into CACHE_DIR once (about 22 s, 810 MB)
#   real_agents_ready || { echo "SKIP: the real agents cannot be installed here"; exit 0; }   # optional guard
#   codex_session  "$REPO" TAG1; rc=$?     # the CLI's exit code (124 = timed out)
#   claude_session "$REPO" TAG2; rc=$?
# Or run it:  bash real-agents.sh CACHE_DIR codex|claude REPO TAG
#             bash real-agents.sh CACHE_DIR selftest      (throwaway repos with logging hooks; prints payloads)
#
# One session = three model turns, answered by the fake server:
#   1. one shell tool call:  echo TAG > agent-out.txt          (Codex: exec_command; Claude: Bash)
#   2. one file edit: creates agent-edit.txt containing "edited by TAG" (Codex: apply_patch "Add File";
#      Claude: Write). REAL_AGENTS_EDIT=update edits agent-out.txt instead (Codex: apply_patch "Update
#      File"; Claude: Read then Edit); REAL_AGENTS_EDIT=none skips the edit.
#   3. a final assistant message "Done TAG."
# The prompt the agent receives (UserPromptSubmit) is "real-agents scripted session TAG".
#
# What the functions write: nothing in REPO except what the agent itself does (agent-out.txt,
# agent-edit.txt). They never write hook configuration; the hooks are whatever REPO holds. Codex gets
# a private CODEX_HOME (provider + project trust only), Claude a private CLAUDE_CONFIG_DIR, both a
# private TMPDIR, all in a run folder: $REAL_AGENTS_CACHE/runs/<agent>-<TAG>-XXXXXX, kept afterwards
# (transcripts, CLI output, server log) and named in $REAL_AGENTS_LAST_RUN. HOME is the caller's (git
# config and LFS filters in it stay visible to hooks) unless REAL_AGENTS_ISOLATE_HOME=1.
#
# Knobs (environment): REAL_AGENTS_CODEX_VERSION (0.171.0), REAL_AGENTS_CLAUDE_VERSION (2.1.332),
# REAL_AGENTS_TIMEOUT (120 s per CLI run), REAL_AGENTS_EDIT (create|update|none),
# REAL_AGENTS_NETNS (auto|1|0: run server + CLI in a private network namespace with only loopback,
# via `unshare -rn`, when it works here), REAL_AGENTS_CODEX_HOOK_TRUST (bypass|review|none: bypass
# passes --dangerously-bypass-hook-trust; review first asks `codex app-server` (hooks/list) for each
# hook's key and current hash and records them as [hooks.state."<key>"] trusted_hash in the private
# config, as a user's review in /hooks does, then runs without the flag; none trusts nothing, and
# Codex then skips the project's hooks silently),
# REAL_AGENTS_CODEX_CONFIG_EXTRA (TOML appended to the private config.toml, e.g. [hooks.state] keys;
# do not repeat the [features]/[analytics]/[projects.*] tables), REAL_AGENTS_SHELL_CMD (the shell
# command of turn 1 instead of `echo TAG > agent-out.txt`, e.g. `exit 3` to see a failed command),
# REAL_AGENTS_VERBOSE=1 (print CLI output).
# Requires: bash, node, npm (first install only), timeout. Every CLI run is under `timeout`.

REAL_AGENTS_CACHE=${1:-${REAL_AGENTS_CACHE:-${TMPDIR:-/tmp}/real-agents-cache}}
case "$REAL_AGENTS_CACHE" in /*) ;; *) REAL_AGENTS_CACHE=$(pwd)/$REAL_AGENTS_CACHE ;; esac
REAL_AGENTS_CODEX_VERSION=${REAL_AGENTS_CODEX_VERSION:-0.171.0}
REAL_AGENTS_CLAUDE_VERSION=${REAL_AGENTS_CLAUDE_VERSION:-2.1.332}
REAL_AGENTS_LAST_RUN=
_ra_npm=$REAL_AGENTS_CACHE/npm-codex$REAL_AGENTS_CODEX_VERSION-claude$REAL_AGENTS_CLAUDE_VERSION
_ra_log() { echo "real-agents: $*" >&2; }

# real_agents_install: install both CLIs into the cache (once; safe to call concurrently). 0 = ready.
real_agents_install() {
  local d=$_ra_npm rc=0
  [ -f "$d/.ready" ] && return 0
  mkdir -p "$d" || return 1
  (
    if command -v flock >/dev/null 2>&1; then exec 9>"$d.lock"; flock -w 900 9 || exit 1; fi
    [ -f "$d/.ready" ] && exit 0
    cd "$d" || exit 1
    [ -f package.json ] || printf '{ "name": "real-agents-cache", "private": true }\n' > package.json
    timeout 900 npm install --no-audit --no-fund --loglevel=error \
      "@openai/codex@$REAL_AGENTS_CODEX_VERSION" "@anthropic-ai/claude-code@$REAL_AGENTS_CLAUDE_VERSION" > install.log 2>&1 \
      || { _ra_log "npm install failed (see $d/install.log)"; exit 1; }
    # Claude's postinstall copies the native binary over bin/claude.exe; if it did not run, use the platform package's binary.
    local c=$d/node_modules/.bin/claude
    if ! timeout 60 "$c" --version >/dev/null 2>&1; then
      c=$(ls -d "$d"/node_modules/@anthropic-ai/claude-code-*/claude 2>/dev/null | head -n 1)
      [ -n "$c" ] && timeout 60 "$c" --version >/dev/null 2>&1 || { _ra_log "the claude binary does not run (see $d/install.log)"; exit 1; }
    fi
    echo "$c" > claude.path
    timeout 60 "$d/node_modules/.bin/codex" --version >/dev/null 2>&1 || { _ra_log "the codex binary does not run"; exit 1; }
    touch .ready
  ) || rc=1
  return $rc
}
real_agents_ready() { real_agents_install; }

# The fake model server (Node, no dependencies). argv: PORTFILE LOGFILE TAG REPO EDIT
_ra_server_js() {
  cat <<'JS'
'use strict';
const http = require('http'); const fs = require('fs');
const [portFile, logFile, TAG, REPO, EDIT] = process.argv.slice(2);
const log = (o) => fs.appendFileSync(logFile, JSON.stringify({ t: new Date().toISOString(), ...o }) + '\n');
let seq = 0; const id = (p) => `${p}_${process.pid.toString(36)}${Date.now().toString(36)}${(++seq).toString(36)}`;
const sse = (res, events) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  res.end();
};
const json = (res, code, o) => { res.writeHead(code, { 'content-type': 'application/json' }); res.end(JSON.stringify(o)); };
const SHELL = process.env.REAL_AGENTS_SHELL_CMD || `echo ${TAG} > agent-out.txt`;

// OpenAI Responses API (Codex). Step = tool outputs since the last user message.
function responses(body, res) {
  const input = Array.isArray(body.input) ? body.input : [];
  let u = -1; input.forEach((it, i) => { if (it && it.type === 'message' && it.role === 'user') u = i; });
  const step = input.slice(u + 1).filter((it) => it && /_call_output$/.test(it.type || '')).length;
  const tools = (body.tools || []).map((t) => ({ type: t.type, name: t.name || (t.function && t.function.name) }));
  const has = (n) => tools.find((t) => t.name === n);
  const plan = [];
  if (has('exec_command')) plan.push({ type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: SHELL }) });
  else if (has('shell_command')) plan.push({ type: 'function_call', name: 'shell_command', arguments: JSON.stringify({ command: SHELL }) });
  else if (has('shell')) plan.push({ type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', SHELL] }) });
  const ap = has('apply_patch');
  if (ap && EDIT !== 'none') {
    const patch = EDIT === 'update'
      ? `*** Begin Patch\n*** Update File: agent-out.txt\n@@\n-${TAG}\n+${TAG}\n+edited by ${TAG}\n*** End Patch\n`
      : `*** Begin Patch\n*** Add File: agent-edit.txt\n+edited by ${TAG}\n*** End Patch\n`;
    plan.push(ap.type === 'custom' ? { type: 'custom_tool_call', name: 'apply_patch', input: patch }
      : { type: 'function_call', name: 'apply_patch', arguments: JSON.stringify({ input: patch }) });
  }
  const item = tools.length && step < plan.length ? { ...plan[step], id: id('fc'), call_id: id('call'), status: 'completed' }
    : { type: 'message', role: 'assistant', id: id('msg'), status: 'completed', content: [{ type: 'output_text', text: `Done ${TAG}.`, annotations: [] }] };
  log({ api: 'responses', step, tools: tools.map((t) => t.name || t.type), reply: `${item.type}:${item.name || ''}` });
  const rid = id('resp');
  const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 };
  const done = { id: rid, object: 'response', status: 'completed', model: body.model, output: [item], usage };
  if (body.stream === false) return json(res, 200, done);
  const ev = [{ type: 'response.created', response: { ...done, status: 'in_progress', output: [] } },
    { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress' } }];
  if (item.type === 'message') ev.push({ type: 'response.output_text.delta', output_index: 0, content_index: 0, item_id: item.id, delta: item.content[0].text });
  ev.push({ type: 'response.output_item.done', output_index: 0, item }, { type: 'response.completed', response: done });
  sse(res, ev);
}

// Anthropic Messages API (Claude Code). Step = tool results in the trailing user turns.
function messages(body, res) {
  const msgs = body.messages || []; const tools = (body.tools || []).map((t) => t.name);
  let step = 0;
  for (let i = msgs.length - 1; i >= 0; i--) {
    if (msgs[i].role !== 'user') continue;
    const n = (Array.isArray(msgs[i].content) ? msgs[i].content : []).filter((b) => b.type === 'tool_result').length;
    if (!n) break; step += n;
  }
  const main = tools.includes('Bash'); const f = (n) => `${REPO}/${n}`;
  const plan = [{ name: 'Bash', input: { command: SHELL, description: 'Write the tag to agent-out.txt' } }];
  if (EDIT === 'update') plan.push({ name: 'Read', input: { file_path: f('agent-out.txt') } },
    { name: 'Edit', input: { file_path: f('agent-out.txt'), old_string: `${TAG}\n`, new_string: `${TAG}\nedited by ${TAG}\n`, replace_all: false } });
  else if (EDIT !== 'none') plan.push({ name: 'Write', input: { file_path: f('agent-edit.txt'), content: `edited by ${TAG}\n` } });
  const p = main && step < plan.length && tools.includes(plan[step].name) ? plan[step] : null;
  const block = p ? { type: 'tool_use', id: id('toolu'), name: p.name, input: p.input } : { type: 'text', text: main ? `Done ${TAG}.` : 'OK' };
  const stop = p ? 'tool_use' : 'end_turn';
  log({ api: 'messages', model: body.model, main, step, reply: `${block.type}:${block.name || ''}` });
  const mid = id('msg'); const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  if (!body.stream) return json(res, 200, { id: mid, type: 'message', role: 'assistant', model: body.model, content: [block], stop_reason: stop, stop_sequence: null, usage });
  sse(res, [
    { type: 'message_start', message: { id: mid, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: p ? { type: 'tool_use', id: block.id, name: block.name, input: {} } : { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: p ? { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } : { type: 'text_delta', text: block.text } },
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } },
    { type: 'message_stop' }]);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (d) => chunks.push(d));
  req.on('end', () => {
    const path = req.url.split('?')[0]; let body = {};
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'); } catch { /* not JSON */ }
    log({ method: req.method, url: req.url, ua: req.headers['user-agent'] || '' });
    try {
      if (req.method === 'POST' && /\/responses$/.test(path)) return responses(body, res);
      if (req.method === 'POST' && /\/messages\/count_tokens$/.test(path)) return json(res, 200, { input_tokens: 10 });
      if (req.method === 'POST' && /\/messages$/.test(path)) return messages(body, res);
      if (req.method === 'GET' && /\/models$/.test(path)) return json(res, 200, { object: 'list', data: [], models: [] });
    } catch (e) { log({ error: String((e && e.stack) || e) }); return json(res, 500, { error: { type: 'api_error', message: 'fake server error' } }); }
    json(res, 404, { error: { type: 'not_found_error', message: `fake server: no handler for ${req.method} ${path}` } });
  });
});
server.listen(0, '127.0.0.1', () => { fs.writeFileSync(portFile + '.tmp', String(server.address().port)); fs.renameSync(portFile + '.tmp', portFile); });
process.on('SIGTERM', () => process.exit(0));
JS
}

# Codex hook review (REAL_AGENTS_CODEX_HOOK_TRUST=review): list REPO's hooks through `codex app-server`
# and print [hooks.state."<key>"] trusted_hash = "<currentHash>" for each untrusted, unmanaged one.
# argv: CODEX_BIN REPO
_ra_trust_js() {
  cat <<'JS'
'use strict';
const { spawn } = require('child_process');
const [bin, repo] = process.argv.slice(2);
const p = spawn(bin, ['app-server'], { stdio: ['pipe', 'pipe', 'ignore'] });
const send = (o) => p.stdin.write(JSON.stringify(o) + '\n');
const done = (code, msg) => { if (msg) process.stderr.write(msg + '\n'); p.kill(); process.exit(code); };
let buf = '';
p.stdout.on('data', (d) => {
  buf += d; let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    let m; const line = buf.slice(0, i); buf = buf.slice(i + 1);
    try { m = JSON.parse(line); } catch { continue; }
    if (m.id === 1) { send({ method: 'initialized' }); send({ id: 2, method: 'hooks/list', params: { cwds: [repo] } }); }
    if (m.id !== 2) continue;
    if (!m.result) done(1, 'hooks/list failed: ' + JSON.stringify(m.error));
    let out = '';
    for (const d of m.result.data || []) {
      for (const e of d.errors || []) process.stderr.write(`hooks/list: ${e.path}: ${e.message}\n`);
      for (const h of d.hooks || []) if (!h.isManaged && h.trustStatus !== 'trusted') out += `[hooks.state.${JSON.stringify(h.key)}]\ntrusted_hash = ${JSON.stringify(h.currentHash)}\n\n`;
    }
    process.stdout.write(out); done(0);
  }
});
p.on('exit', () => done(1, 'codex app-server exited early'));
send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'real-agents', title: null, version: '0' } } });
setTimeout(() => done(1, 'codex app-server: no answer in 30 s'), 30000);
JS
}

# The runner: starts the server, writes the agent's config, runs the CLI under timeout, stops the server.
# argv: AGENT RUN REPO TAG; everything else comes through the environment.
_ra_runner_sh() {
  cat <<'SH'
set -u
AGENT=$1 RUN=$2 REPO=$3 TAG=$4
if [ "${_RA_NETNS:-0}" = 1 ]; then ip link set lo up 2>/dev/null || { echo "real-agents: cannot bring up lo in the namespace" >&2; exit 125; }; fi
node "$RUN/server.js" "$RUN/port" "$RUN/server.log" "$TAG" "$REPO" "${REAL_AGENTS_EDIT:-create}" 2>>"$RUN/server.err" &
SP=$!
trap 'kill "$SP" 2>/dev/null; wait "$SP" 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s "$RUN/port" ] && break; kill -0 "$SP" 2>/dev/null || break; sleep 0.1; done
[ -s "$RUN/port" ] || { echo "real-agents: the fake server did not start (see $RUN/server.err)" >&2; exit 125; }
PORT=$(cat "$RUN/port")
# No inherited agent settings: an outer agent's variables (CLAUDECODE=1 refuses to nest, CODEX_*) or real keys must not leak in.
for v in $(compgen -e); do case "$v" in CLAUDE*|ANTHROPIC_*|CODEX_*|OPENAI_*|AWS_BEARER_TOKEN_BEDROCK) unset "$v" ;; esac; done
mkdir -p "$RUN/tmp"; export TMPDIR=$RUN/tmp
[ "${REAL_AGENTS_ISOLATE_HOME:-0}" = 1 ] && { mkdir -p "$RUN/home"; export HOME=$RUN/home; }
cd "$REPO" || exit 125
T=${REAL_AGENTS_TIMEOUT:-120}
PROMPT="real-agents scripted session $TAG"
toml_str() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }
if [ "$AGENT" = codex ]; then
  export CODEX_HOME=$RUN/codex-home; mkdir -p "$CODEX_HOME"
  {
    printf 'model = "gpt-5.5"\nmodel_provider = "fake"\napproval_policy = "never"\nsandbox_mode = "danger-full-access"\n'
    printf 'check_for_update_on_startup = false\n\n'
    printf '[model_providers.fake]\nname = "fake"\nbase_url = "http://127.0.0.1:%s/v1"\nwire_api = "responses"\n' "$PORT"
    printf 'env_key = "REAL_AGENTS_FAKE_KEY"\nrequest_max_retries = 0\nstream_max_retries = 0\nstream_idle_timeout_ms = 60000\n\n'
    printf '[analytics]\nenabled = false\n\n'
    printf '[features]\nhooks = true\nplugins = false\napps = false\nremote_plugin = false\nplugin_sharing = false\ntool_suggest = false\n\n'
    { echo "$REPO"; pwd -P; git rev-parse --show-toplevel 2>/dev/null; } | awk 'NF && !seen[$0]++' | while IFS= read -r p; do
      printf '[projects.%s]\ntrust_level = "trusted"\n\n' "$(toml_str "$p")"; done
    printf '%s\n' "${REAL_AGENTS_CODEX_CONFIG_EXTRA:-}"
  } > "$CODEX_HOME/config.toml"
  case "${REAL_AGENTS_CODEX_HOOK_TRUST:-bypass}" in
    review) timeout -k 5 40 node "$RUN/trust.js" "$_RA_CODEX" "$REPO" > "$RUN/hook-trust.toml" 2>"$RUN/hook-trust.err" \
              || { echo "real-agents: hook review through codex app-server failed (see $RUN/hook-trust.err)" >&2; exit 125; }
            cat "$RUN/hook-trust.toml" >> "$CODEX_HOME/config.toml" ;;
  esac
  set -- exec --skip-git-repo-check --color never -C "$REPO"
  [ "${REAL_AGENTS_CODEX_HOOK_TRUST:-bypass}" = bypass ] && set -- "$@" --dangerously-bypass-hook-trust
  REAL_AGENTS_FAKE_KEY=sk-fake-offline timeout -k 5 "$T" "$_RA_CODEX" "$@" -- "$PROMPT" </dev/null >"$RUN/cli.out" 2>"$RUN/cli.err"
else
  export CLAUDE_CONFIG_DIR=$RUN/claude-config CLAUDE_CODE_TMPDIR=$RUN/tmp; mkdir -p "$CLAUDE_CONFIG_DIR"
  ANTHROPIC_BASE_URL=http://127.0.0.1:$PORT ANTHROPIC_API_KEY=sk-ant-fake-offline \
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_AUTOUPDATER=1 DISABLE_ERROR_REPORTING=1 \
  DISABLE_BUG_COMMAND=1 CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY=1 \
    timeout -k 5 "$T" "$_RA_CLAUDE" -p --allowedTools "Bash,Read,Write,Edit" --output-format text -- "$PROMPT" \
    </dev/null >"$RUN/cli.out" 2>"$RUN/cli.err"
fi
SH
}

# _ra_session AGENT REPO TAG
_ra_session() {
  local agent=$1 repo=$2 tag=$3 run rc t0 t1 ns=0
  [ -d "$repo" ] || { _ra_log "no such repo: $repo"; return 125; }
  case "$tag" in *[!A-Za-z0-9._-]*|'') _ra_log "TAG must be non-empty and use only A-Z a-z 0-9 . _ -"; return 125 ;; esac
  real_agents_install || return 125
  repo=$(cd "$repo" && pwd)
  mkdir -p "$REAL_AGENTS_CACHE/runs" && run=$(mktemp -d "$REAL_AGENTS_CACHE/runs/$agent-$tag-XXXXXX") || return 125
  REAL_AGENTS_LAST_RUN=$run
  _ra_server_js > "$run/server.js"; _ra_runner_sh > "$run/runner.sh"; _ra_trust_js > "$run/trust.js"
  case "${REAL_AGENTS_NETNS:-auto}" in
    1) ns=1 ;;
    auto) unshare -rn sh -c 'ip link set lo up' >/dev/null 2>&1 && ns=1 ;;
  esac
  t0=$(date +%s%N); rc=0
  if [ $ns = 1 ]; then
    _RA_NETNS=1 _RA_CODEX=$_ra_npm/node_modules/.bin/codex _RA_CLAUDE=$(cat "$_ra_npm/claude.path") \
      unshare -rn bash "$run/runner.sh" "$agent" "$run" "$repo" "$tag" || rc=$?
  else
    _RA_NETNS=0 _RA_CODEX=$_ra_npm/node_modules/.bin/codex _RA_CLAUDE=$(cat "$_ra_npm/claude.path") \
      bash "$run/runner.sh" "$agent" "$run" "$repo" "$tag" || rc=$?
  fi
  t1=$(date +%s%N)
  echo "$rc" > "$run/rc"
  _ra_log "$agent session $tag: exit $rc in $(( (t1 - t0) / 1000000 )) ms (netns=$ns; logs in $run)"
  if [ "${REAL_AGENTS_VERBOSE:-0}" = 1 ] || [ $rc != 0 ]; then
    { echo "--- $agent stdout"; tail -c 2000 "$run/cli.out" 2>/dev/null; echo "--- $agent stderr"; tail -c 4000 "$run/cli.err" 2>/dev/null; } >&2
  fi
  return $rc
}
codex_session() { _ra_session codex "$@"; }
claude_session() { _ra_session claude "$@"; }

# selftest: throwaway repos (under the run cache) whose hooks log every payload; runs both agents.
_ra_selftest() {
  local d rc=0 a ev
  mkdir -p "$REAL_AGENTS_CACHE" || return 1
  d=$(mktemp -d "$REAL_AGENTS_CACHE/selftest-XXXXXX") || return 1
  cat > "$d/log-hook.sh" <<'EOF'
#!/bin/sh
# log-hook.sh EVENT LOG: append "EVENT<TAB>payload" and stay silent
p=$(cat); printf '%s\t%s\n' "$1" "$(printf '%s' "$p" | tr '\n' ' ')" >> "$2"; exit 0
EOF
  for a in codex claude; do
    mkdir -p "$d/$a/.codex" "$d/$a/.claude"
    ( cd "$d/$a" && git init -q && echo hello > README.txt && git add -A \
      && git -c user.email=t@example.com -c user.name=t commit -qm init ) || return 1
    node -e '
const [dir, log, hook] = process.argv.slice(1);
const Q = String.fromCharCode(39), q = (s) => Q + s.split(Q).join(Q + "\\" + Q + Q) + Q;
const cmd = (e) => [{ type: "command", command: `sh ${q(hook)} ${e} ${q(log)}`, timeout: 10 }];
const cx = {}, cc = {};
for (const e of ["SessionStart","UserPromptSubmit","PreToolUse","PermissionRequest","PostToolUse","PreCompact","PostCompact","SubagentStart","SubagentStop","Stop","SessionEnd"])
  cx[e] = /ToolUse|Permission/.test(e) ? [{ matcher: ".*", hooks: cmd(e) }] : [{ hooks: cmd(e) }];
for (const e of ["SessionStart","UserPromptSubmit","PreToolUse","PermissionRequest","PostToolUse","PostToolUseFailure","PostToolBatch","Notification","Stop","StopFailure","SubagentStart","SubagentStop","PreCompact","SessionEnd"])
  cc[e] = /ToolUse|Permission/.test(e) ? [{ matcher: "*", hooks: cmd(e) }] : [{ hooks: cmd(e) }];
const fs = require("fs");
fs.writeFileSync(dir + "/.codex/hooks.json", JSON.stringify({ hooks: cx }, null, 2));
fs.writeFileSync(dir + "/.claude/settings.json", JSON.stringify({ hooks: cc }, null, 2));
' "$d/$a" "$d/$a.hooks.log" "$d/log-hook.sh"
  done
  codex_session "$d/codex" selftest-codex || rc=1
  claude_session "$d/claude" selftest-claude || rc=1
  for a in codex claude; do
    echo "=== $a: hook events (in order)"; cut -f1 "$d/$a.hooks.log" 2>/dev/null | tr '\n' ' '; echo
    echo "=== $a: payloads"; cat "$d/$a.hooks.log" 2>/dev/null
    echo "=== $a: agent-out.txt = $(cat "$d/$a/agent-out.txt" 2>/dev/null)  agent-edit.txt = $(cat "$d/$a/agent-edit.txt" 2>/dev/null)"
    for ev in SessionStart UserPromptSubmit PreToolUse PostToolUse Stop; do
      grep -q "^$ev	" "$d/$a.hooks.log" 2>/dev/null || { echo "MISSING: $a did not fire $ev"; rc=1; }
    done
  done
  echo "selftest folder: $d"
  return $rc
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then   # run, not sourced
  case "${2:-}" in
    codex) codex_session "${3:?REPO}" "${4:?TAG}"; exit $? ;;
    claude) claude_session "${3:?REPO}" "${4:?TAG}"; exit $? ;;
    install) real_agents_install; exit $? ;;
    selftest) _ra_selftest; exit $? ;;
    *) echo "usage: bash real-agents.sh CACHE_DIR codex|claude REPO TAG | CACHE_DIR install | CACHE_DIR selftest" >&2; exit 2 ;;
  esac
fi
