// The pure parsers of git's output (src/git/parse.ts, src/git/repo.ts), as tables of cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  isNotARepository,
  parseCatFileBatch,
  parseCheckAttrZ,
  parseCommitHeader,
  parseConfigZ,
  parseNameStatusZ,
  parseRewrites,
  parseWorktreeList,
  splitZ,
} from '../../src/git/parse.ts';
import { parseRepoPaths, REPO_PATHS_ARGS, type RepoPaths } from '../../src/git/repo.ts';

const zCases: Array<[string, string, string[]]> = [
  ['empty output', '', []],
  ['one field', 'a\0', ['a']],
  ['empty fields kept', 'a\0\0b\0', ['a', '', 'b']],
  ['no trailing NUL', 'a\0b', ['a', 'b']],
  ['newlines inside a field', 'a\nb\0', ['a\nb']],
];
for (const [name, text, expected] of zCases) test(`splitZ: ${name}`, () => assert.equal(splitZ(text), expected));

const nameStatus: Array<[string, string, Array<{ status: string; path: string }>]> = [
  ['nothing staged', '', []],
  [
    'add, modify, delete',
    'A\0a.txt\0M\0src/b.ts\0D\0c\0',
    [
      { status: 'A', path: 'a.txt' },
      { status: 'M', path: 'src/b.ts' },
      { status: 'D', path: 'c' },
    ],
  ],
  [
    'odd file names stay whole',
    'A\0with space\0A\0new\nline\0A\0tab\there\0',
    [
      { status: 'A', path: 'with space' },
      { status: 'A', path: 'new\nline' },
      { status: 'A', path: 'tab\there' },
    ],
  ],
  ['unicode', 'M\0dossier/été.md\0', [{ status: 'M', path: 'dossier/été.md' }]],
  [
    'type change and unmerged letters pass through',
    'T\0l\0U\0u\0',
    [
      { status: 'T', path: 'l' },
      { status: 'U', path: 'u' },
    ],
  ],
];
for (const [name, text, expected] of nameStatus) test(`parseNameStatusZ: ${name}`, () => assert.equal(parseNameStatusZ(text), expected));

const configs: Array<[string, string, Array<[string, string]>]> = [
  ['nothing', '', []],
  ['key and value', 'filter.lfs.clean\ngit-lfs clean -- %f\0', [['filter.lfs.clean', 'git-lfs clean -- %f']]],
  ['a valueless boolean', 'codexlog.allowautolfs\0', [['codexlog.allowautolfs', '']]],
  ['a value with newlines', 'a.b\nline1\nline2\0', [['a.b', 'line1\nline2']]],
  [
    'several, last wins for a repeated key',
    'a.b\n1\0c.d\n2\0a.b\n3\0',
    [
      ['a.b', '3'],
      ['c.d', '2'],
    ],
  ],
];
for (const [name, text, expected] of configs) test(`parseConfigZ: ${name}`, () => assert.equal([...parseConfigZ(text)], expected));

const attrs: Array<[string, string, Array<[string, string]>]> = [
  ['nothing', '', []],
  [
    'lfs and unspecified',
    'databases/a.db\0filter\0lfs\0b.txt\0filter\0unspecified\0',
    [
      ['databases/a.db', 'lfs'],
      ['b.txt', 'unspecified'],
    ],
  ],
  ['a path with spaces', 'my dir/a.db\0filter\0lfs\0', [['my dir/a.db', 'lfs']]],
];
for (const [name, text, expected] of attrs) test(`parseCheckAttrZ: ${name}`, () => assert.equal([...parseCheckAttrZ(text)], expected));

test('parseCatFileBatch: blobs (binary, with newlines) and missing names, in order', () => {
  const blob = Buffer.from([0x00, 0x0a, 0xff, 0x0a]);
  const out = Buffer.concat([
    Buffer.from(`${'a'.repeat(40)} blob 4\n`),
    blob,
    Buffer.from('\n:gone missing\n'),
    Buffer.from(`${'b'.repeat(40)} blob 0\n\n`),
  ]);
  const map = parseCatFileBatch(out, [':a', ':gone', ':empty']);
  assert.ok(map.get(':a')?.equals(blob));
  assert.is(map.get(':gone'), null);
  assert.is(map.get(':empty')?.length, 0);
});

