/**
 * The one redaction function of the SDK. The logger and every error constructor call it, so
 * a secret is masked in one place whatever path it takes: a header, a query parameter, a
 * JSON or form field, a plist key, a PEM block, a bare JWT or `Bearer` credential.
 */

import { isSecretValue } from './brand.js';

import { REDACTED } from './constants.js';
import {
  AUTH_SCHEME,
  HEADER_LINE,
  isSecretName,
  JWT,
  KEY_BEFORE_STRUCTURE,
  KEY_VALUE,
  PATH_SECRET,
  PEM_BLOCK,
  PLIST_KEY,
  URL_QUERY_SECRET,
  URL_USERINFO,
} from './patterns.js';

export { REDACTED };

const MAX_DEPTH = 10;

/**
 * Masks every secret in a value and returns a copy that is safe to log, store in an error
 * or print.
 *
 * - **strings** (URLs, response bodies, log messages): query parameters, JSON/form fields and
 *   `Name: value` header lines whose names mean token, secret, password, assertion,
 *   authorization, cookie, session, signature, API or private key; `Bearer`/`Basic`
 *   credentials; JWTs; PEM blocks (keys, certificates, the DEP `BEGIN MESSAGE` token); the
 *   password in `https://user:password@host`;
 * - **`Headers`** and header records: the values of `Authorization`, `Cookie`, `Set-Cookie`,
 *   `X-ADM-Auth-Session` and every other secret-named header;
 * - **objects and arrays**: a deep copy in which secret-named fields are replaced and every
 *   string is redacted as above (cycles become `"[Circular]"`, depth is capped at 10).
 *
 * Redaction is idempotent: redacting twice gives the same text.
 *
 * @example
 * ```ts
 * redact('https://x.test/token?client_assertion=eyJ…&limit=10');
 * // 'https://x.test/token?client_assertion=[REDACTED]&limit=10'
 * redact({ accessToken: 'abc', options: { os: 'ios' } });
 * // { accessToken: '[REDACTED]', options: { os: 'ios' } }
 * ```
 * @see https://github.com/octokit/request-error.js (errors keep a redacted copy of the request)
 */
export function redact(value: string | URL): string;
export function redact(value: Headers): Record<string, string>;
export function redact(value: unknown): unknown;
export function redact(value: unknown): unknown {
  return redactValue(value, new WeakSet(), 0);
}

/**
 * Redacts `text`, then shortens it to at most `max` characters (whitespace collapsed), for
 * the body excerpts that errors carry. Only the first 16 KiB is examined, and redaction runs
 * *before* truncation so that a cut can never expose part of a secret.
 *
 * @param max - Longest excerpt returned. @defaultValue 300
 */
export function redactExcerpt(text: string, max = 300): string {
  const head = text.length > 16_384 ? text.slice(0, 16_384) : text;
  const clean = redactString(head).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function redactValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? '[Function]' : value;
  }
  if (isSecretValue(value)) return REDACTED;
  if (value instanceof URL) return redactString(value.href);
  if (value instanceof URLSearchParams) return redactString(value.toString());
  if (typeof Headers !== 'undefined' && value instanceof Headers) {
    const entries: [string, string][] = [];
    value.forEach((v, k) => {
      entries.push([k, v]);
    });
    return redactHeaderEntries(entries);
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof Date) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      // A `[name, value]` header pair: mask the value when the name is a secret one.
      if (value.length === 2 && typeof value[0] === 'string' && isSecretName(value[0]) && value[1] != null) {
        return [value[0], REDACTED];
      }
      return value.map((v) => redactValue(v, seen, depth + 1));
    }
    if (value instanceof Error) {
      return { name: value.name, message: redactString(value.message) };
    }
    if (value instanceof Map) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value) {
        const key = String(k);
        out[key] = isSecretName(key) ? REDACTED : redactValue(v, seen, depth + 1);
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = isSecretName(key) && v !== undefined && v !== null ? REDACTED : redactValue(v, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function redactHeaderEntries(entries: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of entries) out[name] = isSecretName(name) ? REDACTED : redactString(v);
  return out;
}

/** Redacts free text. Order matters: whole blocks first, then lines, then pairs, then tokens. */
function redactString(text: string): string {
  if (text.length === 0) return text;
  let s = text;
  if (s.includes('-----BEGIN ')) {
    s = s.replace(PEM_BLOCK, (_m, label: string) => `-----BEGIN ${label}----- ${REDACTED} -----END ${label}-----`);
  }
  if (s.includes('<key>')) {
    s = s.replace(PLIST_KEY, (m, open: string, key: string, _t: string, _v: string, close: string) =>
      isSecretName(key) ? `${open}${REDACTED}${close}` : m,
    );
  }
  if (s.includes('{') || s.includes('[')) s = maskStructuredValues(s);
  s = s.replace(HEADER_LINE, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  s = s.replace(
    KEY_VALUE,
    (
      m,
      key: string,
      sep: string,
      open: string | undefined,
      _content: string | undefined,
      close: string | undefined,
      bare: string | undefined,
    ) => {
      // Already masked (`token: [REDACTED]`): keep it, so that redaction stays idempotent.
      if (bare?.startsWith('[REDACTED')) return m;
      return open === undefined ? `${key}${sep}${REDACTED}` : `${key}${sep}${open}${REDACTED}${close ?? ''}`;
    },
  );
  s = s.replace(AUTH_SCHEME, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
  s = s.replace(JWT, REDACTED);
  s = s.replace(URL_USERINFO, (_m, prefix: string) => `${prefix}:${REDACTED}@`);
  if (s.includes('=')) s = s.replace(URL_QUERY_SECRET, (_m, prefix: string) => `${prefix}${REDACTED}`);
  if (s.includes('/')) s = s.replace(PATH_SECRET, (_m, prefix: string) => `${prefix}${REDACTED}`);
  return s;
}

/**
 * Replaces the object or array that follows a secret-named JSON key with `"[REDACTED]"`,
 * bracket-matched and string-aware; an excerpt cut inside it is masked to its end.
 */
function maskStructuredValues(text: string): string {
  KEY_BEFORE_STRUCTURE.lastIndex = 0;
  let out = '';
  let from = 0;
  for (let m = KEY_BEFORE_STRUCTURE.exec(text); m !== null; m = KEY_BEFORE_STRUCTURE.exec(text)) {
    const open = m.index + m[0].length;
    if (open < from) continue;
    // In escaped JSON (`\\"token\\":{…}`) quotes are escaped too: count brackets only.
    const end = matchingBracket(text, open, !m[1]?.startsWith('\\'));
    out += `${text.slice(from, open)}"${REDACTED}"`;
    from = end;
    KEY_BEFORE_STRUCTURE.lastIndex = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Index just past the bracket that closes the one at `start` (or the text's length). */
function matchingBracket(text: string, start: number, stringAware: boolean): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' && stringAware) quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}
