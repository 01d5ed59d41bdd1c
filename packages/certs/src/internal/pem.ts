/**
 * PEM, Base64 and DER input helpers shared by every certs module. Not part of the public API.
 *
 * Admins hand us files in every shape (PEM with CRLF, bare Base64 with line breaks, raw DER,
 * a `Buffer` or a string), so each reader first normalises its input here.
 */
import { decodeBase64, parsePem } from '@schoolmdm/core';
import { MalformedInputError } from '../errors.js';

/** One `-----BEGIN X-----` … `-----END X-----` block. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
  /** Headers such as `Proc-Type` / `DEK-Info` of legacy encrypted PEM. */
  headers: Record<string, string>;
}

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
  return parsePem(text).map(({ label, headers, body }) => {
    if (!body.ok) throw new MalformedInputError(`${what} (PEM block "${label}")`, body.reason, { hint: body.hint });
    return { label, der: body.bytes, headers };
  });
}

/** The first PEM block whose label is one of `labels`, or undefined. */
export function findPem(text: string, labels: readonly string[], what = 'PEM input'): PemBlock | undefined {
  return pemBlocks(text, what).find((b) => labels.includes(b.label));
}

/** Encodes DER as PEM with 64-character lines and LF line ends. */
export { toPem } from '@schoolmdm/core';

/** Decodes strict Base64 (see core's `decodeBase64`); throws `MalformedInputError` naming `what`. */
export function decodeBase64Strict(text: string, what = 'Base64 input'): Uint8Array {
  const r = decodeBase64(text);
  if (!r.ok) throw new MalformedInputError(what, r.reason, { hint: r.hint });
  return r.bytes;
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