test('parseCatFileBatch: output cut short is an error, not a wrong answer', () => {
  assert.throws(() => parseCatFileBatch(Buffer.from(''), [':a']), /ended before :a/);
  assert.throws(() => parseCatFileBatch(Buffer.from('x blob ?\n'), [':a']), /unexpected header/);
});

const rewrites: Array<[string, string, Array<{ old: string; new: string }>]> = [
  ['empty', '', []],
  ['amend', 'aaa bbb\n', [{ old: 'aaa', new: 'bbb' }]],
  [
    'rebase with extra info and blank lines',
    'a1 b1 extra\n\n  a2   b2\n',
    [
      { old: 'a1', new: 'b1' },
      { old: 'a2', new: 'b2' },
    ],
  ],
  ['a lone sha is ignored', 'a1\n', []],
];
for (const [name, text, expected] of rewrites) test(`parseRewrites: ${name}`, () => assert.equal(parseRewrites(text), expected));

const headers: Array<[string, string, { sha: string; parents: string[]; subject: string }]> = [
  ['root commit', 'abc\n\ninitial', { sha: 'abc', parents: [], subject: 'initial' }],
  ['merge', 'abc\np1 p2\nMerge branch x', { sha: 'abc', parents: ['p1', 'p2'], subject: 'Merge branch x' }],
  ['empty subject', 'abc\np1\n', { sha: 'abc', parents: ['p1'], subject: '' }],
];
for (const [name, text, expected] of headers) test(`parseCommitHeader: ${name}`, () => assert.equal(parseCommitHeader(text), expected));

const worktrees: Array<[string, string, string[]]> = [
  ['nothing', '', []],
  ['the main work tree', 'worktree /src/app\nHEAD 1111111111111111111111111111111111111111\nbranch refs/heads/main\n\n', ['/src/app']],
  [
    'linked work trees, detached, locked, prunable',
    'worktree /src/app\nHEAD 1111\nbranch refs/heads/main\n\nworktree /tmp/wt a\nHEAD 2222\ndetached\n\n' +
      'worktree /tmp/wt-b\nHEAD 3333\nbranch refs/heads/b\nlocked reason\n\nworktree /gone\nHEAD 4444\nprunable gitdir file points to non-existent location\n',
    ['/src/app', '/tmp/wt a', '/tmp/wt-b', '/gone'],
  ],
  [
    'a bare repository with one linked work tree',
    'worktree /srv/app.git\nbare\n\nworktree /src/app\nHEAD 1111\nbranch refs/heads/main\n',
    ['/src/app'],
  ],
];
for (const [name, text, expected] of worktrees) test(`parseWorktreeList: ${name}`, () => assert.equal(parseWorktreeList(text), expected));

