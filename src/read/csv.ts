// CSV as RFC 4180 says: fields separated by commas, records by CRLF; a field holding a comma, a
// double quote, CR or LF is quoted, its quotes doubled. A NULL is an empty field. RFC 4180 has no
// escape for other characters, so the data goes out as stored; what reaches a terminal is escaped
// by the caller (escape.ts), since a terminal is no spreadsheet.

/** One field. Numbers and booleans as JavaScript prints them; a Buffer as x'hex'. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string'
      ? value
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
