// A legacy (seed-written) file read as merge input gets the same row ids as the same file migrated,
// so a clone that migrated and one that did not agree on which rows are the same.

import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LogStore } from '../../src/store/log-store.ts';
import { readUntrustedLog } from '../../src/store/untrusted.ts';
import { makeSeedDb, throwawayRepos } from '../helpers/repo.js';

const repos = throwawayRepos(test);

test('readUntrustedLog of a legacy file and the migrated copy yield identical rows', async () => {
  const dir = repos.dir();
  const legacy = path.join(dir, 'legacy.db');
  await makeSeedDb(
    legacy,
    [
      ['s1', '2024-05-01 10:00:00', 'generate', 'created script', null],
      ['s1', '2024-05-01T10:00:00+00:00', 'generate', 'created script', '{"k":1}'],
      [null, null, null, null, null],
    ],
    { withEventsTable: true },
  );
  const migrated = path.join(dir, 'migrated.db');
  copyFileSync(legacy, migrated);
  LogStore.open(migrated, { create: false }).close();
  const a = readUntrustedLog(legacy);
  const b = readUntrustedLog(migrated);
  assert.is(a.actions.length, 3);
  assert.equal(a.actions, b.actions);
  assert.equal(new Set(a.actions.map((r) => r.uid)).size, 3, 'identical-looking rows stay distinct');
});

test.run();
