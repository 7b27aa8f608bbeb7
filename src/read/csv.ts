// CSV as RFC 4180 says: fields separated by commas, records by CRLF; a field holding a comma, a
// double quote, CR or LF is quoted, its quotes doubled. A NULL is an empty field. RFC 4180 has no
// escape for other characters, so the data goes out as stored; what reaches a terminal is escaped
// by the caller (escape.ts), since a terminal is no spreadsheet. One exception, for spreadsheets:
// a text starting with = + - @, a tab or a CR would be run as a formula there (a row's text comes
// from agents and prompts), so it gets a leading ' (OWASP's advice on CSV injection). JSON Lines and
// SQLite exports keep every value exact.

// What a spreadsheet reads as the start of a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text a spreadsheet would run as a formula, with a leading ' that makes it text; other text as it is. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field. Text as stored (but see defuseFormula); numbers and booleans as JavaScript prints them; a Buffer as x'hex'. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string'
      ? defuseFormula(value)
      : Buffer.isBuffer(value)
        ? `x'${value.toString('hex')}'`
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, ending in CRLF. */
export function csvRecord(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
