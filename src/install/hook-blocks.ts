// Our lines in the .husky/ files: the handlers, run with node through the stable entry point, and
// the Git LFS hooks husky's hooksPath would otherwise silence.
import { messages, PREFIX } from '../messages.js';

/** Quotes `s` for sh: single quotes, so backticks and $ in messages stay text. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell lines of our block in each .husky/ file (husky runs them with `sh -e` from the top
 * level). `bin` is the node entry point; the post-* hooks, which run for every commit, replayed
 * commit and pull, only hand the event to the sh script beside it and start no node.
 */
export function hookBlocks(bin: string): Record<string, string> {
  const q = shQuote(bin);
  const script = shQuote(bin.replace(/codexlog-hooks\.js$/, 'codexlog-hook.sh'));
  const missing = shQuote(`${PREFIX} ${messages.hookNotInstalled(bin)}`);
  const lfs = (hook: string) =>
    `command -v git-lfs >/dev/null 2>&1 || { echo >&2 ${shQuote(`${PREFIX} ${messages.lfsMissing}`)}; exit 2; }\n` + `git lfs ${hook} "$@"`;
  const record = (hook: string) => `if [ -f ${script} ]; then sh ${script} ${hook} "$@" || true; fi`;
  return {
    'pre-commit': `if [ -f ${q} ]; then node ${q} hook pre-commit "$@"; else echo >&2 ${missing}; exit 1; fi`,
    'post-commit': record('post-commit'),
    'post-rewrite': record('post-rewrite'),
    'post-merge': `${lfs('post-merge')}\n${record('post-merge')}`,
    'post-checkout': lfs('post-checkout'),
    'pre-push': lfs('pre-push'),
  };
}
