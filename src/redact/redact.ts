// Redaction of rows before they can reach a tracked file. Ingest (src/ingest.ts) runs every row
// through here before storing it, and so does finalize for the rows it adds itself; `scan` uses the
// same functions on committed rows to find what older versions let through.
//
// Each secret is replaced with [REDACTED:<rule>]; the row's metadata records how many per rule
// (`redactions: {rule: count}`). Metadata that is a JSON object is walked: string values are
// redacted, a value under a secret-ish key (password, token, secret, api_key, ...) is redacted
// whole. Metadata that is free text or other JSON becomes {"value": <redacted>, "redactions": ...}
// once something in the row was redacted. A row with nothing to redact comes out byte-identical.
import { CodexlogError } from '../errors.js';
import { messages } from '../messages.js';
import type { EventRow } from '../rows.js';
import type { StoredAction } from '../store/uncommitted.js';
import { createDetector, type Detector, MAX_SCAN_CHARS, type Redacted, type RedactionConfig } from './detector.js';
import { holdsLabel, label } from './finding.js';
import { loadSecretlint } from './secretlint.js';

export type { RedactionConfig } from './detector.js';

/** Counts of matches per rule. */
export type Counts = Record<string, number>;

/** The key of the counts in a row's metadata. */
export const REDACTIONS_KEY = 'redactions';
/** The rule of a value redacted whole because of its key (when no rule names what it holds). */
export const SECRET_FIELD = 'secret-field';
/** Keys shorter than this are names, not tokens (no provider token, no random token the entropy check flags, is shorter). */
const MIN_KEY_SCAN = 20;
/** JSON deeper than this is redacted as text. */
const MAX_DEPTH = 64;

// A key whose value is a secret whatever it looks like: compared without case and punctuation
// ("DB_PASSWORD", "x-api-key", "accessToken", "_authToken", "aws_secret_access_key").
const SECRET_KEY =
  /(?:password|passwd|passphrase|secret|token|apikey|accesskey|secretkey|privatekey|authkey|credential|credentials|authorization|cookie|sessionkey|signingkey)$/;
