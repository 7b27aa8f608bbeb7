// Our own rule table, the main detector: provider key prefixes, private key blocks, JWTs,
// credentials in URLs and connection strings, Authorization headers and `password=` / `token:`
// style pairs. Patterns follow gitleaks', secretlint's and the providers' documented formats
// (research/secrets/REPORT.md has the sources and the measurements).
//
// Hostile input is normal input, so every pattern runs in time linear in the text: each variable
// run has a bound, and each pattern can start only where the character before it is not part of
// the run it opens (no pattern restarts inside a run it already scanned). Rules with a literal
// prefix skip their regex when the text lacks it. The module is loaded only when rows need it.
import { wordlike } from './entropy.js';
import type { Finding } from './finding.js';

/** A regex rule: `re` has the g and d flags; `group` is the capture that holds the secret (else the whole match). */
interface PatternRule {
  id: string;
  re: RegExp;
  /** Literals one of which the text must contain for the regex to run. */
  hint?: readonly string[];
  group?: number;
}

// Left boundaries: not right after a character of the token itself.
const B = '(?<![A-Za-z0-9_])';
const BD = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_])';
const ED = '(?![A-Za-z0-9_-])';
const re = (src: string, flags = 'g') => new RegExp(src, `${flags}d`);

/** Provider key prefixes (priority 10). */
export const PROVIDER_RULES: readonly PatternRule[] = [
  { id: 'anthropic-api-key', hint: ['sk-ant-'], re: re(`${BD}sk-ant-(?:api|admin|oat|ort|sid)\\d{2}-[A-Za-z0-9_-]{20,300}${ED}`) },
  { id: 'openai-api-key', hint: ['sk-'], re: re(`${BD}sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,300}${ED}`) },
  { id: 'openai-api-key', hint: ['T3BlbkFJ'], re: re(`${BD}sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}${E}`) },
  // Also DeepSeek, Moonshot and others that copied the sk- form.
  { id: 'openai-api-key', hint: ['sk-'], re: re(`${BD}sk-[A-Za-z0-9]{32,200}${ED}`) },
  { id: 'github-token', hint: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], re: re(`${B}(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,251}${E}`) },
  { id: 'github-token', hint: ['github_pat_'], re: re(`${B}github_pat_[A-Za-z0-9_]{22,255}${E}`) },
  {
    id: 'gitlab-token',
    hint: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glsoat-', 'glft-'],
    re: re(`${BD}gl(?:pat|dt|rt|ptt|cbt|soat|ft)-[A-Za-z0-9_-]{20,64}${ED}`),
  },
  { id: 'slack-token', hint: ['xox'], re: re(`${BD}xox[abposre]-(?:\\d-)?[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])`) },
  { id: 'slack-token', hint: ['xapp-'], re: re(`${BD}xapp-\\d-[A-Z0-9]{6,20}-\\d{6,20}-[a-z0-9]{20,80}${E}`) },
  {
    id: 'slack-webhook',
    hint: ['hooks.slack.com'],
    re: re('https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,200}'),
  },
  {
    id: 'aws-access-key-id',
    hint: ['A3T', 'AKIA', 'ASIA', 'ABIA', 'ACCA'],
    re: re('(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])'),
  },
  {
    id: 'aws-secret-access-key',
    group: 1,
    re: re(`(?:aws_?)?secret_?(?:access_?)?key["']?[ \\t]{0,8}(?:=>|:=|=|:)[ \\t]{0,8}["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])`, 'gi'),
  },
  { id: 'google-api-key', hint: ['AIza'], re: re(`${BD}AIza[0-9A-Za-z_-]{35}${ED}`) },
  { id: 'google-oauth', hint: ['GOCSPX-'], re: re(`${BD}GOCSPX-[A-Za-z0-9_-]{28}${ED}`) },
  { id: 'google-oauth', hint: ['ya29.'], re: re(`${BD}ya29\\.[0-9A-Za-z_-]{20,2048}${ED}`) },
  { id: 'stripe-key', hint: ['_live_', '_test_'], re: re(`${B}(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,247}${E}`) },
  { id: 'stripe-key', hint: ['whsec_'], re: re(`${B}whsec_[A-Za-z0-9+/=]{24,128}`) },
  { id: 'npm-token', hint: ['npm_'], re: re(`${B}npm_[A-Za-z0-9]{36}${E}`) },
  { id: 'huggingface-token', hint: ['hf_', 'api_org_'], re: re(`${B}(?:hf_[A-Za-z]{34}|api_org_[A-Za-z]{34})${E}`) },
  { id: 'sendgrid-key', hint: ['SG.'], re: re(`${BD}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${ED}`) },
  { id: 'docker-pat', hint: ['dckr_pat_'], re: re(`${B}dckr_pat_[A-Za-z0-9_-]{27,64}${ED}`) },
  { id: 'vault-token', hint: ['hvs.', 'hvb.', 'hvr.'], re: re(`${BD}hv[sbr]\\.[A-Za-z0-9_-]{24,300}${ED}`) },
  { id: 'databricks-token', hint: ['dapi'], re: re(`${B}dapi[a-f0-9]{32}(?:-\\d)?${E}`) },
  { id: 'pypi-token', hint: ['pypi-'], re: re(`${BD}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}${ED}`) },
  { id: 'shopify-token', hint: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], re: re(`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`) },
  { id: 'groq-api-key', hint: ['gsk_'], re: re(`${B}gsk_[A-Za-z0-9]{52}${E}`) },
  { id: 'xai-api-key', hint: ['xai-'], re: re(`${BD}xai-[A-Za-z0-9]{80}${E}`) },
  { id: 'digitalocean-token', hint: ['_v1_'], re: re(`${B}do[opr]_v1_[a-f0-9]{64}${E}`) },
];

