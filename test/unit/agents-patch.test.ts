// The files of an apply_patch patch (src/agents/patch.ts), as a table.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isPatch, type PatchedFile, parsePatch } from '../../src/agents/patch.ts';

const f = (op: PatchedFile['op'], path: string, movedTo: string | null = null): PatchedFile => ({ op, path, movedTo });

const cases: Array<[string, string, PatchedFile[]]> = [
  ['add', '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch\n', [f('add', 'a.txt')]],
  [
    'update with hunks',
    '*** Begin Patch\n*** Update File: src/a.ts\n@@\n-x\n+y\n@@ class A\n-1\n+2\n*** End Patch',
    [f('update', 'src/a.ts')],
  ],
  ['delete', '*** Begin Patch\n*** Delete File: old.txt\n*** End Patch\n', [f('delete', 'old.txt')]],
  ['move', '*** Begin Patch\n*** Update File: a.ts\n*** Move to: b/a.ts\n@@\n-x\n+y\n*** End Patch\n', [f('update', 'a.ts', 'b/a.ts')]],
  [
    'several files, CRLF line ends, a path with spaces',
    '*** Begin Patch\r\n*** Add File: my file.txt\r\n+x\r\n*** Delete File: gone.md\r\n*** Update File: c.ts\r\n@@\r\n-a\r\n+b\r\n*** End Patch\r\n',
    [f('add', 'my file.txt'), f('delete', 'gone.md'), f('update', 'c.ts')],
  ],
  [
    'inside a shell command (heredoc)',
    "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: x.txt\n+1\n*** End Patch\nEOF\n",
    [f('add', 'x.txt')],
  ],
  [
    'added lines that look like headers are content, not files',
    '*** Begin Patch\n*** Add File: doc.md\n+*** Add File: not-a-file.txt\n+text\n*** End Patch\n',
    [f('add', 'doc.md')],
  ],
  ['a header outside any patch is ignored', '*** Add File: loose.txt\n', []],
  ['an empty path is skipped', '*** Begin Patch\n*** Add File:    \n*** End Patch\n', []],
  ['Move to without an update is ignored', '*** Begin Patch\n*** Move to: b.ts\n*** Add File: c.ts\n*** End Patch\n', [f('add', 'c.ts')]],
  [
    'unknown header lines are skipped',
    '*** Begin Patch\n*** Rename File: a\n*** End of File\n*** Add File: d\n*** End Patch\n',
    [f('add', 'd')],
  ],
  [
    'two patches',
    '*** Begin Patch\n*** Add File: a\n*** End Patch\n*** Begin Patch\n*** Delete File: b\n*** End Patch\n',
    [f('add', 'a'), f('delete', 'b')],
  ],
  ['not a patch', 'echo hello', []],
];

for (const [name, text, expected] of cases) {
  test(`parsePatch: ${name}`, () => {
    assert.equal(parsePatch(text), expected);
  });
}

test('isPatch', () => {
  assert.ok(isPatch('*** Begin Patch\n'));
  assert.ok(isPatch("apply_patch <<'EOF'\n*** Begin Patch\n"));
  assert.not.ok(isPatch('git apply x.patch'));
});

test('a patch of 100k lines is read in one pass', () => {
  const body = Array.from({ length: 100_000 }, (_, i) => `+line ${i}`).join('\n');
  const files = parsePatch(`*** Begin Patch\n*** Add File: big.txt\n${body}\n*** Update File: b.txt\n*** End Patch\n`);
  assert.equal(files, [f('add', 'big.txt'), f('update', 'b.txt')]);
});

test.run();
