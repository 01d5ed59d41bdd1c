/**
 * PEM and Base64 decoding shared by every package that reads certificates, keys, tokens and
 * signed profiles. The functions report a bad input as a result rather than throwing, so each
 * package raises its own typed error (`MalformedInputError` in certs, `SignatureError` in
 * configurator) with the file it was reading in the message.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7468 (textual encodings of PKIX structures)
 */

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

const PEM_RE = /-----BEGIN ([A-Z0-9 #]+)-----\r?\n?([\s\S]*?)-----END \1-----/g;
const HEADER_RE = /^([A-Za-z-]+):\s*(.*)$/;

/**
 * Decodes Base64 (standard or URL-safe alphabet, any whitespace, optional padding) and rejects
 * anything else. Node's `Buffer.from(s, 'base64')` silently skips bad characters, which would
 * turn a corrupt file into a confusing later error, so the text is checked first.
 */
export function decodeBase64(text: string): Base64Result {
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
  if (/=[^=]/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    return {
      ok: false,
      reason: 'the Base64 text is truncated or has padding in the middle',
      hint: 'The file may be cut short; download it again.',
    };
  }
  const std = compact.replace(/-/g, '+').replace(/_/g, '/');
  return { ok: true, bytes: new Uint8Array(Buffer.from(std, 'base64')) };
}

/** Every PEM block of `text`, in order, with its headers and decoded body. */
export function parsePem(text: string): PemSection[] {
  const out: PemSection[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const lines = (m[2] ?? '').split(/\r?\n/);
    const headers: Record<string, string> = {};
    let i = 0;
    // RFC 1421 headers come first, then a blank line (RFC 7468 §5.2 tells parsers to skip them).
    if (lines.some((l) => /^[A-Za-z-]+:\s/.test(l))) {
      for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
        const h = HEADER_RE.exec(lines[i]!);
        if (h) headers[h[1]!] = h[2]!.trim();
      }
    }
    out.push({ label: m[1] ?? '', headers, body: decodeBase64(lines.slice(i).join('')) });
  }
  return out;
}

/** Encodes DER as PEM with 64-character lines and LF line ends (RFC 7468 §2). */
export function toPem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der.buffer, der.byteOffset, der.byteLength)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
