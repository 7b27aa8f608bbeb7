// Timestamps as the log holds them: ISO 8601 (ours, and the seed's with +00:00) or the seed's
// `YYYY-MM-DD HH:MM:SS` (SQLite's datetime('now'), UTC, no zone). Readers compare and show them
// as UTC.

// A date and time without a zone: UTC in every log (the seed wrote SQLite's datetime('now')).
const NO_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/** Milliseconds since the epoch, or null for a missing or unreadable timestamp. */
export function tsMillis(ts: string | null | undefined): number | null {
  if (!ts) return null;
  const m = NO_ZONE.exec(ts.trim());
  const t = Date.parse(m ? `${m[1]}T${m[2]}Z` : ts);
  return Number.isNaN(t) ? null : t;
}

/** A timestamp for a table: `YYYY-MM-DD HH:MM:SS` in UTC; an unreadable one as stored. */
export function showTime(ts: string | null | undefined): string {
  const t = tsMillis(ts);
  return t === null ? (ts ?? '') : new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

/** A timestamp as ISO 8601 UTC with milliseconds; null when unreadable. */
export function isoTime(ts: string | null | undefined): string | null {
  const t = tsMillis(ts);
  return t === null ? null : new Date(t).toISOString();
}
