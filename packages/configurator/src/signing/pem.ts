/**
 * PEM and byte helpers for signing. Not part of the public API.
 *
 * Errors never quote the input: it may be a private key.
 */
import { SignatureError } from '../errors.js';

/** One `-----BEGIN X-----` … `-----END X-----` block. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 #]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

/** Every PEM block of `text`, in order. */
export function pemBlocks(text: string, what: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const label = m[1] ?? '';
    // Drop RFC 1421 headers (Proc-Type, DEK-Info) before the Base64 body.
    const body = (m[2] ?? '')
      .split(/\r?\n/)
      .filter((l) => !/^[A-Za-z-]+:\s/.test(l))
      .join('')
      .replace(/\s+/g, '');
    if (!BASE64_BODY.test(body) || body.length % 4 === 1) {
      throw new SignatureError(`Malformed ${what}: the "${label}" PEM block is not valid Base64`);
    }
    out.push({ label, der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  return out;
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
export function toPem(label: string, der: Uint8Array): string {
  const b64 = asBuffer(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Bytes as a Node Buffer view (no copy). */
export function asBuffer(input: Uint8Array): Buffer {
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}