const JWT: PatternRule = {
  id: 'jwt',
  hint: ['eyJ'],
  re: re(`${BD}eyJ[A-Za-z0-9_-]{8,8192}\\.eyJ[A-Za-z0-9_-]{8,16384}\\.[A-Za-z0-9_-]{0,4096}`),
};

/** Appends the matches of a pattern rule to `out`. */
export function patternFindings(text: string, rule: PatternRule, priority: number, out: Finding[]): void {
  if (rule.hint && !rule.hint.some((h) => text.includes(h))) return;
  for (const m of text.matchAll(rule.re)) {
    const span = rule.group !== undefined ? m.indices?.[rule.group] : m.indices?.[0];
    if (!span || span[1] <= span[0]) continue;
    out.push({ start: span[0], end: span[1], rule: rule.id, priority });
  }
}

// --- private key blocks ---------------------------------------------------------------------------

const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----/g;
/** A PEM body is at most this long (an RSA 16384-bit key is about 12 KB). */
const PEM_MAX = 64 * 1024;
const PEM_BODY = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=:,- \t\r\n') PEM_BODY[c.charCodeAt(0)] = 1;

/** The end of a body that lacks its END line (truncated output): base64, headers, `\n` escapes. */
function pemBodyEnd(text: string, from: number): number {
  let i = from;
  const limit = Math.min(text.length, from + PEM_MAX);
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c < 128 && PEM_BODY[c]) i++;
    else if (c === 0x5c && (text[i + 1] === 'n' || text[i + 1] === 'r')) i += 2;
    else break;
  }
  return i;
}

/** Private key blocks: the body is the secret (the BEGIN and END lines stay, as context). Priority 5. */
export function privateKeyFindings(text: string, out: Finding[]): void {
  if (!text.includes('PRIVATE KEY')) return;
  PEM_BEGIN.lastIndex = 0;
  // The first END at or after a position, searched once per position reached (never quadratic).
  let endMatch: RegExpExecArray | null = null;
  let endSearchedFrom = -1;
  for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    if (endSearchedFrom < 0 || (endMatch !== null && endMatch.index < bodyStart)) {
      PEM_END.lastIndex = bodyStart;
      endMatch = PEM_END.exec(text);
      endSearchedFrom = bodyStart;
    }
    // The END line closes this block only if the body runs up to it (else it belongs to another
    // block, and this one was cut short: the body ends where the base64 does).
    const run = pemBodyEnd(text, bodyStart);
    const end = endMatch && endMatch.index <= run ? endMatch.index : run;
    if (/[A-Za-z0-9+/]{16}/.test(text.slice(bodyStart, end))) out.push({ start: bodyStart, end, rule: 'private-key', priority: 5 });
    PEM_BEGIN.lastIndex = Math.max(end, bodyStart);
  }
}

