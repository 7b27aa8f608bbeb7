// Our lines in the .husky/ files: the handlers, run with node through the stable entry point, and
// the Git LFS hooks husky's hooksPath would otherwise silence.
import { messages, PREFIX } from '../messages.js';

/** Quotes `s` for sh: single quotes, so backticks and $ in messages stay text. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The shell lines of our block in each .husky/ file (husky runs them with `sh -e` from the top level). */
export function hookBlocks(bin: string): Record<string, string> {
  const q = shQuote(bin);
  const missing = shQuote(`${PREFIX} ${messages.hookNotInstalled(bin)}`);
  const lfs = (hook: string) =>
    `command -v git-lfs >/dev/null 2>&1 || { echo >&2 ${shQuote(`${PREFIX} ${messages.lfsMissing}`)}; exit 2; }\n` + `git lfs ${hook} "$@"`;
  const ours = (hook: string, blocking: boolean) =>
    blocking
      ? `if [ -f ${q} ]; then node ${q} hook ${hook} "$@"; else echo >&2 ${missing}; exit 1; fi`
      : `if [ -f ${q} ]; then node ${q} hook ${hook} "$@" || true; fi`;
  return {
    'pre-commit': ours('pre-commit', true),
    'post-commit': ours('post-commit', false),
    'post-rewrite': ours('post-rewrite', false),
    'post-merge': `${lfs('post-merge')}\n${ours('post-merge', false)}`,
    'post-checkout': lfs('post-checkout'),
    'pre-push': lfs('pre-push'),
  };
}
