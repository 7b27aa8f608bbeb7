#!/bin/sh
# codexlog-hooks: records a git hook event without starting node (post-commit, post-rewrite,
# post-merge run for every commit, replayed commit and pull). The record waits in this worktree's
# inbox in the git dir (never the work tree); the next reader or commit ingests it.
#   sh codexlog-hook.sh <hook> [git's arguments]     (stdin: the hook's own stdin)
# It never fails the git operation (git ignores these hooks' exit codes anyway), prints nothing,
# and does nothing under TEST_MODE=1, CODEXLOG_HOOKS=0 or HUSKY=0 (the words src/env.ts accepts).
case "${TEST_MODE:-}" in 1 | [Tt][Rr][Uu][Ee] | [Yy][Ee][Ss] | [Oo][Nn] | *[!\ ]1 | 1[\ ]*) exit 0 ;; esac
case "${CODEXLOG_HOOKS:-}" in 0 | [Ff][Aa][Ll][Ss][Ee] | [Nn][Oo] | [Oo][Ff][Ff]) exit 0 ;; esac
[ "${HUSKY:-}" = 0 ] && exit 0
hook=$1
shift
# One git call: the inbox (per worktree) and the commit this event is about.
out=$(git rev-parse --git-path codexlog/inbox --verify -q HEAD 2>/dev/null) || exit 0
dir=$(printf '%s\n' "$out" | sed -n 1p)
head=$(printf '%s\n' "$out" | sed -n 2p)
[ -n "$dir" ] || exit 0
mkdir -p "$dir" 2>/dev/null || exit 0
orig=
[ "$hook" = post-merge ] && orig=$(git rev-parse --verify -q ORIG_HEAD 2>/dev/null)
# What the pre-commit of this commit left (its row's uid and the tree it staged), taken once.
precommit=
if [ "$hook" = post-commit ] && [ -f "$dir/../precommit" ]; then
  precommit=$(cat "$dir/../precommit" 2>/dev/null)
  rm -f "$dir/../precommit"
fi
tmp="$dir/.g-$$.tmp"
{
  printf 'hook=%s\nhead=%s\norig=%s\n' "$hook" "$head" "$orig"
  printf 'action=%s\n' "$(printf '%s' "${GIT_REFLOG_ACTION:-}" | tr '\n' ' ')"
  printf 'session=%s\nprecommit=%s\n' "$(printf '%s' "${SESSION_ID_SOURCE:-}" | tr '\n' ' ')" "$precommit"
  for a in "$@"; do printf 'arg=%s\n' "$(printf '%s' "$a" | tr '\n' ' ')"; done
  if [ "$hook" = post-rewrite ]; then
    printf -- '--stdin--\n'
    cat
  fi
} >"$tmp" 2>/dev/null && mv -f "$tmp" "$dir/g-$(date +%s)-$$.rec" 2>/dev/null
rm -f "$tmp" 2>/dev/null
exit 0
