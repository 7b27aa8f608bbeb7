// The schema: the seed's tables plus our uid, its version, and the migration of seed-written files.
import { RefusedFileError } from '../errors.js';
import { legacyUid } from '../ids.js';
import { messages } from '../messages.js';
import { type Database, tableColumns } from './sqlite.js';

/** Schema version written to PRAGMA user_version. 0 means "seed-written or empty". */
export const SCHEMA_VERSION = 1;

// Defaults let the seed's Python module keep inserting its five data columns into our tables.
const RANDOM_UID = `('r-' || lower(hex(randomblob(16))))`;
const CREATE_ACTIONS = `CREATE TABLE main.codex_actions (
  id INTEGER PRIMARY KEY,
  session_id TEXT,
  ts TEXT,
  action TEXT,
  statement TEXT,
  metadata TEXT,
  uid TEXT NOT NULL UNIQUE DEFAULT ${RANDOM_UID}
)`;
const CREATE_EVENTS = `CREATE TABLE main.codex_log (
  session_id TEXT,
  event TEXT,
  summary TEXT,
  ts TEXT,
  uid TEXT NOT NULL UNIQUE DEFAULT ${RANDOM_UID}
)`;
/** The seed's columns of codex_actions. */
export const ACTION_COLUMNS = ['id', 'session_id', 'ts', 'action', 'statement', 'metadata'] as const;
/** The seed's columns of codex_log. */
export const EVENT_COLUMNS = ['session_id', 'event', 'summary', 'ts'] as const;

/** Brings `db` to SCHEMA_VERSION in one write transaction; seed-written tables keep every row. */
export function migrate(db: Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) throw new RefusedFileError(file, messages.newerSchema(file, version, SCHEMA_VERSION));
  db.transaction(() => {
    // Another process may have migrated while we waited for the write lock.
    if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
    db.function('codexlog_legacy_uid', { deterministic: true, varargs: true }, (table: unknown, ...values: unknown[]) =>
      legacyUid(String(table), values),
    );
    const actionCols = tableColumns(db, 'codex_actions');
    if (actionCols.length === 0) {
      db.exec(CREATE_ACTIONS);
    } else {
      rebuildLegacy(db, file, 'codex_actions', actionCols, [...ACTION_COLUMNS], CREATE_ACTIONS, 'id');
    }
    const eventCols = tableColumns(db, 'codex_log');
    if (eventCols.length === 0) {
      db.exec(CREATE_EVENTS);
    } else {
      rebuildLegacy(db, file, 'codex_log', eventCols, [...EVENT_COLUMNS], CREATE_EVENTS, 'rowid');
    }
    db.exec('CREATE INDEX IF NOT EXISTS main.codex_actions_session ON codex_actions(session_id)');
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * Rebuilds a seed-written table into our schema (SQLite cannot ADD COLUMN with a random default).
 * Every value is copied unchanged; `id`s stay; each row gets a content-derived uid.
 */
function rebuildLegacy(
  db: Database,
  file: string,
  table: string,
  have: string[],
  known: string[],
  create: string,
  key: 'id' | 'rowid',
): void {
  const unknown = have.filter((c) => !known.includes(c) && c !== 'uid');
  if (unknown.length > 0) throw new RefusedFileError(file, messages.foreignColumns(file, table, unknown));
  const legacy = `${table}__codexlog_legacy`;
  const cols = known.join(', ');
  const values = known.filter((c) => c !== 'id');
  // Every statement names main: nothing here may touch a file attached to this connection.
  db.exec(`ALTER TABLE main.${table} RENAME TO ${legacy}`);
  db.exec(create);
  const select = have.includes('uid')
    ? `coalesce(uid, codexlog_legacy_uid('${table}', ${key}, ${values.join(', ')}))`
    : `codexlog_legacy_uid('${table}', ${key}, ${values.join(', ')})`;
  db.exec(`INSERT INTO main.${table} (${cols}, uid) SELECT ${cols}, ${select} FROM main.${legacy} ORDER BY ${key}`);
  db.exec(`DROP TABLE main.${legacy}`);
}
