// A strict RFC 4180 reader for tests: records end in CRLF, quoted fields may hold commas, quotes
// (doubled) and line breaks. Anything else (a bare quote, a lone CR or LF outside quotes) throws.

/** The records of `text`, each an array of fields. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quoted field at ${i}`);
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const m = /^[^,"\r\n]*/.exec(text.slice(i)) as RegExpExecArray;
      field = m[0];
      i += field.length;
    }
    record.push(field);
    if (text[i] === ',') {
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else {
      throw new Error(`unexpected ${JSON.stringify(text[i] ?? 'end of text')} at ${i}`);
    }
  }
  if (record.length) throw new Error('the last record does not end in CRLF');
  return records;
}
