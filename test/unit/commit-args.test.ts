// Which process is the `git commit` above a pre-commit hook, and whether it commits even with
// nothing staged (src/git/commit-args.ts), as tables of argv.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commitsAnyway, findGitCommit, isGitCommit } from '../../src/git/commit-args.ts';

const argvs: Array<[string, string[], boolean]> = [
  ['git commit', ['git', 'commit'], true],
  ['with a message', ['git', 'commit', '-m', 'fix'], true],
  ['git by absolute path', ['/usr/bin/git', 'commit'], true],
  ["git's own libexec copy", ['/usr/lib/git-core/git', 'commit', '-q'], true],
  ['git.exe (Windows)', ['C:/Program Files/Git/cmd/git.exe', 'commit'], true],
  ['-c key=value first', ['git', '-c', 'user.name=x', 'commit'], true],
  ['-C <dir> first', ['git', '-C', 'some dir', 'commit', '--amend'], true],
  ['--git-dir and --work-tree with separate values', ['git', '--git-dir', '.git', '--work-tree', '.', 'commit'], true],
  ['--git-dir=<dir> as one argument', ['git', '--git-dir=.git', 'commit'], true],
  ['--namespace <ns>', ['git', '--namespace', 'ns', 'commit'], true],
  ['a flag without a value', ['git', '--no-pager', 'commit'], true],
  // The word "commit" elsewhere is not the subcommand.
  ['"commit" as the value of -c', ['git', '-c', 'commit', 'status'], false],
  ['"commit" as the value of -C', ['git', '-C', 'commit', 'log'], false],
  ['"commit" as the value of --namespace', ['git', '--namespace', 'commit', 'log'], false],
  ['another subcommand first', ['git', 'merge', 'commit'], false],
  ['git status', ['git', 'status'], false],
  ['git alone', ['git'], false],
  ['options only', ['git', '-c', 'a=b'], false],
  ['empty argv', [], false],
  ['not git', ['gitk', 'commit'], false],
  ['a program named like git', ['mygit', 'commit'], false],
  ['git run by another program', ['node', 'git', 'commit'], false],
  ['a shell running git', ['sh', '-c', 'git commit'], false],
];
for (const [name, argv, expected] of argvs) {
  test(`isGitCommit: ${name}`, () => assert.is(isGitCommit(argv), expected));
}

const anyway: Array<[string, string[], boolean]> = [
  ['a plain commit', ['git', 'commit', '-m', 'x'], false],
  ['--allow-empty', ['git', 'commit', '--allow-empty', '-m', 'x'], true],
  ['--amend', ['git', 'commit', '--amend', '--no-edit'], true],
  ['both', ['git', 'commit', '--amend', '--allow-empty'], true],
  ['--allow-empty-message is not --allow-empty', ['git', 'commit', '--allow-empty-message', '-m', ''], false],
  ['-a', ['git', 'commit', '-a', '-m', 'x'], false],
  ['--no-verify', ['git', 'commit', '--no-verify'], false],
  ['--amend= is not --amend', ['git', 'commit', '--amend=yes'], false],
  ['empty', [], false],
];
for (const [name, argv, expected] of anyway) {
  test(`commitsAnyway: ${name}`, () => assert.is(commitsAnyway(argv), expected));
}

// The process table itself is read in test/integration/hook-records.test.ts, under a real `git commit`.
test('findGitCommit: init (pid 1) and a process that does not exist have no git commit above them', () => {
  assert.is(findGitCommit(1), null);
  assert.is(findGitCommit(2 ** 22 + 12345), null);
});

test.run();
