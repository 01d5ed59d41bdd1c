/**
 * PEM and byte helpers for signing. Not part of the public API.
 *
 * Errors never quote the input: it may be a private key.
 */
import { parsePem } from '@schoolmdm/core';
import { SignatureError } from '../errors.js';

/** One `-----BEGIN X-----` … `-----END X-----` block. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Every PEM block of `text`, in order. */
export function pemBlocks(text: string, what: string): PemBlock[] {
  return parsePem(text).map(({ label, body }) => {
    if (!body.ok) throw new SignatureError(`Malformed ${what}: the "${label}" PEM block is not valid Base64`);
    return { label, der: body.bytes };
  });
}

/** DER of every `CERTIFICATE` block in one or more PEM strings. */
export function certificatesFromPem(pem: string | readonly string[], what: string): Uint8Array[] {
  const texts = typeof pem === 'string' ? [pem] : pem;
  const out: Uint8Array[] = [];
  for (const text of texts) {
    if (typeof text !== 'string') throw new SignatureError(`${what} must be PEM text`);
    const certs = pemBlocks(text, what).filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE');
    if (certs.length === 0 && text.trim() !== '') {
      throw new SignatureError(`${what} contains no "-----BEGIN CERTIFICATE-----" block`, {
        hint: 'pass PEM certificates; convert DER with `openssl x509 -inform der -in cert.cer -out cert.pem`',
      });
    }
    out.push(...certs.map((c) => c.der));
  }
  return out;
}

/** Encodes DER as PEM with 64-character lines and LF line ends. */
export { toPem } from '@schoolmdm/core';

/** Bytes as a Node Buffer view (no copy). */
export function asBuffer(input: Uint8Array): Buffer {
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}
