// The well-kept detector: secretlint's recommended rule preset (@secretlint/secretlint-rule-preset-recommend),
// 25 provider rules maintained upstream, run synchronously on each string.
//
// Why secretlint: it is the only maintained, in-process, regex-based secret rule set on npm (gitleaks
// and detect-secrets are Go and Python programs; eslint-plugin-no-secrets and @npmcli/redact are
// dated or redact every URL and UUID). Why the preset alone, pinned to 12.0.0: one ESM file, no
// dependencies, and the last release whose engines field accepts Node 20 (12.1+ wants Node 22).
// Why not @secretlint/core's lintSource: it is async only, costs ~30 ms more to import, and its
// profiler keeps marks per call that make a process hang at exit for seconds after a few thousand
// calls (research/secrets/REPORT.md). So the rules' own creators run here through secretlint's
// documented rule API (create(context) -> { file(source) }, context.report({ message, range })).
//
// Loaded lazily (a dynamic import, external to the CLI bundle) only when rows need redacting.
// Three repairs: `filter-comments` is off (a "secretlint-disable" in agent output would turn
// redaction off for the rest of the row), `gcp` is off (it reads .p12 files by path, asynchronously),
// and spans are rebuilt from the reported secret (the aws rule reports [matchStart, matchStart +
// secret.length], which would leave the end of the secret in clear).

import { importPackage } from '../import-package.js';
import type { Finding } from './finding.js';

/** secretlint's rule API, as far as we use it (SecretLintRuleCreator in @secretlint/types). */
interface RuleCreator {
  meta: { id: string; supportedContentTypes?: readonly string[] };
  create(context: RuleContext, options: Record<string, unknown>): { file?(source: SourceText): unknown };
}
interface RuleContext {
  sharedOptions: Record<string, unknown>;
  createTranslator(messages: Record<string, { en?: (data: Record<string, unknown>) => string }>): Translator;
  report(descriptor: { message: TranslatedMessage; range: readonly [number, number] }): void;
  ignore(descriptor: unknown): void;
}
interface TranslatedMessage {
  message: string;
  messageId: string;
  data?: Record<string, unknown>;
}
type Translator = (messageId: string, data?: Record<string, unknown>) => TranslatedMessage;
interface SourceText {
  content: string;
  filePath: undefined;
  ext: string;
  contentType: 'text';
}

/** The pinned package (see package.json). */
export const PRESET = '@secretlint/secretlint-rule-preset-recommend';
const OFF = new Set(['@secretlint/secretlint-rule-filter-comments', '@secretlint/secretlint-rule-gcp']);
/** secretlint rules whose spans cover a whole URL: dropped when one of our rules found the precise secret inside. */
export const BROAD_RULES: ReadonlySet<string> = new Set(['secretlint:basicauth', 'secretlint:database-connection-string']);
/**
 * Literals at least one of which every finding of the pinned preset's rules (12.0.0, with gcp and
 * filter-comments off) contains: its patterns' own prefixes (ghp_, glc_, ntn_, sk-, dapi...), the
 * "secret" of the aws rule's key, "://" of the URL rules, "PRIVATE KEY". A string without any is not
 * handed to the preset, and a batch without any such string does not even import it: most commits
 * (a git.commit row of SHAs and a subject) then skip its ~25 ms cold start. The unit tests pin the
 * preset's rule list and compare findings with and without this gate, so moving the pin means
 * reviewing it.
 */
const ANCHORS =
  /ecret|ECRET|PRIVATE KEY|npm_|:\/\/|xox|xapp|SG\.|shp(?:at|ca|pa|ss)_|gh[pousr]_|github_pat_|glpat-|glc_|glsa_|sk-|gsk_|hf_|lin_api_|ntn_|ops_|hv[sbr]\.|vc[pikar]_|dapi|dckr_pat_|figd_/;

/** Whether the preset could find anything in `text` (see ANCHORS). */
export function mayMatch(text: string): boolean {
  return ANCHORS.test(text);
}

/** Strings longer than this are handed to the rules in overlapping windows (bounds any super-linear pattern upstream). */
const WINDOW = 64 * 1024;
const OVERLAP = 8 * 1024;

/** The preset, ready to run synchronously. */
export interface SecretlintLayer {
  /** Rule names (`secretlint:<rule>`). */
  readonly rules: readonly string[];
  /** Appends the preset's findings in `text` to `out` (priority 12). */
  findings(text: string, out: Finding[]): void;
}

let loading: Promise<SecretlintLayer> | undefined;

/** Imports the preset once per process. */
export function loadSecretlint(): Promise<SecretlintLayer> {
  loading ??= importPackage<{ rules: RuleCreator[] }>(PRESET).then((mod: { rules: RuleCreator[] }) => prepare(mod.rules));
  // A failed import is not cached: the caller reports it, and a later call may try again.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** Prepares each rule's handler with a context that collects its reports (`gated`: tests compare without the gate). */
export function prepare(creators: readonly RuleCreator[], gated = true): SecretlintLayer {
  let sink: Array<{ rule: string; range: readonly [number, number]; data?: Record<string, unknown> }> = [];
  const translator: RuleContext['createTranslator'] = (messages) => (messageId, data) => ({
    message: messages[messageId]?.en?.(data ?? {}) ?? messageId,
    messageId,
    data,
  });
  const handlers = creators
    .filter((c) => !OFF.has(c.meta.id))
    .filter((c) => !c.meta.supportedContentTypes || c.meta.supportedContentTypes.some((t) => t === 'text' || t === 'all'))
    .map((creator) => {
      const rule = `secretlint:${creator.meta.id.replace('@secretlint/secretlint-rule-', '')}`;
      const context: RuleContext = {
        sharedOptions: {},
        createTranslator: translator,
        report: (d) => sink.push({ rule, range: d.range, data: d.message?.data }),
        ignore: () => {},
      };
      return { rule, handler: creator.create(context, {}) };
    });

  const run = (text: string, offset: number, out: Finding[]): void => {
    sink = [];
    const source: SourceText = { content: text, filePath: undefined, ext: '.txt', contentType: 'text' };
    for (const { rule, handler } of handlers) {
      const ret = handler.file?.(source) as { then?: unknown } | undefined;
      // An asynchronous handler would report after we return: refuse rather than miss silently.
      if (ret && typeof ret.then === 'function') throw new Error(`${rule} of ${PRESET} is asynchronous; it cannot run in redaction`);
    }
    for (const r of sink) {
      let [s, e] = r.range;
      // Some rules report [matchStart, matchStart + secret.length]: find the reported secret itself.
      const secret = Object.values(r.data ?? {})
        .filter((v): v is string => typeof v === 'string' && v.length >= 8)
        .sort((a, b) => b.length - a.length)[0];
      if (secret) {
        const from = Math.max(0, s - 1);
        const at = text.slice(from, e + secret.length).indexOf(secret);
        if (at >= 0 && from + at <= e) {
          s = from + at;
          e = Math.max(e, s + secret.length);
        }
      }
      if (e > s) out.push({ start: offset + s, end: offset + e, rule: r.rule, priority: 12 });
    }
  };

  return {
    rules: handlers.map((h) => h.rule),
    findings(text, out) {
      if (gated && !mayMatch(text)) return;
      if (text.length <= WINDOW) return run(text, 0, out);
      for (let at = 0; at < text.length; at += WINDOW - OVERLAP) {
        run(text.slice(at, at + WINDOW), at, out);
        if (at + WINDOW >= text.length) break;
      }
    },
  };
}
