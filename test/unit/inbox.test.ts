// The inbox's pure parts (src/inbox.ts): which files are ours, the lines of a writer's file (torn
// and foreign lines never consumed or never stored), and the records the sh hook script writes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyInboxFile, type GitRecord, type InboxLine, parseGitRecord, parseInboxLines } from '../../src/inbox.ts';

// --- classifyInboxFile -------------------------------------------------------------------------------

const names: Array<[string, string, ReturnType<typeof classifyInboxFile>]> = [
  ['a live process file', 'p-4242-1714557600000-0a1b2c3d.jsonl', { kind: 'process', pid: 4242, done: false }],
  ['a closed process file', 'd-4242-1714557600000-0a1b2c3d.jsonl', { kind: 'process', pid: 4242, done: true }],
  ['pid 1', 'p-1-0-ff.jsonl', { kind: 'process', pid: 1, done: false }],
  ['a git hook record', 'g-1714557600-4242.rec', { kind: 'git' }],
  ['a git hook record with dots and dashes', 'g-1714557600.5-a_b-c.rec', { kind: 'git' }],
  ['an agent payload', 'a-claude-1714557600000-9f.json', { kind: 'agent', agent: 'claude' }],
  ['an agent with digits', 'a-gpt5-x.json', { kind: 'agent', agent: 'gpt5' }],
  // Files being written (the sh script's temp file) and anything else are not ours to read.
  ['the sh script temp file', '.g-4242.tmp', null],
  ['a record still being renamed', 'g-1714557600-4242.rec.tmp', null],
  ['a process file with a non-numeric pid', 'p-abc-1714557600000-0a.jsonl', null],
  ['upper-case hex', 'p-1-1-0A1B.jsonl', null],
  ['no random part', 'p-1-1.jsonl', null],
  ['.json instead of .jsonl', 'p-1-1-ab.json', null],
  ['another letter', 'x-1-1-ab.jsonl', null],
  ['an empty record name', 'g-.rec', null],
  ['an agent name in capitals', 'a-Claude-1.json', null],
  ['an agent payload still being written', 'a-codex-1.json.tmp', null],
  ['the uncommitted store', 'uncommitted.db', null],
  ["0.1.0's pending file", 'pending.jsonl', null],
  ['empty', '', null],
];
for (const [name, file, expected] of names) {
  test(`classifyInboxFile: ${name} (${JSON.stringify(file)})`, () => assert.equal(classifyInboxFile(file), expected));
}

// --- parseInboxLines ---------------------------------------------------------------------------------

const A1: InboxLine = {
  t: 'a',
  uid: '018f3398-c100-7000-8000-000000000001',
  ts: '2024-05-01T10:00:00.000Z',
  session_id: 's1',
  action: 'edit',
  statement: 'é ✓ "quoted"\nsecond line',
  metadata: '{"k":1}',
};
const A2: InboxLine = { ...A1, uid: '018f3398-c100-7000-8000-000000000002', statement: 'two', metadata: null, session_id: null };
const E1: InboxLine = {
  t: 'e',
  uid: '018f3398-c100-7000-8000-000000000003',
  ts: '2024-05-01T10:00:01.000Z',
  session_id: 's1',
  event: 'end',
  summary: 'done',
};
const line = (l: unknown) => `${JSON.stringify(l)}\n`;
const buf = (...parts: string[]) => Buffer.from(parts.join(''), 'utf8');
const len = (...parts: string[]) => Buffer.byteLength(parts.join(''), 'utf8');

const lineCases: Array<[string, Buffer, number, InboxLine[], number]> = [
  // name, file content, from, lines, consumed
  ['an empty file', buf(), 0, [], 0],
  ['one action', buf(line(A1)), 0, [A1], len(line(A1))],
  ['an action, an event, an action, in file order', buf(line(A1), line(E1), line(A2)), 0, [A1, E1, A2], len(line(A1), line(E1), line(A2))],
  // A writer killed mid-write (or still writing): the cut line is left for later, never half-read.
  ['a torn last line is not consumed', buf(line(A1), line(A2).slice(0, 40)), 0, [A1], len(line(A1))],
  ['only a torn line', buf(line(A1).slice(0, -1)), 0, [], 0],
  ['from where the last read stopped', buf(line(A1), line(A2)), len(line(A1)), [A2], len(line(A1), line(A2))],
  ['from the end: nothing new', buf(line(A1)), len(line(A1)), [], len(line(A1))],
  ['from the end of the complete part, a torn line after it', buf(line(A1), '{"t":"a"'), len(line(A1)), [], len(line(A1))],
  // What ingest blanks (newlines over read lines) reads as nothing.
  ['a blanked part, then a line', buf('\n'.repeat(len(line(A1))), line(A2)), 0, [A2], len(line(A1), line(A2))],
  ['spaces and CRLF around a line', buf(`  ${JSON.stringify(A1)}\r\n`), 0, [A1], len(`  ${JSON.stringify(A1)}\r\n`)],
  // Complete lines no writer of ours produced are skipped, and consumed (they must not block every commit).
  ['not JSON', buf('garbage\n', line(A2)), 0, [A2], len('garbage\n', line(A2))],
  ['JSON null', buf('null\n', line(A2)), 0, [A2], len('null\n', line(A2))],
  ['a JSON array', buf('[1,2]\n', line(A2)), 0, [A2], len('[1,2]\n', line(A2))],
  ['an unknown line type', buf(line({ ...A1, t: 'x' }), line(A2)), 0, [A2], len(line({ ...A1, t: 'x' }), line(A2))],
  ['a row without uid', buf(line({ ...A1, uid: undefined }), line(A2)), 0, [A2], len(line({ ...A1, uid: undefined }), line(A2))],
  ['a row whose uid is a number', buf(line({ ...A1, uid: 7 }), line(A2)), 0, [A2], len(line({ ...A1, uid: 7 }), line(A2))],
  ['a row without ts', buf(line({ ...A1, ts: undefined }), line(A2)), 0, [A2], len(line({ ...A1, ts: undefined }), line(A2))],
];
for (const [name, content, from, lines, consumed] of lineCases) {
  test(`parseInboxLines: ${name}`, () => assert.equal(parseInboxLines(content, from), { lines, consumed }));
}