// Values that never are the secret itself: references, placeholders, our own labels.
const NOT_A_VALUE =
  /^(?:\$|%[A-Z_]|\{\{|#\{|<[^>]*>$|process\.env|os\.environ|env\.|secrets\.|\*+$|x+$|\.+$|-+$|true$|false$|null$|none$|undefined$|redacted$|changeme$)/i;
const PATH_LIKE = /^(?:\/|~\/|\.\.?\/|[A-Za-z]:\\)/;

/** Whether a metadata key names a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

function add(into: Counts, from: Counts): void {
  for (const [rule, n] of Object.entries(from)) into[rule] = (into[rule] ?? 0) + n;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

class TooDeep extends Error {}

/** What redacting one row found, per column. */
export interface RowFindings<T> {
  row: T;
  /** Counts per column (only columns where something was found). */
  columns: Record<string, Counts>;
}

/** The row-level redactor of one configuration. */
export class RowRedactor {
  constructor(readonly detector: Detector) {}

  /** A string value redacted whole (its key names a secret); null when it is not a secret value. */
  private whole(value: string): { text: string; rule: string } | null {
    const v = value.trim();
    if (v.length < 4 || holdsLabel(v) || NOT_A_VALUE.test(v) || PATH_LIKE.test(v)) return null;
    const found = this.detector.findings(v.slice(0, MAX_SCAN_CHARS));
    const rule = found.length ? found.reduce((a, b) => (b.priority < a.priority ? b : a)).rule : SECRET_FIELD;
    return { text: label(rule), rule };
  }

  /** A JSON value with secrets replaced; adds what it found to `counts`. */
  private walk(value: unknown, key: string | null, counts: Counts, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new TooDeep();
    if (typeof value === 'string') {
      if (key !== null && isSecretKey(key)) {
        const w = this.whole(value);
        if (w) {
          counts[w.rule] = (counts[w.rule] ?? 0) + 1;
          return w.text;
        }
      }
      const r = this.detector.redact(value);
      add(counts, r.counts);
      return r.text;
    }
    if (typeof value === 'number' && key !== null && isSecretKey(key) && Math.abs(value) >= 1000) {
      counts[SECRET_FIELD] = (counts[SECRET_FIELD] ?? 0) + 1;
      return label(SECRET_FIELD);
    }
    if (Array.isArray(value)) return value.map((v) => this.walk(v, null, counts, depth + 1));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      // {"name": "DB_PASSWORD", "value": "x"} (an environment list, an MCP tool's input): the value is the secret the name names.
      const named = typeof value.name === 'string' ? value.name : typeof value.key === 'string' ? value.key : null;
      const pairKey = named !== null && isSecretKey(named) ? named : null;
      for (const [k, v] of Object.entries(value)) {
        // A key is a name; one long enough to be a token (a map keyed by tokens) is checked too.
        let key = k;
        if (k.length >= MIN_KEY_SCAN) {
          const rk = this.detector.redact(k);
          add(counts, rk.counts);
          key = rk.text;
        }
        out[key] = this.walk(v, k === 'value' && pairKey !== null ? pairKey : k, counts, depth + 1);
      }
      return out;
    }
    return value;
  }

  /**
   * Metadata with secrets replaced and the counts (its own and `found`, what the row's other
   * columns had) recorded; the input itself when nothing was found anywhere in the row.
   */
  metadata(meta: string | null, found: Counts): { metadata: string | null; counts: Counts } {
    const counts: Counts = {};
    const anyFound = () => Object.keys(counts).length > 0 || Object.keys(found).length > 0;
    if (meta === null) return { metadata: Object.keys(found).length ? JSON.stringify({ [REDACTIONS_KEY]: found }) : null, counts };
    let parsed: unknown;
    let isJson = false;
    try {
      parsed = JSON.parse(meta);
      isJson = true;
    } catch {
      // free text
    }
    if (isJson) {
      try {
        if (isPlainObject(parsed)) {
          const rest = { ...parsed };
          delete rest[REDACTIONS_KEY];
          const walked = this.walk(rest, null, counts, 0) as Record<string, unknown>;
          const own = this.writerCounts(parsed[REDACTIONS_KEY], counts);
          if (!anyFound()) return { metadata: meta, counts };
          const total: Counts = { ...own };
          add(total, counts);
          add(total, found);
          return { metadata: JSON.stringify({ ...walked, [REDACTIONS_KEY]: total }), counts };
        }
        const walked = this.walk(parsed, null, counts, 0);
        if (!anyFound()) return { metadata: meta, counts };
        return { metadata: JSON.stringify({ value: walked, [REDACTIONS_KEY]: { ...sum(counts, found) } }), counts };
      } catch (e) {
        if (!(e instanceof TooDeep)) throw e;
        for (const k of Object.keys(counts)) delete counts[k];
      }
    }
    const r = this.detector.redact(meta);
    add(counts, r.counts);
    if (!anyFound()) return { metadata: meta, counts };
    return { metadata: JSON.stringify({ value: r.text, [REDACTIONS_KEY]: sum(counts, found) }), counts };
  }

  /**
   * The counts a writer (an agent hook mapper) left under the reserved `redactions` key, kept; what
   * else is there is the writer's like any other value, so it is scanned too (what it holds is
   * counted, and it is dropped when the key is rebuilt of counts). A key long enough to be a token
   * is checked, as any key is.
   */
  private writerCounts(value: unknown, counts: Counts): Counts {
    const out: Counts = {};
    if (value === undefined) return out;
    if (!isPlainObject(value)) {
      this.walk(value, null, counts, 1);
      return out;
    }
    for (const [k, n] of Object.entries(value)) {
      if (typeof n !== 'number') {
        this.walk(n, k, counts, 1);
        continue;
      }
      let rule = k;
      if (k.length >= MIN_KEY_SCAN) {
        const r = this.detector.redact(k);
        add(counts, r.counts);
        rule = r.text;
      }
      out[rule] = (out[rule] ?? 0) + n;
    }
    return out;
  }

  /** An action row with secrets replaced in every column, and what was found per column. */
  actionDetailed(row: StoredAction): RowFindings<StoredAction> {
    const columns: Record<string, Counts> = {};
    const text = (column: 'session_id' | 'action' | 'statement', value: string | null): string | null => {
      if (value === null) return null;
      const r = this.detector.redact(value);
      if (Object.keys(r.counts).length) columns[column] = r.counts;
      return r.text;
    };
    const session_id = text('session_id', row.session_id);
    const action = text('action', row.action);
    const statement = text('statement', row.statement);
    const others: Counts = {};
    for (const c of Object.values(columns)) add(others, c);
    const m = this.metadata(row.metadata, others);
    if (Object.keys(m.counts).length) columns.metadata = m.counts;
    if (Object.keys(columns).length === 0) return { row, columns };
    return { row: { ...row, session_id, action, statement, metadata: m.metadata }, columns };
  }

  /** A session event with secrets replaced (a JSON object summary records the counts), and what was found per column. */
  eventDetailed(row: EventRow): RowFindings<EventRow> {
    const columns: Record<string, Counts> = {};
    const text = (column: 'session_id' | 'event', value: string | null): string | null => {
      if (value === null) return null;
      const r = this.detector.redact(value);
      if (Object.keys(r.counts).length) columns[column] = r.counts;
      return r.text;
    };
    const session_id = text('session_id', row.session_id);
    const event = text('event', row.event);
    let summary = row.summary;
    if (summary !== null) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(summary);
      } catch {
        parsed = undefined;
      }
      if (isPlainObject(parsed)) {
        const others: Counts = {};
        for (const c of Object.values(columns)) add(others, c);
        const m = this.metadata(summary, others);
        if (Object.keys(m.counts).length) columns.summary = m.counts;
        summary = m.metadata;
      } else {
        // Free text (a turn's last message): the labels say what was there; there is no column for counts.
        const r = this.detector.redact(summary);
        if (Object.keys(r.counts).length) columns.summary = r.counts;
        summary = r.text;
      }
    }
    if (Object.keys(columns).length === 0) return { row, columns };
    return { row: { ...row, session_id, event, summary }, columns };
  }

  /** A text with its secrets replaced (the RowCleaner agent rows are made with: agents/rows.ts). */
  text = (text: string): Redacted => this.detector.redact(text);

  /** A JSON value with its secrets replaced as metadata's are; one deeper than MAX_DEPTH becomes its redacted JSON text. */
  json = (value: unknown): { value: unknown; counts: Counts } => {
    const counts: Counts = {};
    try {
      return { value: this.walk(value, null, counts, 0), counts };
    } catch (e) {
      if (!(e instanceof TooDeep)) throw e;
      const r = this.detector.redact(JSON.stringify(value) ?? '');
      return { value: r.text, counts: r.counts };
    }
  };

  /** The action with secrets replaced. */
  action = (row: StoredAction): StoredAction => this.actionDetailed(row).row;

  /** The event with secrets replaced. */
  event = (row: EventRow): EventRow => this.eventDetailed(row).row;
}

