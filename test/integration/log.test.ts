// `log` (and readCodexLog): the JSON row objects, the table, and the filters on exact data that
// mixes both timestamp forms, offsets, NULLs and ties; committed and uncommitted rows as one log.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { legacyUid } from '../../src/ids.ts';
import { closeCodexLogDb, finalizeCodexLogDb, initCodexLogDb, readCodexLog, recordCodexAction } from '../../src/index.ts';
import { logJson } from '../helpers/log.ts';
import { makeSeedDb, queryDb, type TestRepo, throwawayRepos } from '../helpers/repo.ts';

type Seed = [string | null, string | null, string | null, string | null, string | null];
const DATA: Seed[] = [
  /* 1 */ ['s1', '2024-05-01 09:00:00', 'generate', 'created script', 'plain'],
  /* 2 */ ['s2', '2024-05-01T09:30:00+00:00', 'edit', 'edited', '{"a":1}'],
  /* 3 */ ['s1', '2024-05-01T10:00:00+02:00', 'run', 'tests', null], // 08:00 UTC
  /* 4 */ ['s1', '2024-05-02 00:00:00', 'edit', 'next day', null],
  /* 5 */ ['s3', null, 'edit', 'undated', null],
  /* 6 */ ['s2', '2024-05-01T12:00:00.500Z', 'edit', 'millis', 'm'],
  /* 7 */ ['s1', '2024-05-01 09:00:00', 'generate', 'same second as 1', null],
];
const row = (id: number) => {
  const [session_id, ts, action, statement, metadata] = DATA[id - 1];
  return {
    id,
    uid: legacyUid('codex_actions', [id, session_id, ts, action, statement, metadata]),
    session_id,
    ts,
    action,
    statement,
    metadata,
    pending: false,
  };
};

// One repository, built once, that every test reads (and the empty one), removed after the last test.
const { repo } = throwawayRepos(test, { per: 'file' });
let r: TestRepo;
let seeded: Buffer;
test.before(async () => {
  r = repo();
  await makeSeedDb(path.join(r.dir, 'databases/codex_log.db'), DATA);
  seeded = r.read('databases/codex_log.db');
  // initCodexLogDb checks the file and leaves it as the seed wrote it (finalize migrates it):
  // readers derive the same uids the migration will write.
  await initCodexLogDb({ cwd: r.dir, env: r.env });
  closeCodexLogDb();
  assert.ok(r.read('databases/codex_log.db').equals(seeded), 'initCodexLogDb changed the file');
});

const filters: Array<[string, string[], Parameters<typeof readCodexLog>[0], number[]]> = [
  // name, CLI flags, API query, expected ids in order
  ['everything, oldest first (NULL ts first, ties by id, offsets normalised)', [], {}, [5, 3, 1, 7, 2, 6, 4]],
  ['--session s1', ['--session', 's1'], { session: 's1' }, [3, 1, 7, 4]],
  ['--session of nobody', ['--session', 'nobody'], { session: 'nobody' }, []],
  ['--action edit', ['--action', 'edit'], { action: 'edit' }, [5, 2, 6, 4]],
  ['--session s1 --action edit', ['--session', 's1', '--action', 'edit'], { session: 's1', action: 'edit' }, [4]],
  ['--since, UTC with Z (inclusive)', ['--since', '2024-05-01T09:00:00Z'], { since: '2024-05-01T09:00:00.000Z' }, [1, 7, 2, 6, 4]],
  ['--since in the seed form (UTC)', ['--since', '2024-05-01 09:00:00'], { since: '2024-05-01 09:00:00' }, [1, 7, 2, 6, 4]],
  ['--since with an offset', ['--since', '2024-05-01T11:00:00+02:00'], { since: '2024-05-01T09:00:00+00:00' }, [1, 7, 2, 6, 4]],
  ['--since one second later', ['--since', '2024-05-01T09:00:01Z'], { since: '2024-05-01T09:00:01Z' }, [2, 6, 4]],
  ['--since a date', ['--since', '2024-05-02'], { since: '2024-05-02' }, [4]],
  ['--since after everything', ['--since', '2024-06-01'], { since: '2024-06-01' }, []],
  ['--limit 2 (the newest two)', ['--limit', '2'], { limit: 2 }, [6, 4]],
  ['--limit larger than the log', ['--limit', '100'], { limit: 100 }, [5, 3, 1, 7, 2, 6, 4]],
  ['--limit 1 --session s2', ['--limit', '1', '--session', 's2'], { limit: 1, session: 's2' }, [6]],
  [
    '--action generate --limit 1 (a tie: the higher id is newer)',
    ['--action', 'generate', '--limit', '1'],
    { action: 'generate', limit: 1 },
    [7],
  ],
  [
    'all filters at once',
    ['--session', 's1', '--action', 'generate', '--since', '2024-05-01T08:30:00Z', '--limit', '5'],
    { session: 's1', action: 'generate', since: '2024-05-01T08:30:00Z', limit: 5 },
    [1, 7],
  ],
];
for (const [name, flags, query, ids] of filters) {
  test(`log --json ${name}`, async () => {
    const out = r.cli(['log', '--json', ...flags]);
    assert.equal([out.status, out.stderr], [0, '']);
    assert.is(out.stdout, `${JSON.stringify(ids.map(row), null, 2)}\n`);
    assert.equal(await readCodexLog(query, { cwd: r.dir, env: r.env }), ids.map(row));
  });
}

