/**
 * Byte and text builders for serial CSV fixtures. Exports are built in code so that the exact
 * bytes (BOM, CRLF, Windows-1252, UTF-16) are visible in the test instead of hidden in a file.
 *
 * Header strings of the real tools are UNCONFIRMED (peers.md §1.1–1.4); these fixtures use the
 * labels documented for their APIs and UIs, which is what the alias table must cover.
 */

/** UTF-8 bytes, optionally with a BOM. */
export function utf8(text: string, bom = false): Uint8Array {
  const body = new TextEncoder().encode(text);
  return bom ? concatBytes(Uint8Array.of(0xef, 0xbb, 0xbf), body) : body;
}

/** UTF-16 bytes (Excel "Unicode text"), little- or big-endian, optionally with a BOM. */
export function utf16(text: string, endian: 'le' | 'be' = 'le', bom = true): Uint8Array {
  const out = new Uint8Array(text.length * 2 + (bom ? 2 : 0));
  let at = 0;
  if (bom) {
    out.set(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff], 0);
    at = 2;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[at++] = endian === 'le' ? c & 0xff : c >> 8;
    out[at++] = endian === 'le' ? c >> 8 : c & 0xff;
  }
  return out;
}

const CP1252_EXTRA: Record<string, number> = {
  '€': 0x80,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '–': 0x96,
  œ: 0x9c,
  Œ: 0x8c,
};

/** Windows-1252 bytes, as Excel "CSV (semicolon delimited)" writes them on a Western-European Windows. */
export function cp1252(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const c = text.charCodeAt(i);
    const extra = CP1252_EXTRA[ch];
    if (extra !== undefined) out[i] = extra;
    else if (c <= 0xff && !(c >= 0x80 && c <= 0x9f)) out[i] = c;
    else throw new Error(`not encodable in Windows-1252: ${ch}`);
  }
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Joins lines with CRLF and ends with CRLF, as Excel on Windows writes. */
export function crlf(...lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

/** Joins lines with LF and ends with LF. */
export function lf(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Realistic-looking (fictional) serial numbers: 12-character legacy and 10-character randomized. */
export const S = {
  a: 'DMPXK0AAHP5Q',
  b: 'F9FXK0AAHP5Q',
  c: 'GG7XL1BBJQ6R',
  d: 'DMQYL1BBJQ6R',
  e: 'H4T9K2LMNP',
  f: 'J7W3R8XV2C',
  g: 'C02ZT4MWQ1A7',
} as const;

/** Splits bytes (or a string) into chunks at the given sizes, cycling through them. */
export function chunk<T extends Uint8Array | string>(data: T, sizes: number[]): T[] {
  const out: T[] = [];
  let at = 0;
  let k = 0;
  while (at < data.length) {
    const size = Math.max(1, sizes[k % sizes.length] ?? 1);
    out.push(data.slice(at, at + size) as T);
    at += size;
    k++;
  }
  return out;
}

/** An async iterable over chunks, like a Node Readable in flowing mode. */
export async function* iterate<T>(chunks: T[]): AsyncGenerator<T> {
  for (const c of chunks) yield c;
}
