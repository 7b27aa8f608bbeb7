// Which extra index a partial commit needs staging into (src/stage.ts).
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RepoPaths } from '../../src/git/repo.ts';
import { indexInUse, realIndexDuringPartialCommit } from '../../src/git/stage.ts';

const repo: RepoPaths = {
  topLevel: '/r',
  gitDir: '/r/.git',
  commonDir: '/r/.git',
  objectFormat: 'sha1',
  markers: { merge: '', cherryPick: '', revert: '', rebaseMerge: '', rebaseApply: '' },
};
const worktree: RepoPaths = { ...repo, gitDir: '/r/.git/worktrees/wt' };

const cases: Array<[string, string | undefined, RepoPaths, string | null]> = [
  ['no GIT_INDEX_FILE (plain git add)', undefined, repo, null],
  ['empty GIT_INDEX_FILE', '', repo, null],
  ['plain commit: .git/index', '/r/.git/index', repo, null],
  ['commit -a: index.lock', '/r/.git/index.lock', repo, null],
  ['an unrelated index', '/tmp/other-index', repo, null],
  ['commit -- path: next-index-<pid>.lock', '/r/.git/next-index-4242.lock', repo, '/r/.git/index.lock'],
  ['relative next-index', '.git/next-index-7.lock', repo, '/r/.git/index.lock'],
  ['partial commit in a worktree', '/r/.git/worktrees/wt/next-index-9.lock', worktree, '/r/.git/worktrees/wt/index.lock'],
  ['a folder named next-index is not it', '/tmp/next-index-1/index', repo, null],
];
for (const [name, indexFile, paths, expected] of cases) {
  test(`realIndexDuringPartialCommit: ${name}`, () => {
    const env = indexFile === undefined ? {} : { GIT_INDEX_FILE: indexFile };
    assert.is(realIndexDuringPartialCommit({ cwd: '/r', env }, paths), expected);
  });
}

const inUse: Array<[string, string | undefined, string]> = [
  ['default', undefined, path.join('/r/.git', 'index')],
  ['absolute', '/tmp/idx', '/tmp/idx'],
  ['relative to the top level', '.git/next-index-1.lock', '/r/.git/next-index-1.lock'],
];
for (const [name, indexFile, expected] of inUse) {
  test(`indexInUse: ${name}`, () => {
    assert.is(indexInUse({ cwd: '/r/sub', env: indexFile === undefined ? {} : { GIT_INDEX_FILE: indexFile } }, repo), expected);
  });
}

test.run();