/** JWTs (priority 8). */
export function jwtFindings(text: string, out: Finding[]): void {
  patternFindings(text, JWT, 8, out);
}

// --- credentials in URLs --------------------------------------------------------------------------

// scheme://user:PASSWORD@host, any scheme (https, postgres, mongodb+srv, redis, amqp, mysql+pymysql).
const URL_CREDENTIALS = re('://([^\\s:@/?#\'"`]{0,128}):([^\\s@/?#\'"`]{1,256})@(?=[A-Za-z0-9\\[])');
const SCHEME_BEFORE = /(?:^|[^A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}$/;
// https://TOKEN@host (a token as the user name, as GitHub and GitLab accept).
const URL_TOKEN_USER = re('\\bhttps?://([A-Za-z0-9_-]{20,200})@(?=[A-Za-z0-9])', 'gi');
const URL_PASSWORD_PLACEHOLDER = /^(?:password|passwd|pass|secret|pwd|x+|\*+|\.+|changeme)$/i;

/** Appends the secrets of URLs with credentials (priority 20). */
export function urlFindings(text: string, out: Finding[]): void {
  if (!text.includes('://')) return;
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    if (!SCHEME_BEFORE.test(text.slice(Math.max(0, m.index - 22), m.index))) continue;
    if (m[1].startsWith('[REDACTED')) continue;
    const span = m.indices?.[2];
    const pw = m[2];
    if (!span || pw.length < 4 || URL_PASSWORD_PLACEHOLDER.test(pw) || VAR_REF.test(pw) || /^\{|^<|^%\(/.test(pw)) continue;
    out.push({ start: span[0], end: span[1], rule: 'url-credentials', priority: 20 });
  }
  for (const m of text.matchAll(URL_TOKEN_USER)) {
    const span = m.indices?.[1];
    const u = m[1];
    const classes = Number(/[A-Z]/.test(u)) + Number(/[a-z]/.test(u)) + Number(/\d/.test(u));
    if (span && classes >= 2 && shannonQuick(u) >= 0.8 * Math.log2(Math.min(u.length, 64)))
      out.push({ start: span[0], end: span[1], rule: 'url-credentials', priority: 20 });
  }
}

function shannonQuick(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

// --- Authorization headers ------------------------------------------------------------------------

const AUTH_HEADER = re(
  '\\b(?:Proxy-)?Authorization["\']?[ \\t]{0,8}[:=][ \\t]{0,8}["\']?(?:Bearer|Basic|Token|token|Bot|Digest|SSWS|ApiKey|Splunk)[ \\t]{1,8}([A-Za-z0-9._~+/-]{8,4096}={0,3})',
  'gi',
);
const BEARER = re('\\bBearer[ \\t]{1,8}([A-Za-z0-9._~+/-]{16,4096}={0,3})');

/** Appends the credentials of Authorization headers and bare `Bearer x` (priority 30). */
export function authHeaderFindings(text: string, out: Finding[]): void {
  for (const r of [AUTH_HEADER, BEARER]) {
    for (const m of text.matchAll(r)) {
      const span = m.indices?.[1];
      const v = m[1];
      if (!span || VAR_REF.test(v) || PLACEHOLDER.test(v) || /^(?:token|header|scheme|auth)$/i.test(v)) continue;
      out.push({ start: span[0], end: span[1], rule: 'auth-header', priority: 30 });
    }
  }
}

// --- key = value pairs ----------------------------------------------------------------------------

const KEYWORDS =
  'passw(?:or)?d|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|private[_-]?key|client[_-]?secret|credentials?|account[_-]?key|shared[_-]?access[_-]?key|session[_-]?key|_authToken|_auth(?![A-Za-z0-9_])|_password';
// Keyword first, then the key widened around it, then a separator right after: much faster than
// one regex with a lazy key prefix.
const KEYWORD = new RegExp(`(?:${KEYWORDS})`, 'gi');
const KEY_CHAR = /[A-Za-z0-9_.-]/;
// The key may close a quote that is itself escaped: JSON inside a JSON string (`{\"password\":\"x\"}`,
// as AWS's SecretString, kubectl -o json and curl -d "{\"…\"}" print it), up to 8 levels deep.
const SEPARATOR = /((?:\\{1,8})?["']?)([ \t]{0,8}(?:=>|:=|=|:)[ \t]{0,8})/y;
const FLAG =
  /(?<![A-Za-z0-9-])(--?[A-Za-z0-9-]{0,30}(?:password|passwd|passphrase|token|secret|api-key|apikey)[A-Za-z0-9-]{0,20})[ \t]{1,8}/gi;
// curl -u user:pass, --user user:pass
const USER_PASS_FLAG = /(?<![A-Za-z0-9-])(?:-u|--user)[ \t=]{1,8}["']?[^\s:"'@]{1,64}:([^\s"'@]{1,256})/dg;
// docker|podman|helm registry login ... -p PASS
const LOGIN_P = /\blogin\b[^\n|;&]{0,120}?[ \t](?:-p|--password)[ \t=]{1,8}["']?([^\s"']{1,256})/dg;
// mysql -uroot -pPASS (attached: `-p db` asks for the password and names a database)
const MYSQL_P =
  /\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlsh|mariadb(?:-dump|-admin)?)\b[^\n|;&]{0,120}?[ \t]-p["']?([^\s"'-][^\s"']{0,255})/dg;
// redis-cli -a PASS, sshpass -p PASS
const CLI_PASS = /\b(?:redis-cli\b[^\n|;&]{0,120}?[ \t](?:-a|--pass)|sshpass\b[^\n|;&]{0,40}?[ \t]-p)[ \t]{0,8}["']?([^\s"']{1,256})/dg;
// .netrc: machine HOST login USER password PASS (one line or several)
const NETRC = /\b(?:machine|login|default)[ \t]+[^\s]{1,253}\s{1,16}password[ \t]+([^\s]{1,256})/dg;
// {"name": "DB_PASSWORD", "value": "x"}: an environment list (kubectl -o json, MCP inputs)
const NAME_VALUE =
  /"name"[ \t]{0,8}:[ \t]{0,8}"([A-Za-z0-9_.-]{1,64})"[ \t]{0,8},\s{0,32}"value"[ \t]{0,8}:[ \t]{0,8}"((?:[^"\\\n]|\\.){1,1024})"/dg;
const KEY_SUFFIX_STOP =
  /(?:file|path|dir|url|uri|endpoint|type|name|id|ids|count|length|len|size|ttl|expir\w*|prefix|header|env|var|hash|hint|policy|field|min|max|label|placeholder|stdin|format|kind|mode|version|limit|rotation)$/i;
const KEY_PLURAL = /(?:tokens|secrets|keys|passwords|credentials)$/i;
const PLACEHOLDER =
  /^(?:string|number|boolean|bool|int|null|nil|none|undefined|true|false|required|optional|changeme|example|placeholder|redacted|secret|password|passwd|token|value|xxx+|\*+|\.+|-+|<.*>|\[.*\]|\{.*\}|your[-_ a-z]*|my[-_]?(?:password|secret|token)|(?:the|a|an|is|are|of|to|in|on|for|from|with)$)$/i;
/** Variable references, templates and our own labels: never a secret in themselves. */
export const VAR_REF = /^(?:\$|%[A-Z_]|\{\{|#\{|<|process\.env|os\.environ|env\.|secrets\.|vars\.|getenv|\[REDACTED)/i;
const CODE_LIKE =
  /[()[\]]|^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+;?$|^(?:await|new|function|async|this|self|return|typeof|import|require)\b/;
const PATH_LIKE = /^(?:\/|~\/|\.\.?\/|[A-Za-z]:\\)/;
const PASSWORD_KEY = /passw|pwd|passphrase/i;
const REL_FILE = /^(?:[a-z0-9_.@-]+\/)+[a-z0-9_.-]+\.[a-z0-9]{1,6}$/;
const FILE_NAME =
  /^[\w.-]+\.(?:txt|json|jsonl|ya?ml|pem|key|crt|cer|p12|env|ts|js|mjs|cjs|py|rb|go|md|db|sqlite|log|csv|cfg|conf|ini|toml|xml|html|sh)$/i;
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const QUOTED_VALUE = { '"': /"((?:[^"\\\n]|\\.){0,1024})"/y, "'": /'((?:[^'\\\n]|\\.){0,1024})'/y, '`': /`((?:[^`\\\n]|\\.){0,1024})`/y };
const BARE_VALUE = /[^\s"'`,;&)}\]<>]{0,1024}/y;

