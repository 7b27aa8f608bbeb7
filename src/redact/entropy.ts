// The entropy check: long random-looking tokens that no other rule names (a key a vendor invented
// last month, a password generator's output). Random strings of 20+ characters mixing upper case,
// lower case and digits are flagged when their Shannon entropy reaches a threshold scaled to their
// length; what ordinary agent output is full of is left alone: hex (git SHAs, LFS oids, UUIDs,
// sha256/sha512 digests), hash-prefixed values (npm's sha512- integrity, go.sum's h1:), public
// keys, identifiers (Convert_to_ES_module_95017) and base64 of plain text (data: URIs, SVGs).
import type { Finding } from './finding.js';

/** The rule name of this check's findings. */
export const HIGH_ENTROPY = 'high-entropy';
/** The rule name of a base64 token whose text holds a secret (`kubectl get secret -o yaml`, a base64'd .env). */
export const BASE64_SECRET = 'base64-secret';

const COUNTS = new Int32Array(65536);

/** Shannon entropy of `s` in bits per character. */
export function shannon(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) COUNTS[s.charCodeAt(i)]++;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const n = COUNTS[c];
    if (n) {
      const p = n / s.length;
      h -= p * Math.log2(p);
      COUNTS[c] = 0;
    }
  }
  return h;
}

/**
 * The entropy a random token of `n` characters reaches. An n-character string has at most log2(n)
 * bits per character, and short random strings fall short of their alphabet's log2(k): calibrated
 * on random base62, url-safe and base64 tokens so that about 95% of 20-character ones and all
 * 48+-character ones pass (research/secrets/entropy-calibration.mjs).
 */
export function entropyThreshold(n: number, factor = 0.85): number {
  const l = Math.log2(n);
  return n <= 32 ? factor * l : Math.min(5.2, factor * 5 + 0.6 * (l - 5));
}