const repoPathCases: Array<[string, string, string, RepoPaths]> = [
  // name, git's answer (one line per REPO_PATHS_ARGS question), cwd, parsed
  [
    'a subfolder of a plain repository: relative answers resolve against the cwd',
    '/repo\n/repo/.git\n../.git\nsha1\n../.git/MERGE_HEAD\n../.git/CHERRY_PICK_HEAD\n../.git/REVERT_HEAD\n../.git/rebase-merge\n../.git/rebase-apply',
    '/repo/sub',
    {
      topLevel: '/repo',
      gitDir: '/repo/.git',
      commonDir: '/repo/.git',
      objectFormat: 'sha1',
      markers: {
        merge: '/repo/.git/MERGE_HEAD',
        cherryPick: '/repo/.git/CHERRY_PICK_HEAD',
        revert: '/repo/.git/REVERT_HEAD',
        rebaseMerge: '/repo/.git/rebase-merge',
        rebaseApply: '/repo/.git/rebase-apply',
      },
    },
  ],
  [
    'the top level: .git relative to it',
    '/repo\n/repo/.git\n.git\nsha1\n.git/MERGE_HEAD\n.git/CHERRY_PICK_HEAD\n.git/REVERT_HEAD\n.git/rebase-merge\n/abs/rebase-apply',
    '/repo',
    {
      topLevel: '/repo',
      gitDir: '/repo/.git',
      commonDir: '/repo/.git',
      objectFormat: 'sha1',
      markers: {
        merge: '/repo/.git/MERGE_HEAD',
        cherryPick: '/repo/.git/CHERRY_PICK_HEAD',
        revert: '/repo/.git/REVERT_HEAD',
        rebaseMerge: '/repo/.git/rebase-merge',
        // An absolute answer stays as it is.
        rebaseApply: '/abs/rebase-apply',
      },
    },
  ],
  [
    'a linked worktree (of a sha256 repository): its own git dir, the common dir shared (absolute), markers per worktree',
    [
      '/wt',
      '/repo/.git/worktrees/wt',
      '/repo/.git',
      'sha256',
      '/repo/.git/worktrees/wt/MERGE_HEAD',
      '/repo/.git/worktrees/wt/CHERRY_PICK_HEAD',
      '/repo/.git/worktrees/wt/REVERT_HEAD',
      '/repo/.git/worktrees/wt/rebase-merge',
      '/repo/.git/worktrees/wt/rebase-apply',
    ].join('\n'),
    '/wt',
    {
      topLevel: '/wt',
      gitDir: '/repo/.git/worktrees/wt',
      commonDir: '/repo/.git',
      objectFormat: 'sha256',
      markers: {
        merge: '/repo/.git/worktrees/wt/MERGE_HEAD',
        cherryPick: '/repo/.git/worktrees/wt/CHERRY_PICK_HEAD',
        revert: '/repo/.git/worktrees/wt/REVERT_HEAD',
        rebaseMerge: '/repo/.git/worktrees/wt/rebase-merge',
        rebaseApply: '/repo/.git/worktrees/wt/rebase-apply',
      },
    },
  ],
  [
    'paths with spaces stay whole',
    '/my repo\n/my repo/.git\n.git\nsha1\n.git/MERGE_HEAD\n.git/CHERRY_PICK_HEAD\n.git/REVERT_HEAD\n.git/rebase-merge\n.git/rebase-apply',
    '/my repo',
    {
      topLevel: '/my repo',
      gitDir: '/my repo/.git',
      commonDir: '/my repo/.git',
      objectFormat: 'sha1',
      markers: {
        merge: '/my repo/.git/MERGE_HEAD',
        cherryPick: '/my repo/.git/CHERRY_PICK_HEAD',
        revert: '/my repo/.git/REVERT_HEAD',
        rebaseMerge: '/my repo/.git/rebase-merge',
        rebaseApply: '/my repo/.git/rebase-apply',
      },
    },
  ],
];
for (const [name, text, cwd, expected] of repoPathCases) {
  test(`parseRepoPaths: ${name}`, () => assert.equal(parseRepoPaths(text, cwd), expected));
}

test('parseRepoPaths: REPO_PATHS_ARGS asks top level, git dir, common dir, object format, then the five markers, in that order', () => {
  const asked = REPO_PATHS_ARGS.filter((a) => a !== 'rev-parse' && a !== '--git-path');
  assert.equal(asked, [
    '--show-toplevel',
    '--absolute-git-dir',
    '--git-common-dir',
    '--show-object-format',
    'MERGE_HEAD',
    'CHERRY_PICK_HEAD',
    'REVERT_HEAD',
    'rebase-merge',
    'rebase-apply',
  ]);
});

const notRepo: Array<[string, boolean]> = [
  ['fatal: not a git repository (or any of the parent directories): .git\n', true],
  ['fatal: Not a git repository: /x/.git\n', true],
  ["fatal: detected dubious ownership in repository at '/x'\nTo add an exception for this directory, call:\n", false],
  ['', false],
];
for (const [stderr, expected] of notRepo)
  test(`isNotARepository(${JSON.stringify(stderr.slice(0, 40))})`, () => assert.is(isNotARepository(stderr), expected));

test.run();
