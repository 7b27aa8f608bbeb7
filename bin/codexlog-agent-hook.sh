#!/bin/sh
# codexlog-hooks: records one hook event of an AI agent (Codex, Claude Code). install copies this
# file to <common git dir>/codexlog/agent-hook; the command in .codex/hooks.json and
# .claude/settings.json runs it (AGENT_HOOK_COMMAND in src/agents/install.ts):
#   sh agent-hook <agent>        (stdin: the agent's JSON payload)
# It sits on the agent's critical path for every tool call, so it starts no node and parses
# nothing: the payload waits, as sent, in this worktree's inbox in the git dir; the next reader or
# commit turns it into a redacted row and deletes the file. It prints nothing (an agent reads a
# hook's stdout as context), never blocks the agent (exit 0 on every path), and does nothing under
# TEST_MODE=1 or CODEXLOG_HOOKS=0 (the words src/env.ts accepts).
case "${TEST_MODE:-}" in 1 | [Tt][Rr][Uu][Ee] | [Yy][Ee][Ss] | [Oo][Nn]) exit 0 ;; esac
case "${CODEXLOG_HOOKS:-}" in 0 | [Ff][Aa][Ll][Ss][Ee] | [Nn][Oo] | [Oo][Ff][Ff]) exit 0 ;; esac
agent=$1
case "$agent" in codex | claude) ;; *) exit 0 ;; esac
# This file is <common git dir>/codexlog/agent-hook. With no linked worktree, the common git dir
# is this worktree's: no second git call on the common path.
common=${0%/*}
common=${common%/codexlog}
if [ -d "$common/worktrees" ]; then
  inbox=$(git rev-parse --git-path codexlog/inbox 2>/dev/null) || exit 0
else
  inbox=$common/codexlog/inbox
fi
umask 077
[ -d "$inbox" ] || mkdir -p "$inbox" 2>/dev/null || exit 0
# A name no other payload has: the pid is unique among running processes, n among the files a
# dead process with the same pid left. set -C (noclobber) makes the create exclusive, so nothing
# is ever overwritten; cat then writes the payload straight into it (no temp file, no rename: a
# reader that meets a payload still being written finds incomplete JSON and leaves it for later).
set -C
n=0
until { cat >"$inbox/a-$agent-$$-$n.json"; } 2>/dev/null; do
  n=$((n + 1))
  [ "$n" -lt 20 ] || exit 0
done
exit 0