function sum(a: Counts, b: Counts): Counts {
  const out: Counts = {};
  add(out, a);
  add(out, b);
  return out;
}

interface Built {
  own?: RowRedactor;
  full?: Promise<RowRedactor>;
}
const built = new WeakMap<RedactionConfig, Built>();
const builtFor = (config: RedactionConfig): Built => {
  let b = built.get(config);
  if (!b) {
    b = {};
    built.set(config, b);
  }
  return b;
};

/**
 * The redactor of a configuration with our own rules and the config's patterns, built once per
 * process (patterns compiled once). When the configuration wants secretlint, strings its preset
 * could match are counted (`detector.deferredHits`), for redactBatch to load it.
 */
export function ownRedactor(config: RedactionConfig): RowRedactor {
  const b = builtFor(config);
  b.own ??= new RowRedactor(createDetector(config, null, config.secretlint));
  return b.own;
}

/** The redactor with every layer the configuration asks for: secretlint's preset is imported here, once. */
export function fullRedactor(config: RedactionConfig): Promise<RowRedactor> {
  if (!config.secretlint) return Promise.resolve(ownRedactor(config));
  const b = builtFor(config);
  if (!b.full) {
    const full = loadSecretlint().then(
      (layer) => new RowRedactor(createDetector(config, layer)),
      (e: unknown) => {
        throw new CodexlogError(messages.secretlintUnavailable((e as Error)?.message ?? String(e)), { cause: e });
      },
    );
    b.full = full;
    full.catch(() => {
      b.full = undefined;
    });
  }
  return b.full;
}

/**
 * Redacts a batch of rows. Our own rules run first; only the rows with a string that could hold
 * something secretlint's preset finds (most commits' rows have none) are redacted again with it,
 * the preset imported then, once per process.
 */
export async function redactBatch(
  config: RedactionConfig,
  actions: readonly StoredAction[],
  events: readonly EventRow[],
): Promise<{ actions: StoredAction[]; events: EventRow[] }> {
  const own = ownRedactor(config);
  const again: { actions: number[]; events: number[] } = { actions: [], events: [] };
  const first = <T>(rows: readonly T[], redact: (row: T) => T, redo: number[]): T[] =>
    rows.map((row, i) => {
      const before = own.detector.deferredHits;
      const out = redact(row);
      if (own.detector.deferredHits !== before) redo.push(i);
      return out;
    });
  const out = { actions: first(actions, own.action, again.actions), events: first(events, own.event, again.events) };
  if (again.actions.length + again.events.length === 0) return out;
  const full = await fullRedactor(config);
  for (const i of again.actions) out.actions[i] = full.action(actions[i]);
  for (const i of again.events) out.events[i] = full.event(events[i]);
  return out;
}
