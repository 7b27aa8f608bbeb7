// A strict reader of the YAML subset src/install/yaml.ts writes: block mappings and sequences
// (a sequence item may open a mapping on its dash line), plain, single- and double-quoted
// scalars, literal blocks (| and |-), [] and {}, numbers, booleans, full-line comments. It is
// written from the YAML 1.2 spec, not from the emitter, and throws on anything outside the subset
// (tabs, anchors, flow collections, folded blocks, ambiguous plain words), so a workflow the
// emitter got wrong fails the test instead of being read the emitter's way.

/** A parsed value. */
export type Yaml = string | number | boolean | Yaml[] | { [key: string]: Yaml };

// Plain words YAML 1.1 reads as booleans or null: GitHub's parser may differ from others, so never unquoted.
const AMBIGUOUS = /^(?:yes|no|y|n|on|off|null|~|Null|NULL|True|False|TRUE|FALSE|Yes|No|On|Off)$/;

/** Parses `text`; throws with the line number on anything outside the subset. */
export function parseYaml(text: string): Yaml {
  if (text.includes('\t')) throw new Error('yaml: tab characters');
  const lines = text.split('\n');
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`yaml line ${i + 1}: ${why}: ${JSON.stringify(lines[i] ?? '')}`);
  };
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const skip = () => {
    while (i < lines.length && (lines[i].trim() === '' || lines[i].trimStart().startsWith('#'))) i++;
  };

  function scalar(v: string): Yaml {
    if (v === '[]') return [];
    if (v === '{}') return {};
    if (v.startsWith("'")) {
      const m = /^'((?:[^']|'')*)'$/.exec(v);
      if (!m) fail('bad single-quoted scalar');
      return (m as RegExpExecArray)[1].replace(/''/g, "'");
    }
    if (v.startsWith('"')) {
      const m = /^"((?:[^"\\]|\\["\\])*)"$/.exec(v);
      if (!m) fail('bad double-quoted scalar');
      return (m as RegExpExecArray)[1].replace(/\\(["\\])/g, '$1');
    }
    if (v === 'true') return true;
    if (v === 'false') return false;
    if (/^-?(?:0|[1-9][0-9]*)$/.test(v)) return Number(v);
    if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(v) || v.includes(': ') || v.includes(' #') || v.endsWith(':') || v.endsWith(' ')) {
      fail('plain scalar that needs quotes');
    }
    if (AMBIGUOUS.test(v) || (/^[-+.0-9]/.test(v) && !Number.isNaN(Number(v)))) fail('ambiguous plain scalar');
    return v;
  }

  // A literal block after "key: |" or "- |" whose parent sits at column `parent`.
  function literal(style: string, parent: number): string {
    const body: string[] = [];
    let blockIndent = -1;
    while (i < lines.length) {
      const l = lines[i];
      if (l.trim() === '') {
        body.push('');
        i++;
        continue;
      }
      const ind = indentOf(l);
      if (ind <= parent) break;
      if (blockIndent < 0) blockIndent = ind;
      if (ind < blockIndent) fail('literal block line less indented than its first');
      body.push(l.slice(blockIndent));
      i++;
    }
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    const content = body.join('\n');
    return style === '|' ? `${content}\n` : content;
  }

  function value(rest: string, parent: number): Yaml {
    if (rest === '') {
      skip();
      if (i >= lines.length || indentOf(lines[i]) <= parent) fail('a key without a value');
      return block(indentOf(lines[i]));
    }
    if (rest === '|' || rest === '|-') return literal(rest, parent);
    if (rest.startsWith('>') || rest.startsWith('|')) fail('unsupported block scalar');
    return scalar(rest);
  }

  const KEY = /^([A-Za-z_][A-Za-z0-9_-]*|'(?:[^']|'')*'|"(?:[^"\\]|\\["\\])*"):(?: (.*))?$/;

  function mapping(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    for (;;) {
      skip();
      if (i >= lines.length || indentOf(lines[i]) < indent) return out;
      if (indentOf(lines[i]) > indent) fail('unexpected indentation');
      const m = KEY.exec(lines[i].slice(indent));
      if (!m) fail('expected "key: value"');
      const [, rawKey, rest = ''] = m as RegExpExecArray;
      const quoted = rawKey.startsWith("'") || rawKey.startsWith('"');
      const k = quoted ? (scalar(rawKey) as string) : rawKey;
      if (!quoted && AMBIGUOUS.test(k)) fail('ambiguous plain key');
      if (Object.hasOwn(out, k)) fail(`duplicate key ${k}`);
      i++;
      out[k] = value(rest.trim() === rest ? rest : fail('trailing spaces'), indent);
    }
  }

  function sequence(indent: number): Yaml[] {
    const out: Yaml[] = [];
    for (;;) {
      skip();
      if (i >= lines.length || indentOf(lines[i]) < indent) return out;
      if (indentOf(lines[i]) > indent) fail('unexpected indentation');
      const rest = lines[i].slice(indent);
      if (!rest.startsWith('- ')) return out;
      const item = rest.slice(2);
      if (KEY.test(item)) {
        // "- key: value" opens a mapping whose keys sit two columns in.
        lines[i] = `${' '.repeat(indent + 2)}${item}`;
        out.push(mapping(indent + 2));
      } else {
        i++;
        out.push(value(item, indent));
      }
    }
  }

  function block(indent: number): Yaml {
    return lines[i].slice(indent).startsWith('- ') ? sequence(indent) : mapping(indent);
  }

  skip();
  if (i >= lines.length) fail('empty document');
  if (indentOf(lines[i]) !== 0) fail('the document must start at column 0');
  const doc = block(0);
  skip();
  if (i < lines.length) fail('unparsed text');
  return doc;
}