test('log --json rows carry exactly these keys, in this order', () => {
  const rows = JSON.parse(r.cli(['log', '--json', '--limit', '1']).stdout) as object[];
  assert.equal(
    rows.map((x) => Object.keys(x)),
    [['id', 'uid', 'session_id', 'ts', 'action', 'statement', 'metadata', 'pending']],
  );
});

test('log (table) with a filter', () => {
  const out = r.cli(['log', '--session', 's2']);
  assert.equal([out.status, out.stderr], [0, '']);
  assert.is(
    out.stdout,
    [
      'ID  TS                         SESSION  ACTION  STATEMENT',
      '2   2024-05-01T09:30:00+00:00  s2       edit    edited',
      '6   2024-05-01T12:00:00.500Z   s2       edit    millis',
      '',
    ].join('\n'),
  );
});

test('log (table) with no match says the log is empty', () => {
  const out = r.cli(['log', '--action', 'deploy']);
  assert.equal([out.status, out.stdout, out.stderr], [0, 'The log is empty.\n', '']);
});

test('log in a repository without a log: empty, and nothing is created', () => {
  const empty = repo();
  assert.equal([empty.cli(['log']).stdout, empty.cli(['log', '--json']).stdout], ['The log is empty.\n', '[]\n']);
  assert.is(empty.git(['status', '--porcelain', '--untracked-files=all']), '');
});

test('reading never changed the database', async () => {
  assert.ok(r.read('databases/codex_log.db').equals(seeded));
  assert.equal(await queryDb(path.join(r.dir, 'databases/codex_log.db'), 'PRAGMA user_version'), [{ user_version: 0 }]);
  assert.is(r.git(['status', '--porcelain', '--untracked-files=all']), '?? databases/codex_log.db\n');
});

test('committed and uncommitted rows as one log: pending rows have no id, filters and --limit apply to both', async () => {
  const m = repo();
  const o = { cwd: m.dir, env: m.env };
  await recordCodexAction('s1', 'edit', 'committed one', undefined, o);
  await recordCodexAction('s2', 'run', 'committed two', undefined, o);
  await finalizeCodexLogDb(o);
  await new Promise((resolve) => setTimeout(resolve, 5)); // a later millisecond for the pending rows
  await recordCodexAction('s1', 'edit', 'pending one', undefined, o);
  closeCodexLogDb();
  assert.is(m.cli(['record', 'note', 'pending two', '--session', 's2']).status, 0);

  const all = logJson(m);
  assert.equal(
    all.map((x) => [x.id, x.statement, x.pending]),
    [
      [1, 'committed one', false],
      [2, 'committed two', false],
      [null, 'pending one', true],
      [null, 'pending two', true],
    ],
  );
  assert.equal(await readCodexLog({}, o), all);
  assert.equal(
    logJson(m, ['--session', 's2']).map((x) => [x.id, x.statement]),
    [
      [2, 'committed two'],
      [null, 'pending two'],
    ],
  );
  assert.equal(
    logJson(m, ['--action', 'edit', '--limit', '1']).map((x) => [x.id, x.statement]),
    [[null, 'pending one']],
  );
  assert.equal(
    logJson(m, ['--since', all[2].ts as string]).map((x) => x.statement),
    ['pending one', 'pending two'],
  );
  const table = m.cli(['log']);
  assert.equal([table.status, table.stderr], [0, '']);
  const lines = table.stdout.split('\n');
  assert.equal(
    lines.slice(1, 5).map((l) => l.split(/\s+/)[0]),
    ['1', '2', '*', '*'],
  );
  assert.equal(lines.slice(5), ['', '* uncommitted: waits in the git dir, enters the log at the next commit', '']);
  // Reading twice shows the same rows once each (ingesting again adds nothing).
  assert.equal(logJson(m), all);
});

test.run();
