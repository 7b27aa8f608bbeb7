#!/bin/sh
# codexlog-hooks: records a git hook event without starting node (post-commit, post-rewrite,
# post-merge and post-applypatch run for every commit, replayed commit, pull and applied patch).
# The record waits in this worktree's inbox in the git dir (never the work tree); the next reader
# or commit turns it into a row.
#   sh codexlog-hook.sh <hook> [git's arguments]     (stdin: the hook's own stdin)
# It never fails the git operation (git ignores these hooks' exit codes anyway), prints nothing,
# does nothing under TEST_MODE=1, CODEXLOG_HOOKS=0 or HUSKY=0 (the words src/env.ts accepts), and
# forks as little as it can: it runs on every commit.
case "${TEST_MODE:-}" in 1 | [Tt][Rr][Uu][Ee] | [Yy][Ee][Ss] | [Oo][Nn]) exit 0 ;; esac
case "${CODEXLOG_HOOKS:-}" in 0 | [Ff][Aa][Ll][Ss][Ee] | [Nn][Oo] | [Oo][Ff][Ff]) exit 0 ;; esac
[ "${HUSKY:-}" = 0 ] && exit 0
hook=$1
shift
# This worktree's git dir: git commit tells its hooks where the index is (in that dir); else ask git.
gd=
case "${GIT_INDEX_FILE:-}" in */*) [ -f "${GIT_INDEX_FILE%/*}/HEAD" ] && gd=${GIT_INDEX_FILE%/*} ;; esac
if [ -n "$gd" ]; then state=$gd/codexlog; else state=$(git rev-parse --git-path codexlog 2>/dev/null) || exit 0; fi
dir=$state/inbox
[ -d "$dir" ] || mkdir -p "$dir" 2>/dev/null || exit 0
# What the pre-commit of this commit left ("<uid> <blob> <log path>"), taken once; ingest checks
# that this commit holds that blob before it links the two.
marker=
if [ "$hook" = post-commit ] && [ -f "$state/precommit" ]; then
  read -r marker <"$state/precommit"
  rm -f "$state/precommit"
fi
# "<uid> <blob> <log path>" (the path may hold spaces).
logpath=
[ -n "$marker" ] && logpath=${marker#* } && logpath=${logpath#* }
# The objects the row needs, asked of git in one call and parsed by ingest: the commit (parents,
# subject), the log blob it holds (post-commit), the commit before the merge (post-merge).
# objects PREFIX: one line per object name, each after PREFIX.
objects() {
  case "$hook" in
    post-applypatch) printf '%sHEAD\n' "$1" ;;
    post-commit)
      printf '%sHEAD\n' "$1"
      [ -n "$logpath" ] && printf '%sHEAD:%s\n' "$1" "$logpath"
      ;;
    post-merge) printf '%sHEAD\n%sORIG_HEAD\n' "$1" "$1" ;;
  esac
  return 0
}
# The operation under way: git passes GIT_REFLOG_ACTION to some hooks only, its marker files are
# always there while it commits (per worktree, beside our state folder).
gd=${state%/codexlog}
ops=
[ -e "$gd/rebase-merge" ] || [ -e "$gd/rebase-apply" ] && ops=rebase
[ -e "$gd/rebase-apply/applying" ] && ops=am
[ -z "$ops" ] && [ -e "$gd/CHERRY_PICK_HEAD" ] && ops=cherry-pick
[ -e "$gd/REVERT_HEAD" ] && ops="$ops revert"
[ -e "$gd/MERGE_HEAD" ] && ops="$ops merge"
# The branch checked out (git's own HEAD file, read without git): post-merge records tell the
# ledger what a merge git finished by itself brought in.
branch=
if read -r h <"$gd/HEAD" 2>/dev/null; then
  case "$h" in "ref: refs/heads/"*) branch=${h#ref: refs/heads/} ;; esac
fi
# A name no other record has: the pid is unique among running processes, n among the records a
# process with the same pid left earlier (pids recur over a long rebase); set -C makes the
# temp file's creation exclusive.
set -C
n=0
until [ ! -e "$dir/g-$hook-$$-$n.rec" ] && { : >"$dir/.g-$$-$n.tmp"; } 2>/dev/null; do
  n=$((n + 1))
  [ "$n" -lt 100 ] || exit 0
done
set +C
tmp=$dir/.g-$$-$n.tmp
{
  printf 'hook=%s\naction=%s\nops=%s\nsession=%s\nprecommit=%s\nbranch=%s\n' "$hook" "${GIT_REFLOG_ACTION:-}" "$ops" "${SESSION_ID_SOURCE:-}" "${marker%" $logpath"}" "$branch"
  for a in "$@"; do printf 'arg=%s\n' "$a"; done
  if [ "$hook" = post-rewrite ]; then
    printf -- '--stdin--\n'
    cat
  else
    objects name=
    printf -- '--objects--\n'
    objects '' | git cat-file --batch
  fi
} >"$tmp" 2>/dev/null && mv -f "$tmp" "$dir/g-$hook-$$-$n.rec" 2>/dev/null || rm -f "$tmp"
exit 0
