// Marked blocks in files shared with the user: added, replaced and removed without touching the
// user's own lines; shell quoting of what goes into the .husky/ files.

import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BEGIN, END, hasBlock, removeBlock, upsertBlock } from '../../src/install/blocks.ts';
import { shQuote } from '../../src/install/shell.ts';

const block = (body: string) => `${BEGIN}\n${body}\n${END}\n`;

const upserts: Array<[string, string, string, string]> = [
  ['empty file', '', 'x', block('x')],
  ['user lines, no trailing newline', 'npm test', 'x', `npm test\n${block('x')}`],
  ['user lines', 'npm test\n', 'x', `npm test\n${block('x')}`],
  ['replaces our block in place', `a\n${block('old')}b\n`, 'new', `a\n${block('new')}b\n`],
  ['same body twice is a no-op', `a\n${block('x')}`, 'x', `a\n${block('x')}`],
  ['trailing blank lines of the body are dropped', '', 'x\n\n', block('x')],
];
for (const [name, before, body, after] of upserts) {
  test(`upsertBlock: ${name}`, () => assert.is(upsertBlock(before, body), after));
}

const removals: Array<[string, string, string]> = [
  ['only our block', block('x'), ''],
  ['user lines around it', `a\n${block('x')}b\n`, 'a\nb\n'],
  ['no block', 'a\nb\n', 'a\nb\n'],
  ['a begin marker without its end is left alone', `a\n${BEGIN}\nb\n`, `a\n${BEGIN}\nb\n`],
];
for (const [name, before, after] of removals) {
  test(`removeBlock: ${name}`, () => assert.is(removeBlock(before), after));
}

test('hasBlock', () => {
  assert.ok(hasBlock(`a\n${block('x')}`));
  assert.not.ok(hasBlock('a\n'));
});

test('upsert then remove restores the user file exactly', () => {
  for (const user of ['', 'npm test\n', '#!/bin/sh\necho hi\n']) assert.is(removeBlock(upsertBlock(user, 'x')), user);
});

const quotes = ['plain', "it's", '`cmd` $HOME "q" \\ back', 'new\nline', ''];
for (const s of quotes) {
  test(`shQuote round-trips through sh: ${JSON.stringify(s)}`, () => {
    assert.is(execFileSync('sh', ['-c', `printf %s ${shQuote(s)}`], { encoding: 'utf8' }), s);
  });
}

test.run();
