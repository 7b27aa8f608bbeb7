// A legacy (seed-written) file read as untrusted input (a merge side, a segment, the work tree's log
// read by the view) gets the same row ids as the same file migrated, so a clone that migrated and
// one that did not agree on which rows are the same.

import { copyFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LogStore } from '../../src/store/log-store.ts';
import { actionsSelect, attachLog, detachLog, eventsSelect, registerLegacyUid } from '../../src/store/untrusted.ts';
import { LogView } from '../../src/store/view.ts';
import { makeSeedDb, throwawayRepos } from '../helpers/repo.js';

const repos = throwawayRepos(test);

/** Every action and event of a log file, read the way the merge driver and the view read them. */
function readUntrusted(file: string): { actions: unknown[]; events: unknown[] } {
  const db = new Database(':memory:');
  try {
    db.pragma('trusted_schema = OFF');
    registerLegacyUid(db);
    const shape = attachLog(db, file, 'src', { integrity: true });
    const events = eventsSelect('src', shape);
    const out = {
      actions: db.prepare(`SELECT * FROM (${actionsSelect('src', shape)}) ORDER BY id`).all(),
      events: events ? db.prepare(`SELECT * FROM (${events}) ORDER BY uid`).all() : [],
    };
    detachLog(db, 'src');
    return out;
  } finally {
    db.close();
  }
}

test('a legacy file and its migrated copy yield identical rows (actions and events), read untrusted or through the view', async () => {
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
  const seed = new Database(legacy);
  seed
    .prepare('INSERT INTO codex_log (session_id, event, summary, ts) VALUES (?, ?, ?, ?)')
    .run('s1', 'start', null, '2024-05-01 09:00:00');
  seed
    .prepare('INSERT INTO codex_log (session_id, event, summary, ts) VALUES (?, ?, ?, ?)')
    .run('s1', 'start', null, '2024-05-01 09:00:00');
  seed.close();
  const migrated = path.join(dir, 'migrated.db');
  copyFileSync(legacy, migrated);
  LogStore.open(migrated, path.join(dir, 'work.db')).replaceTracked(path.join(dir, 'migrated-copy.db'));

  const a = readUntrusted(legacy);
  const b = readUntrusted(migrated);
  assert.is(a.actions.length, 3);
  assert.is(a.events.length, 2);
  assert.equal(a, b);
  assert.equal(new Set(a.actions.map((r) => (r as { uid: string }).uid)).size, 3, 'identical-looking rows stay distinct');
  assert.equal(new Set(a.events.map((r) => (r as { uid: string }).uid)).size, 2, 'identical events stay distinct');

  // The view (what readers see) agrees with both.
  const views = [legacy, migrated].map((logDb) => {
    const view = LogView.open(':memory:');
    try {
      view.refresh({ logDb, segmentsDir: path.join(dir, 'no-segments') });
      return { actions: view.actions(), events: view.events() };
    } finally {
      view.close();
    }
  });
  assert.equal(views[0], views[1]);
  assert.equal(views[0].actions.map((r) => r.uid).sort(), a.actions.map((r) => (r as { uid: string }).uid).sort());
});

test.run();
