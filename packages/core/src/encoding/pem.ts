/**
 * PEM and Base64 decoding shared by every package that reads certificates, keys, tokens and
 * signed profiles. The functions report a bad input as a result rather than throwing, so each
 * package raises its own typed error (`MalformedInputError` in certs, `SignatureError` in
 * configurator) with the file it was reading in the message. Only a wrong argument type (a
 * programming error) throws, as core's `InvalidArgumentError`.
 *
 * Every function here runs in time linear in its input: PEM text comes from files a user (or an
 * attacker) hands over, and each package that accepts PEM inherits this parser's cost.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7468 (textual encodings of PKIX structures)
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';

/** Decoded bytes, or why the text is not Base64 and how to fix it. */
export type Base64Result = { ok: true; bytes: Uint8Array } | { ok: false; reason: string; hint: string };

/** One `-----BEGIN X-----` … `-----END X-----` block; `body` is its decoded Base64. */
export interface PemSection {
  /** The label, e.g. `CERTIFICATE`, `PRIVATE KEY`, `PKCS7`. */
  label: string;
  /** RFC 1421 headers (`Proc-Type`, `DEK-Info`) of legacy encrypted PEM; empty otherwise. */
  headers: Record<string, string>;
  body: Base64Result;
}

// Labels are bounded so a long run of label characters cannot make the scan quadratic.
const BEGIN_RE = /-----BEGIN ([A-Z0-9 #]{1,64})-----/g;
const END_RE = /-----END ([A-Z0-9 #]{1,64})-----/g;
const HEADER_RE = /^([A-Za-z-]+):\s*(.*)$/;
const HEADER_LINE_RE = /^[A-Za-z-]+:\s/;

/** What a value is, for "expected X, got Y" messages. */
export function describeArgument(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (typeof value !== 'object' && typeof value !== 'function') return `a ${typeof value}`;
  if (typeof value === 'function') return 'a function';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
}

function requireString(argument: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(argument, `expected a string, got ${describeArgument(value)}`, {
      hint: 'Pass the file content as text (for bytes, decode them first, e.g. buffer.toString("utf8")).',
    });
  }
}

/**
 * Decodes Base64 (standard or URL-safe alphabet, any whitespace, optional padding) and rejects
 * anything else. Node's `Buffer.from(s, 'base64')` silently skips bad characters, which would
 * turn a corrupt file into a confusing later error, so the text is checked first.
 *
 * @throws {InvalidArgumentError} `text` is not a string.
 */
export function decodeBase64(text: string): Base64Result {
  requireString('text', text);
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0) return { ok: false, reason: 'it is empty', hint: 'Pass the whole file content.' };
  const bad = /[^A-Za-z0-9+/=_-]/.exec(compact);
  if (bad) {
    return {
      ok: false,
      reason: `character ${JSON.stringify(bad[0])} at offset ${bad.index} is not Base64`,
      hint: 'Pass the file exactly as downloaded, or its bytes.',
    };
  }
  const firstPad = compact.indexOf('=');
  const unpadded = firstPad === -1 ? compact.length : firstPad;
  // Padding only at the end, and no 4n+1 length of data characters.
  if ((firstPad !== -1 && /[^=]/.test(compact.slice(firstPad))) || unpadded % 4 === 1) {
    return {
      ok: false,
      reason: 'the Base64 text is truncated or has padding in the middle',
      hint: 'The file may be cut short; download it again.',
    };
  }
  const std = compact.replace(/-/g, '+').replace(/_/g, '/');
  return { ok: true, bytes: new Uint8Array(Buffer.from(std, 'base64')) };
}

/**
 * Positions of every `-----END label-----` marker, per label, in one pass. Looking each END up
 * with `indexOf` from every BEGIN would rescan the rest of the text once per BEGIN line without
 * an END (quadratic: 1 MB of such lines took 11 s); with this index each BEGIN costs a lookup.
 */
function endMarkers(text: string): Map<string, { at: number[]; next: number }> {
  const ends = new Map<string, { at: number[]; next: number }>();
  END_RE.lastIndex = 0;
  for (let m = END_RE.exec(text); m !== null; m = END_RE.exec(text)) {
    const label = m[1] as string;
    let list = ends.get(label);
    if (!list) ends.set(label, (list = { at: [], next: 0 }));
    list.at.push(m.index);
  }
  return ends;
}

/**
 * Every PEM block of `text`, in order, with its headers and decoded body. A BEGIN line without
 * its END is skipped (text around blocks is ignored, as openssl does). Linear in the text.
 *
 * @throws {InvalidArgumentError} `text` is not a string.
 */
export function parsePem(text: string): PemSection[] {
  requireString('text', text);
  const out: PemSection[] = [];
  if (!text.includes('-----BEGIN ')) return out;
  const ends = endMarkers(text);
  let pos = 0;
  BEGIN_RE.lastIndex = 0;
  for (let m = BEGIN_RE.exec(text); m !== null; m = BEGIN_RE.exec(text)) {
    if (m.index < pos) continue;
    const label = m[1] as string;
    let bodyStart = m.index + m[0].length;
    if (text.charCodeAt(bodyStart) === 13) bodyStart++;
    if (text.charCodeAt(bodyStart) === 10) bodyStart++;
    const list = ends.get(label);
    if (!list) continue;
    // BEGINs are visited in increasing order, so each label's END list is walked once.
    while (list.next < list.at.length && (list.at[list.next] as number) < bodyStart) list.next++;
    const end = list.at[list.next];
    if (end === undefined) continue;
    out.push(section(label, text.slice(bodyStart, end)));
    pos = end + `-----END ${label}-----`.length;
    BEGIN_RE.lastIndex = pos;
  }
  return out;
}

function section(label: string, body: string): PemSection {
  const lines = body.split(/\r?\n/);
  const headers: Record<string, string> = {};
  let i = 0;
  // RFC 1421 headers come first, then a blank line (RFC 7468 §5.2 tells parsers to skip them).
  if (lines.some((l) => HEADER_LINE_RE.test(l))) {
    for (; i < lines.length && (lines[i] as string).trim() !== ''; i++) {
      const h = HEADER_RE.exec(lines[i] as string);
      if (h) headers[h[1] as string] = (h[2] as string).trim();
    }
  }
  return { label, headers, body: decodeBase64(lines.slice(i).join('')) };
}

/**
 * Encodes DER as PEM with 64-character lines and LF line ends (RFC 7468 §2).
 *
 * @throws {InvalidArgumentError} `label` is not a PEM label or `der` is not bytes.
 */
export function toPem(label: string, der: Uint8Array): string {
  if (typeof label !== 'string' || !/^[A-Z0-9 #]{1,64}$/.test(label)) {
    throw new InvalidArgumentError(
      'label',
      `expected a PEM label such as "CERTIFICATE", got ${typeof label === 'string' ? JSON.stringify(label.slice(0, 40)) : describeArgument(label)}`,
    );
  }
  if (!(der instanceof Uint8Array)) {
    throw new InvalidArgumentError('der', `expected bytes (Uint8Array or Buffer), got ${describeArgument(der)}`);
  }
  const lines =
    Buffer.from(der.buffer, der.byteOffset, der.byteLength)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
