// What .gitattributes and .gitignore say about the databases and the segments (src/install/attributes.ts),
// and what git itself makes of those lines.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCheckAttrZ } from '../../src/git/parse.ts';
import { attributeLines, IGNORE_LINES, MERGE_DRIVER, segmentProbe } from '../../src/install/attributes.ts';
import { throwawayRepos } from '../helpers/repo.ts';

const repos = throwawayRepos(test);

const cases: Array<[string, { dbs: string[]; segmentsDir: string }, string[]]> = [
  [
    'the defaults',
    { dbs: ['databases/codex_log.db', 'databases/codex_session_logs.db'], segmentsDir: 'databases/codex_log.segments' },
    [
      'databases/codex_log.db filter=lfs diff=lfs merge=codexlog -text',
      'databases/codex_session_logs.db filter=lfs diff=lfs merge=codexlog -text',
      'databases/codex_log.segments/*.db filter=lfs diff=lfs merge=binary -text',
    ],
  ],
  [
    'paths with spaces become [[:space:]] (a space would end the pattern)',
    { dbs: ['my logs/a log.db', 'my logs/copy.db'], segmentsDir: 'my logs/old segments' },
    [
      'my[[:space:]]logs/a[[:space:]]log.db filter=lfs diff=lfs merge=codexlog -text',
      'my[[:space:]]logs/copy.db filter=lfs diff=lfs merge=codexlog -text',
      'my[[:space:]]logs/old[[:space:]]segments/*.db filter=lfs diff=lfs merge=binary -text',
    ],
  ],
  [
    'databases at the top level',
    { dbs: ['log.db', 'copy.db'], segmentsDir: 'segments' },
    [
      'log.db filter=lfs diff=lfs merge=codexlog -text',
      'copy.db filter=lfs diff=lfs merge=codexlog -text',
      'segments/*.db filter=lfs diff=lfs merge=binary -text',
    ],
  ],
];
for (const [name, tracked, lines] of cases) {
  test(`attributeLines: ${name}`, () => assert.is(attributeLines(tracked), lines.join('\n')));
}

test('MERGE_DRIVER and segmentProbe', () => {
  assert.is(MERGE_DRIVER, 'codexlog');
  assert.is(segmentProbe('databases/codex_log.segments'), 'databases/codex_log.segments/segment.db');
});

test('IGNORE_LINES: SQLite side files and finalize temp files', () => {
  assert.equal(IGNORE_LINES.split('\n'), ['*.db-wal', '*.db-shm', '*.db-journal', '.codexlog-*.tmp']);
});

test('git reads the lines as meant: databases merged by our driver, segments never merged, nothing else touched', () => {
  for (const [, tracked] of cases) {
    const r = repos.repo();
    r.write('.gitattributes', `${attributeLines(tracked)}\n`);
    const seg = `${tracked.segmentsDir}/20240501T100000Z-${'0'.repeat(32)}.db`;
    const probe = segmentProbe(tracked.segmentsDir);
    const paths = [...tracked.dbs, seg, probe, `${tracked.segmentsDir}/nested/x.db`, `${tracked.segmentsDir}/notes.txt`, 'other.db'];
    const ask = (attr: string) =>
      parseCheckAttrZ(r.git(['check-attr', '-z', '--stdin', attr], { input: paths.map((p) => `${p}\0`).join('') }));
    const filter = ask('filter');
    const merge = ask('merge');
    const text = ask('text');
    for (const db of tracked.dbs) assert.equal([filter.get(db), merge.get(db), text.get(db)], ['lfs', 'codexlog', 'unset'], db);
    for (const s of [seg, probe]) assert.equal([filter.get(s), merge.get(s), text.get(s)], ['lfs', 'binary', 'unset'], s);
    // *.db in a pattern with a slash does not reach into subfolders; other files are not ours.
    for (const p of paths.slice(-3)) assert.equal([filter.get(p), merge.get(p)], ['unspecified', 'unspecified'], p);
  }
});

test.run();
