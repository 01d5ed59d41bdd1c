/**
 * PEM, Base64 and DER input helpers shared by every certs module. Not part of the public API.
 *
 * Admins hand us files in every shape (PEM with CRLF, bare Base64 with line breaks, raw DER,
 * a `Buffer` or a string), so each reader first normalises its input here.
 */
import { MalformedInputError } from '../errors.js';

/** One `-----BEGIN X-----` … `-----END X-----` block. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
  /** Headers such as `Proc-Type` / `DEK-Info` of legacy encrypted PEM. */
  headers: Record<string, string>;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 #]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Text input as a string; bytes are decoded as UTF-8 (Latin-1 fallback is never needed for PEM). */
export function asText(input: string | Uint8Array): string {
  return typeof input === 'string'
    ? input
    : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
}

/** Bytes as a Node Buffer view (no copy). */
export function asBuffer(input: Uint8Array): Buffer {
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** Every PEM block of `text`, in order. Throws `MalformedInputError` on a block whose body is not Base64. */
export function pemBlocks(text: string, what = 'PEM input'): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const label = m[1] ?? '';
    const lines = (m[2] ?? '').split(/\r?\n/);
    const headers: Record<string, string> = {};
    let i = 0;
    // RFC 1421 headers (Proc-Type, DEK-Info) come first, then a blank line.
    if (lines.some((l) => /^[A-Za-z-]+:\s/.test(l))) {
      for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
        const h = /^([A-Za-z-]+):\s*(.*)$/.exec(lines[i]!);
        if (h) headers[h[1]!] = h[2]!.trim();
      }
    }
    const body = lines.slice(i).join('');
    const der = decodeBase64Strict(body, `${what} (PEM block "${label}")`);
    out.push({ label, der, headers });
  }
  return out;
}

/** The first PEM block whose label is one of `labels`, or undefined. */
export function findPem(text: string, labels: readonly string[], what = 'PEM input'): PemBlock | undefined {
  return pemBlocks(text, what).find((b) => labels.includes(b.label));
}

/** Encodes DER as PEM with 64-character lines and LF line ends. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = asBuffer(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Decodes Base64 (standard or URL-safe alphabet, any whitespace, optional padding) and rejects
 * anything else. Node's `Buffer.from(s, 'base64')` silently skips bad characters, which would turn
 * a corrupt file into a confusing later error, so we check first.
 */
export function decodeBase64Strict(text: string, what = 'Base64 input'): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0) {
    throw new MalformedInputError(what, 'it is empty', { hint: 'Pass the whole file content.' });
  }
  const bad = /[^A-Za-z0-9+/=_-]/.exec(compact);
  if (bad) {
    throw new MalformedInputError(what, `character ${JSON.stringify(bad[0])} at offset ${bad.index} is not Base64`, {
      hint: 'Pass the file exactly as downloaded, or its bytes.',
    });
  }
  if (/=[^=]/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new MalformedInputError(what, 'the Base64 text is truncated or has padding in the middle', {
      hint: 'The file may be cut short; download it again.',
    });
  }
  const std = compact.replace(/-/g, '+').replace(/_/g, '/');
  return new Uint8Array(Buffer.from(std, 'base64'));
}

/** True when bytes start like a DER SEQUENCE (0x30) with a plausible length. */
export function looksLikeDer(bytes: Uint8Array): boolean {
  if (bytes.length < 2 || bytes[0] !== 0x30) return false;
  const l = bytes[1]!;
  // 0x80: BER indefinite length (what `openssl cms -stream` writes); 0x81–0x84: long form.
  return l < 0x80 || (l >= 0x80 && l <= 0x84);
}

/**
 * Normalises "PEM, DER or bare Base64" input to DER bytes.
 * `labels` lists accepted PEM labels; the first matching block wins.
 */
export function toDer(input: string | Uint8Array, labels: readonly string[], what: string): Uint8Array {
  if (typeof input !== 'string' && looksLikeDer(input)) return new Uint8Array(input);
  const text = asText(input);
  if (text.includes('-----BEGIN ')) {
    const block = findPem(text, labels, what);
    if (!block) {
      const found = pemBlocks(text, what).map((b) => b.label);
      throw new MalformedInputError(
        what,
        `no PEM block labelled ${labels.map((l) => `"${l}"`).join(' or ')} (found ${found.length ? found.map((l) => `"${l}"`).join(', ') : 'none that is complete'})`,
      );
    }
    return block.der;
  }
  const der = decodeBase64Strict(text, what);
  if (!looksLikeDer(der)) {
    throw new MalformedInputError(what, 'it is neither PEM, DER nor Base64 of DER', {
      hint: 'Pass the file as downloaded (PEM text or binary DER).',
    });
  }
  return der;
}
