// The detector: every layer's findings in a string (our rule table, secretlint's preset, the
// config's custom patterns, the entropy check), minus the allow list, merged into disjoint spans,
// each replaced with [REDACTED:<rule>]. Pure and synchronous; compiled once per configuration.
import { entropyFindings } from './entropy.js';
import { type Finding, holdsLabel, label } from './finding.js';
import { ownFindings } from './rules.js';
import { BROAD_RULES, mayMatch, type SecretlintLayer } from './secretlint.js';

/** The redaction section of the config (validated by config.ts). */
export interface RedactionConfig {
  /** Patterns of the team's own secrets: `custom:<name>` findings. A capture group named `secret` narrows the span. */
  readonly patterns: ReadonlyArray<{ readonly name: string; readonly regex: string; readonly flags: string }>;
  /** Regexes a whole finding may match to be kept (a team's public test keys). */
  readonly allow: readonly string[];
  /** Run secretlint's recommended preset too (default true). */
  readonly secretlint: boolean;
}

/** What redacting one string did. */
export interface Redacted {
  text: string;
  /** Matches per rule (empty when nothing was found: `text` is then the input itself). */
  counts: Record<string, number>;
}

/** Strings are scanned up to this many characters; the rest is cut off (and counted as `truncated`). */
export const MAX_SCAN_CHARS = 1024 * 1024;
/** The counts key of a cut string. */
export const TRUNCATED = 'truncated';

/** The shortest string a built-in rule can match ("pwd=abcde"). */
const MIN_BUILT_IN = 9;

const TRUNCATION_MARK = /\[TRUNCATED:\d+ characters not kept\]$/;

/** The secrets AWS's documentation uses as examples: public, and everywhere in docs and tests. */
const DEFAULT_ALLOW = ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'];

/** A compiled custom pattern. */
interface CustomRule {
  rule: string;
  re: RegExp;
  group: boolean;
}

/** Compiles the config's custom patterns (config.ts has checked that each compiles). */
export function compileCustom(patterns: RedactionConfig['patterns']): CustomRule[] {
  return patterns.map((p) => {
    const re = new RegExp(p.regex, `${[...new Set(p.flags.replace(/[gdy]/g, ''))].join('')}gd`);
    return { rule: `custom:${p.name}`, re, group: /\(\?<secret>/.test(p.regex) };
  });
}

/** The allow list as one test of a finding's whole value. */
export function compileAllow(allow: readonly string[]): (value: string) => boolean {
  const exact = new Set(DEFAULT_ALLOW);
  const res = allow.map((a) => new RegExp(`^(?:${a})$`));
  return (v) => exact.has(v) || res.some((r) => r.test(v));
}

/** A detector for one configuration. */
export interface Detector {
  /** Disjoint findings in `text`, in order (each named by its highest-priority rule). */
  findings(text: string): Finding[];
  /** `text` with every finding replaced by its label, and the counts per rule. */
  redact(text: string): Redacted;
  /**
   * How many strings this detector scanned that secretlint's preset could have found something in
   * while it was not loaded (`deferSecretlint`): the caller then loads it and redacts again.
   */
  readonly deferredHits: number;
}

/**
 * Builds a detector; `secretlint` is the loaded preset, or null to leave it out. With
 * `deferSecretlint`, strings the preset could match are counted in `deferredHits`.
 */
export function createDetector(config: RedactionConfig, secretlint: SecretlintLayer | null, deferSecretlint = false): Detector {
  const custom = compileCustom(config.patterns);
  const allowed = compileAllow(config.allow);
  let deferredHits = 0;

  /** Every layer's findings but the entropy check's (which may call this on the text a token decodes to). */
  function ruleFindings(text: string, out: Finding[]): void {
    // Nothing our rules or secretlint's find is shorter than this (a key, a separator and a 5-character value).
    if (text.length >= MIN_BUILT_IN) {
      ownFindings(text, out);
      if (secretlint) secretlint.findings(text, out);
      else if (deferSecretlint && mayMatch(text)) deferredHits++;
    }
    for (const c of custom) {
      for (const m of text.matchAll(c.re)) {
        const span = c.group ? m.indices?.groups?.secret : m.indices?.[0];
        if (span && span[1] > span[0]) out.push({ start: span[0], end: span[1], rule: c.rule, priority: 15 });
      }
    }
  }

  /** Whether the text a base64 token decodes to holds a secret (the allow list applies to it too). */
  function holdsSecret(decoded: string): boolean {
    const found: Finding[] = [];
    ruleFindings(decoded, found);
    return found.some((f) => {
      const value = decoded.slice(f.start, f.end);
      return !holdsLabel(value) && !allowed(value);
    });
  }

  function findings(text: string): Finding[] {
    const out: Finding[] = [];
    ruleFindings(text, out);
    if (text.length >= MIN_BUILT_IN) entropyFindings(text, out, holdsSecret);
    if (out.length === 0) return out;
    let kept = out.filter((f) => {
      const value = text.slice(f.start, f.end);
      return !holdsLabel(value) && !allowed(value);
    });
    // A broad secretlint span (a whole URL) gives way to a precise finding of ours inside it.
    kept = kept.filter(
      (f) => !BROAD_RULES.has(f.rule) || !kept.some((g) => g !== f && g.priority !== 12 && g.start >= f.start && g.end <= f.end),
    );
    kept.sort((a, b) => a.start - b.start || b.end - a.end);
    const merged: Finding[] = [];
    for (const f of kept) {
      const cur = merged[merged.length - 1];
      if (cur && f.start < cur.end) {
        cur.end = Math.max(cur.end, f.end);
        if (f.priority < cur.priority) {
          cur.priority = f.priority;
          cur.rule = f.rule;
        }
      } else merged.push({ ...f });
    }
    return merged;
  }

  function redact(input: string): Redacted {
    if (input.length === 0) return { text: input, counts: {} };
    // A string cut before keeps its marker and is scanned whole (redacting twice changes nothing).
    const cut = input.length > MAX_SCAN_CHARS && !TRUNCATION_MARK.test(input.slice(-64));
    const text = cut ? input.slice(0, MAX_SCAN_CHARS) : input;
    const found = findings(text);
    if (found.length === 0 && !cut) return { text: input, counts: {} };
    const counts: Record<string, number> = {};
    let out = '';
    let last = 0;
    for (const f of found) {
      out += text.slice(last, f.start) + label(f.rule);
      last = f.end;
      counts[f.rule] = (counts[f.rule] ?? 0) + 1;
    }
    out += text.slice(last);
    if (cut) {
      out += `[TRUNCATED:${input.length - MAX_SCAN_CHARS} characters not kept]`;
      counts[TRUNCATED] = 1;
    }
    return { text: out, counts };
  }

  return {
    findings,
    redact,
    get deferredHits() {
      return deferredHits;
    },
  };
}