interface ValueSpan {
  start: number;
  end: number;
  value: string;
  quoted: boolean;
}

/** The longest value read (the characters past it are not part of one). */
const MAX_VALUE = 1024;

/**
 * A value opening with an escaped quote (`\"x\"`, `\\\"x\\\"`): up to the same escaped quote on the
 * same line; null when there is none within MAX_VALUE characters (the search is bounded: linear).
 */
function readEscapedValue(text: string, p: number): ValueSpan | null {
  let n = 0;
  while (n < 8 && text[p + n] === '\\') n++;
  const q = text[p + n];
  if (n === 0 || (q !== '"' && q !== "'")) return null;
  const start = p + n + 1;
  const close = `${'\\'.repeat(n)}${q}`;
  const window = text.slice(start, start + MAX_VALUE + close.length);
  const at = window.indexOf(close);
  if (at < 0 || window.lastIndexOf('\n', at) >= 0) return null;
  return { start, end: start + at, value: window.slice(0, at), quoted: true };
}

/** The value at `p`: quoted (up to its closing quote on the same line) or bare; null when a quote is not closed. */
function readValue(text: string, p: number): ValueSpan | null {
  const q = text[p];
  if (q === '\\') {
    const escaped = readEscapedValue(text, p);
    if (escaped) return escaped;
  }
  if (q === '"' || q === "'" || q === '`') {
    const r = QUOTED_VALUE[q];
    r.lastIndex = p;
    const m = r.exec(text);
    if (!m) return null;
    return { start: p + 1, end: p + 1 + m[1].length, value: m[1], quoted: true };
  }
  BARE_VALUE.lastIndex = p;
  const m = BARE_VALUE.exec(text) as RegExpExecArray;
  return { start: p, end: p + m[0].length, value: m[0], quoted: false };
}