test('parseInboxLines: a multi-byte character cut by a torn write is never decoded half', () => {
  const whole = buf(line(A1));
  const next = Buffer.from(line({ ...A2, statement: 'ü' }), 'utf8');
  const cut = Buffer.concat([whole, next.subarray(0, next.indexOf(0xc3) + 1)]);
  assert.equal(parseInboxLines(cut), { lines: [A1], consumed: whole.length });
  // Once the writer's write() is complete, the line reads whole, from where the reader stopped.
  assert.equal(parseInboxLines(Buffer.concat([whole, next]), whole.length), {
    lines: [{ ...A2, statement: 'ü' }],
    consumed: whole.length + next.length,
  });
});

test('parseInboxLines: reading in steps as a writer appends gives every line exactly once', () => {
  const all = [A1, E1, A2, { ...A1, uid: 'u4' }, { ...E1, uid: 'u5' }] as InboxLine[];
  const text = Buffer.from(all.map(line).join(''), 'utf8');
  const seen: InboxLine[] = [];
  let consumed = 0;
  // The file as the reader finds it after each 17 bytes written.
  for (let size = 0; size <= text.length; size += 17) {
    const r = parseInboxLines(text.subarray(0, size), consumed);
    seen.push(...r.lines);
    consumed = r.consumed;
  }
  const last = parseInboxLines(text, consumed);
  seen.push(...last.lines);
  assert.equal(seen, all);
  assert.is(last.consumed, text.length);
});

// --- parseGitRecord ----------------------------------------------------------------------------------

const SHA = 'a'.repeat(40);
const ORIG = 'b'.repeat(40);
const BLOB = 'c'.repeat(40);
const SHA256 = 'd'.repeat(64);
const PARENT = 'e'.repeat(40);
const rec = (over: Partial<GitRecord>): GitRecord => ({
  hook: 'post-commit',
  action: null,
  ops: [],
  args: [],
  session: null,
  precommit: null,
  head: { sha: SHA, parents: [PARENT], subject: 'subject line' },
  branch: null,
  logBlob: null,
  orig: null,
  stdin: '',
  ...over,
});
/** `git cat-file --batch` output for one object. */
const object = (oid: string, type: string, content: string) => `${oid} ${type} ${Buffer.byteLength(content)}\n${content}\n`;
const commitObject = (sha: string, parents: string[], message: string) =>
  object(
    sha,
    'commit',
    `tree ${'f'.repeat(40)}\n${parents.map((p) => `parent ${p}\n`).join('')}author A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\n${message}`,
  );
/** A record as bin/codexlog-hook.sh writes it: header lines, then the objects (or stdin). */
const sh = (fields: Record<string, string>, options: { args?: string[]; names?: string[]; objects?: string; stdin?: string } = {}) =>
  [
    ...Object.entries(fields).map(([k, v]) => `${k}=${v}\n`),
    ...(options.args ?? []).map((a) => `arg=${a}\n`),
    ...(options.stdin !== undefined ? ['--stdin--\n', options.stdin] : []),
    ...(options.names ? [...options.names.map((n) => `name=${n}\n`), '--objects--\n', options.objects ?? ''] : []),
  ].join('');
const BASE = { hook: 'post-commit', action: '', ops: '', session: '', precommit: '' };
const HEAD_OBJ = commitObject(SHA, [PARENT], 'subject line\n\nbody\n');

