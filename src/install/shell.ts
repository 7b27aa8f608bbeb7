// Shell quoting for the scripts install writes.

/** Quotes `s` for sh: single quotes, so backticks and $ stay text. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
