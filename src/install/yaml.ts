// A tiny YAML emitter for the CI files install writes: block mappings and sequences, numbers,
// booleans and strings (plain when nothing in them could be read as anything else, else quoted,
// multi-line ones as literal blocks). Enough for a workflow written from a JS object, and small
// enough to read whole, where a YAML library would be a dependency for one file.

/** What the emitter writes: a mapping, a sequence, or a scalar. */
export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

// Words YAML 1.1 or 1.2 reads as booleans or null; numbers; anything starting with an indicator.
const SPECIAL = /^(?:true|false|yes|no|y|n|on|off|null|~)$/i;
const NUMBER = /^[-+]?(?:\.?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|\.inf|\.nan)$/i;
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./@ -]*$/;

/** A one-line string as YAML reads it back unchanged: plain, else single-quoted, else double-quoted. */
export function scalar(s: string): string {
  if (s.includes('\n')) throw new Error('scalar: a multi-line string goes in a literal block');
  if (PLAIN.test(s) && !s.endsWith(' ') && !SPECIAL.test(s) && !NUMBER.test(s)) return s;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters cannot be quoted here.
  if (/[\x00-\x08\x0b-\x1f\x7f]/.test(s)) throw new Error(`scalar: control characters in ${JSON.stringify(s)}`);
  if (!s.includes("'")) return `'${s}'`;
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) && !SPECIAL.test(k) ? k : scalar(k);
}

/** A literal block (`|` keeps one final newline, `|-` none); its lines indented by `indent`. */
function literal(s: string, indent: string): string {
  const lines = s.replace(/\n$/, '').split('\n');
  if (/\n\n$/.test(s)) throw new Error('literal: more than one final newline');
  if (/^\s/.test(lines[0])) throw new Error('literal: the first line starts with a space');
  const head = s.endsWith('\n') ? '|' : '|-';
  return `${head}\n${lines.map((l) => (l === '' ? '' : `${indent}${l}`)).join('\n')}`;
}

function inline(v: YamlValue, indent: string): string | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('yaml: a number must be finite');
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.includes('\n') ? literal(v, indent) : scalar(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : null;
  return Object.keys(v).length === 0 ? '{}' : null;
}

function block(v: YamlValue, indent: string): string[] {
  const out: string[] = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      const one = inline(item, `${indent}  `);
      if (one !== null) {
        out.push(`${indent}- ${one}`);
        continue;
      }
      // A nested collection: its first line goes on the dash line.
      const [first, ...rest] = block(item, `${indent}  `);
      out.push(`${indent}- ${first.slice(indent.length + 2)}`, ...rest);
    }
    return out;
  }
  if (typeof v !== 'object') throw new Error('yaml: block of a scalar');
  for (const [k, item] of Object.entries(v)) {
    const one = inline(item, `${indent}  `);
    if (one !== null) out.push(`${indent}${key(k)}: ${one}`);
    else out.push(`${indent}${key(k)}:`, ...block(item, `${indent}  `));
  }
  return out;
}

/** The YAML text of a mapping, after `comments` (each line becomes a `#` comment). */
export function toYaml(value: { [key: string]: YamlValue }, comments: readonly string[] = []): string {
  return `${[...comments.map((c) => (c ? `# ${c}` : '#')), ...block(value, '')].join('\n')}\n`;
}