const records: Array<[string, string, GitRecord | null]> = [
  ['a plain post-commit', sh(BASE, { names: ['HEAD'], objects: HEAD_OBJ }), rec({})],
  [
    'the branch checked out, and git am (post-applypatch) as an operation',
    sh({ ...BASE, hook: 'post-applypatch', ops: 'am', branch: ' feature/x ' }, { names: ['HEAD'], objects: HEAD_OBJ }),
    rec({ hook: 'post-applypatch', ops: ['am'], branch: 'feature/x' }),
  ],
  ['an empty branch (detached HEAD)', sh({ ...BASE, branch: '' }, { names: ['HEAD'], objects: HEAD_OBJ }), rec({})],
  [
    'post-commit with the reflog action, the operations, the session, the marker and the log blob',
    sh(
      { ...BASE, action: 'commit (amend)', ops: 'rebase cherry-pick bogus', session: ' s-42 ', precommit: `0190-uid ${BLOB}` },
      {
        names: ['HEAD', 'HEAD:databases/my log.db'],
        objects: HEAD_OBJ + object(BLOB, 'blob', 'version https://git-lfs.github.com/spec/v1\n'),
      },
    ),
    rec({
      action: 'commit (amend)',
      ops: ['rebase', 'cherry-pick'],
      session: 's-42',
      precommit: { uid: '0190-uid', blob: BLOB },
      logBlob: BLOB,
    }),
  ],
  [
    'a SHA-256 repository',
    sh(BASE, { names: ['HEAD'], objects: commitObject(SHA256, [], 'root\n') }),
    rec({ head: { sha: SHA256, parents: [], subject: 'root' } }),
  ],
  ['an unborn or unreadable HEAD', sh(BASE, { names: ['HEAD'], objects: 'HEAD missing\n' }), rec({ head: null })],
  ['the log not in the commit', sh(BASE, { names: ['HEAD', 'HEAD:x.db'], objects: `${HEAD_OBJ}HEAD:x.db missing\n` }), rec({})],
  ['objects cut short: the header is kept', sh(BASE, { names: ['HEAD'], objects: `${SHA} commit 999\ntree` }), rec({ head: null })],
  ['a marker without a blob', sh({ ...BASE, precommit: '0190-uid' }, { names: ['HEAD'], objects: HEAD_OBJ }), rec({})],
  ['a marker with a short blob', sh({ ...BASE, precommit: '0190-uid abc' }, { names: ['HEAD'], objects: HEAD_OBJ }), rec({})],
  ['a marker with spaces in the uid', sh({ ...BASE, precommit: `a b ${BLOB}` }, { names: ['HEAD'], objects: HEAD_OBJ }), rec({})],
  [
    'a commit message that looks like the record (an objects marker, fields) stays the subject',
    sh(BASE, { names: ['HEAD'], objects: commitObject(SHA, [PARENT], 'hook=post-merge\n--objects--\n') }),
    rec({ head: { sha: SHA, parents: [PARENT], subject: 'hook=post-merge' } }),
  ],
  [
    'post-merge: HEAD and ORIG_HEAD, the squash flag, the reflog action',
    sh(
      { ...BASE, hook: 'post-merge', action: 'pull origin main' },
      { args: ['0'], names: ['HEAD', 'ORIG_HEAD'], objects: HEAD_OBJ + commitObject(ORIG, [], 'before\n') },
    ),
    rec({ hook: 'post-merge', action: 'pull origin main', args: ['0'], orig: ORIG }),
  ],
  [
    'post-merge without ORIG_HEAD',
    sh({ ...BASE, hook: 'post-merge' }, { args: ['1'], names: ['HEAD', 'ORIG_HEAD'], objects: `${HEAD_OBJ}ORIG_HEAD missing\n` }),
    rec({ hook: 'post-merge', args: ['1'] }),
  ],
  [
    'post-rewrite: the kind as argument, stdin kept exactly (even lines that look like fields)',
    sh({ ...BASE, hook: 'post-rewrite' }, { args: ['rebase'], stdin: `${ORIG} ${SHA}\nhook=post-commit\n--objects--\n` }),
    rec({ hook: 'post-rewrite', args: ['rebase'], head: null, stdin: `${ORIG} ${SHA}\nhook=post-commit\n--objects--\n` }),
  ],
  [
    'post-rewrite with an empty stdin',
    sh({ ...BASE, hook: 'post-rewrite' }, { args: ['amend'], stdin: '' }),
    rec({ hook: 'post-rewrite', args: ['amend'], head: null }),
  ],
  [
    'arguments in order, "=" inside a value kept',
    sh(BASE, { args: ['a=b', '', 'c'], names: ['HEAD'], objects: HEAD_OBJ }),
    rec({ args: ['a=b', '', 'c'] }),
  ],
  ['unknown keys and lines without "=" are ignored', `future=1\nnoise\n${sh(BASE, { names: ['HEAD'], objects: HEAD_OBJ })}`, rec({})],
  // Not one of ours: nothing is made of it.
  ['another hook', sh({ ...BASE, hook: 'pre-commit' }), null],
  ['a hook name with a suffix', sh({ ...BASE, hook: 'post-commit-x' }), null],
  ['no hook line', sh({ action: 'x' }), null],
  ['an empty file', '', null],
  ['binary noise', '\u0000\u0001\u0002', null],
];
for (const [name, text, expected] of records) {
  test(`parseGitRecord: ${name}`, () => assert.equal(parseGitRecord(Buffer.from(text, 'utf8')), expected));
}

test.run();