// A hash or checksum names the value before it: "sha512-", "sha256:", "h1:", "integrity", "10c0/" (yarn).
const HASH_PREFIX = /(?:(?:sha\d{1,3}|md5|h1|digest|checksum|integrity|fingerprint)\s?[-:=/]?\s?["']?|10c0\/|base64,|oid )$/i;
const HASH_NAMED = /^(?:sha\d{1,3}|md5)[-:=_]/i;
const HEXISH = /^[0-9a-fA-F-]+$/;
// DER prefixes of public keys (SubjectPublicKeyInfo for EC P-256/P-384, RSA, Ed25519/X25519) and ssh public keys.
const PUBLIC_KEY_DER =
  /^(?:MFkwEwYHKoZIzj0CAQY|MHYwEAYHKoZIzj0CAQY|MIIBIjANBgkqhkiG9w0BAQEFAAOC|MIICIjANBgkqhkiG9w0BAQEFAAOC|MIGfMA0GCSqGSIb3DQEBAQUAA4GN|MCowBQYDK2Vw|MCowBQYDK2Vu|AAAAB3NzaC1yc2E|AAAAC3NzaC1lZDI1NTE5|AAAAE2VjZHNhLXNoYTItbmlzdHA)/;
const PUBLIC_KEY_BEFORE = /(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) $/;
// Decoded text that is itself credential material (1Password's ops_ tokens, a dockerconfigjson).
const CREDENTIAL_TEXT = /secret|token|passw|private_?key|credential|"auths?"|_auth\b|authorization|"k"\s*:/i;

/** The printable text a token is base64 (or base64url) of, or null. */
export function base64Text(tok: string): string | null {
  const t = tok.replace(/=+$/, '');
  if (t.length < 16 || !/^[A-Za-z0-9+/_-]+$/.test(t)) return null;
  const norm = t.replace(/-/g, '+').replace(/_/g, '/');
  // The token may start mid-quantum (after "%2B" in a URL-encoded data: URI): try the 4 alignments.
  for (let off = 0; off < 4; off++) {
    // To the token's end: an unpadded last quantum still holds 1 or 2 bytes (a key's last characters).
    const buf = Buffer.from(norm.slice(off), 'base64');
    if (buf.length < 12) return null;
    let printable = 0;
    for (const b of buf) if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) printable++;
    if (printable / buf.length >= 0.95) return buf.toString('latin1');
  }
  return null;
}

/** Whether a token is base64 of printable text (and not of credential text). */
export function decodesToText(tok: string): boolean {
  const text = base64Text(tok);
  return text !== null && !CREDENTIAL_TEXT.test(text);
}

/** Whether a token reads as an identifier made of words ("Convert_to_ES_module_95017", "CipherChaCha20Poly1305Options"). */
export function wordlike(tok: string): boolean {
  const segs = tok.split(/[-_.+/=]+/).filter(Boolean);
  const word = (g: string) => /^(?:[A-Za-z][a-z]*|[A-Z]+|\d+)$/.test(g);
  if (segs.length >= 3 && segs.filter(word).length / segs.length >= 0.8) return true;
  // Words with a short random tail, as temp folders are named (codexlog-test-run-Ab3dEf, tmp.WZcbckaN2W):
  // too little randomness in any one part to be a key.
  const random = segs.filter((g) => !word(g));
  if (segs.length >= 2 && random.length <= segs.length / 2 && random.every((g) => g.length <= 12)) return true;
  const parts = tok.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
  const letters = parts.filter((p) => /[a-z]/i.test(p));
  const alnum = parts.reduce((n, p) => n + p.length, 0);
  const inWords = letters.filter((p) => p.length >= 3).reduce((n, p) => n + p.length, 0);
  const meanLetterPart = letters.reduce((n, p) => n + p.length, 0) / Math.max(1, letters.length);
  return alnum > 0 && inWords / alnum >= 0.6 && meanLetterPart >= 3.5;
}

// The characters of a token: [A-Za-z0-9+/=_-].
const TOKCH = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-') TOKCH[c.charCodeAt(0)] = 1;
const isTokenChar = (code: number) => code < 128 && TOKCH[code] === 1;

/** Shortest token the check considers. */
const MIN_LENGTH = 20;

// PEM blocks that are public (certificates, public keys, CSRs, CRLs): their base64 is not a secret.
const PUBLIC_PEM_BEGIN = /-----BEGIN ((?:(?!PRIVATE)[A-Z0-9 ]){1,40})-----/g;

/** The [start, end) spans of public PEM blocks (to their END line, or to the end of the text). Linear. */
function publicPemSpans(text: string): Array<[number, number]> {
  if (!text.includes('-----BEGIN ')) return [];
  const spans: Array<[number, number]> = [];
  PUBLIC_PEM_BEGIN.lastIndex = 0;
  for (let m = PUBLIC_PEM_BEGIN.exec(text); m; m = PUBLIC_PEM_BEGIN.exec(text)) {
    const endLine = `-----END ${m[1]}-----`;
    const at = text.indexOf(endLine, m.index + m[0].length);
    const end = at < 0 ? text.length : at + endLine.length;
    spans.push([m.index, end]);
    PUBLIC_PEM_BEGIN.lastIndex = end;
  }
  return spans;
}

/**
 * Appends a finding for each high-entropy token of `text` to `out`. Linear in the length of `text`.
 * `holdsSecret` says whether a token's decoded text holds a secret (the detector's rules run on it):
 * base64 of text is never a random token, but base64 of a connection string or of a key is a secret
 * all the same, found whatever its entropy (BASE64_SECRET).
 */
export function entropyFindings(text: string, out: Finding[], holdsSecret?: (decoded: string) => boolean): void {
  const publicSpans = publicPemSpans(text);
  let span = 0;
  const consider = (tok: string, start: number): void => {
    while (span < publicSpans.length && publicSpans[span][1] <= start) span++;
    if (span < publicSpans.length && publicSpans[span][0] <= start) return;
    const core = tok.replace(/=+$/, '');
    if (core.length < MIN_LENGTH) return;
    if (HASH_NAMED.test(tok) || HASH_PREFIX.test(text.slice(Math.max(0, start - 12), start))) return;
    if (PUBLIC_KEY_DER.test(tok) || PUBLIC_KEY_BEFORE.test(text.slice(Math.max(0, start - 24), start))) return;
    if (core.includes('=')) {
      // '=' only pads base64 at the end: "a=b" inside a run is code or a query string.
      let off = 0;
      for (const g of tok.split('=')) {
        if (g) consider(g, start + off);
        off += g.length + 1;
      }
      return;
    }
    if (core.includes('/')) {
      // A path (a segment is a plain lowercase word) or not base64: judge the segments alone.
      const segs = tok.split('/');
      if (segs.some((g) => /^[a-z][a-z.-]{2,}$/.test(g)) || !/^[A-Za-z0-9+/]+={0,2}$/.test(tok)) {
        let off = 0;
        for (const g of segs) {
          consider(g, start + off);
          off += g.length + 1;
        }
        return;
      }
    }
    if (HEXISH.test(core)) return;
    if (holdsSecret) {
      const decoded = base64Text(tok);
      if (decoded !== null && holdsSecret(decoded)) {
        out.push({ start, end: start + tok.length, rule: BASE64_SECRET, priority: 85 });
        return;
      }
    }
    if (!(/[A-Z]/.test(core) && /[a-z]/.test(core) && /\d/.test(core))) return;
    if (shannon(core) < entropyThreshold(core.length)) return;
    if (wordlike(core) || decodesToText(tok)) return;
    out.push({ start, end: start + tok.length, rule: HIGH_ENTROPY, priority: 90 });
  };
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (!isTokenChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isTokenChar(text.charCodeAt(j))) j++;
    if (j - i >= MIN_LENGTH) consider(text.slice(i, j), i);
    i = j;
  }
}