/** Whether a value after a secret-ish key is plausibly a secret (not a type, a reference, code, prose). */
export function plausibleSecretValue(v: string, ctx: { quoted: boolean; spaced: boolean; colon: boolean; key?: string }): boolean {
  const value = v.replace(/[;,]+$/, '');
  const key = ctx.key ?? '';
  if (value.includes('${')) return false;
  if (REL_FILE.test(value) || FILE_NAME.test(value)) return false;
  if (UPPER_SNAKE.test(value)) return false; // the name of a variable: TOKEN_SECRET = 'CODEXLOG_SYNC_TOKEN'
  if (!ctx.quoted && value.includes('$')) return false;
  // Identifiers as values of token/secret fields are code (cancelToken: defaultToConfig2); password fields keep them.
  if (
    !ctx.quoted &&
    !PASSWORD_KEY.test(key) &&
    /^[A-Za-z_][A-Za-z0-9_]*;?$/.test(value) &&
    (wordlike(value) || /^[a-z]+(?:[A-Z][a-z]+)*;?$/.test(value))
  )
    return false;
  if (value.length < 5) return false;
  if (/\s/.test(value)) return false;
  if (/^[\^~>=<]*v?\d+(?:\.\d+)+/.test(value)) return false;
  if (/^[^@\s]+@[A-Za-z0-9-]+\.[A-Za-z.]+$/.test(value)) return false;
  if (!ctx.quoted && /^[{[(!&|]/.test(value)) return false;
  if (VAR_REF.test(value) || PLACEHOLDER.test(value) || /your[-_]|<[a-z-]+>/i.test(value)) return false;
  if (/^(?:true|false|null|\d{1,6})$/i.test(value)) return false;
  if (PATH_LIKE.test(value)) return false;
  if (value.replace(/[\x21-\x7e]/g, '').length > value.length / 2) return false;
  if (!ctx.quoted && CODE_LIKE.test(value)) return false;
  if (!ctx.quoted && (ctx.spaced || ctx.colon) && /^[A-Za-z_$][A-Za-z_$-]*;?$/.test(value)) return false;
  return true;
}

/**
 * `password=x`, `token: x`, `export X_TOKEN=x`, `"api_key": "x"`, `--password x`, `-u user:x`, `login -p x`,
 * `mysql -px`, `redis-cli -a x`, `sshpass -p x`, .netrc's `password x`, `{"name": "X_TOKEN", "value": "x"}` (priority 40).
 */
export function assignmentFindings(text: string, out: Finding[]): void {
  const push = (start: number, end: number) => out.push({ start, end, rule: 'secret-assignment', priority: 40 });
  let lastKeyStart = -1;
  let skipUntil = 0;
  KEYWORD.lastIndex = 0;
  for (const k of text.matchAll(KEYWORD)) {
    if (k.index < skipUntil) continue; // a keyword inside a value already read
    let ks = k.index;
    let ke = k.index + k[0].length;
    // The start of a longer word ("secretlint", "tokenizer", "passwordless") is not the keyword.
    if (/[a-z]/.test(text[ke] ?? '')) continue;
    while (ks > 0 && k.index - ks < 40 && KEY_CHAR.test(text[ks - 1])) ks--;
    if (ks > 0 && /[A-Za-z0-9]/.test(text[ks - 1])) continue;
    if (ks === lastKeyStart) continue;
    const wordEnd = ke;
    while (ke < text.length && ke - wordEnd < 40 && KEY_CHAR.test(text[ke])) ke++;
    SEPARATOR.lastIndex = ke;
    const sep = SEPARATOR.exec(text);
    if (!sep) continue;
    lastKeyStart = ks;
    const key = text.slice(ks, ke);
    if (KEY_SUFFIX_STOP.test(key) || KEY_PLURAL.test(key)) continue;
    const v = readValue(text, SEPARATOR.lastIndex);
    if (!v) continue;
    // Whatever the value is, its text is not read again for keys (keeps this pass linear), unless it
    // is JSON in a string (escaped quotes): its own keys are read then, each value at most MAX_VALUE long.
    skipUntil = v.end;
    if (!v.value) continue;
    if (sep[2].trim() === ':' && v.value.startsWith('//')) continue; // "scheme://" or "key: //comment"
    if (!plausibleSecretValue(v.value, { quoted: v.quoted, spaced: /\s/.test(sep[2]), colon: sep[2].includes(':'), key })) {
      if (/\\["']/.test(v.value)) skipUntil = v.start;
      continue;
    }
    const trimmed = v.value.replace(/[;,]+$/, '');
    push(v.start, v.start + trimmed.length);
  }
  // The flags of the CLIs below take a password and nothing else: a word is one too ("Hunter2xyz9").
  for (const [r, key] of [
    [USER_PASS_FLAG, undefined],
    [LOGIN_P, undefined],
    [MYSQL_P, 'password'],
    [CLI_PASS, 'password'],
    [NETRC, 'password'],
  ] as const) {
    r.lastIndex = 0;
    for (const m of text.matchAll(r)) {
      const span = m.indices?.[1];
      if (span && plausibleSecretValue(m[1], { quoted: false, spaced: false, colon: false, key })) push(span[0], span[1]);
    }
  }
  if (text.includes('"value"')) {
    for (const m of text.matchAll(NAME_VALUE)) {
      const name = m[1];
      const span = m.indices?.[2];
      KEYWORD.lastIndex = 0;
      if (!span || !KEYWORD.test(name) || KEY_SUFFIX_STOP.test(name) || KEY_PLURAL.test(name)) continue;
      if (plausibleSecretValue(m[2], { quoted: true, spaced: false, colon: true, key: name })) push(span[0], span[1]);
    }
  }
  FLAG.lastIndex = 0;
  for (const m of text.matchAll(FLAG)) {
    if (KEY_SUFFIX_STOP.test(m[1])) continue;
    const p = m.index + m[0].length;
    if (text[p] === '-') continue;
    const v = readValue(text, p);
    if (!v?.value) continue;
    if (!plausibleSecretValue(v.value, { quoted: v.quoted, spaced: true, colon: false, key: m[1] })) continue;
    push(v.start, v.end);
  }
}

/** Every rule of the table, in priority order (the entropy check is separate: entropy.ts). */
export function ownFindings(text: string, out: Finding[]): void {
  privateKeyFindings(text, out);
  jwtFindings(text, out);
  for (const r of PROVIDER_RULES) patternFindings(text, r, 10, out);
  urlFindings(text, out);
  authHeaderFindings(text, out);
  assignmentFindings(text, out);
}

/** Rule names of the own table (for docs and tests). */
export const OWN_RULES = [
  'private-key',
  'jwt',
  ...new Set(PROVIDER_RULES.map((r) => r.id)),
  'url-credentials',
  'auth-header',
  'secret-assignment',
] as const;
