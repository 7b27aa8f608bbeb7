// Marked blocks in files we share with the user (.husky/*, .gitattributes, .gitignore): we only
// ever add, replace or remove the text between our markers, never the user's own lines.

export const BEGIN = '# >>> codexlog-hooks >>> (managed block: `npx codexlog-hooks uninstall` removes it)';
export const END = '# <<< codexlog-hooks <<<';

/** `text` with our block set to `body` (appended when absent, replaced when present). */
export function upsertBlock(text: string, body: string): string {
  const block = `${BEGIN}\n${body.trimEnd()}\n${END}\n`;
  const range = findBlock(text);
  if (range) return text.slice(0, range.start) + block + text.slice(range.end);
  if (text === '') return block;
  return text + (text.endsWith('\n') ? '' : '\n') + block;
}

/** `text` without our block (and without the newline we added before it). */
export function removeBlock(text: string): string {
  const range = findBlock(text);
  if (!range) return text;
  return text.slice(0, range.start) + text.slice(range.end);
}

/** Whether `text` contains our block. */
export function hasBlock(text: string): boolean {
  return findBlock(text) !== null;
}

function findBlock(text: string): { start: number; end: number } | null {
  const start = text.indexOf(BEGIN.slice(0, BEGIN.indexOf('(')).trimEnd());
  if (start < 0) return null;
  const endAt = text.indexOf(END, start);
  if (endAt < 0) return null;
  let end = endAt + END.length;
  if (text[end] === '\n') end += 1;
  // The begin marker starts its line.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return { start: lineStart, end };
}
