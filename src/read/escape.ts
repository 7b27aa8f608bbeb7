// Text from the log, made safe to show. A row's text comes from agents, prompts and other clones
// (through merges): printed raw, ESC or C1 sequences could retitle the terminal, clear it or fake
// other output, and bidirectional overrides could make a line read differently from its bytes.
// Every reader shows such characters as visible escapes; JSON escapes them losslessly; HTML and
// the report's embedded data are escaped so no row can close a tag or a script.

// C0 controls, DEL, C1 controls, and the invisible characters that reorder or break text: the
// bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E-F, U+202A-E,
// U+2066-9) and the Unicode line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this expression's purpose.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same set, minus what JSON.stringify already escapes (everything below U+0020).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// Runs of whitespace a one-line cell folds into one space (tabs and line breaks included).
const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** The visible form of one unsafe character: `\x1b`, `\x9b`, `\u202e`. */
export function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${hex(n, 2)}` : `\\u${hex(n, 4)}`;
}

/**
 * `text` with every control character (C0, DEL, C1) and every bidirectional or line-separator
 * character shown as an escape (`\x1b`, `\x9b`, `\u202e`); `keep` lists the characters left as
 * they are (a newline where the output is multi-line).
 */
export function escapeControl(text: string, keep = ''): string {
  return text.replace(UNSAFE, (c) => (keep.includes(c) ? c : escapeChar(c)));
}

/** One line of text for a table cell or a listing: whitespace runs fold into a space, the rest escaped. */
export function inline(text: string | null | undefined): string {
  return escapeControl((text ?? '').replace(WHITESPACE, ' ').trim());
}

/**
 * JSON.stringify, with the characters it leaves raw (DEL, C1, bidirectional and line separators)
 * escaped as \uXXXX too: still valid JSON, the same data, and safe to print on a terminal.
 */
export function safeJson(value: unknown, indent?: number): string {
  return escapeJsonText(JSON.stringify(value, null, indent) ?? 'null');
}

/** Text made of JSON.stringify output: the characters it leaves raw, escaped as \uXXXX (they can only be inside strings). */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/**
 * JSON to embed in an HTML <script type="application/json">: safeJson with every `<` escaped, so
 * no string in it can close the script element (`</script>`) or open a comment (`<!--`).
 */
export function scriptJson(value: unknown): string {
  return safeJson(value).replace(/</g, '\\u003c');
}

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
