/**
 * Incremental bytes → text decoding for CSV exports, shared by the in-memory and streaming
 * readers so both decode a file identically whatever the chunk boundaries.
 *
 * What Excel writes (peers.md §1.5):
 * - "CSV UTF-8": UTF-8 with a BOM (EF BB BF);
 * - "Unicode text": UTF-16 LE with a BOM (FF FE), tab-delimited;
 * - "CSV (comma/semicolon delimited)" on Windows: the ANSI code page, Windows-1252 in Western
 *   Europe, so `Numéro de série` arrives as bytes that are not valid UTF-8.
 *
 * Decision rules:
 * 1. A BOM decides. Without one, a NUL-byte pattern typical of UTF-16 decides (ASCII text in
 *    UTF-16 has a zero in every other byte).
 * 2. Otherwise the text is read as UTF-8 up to the first byte sequence that is not valid UTF-8,
 *    and as Windows-1252 from that byte on. For a pure Windows-1252 file the part before is
 *    ASCII, so the whole file decodes correctly; the switch point depends only on the bytes,
 *    never on how a stream was chunked.
 */
import { SerialCsvError } from '../errors.js';
import { checkSignature, hexHead } from './binary.js';

/** Text encodings the reader decodes. */
export type SerialCsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** How many leading bytes are inspected before any decision. */
export const HEAD_BYTES = 64 * 1024;

// Windows-1252 0x80–0x9F (https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT);
// the five unassigned bytes map to the C1 control of the same value, as WHATWG's decoder does.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d,
  0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d,
  0x017e, 0x0178,
];

/** Decodes Windows-1252 without relying on ICU (small-ICU Node builds lack that decoder). */
export function decodeCp1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const STEP = 8192;
  const codes = new Uint16Array(Math.min(STEP, bytes.length));
  for (let start = 0; start < bytes.length; start += STEP) {
    const end = Math.min(bytes.length, start + STEP);
    for (let i = start; i < end; i++) {
      const b = bytes[i] as number;
      codes[i - start] = b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] as number) : b;
    }
    parts.push(String.fromCharCode.apply(null, codes.subarray(0, end - start) as unknown as number[]));
  }
  return parts.join('');
}

/**
 * Offset of the first byte that does not start a valid UTF-8 sequence (WHATWG rules: no
 * overlongs, no surrogates, nothing above U+10FFFF), or `bytes.length` when all are valid.
 * A sequence cut off by the end of `bytes` counts as invalid at its first byte.
 */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    // The sequence needs bytes i+1 … i+need; a cut-off sequence is invalid here.
    if (i + need >= n) return i;
    const second = bytes[i + 1] as number;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k] as number;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return n;
}

/** Length of a trailing, possibly complete-later UTF-8 sequence (0–3 bytes) to carry to the next chunk. */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Options of {@link ByteDecoder}. */
export interface ByteDecoderOptions {
  /** Forced encoding; `'auto'` (default) applies the rules above. */
  encoding?: SerialCsvEncoding | 'auto';
}

/**
 * Push bytes in, get text out. The first {@link HEAD_BYTES} bytes are buffered to decide the
 * encoding and to reject binary input; afterwards each chunk is decoded as it arrives.
 */
export class ByteDecoder {
  /** Encoding in use; for auto-detected UTF-8 input it becomes `windows-1252` at the first invalid byte. */
  encoding: SerialCsvEncoding = 'utf-8';
  /** Whether the input started with a byte-order mark. */
  bom = false;

  private readonly forced: SerialCsvEncoding | undefined;
  private head: Uint8Array[] = [];
  private headLength = 0;
  private decided = false;
  private carry: Uint8Array = new Uint8Array(0);
  private utf16: TextDecoder | undefined;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private swapOdd: number | undefined;

  constructor(options: ByteDecoderOptions = {}) {
    this.forced = options.encoding === 'auto' ? undefined : options.encoding;
  }

  /** Feeds a chunk; returns the text it completes (possibly `''`). */
  push(chunk: Uint8Array): string {
    if (chunk.length === 0) return '';
    if (!this.decided) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength < HEAD_BYTES) return '';
      return this.decide();
    }
    return this.decodeChunk(chunk);
  }

  /** Flushes what is left at the end of the input. */
  end(): string {
    let text = '';
    if (!this.decided) text = this.decide();
    if (this.encoding === 'utf-16le' || this.encoding === 'utf-16be') {
      // A dangling odd byte cannot be a character: TextDecoder emits U+FFFD for it.
      if (this.swapOdd !== undefined) text += '\uFFFD';
      this.swapOdd = undefined;
      return text + (this.utf16?.decode() ?? '');
    }
    if (this.carry.length > 0) {
      // An incomplete UTF-8 sequence at the very end: not UTF-8 after all.
      const rest = this.carry;
      this.carry = new Uint8Array(0);
      if (this.encoding === 'utf-8') this.encoding = this.forced === 'utf-8' ? 'utf-8' : 'windows-1252';
      text += this.encoding === 'utf-8' ? this.utf8Lenient(rest) : decodeCp1252(rest);
    }
    return text;
  }

  private decide(): string {
    const all = this.head.length === 1 ? (this.head[0] as Uint8Array) : joinBytes(this.head, this.headLength);
    this.head = [];
    this.decided = true;
    checkSignature(all);
    const bom = detectBom(all);
    if (this.forced) {
      this.encoding = this.forced;
      this.bom = bom !== undefined && bom.encoding === this.forced;
    } else {
      this.bom = bom !== undefined;
      this.encoding = bom?.encoding ?? guessUtf16(all) ?? 'utf-8';
    }
    const body = this.bom && bom ? all.subarray(bom.length) : all;
    if (this.encoding === 'utf-8' || this.encoding === 'windows-1252') {
      // Only the head decides, so a stream and a buffer of the same bytes get the same verdict.
      const nul = all.subarray(0, HEAD_BYTES).indexOf(0, all.length - body.length);
      if (nul !== -1) {
        throw new SerialCsvError(
          'binary',
          `This is not a CSV file: it contains NUL bytes (first at byte ${nul}), which only binary data has.`,
          {
            found: { format: 'nul-bytes', offset: nul, leadingBytes: hexHead(all) },
            hint: 'Export the device list from the MDM as CSV, or save the sheet as “CSV UTF-8” from Excel.',
          },
        );
      }
    } else {
      this.utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });
    }
    return this.decodeChunk(body);
  }

  private decodeChunk(chunk: Uint8Array): string {
    switch (this.encoding) {
      case 'windows-1252':
        return decodeCp1252(chunk);
      case 'utf-16le':
        return (this.utf16 as TextDecoder).decode(chunk, { stream: true });
      case 'utf-16be':
        return (this.utf16 as TextDecoder).decode(this.swap(chunk), { stream: true });
      default:
        return this.decodeUtf8(chunk);
    }
  }

  private decodeUtf8(chunk: Uint8Array): string {
    const bytes = concat(this.carry, chunk);
    const tail = incompleteTail(bytes);
    const complete = tail === 0 ? bytes : bytes.subarray(0, bytes.length - tail);
    this.carry = tail === 0 ? new Uint8Array(0) : bytes.slice(bytes.length - tail);
    try {
      return this.utf8.decode(complete);
    } catch {
      if (this.forced === 'utf-8') return this.utf8Lenient(complete);
      // Not valid UTF-8: decode the valid prefix as UTF-8 and everything from the first bad byte
      // on (including any carried tail) as Windows-1252.
      const bad = firstInvalidUtf8(complete);
      const rest = concat(complete.subarray(bad), this.carry);
      this.carry = new Uint8Array(0);
      this.encoding = 'windows-1252';
      return this.utf8.decode(complete.subarray(0, bad)) + decodeCp1252(rest);
    }
  }

  private utf8Lenient(bytes: Uint8Array): string {
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }

  /** Byte-swaps UTF-16BE to LE, carrying an odd trailing byte to the next chunk. */
  private swap(chunk: Uint8Array): Uint8Array {
    const bytes = this.swapOdd === undefined ? chunk : concat(Uint8Array.of(this.swapOdd), chunk);
    const even = bytes.length - (bytes.length % 2);
    const out = new Uint8Array(even);
    for (let k = 0; k < even; k += 2) {
      out[k] = bytes[k + 1] as number;
      out[k + 1] = bytes[k] as number;
    }
    this.swapOdd = even < bytes.length ? bytes[even] : undefined;
    return out;
  }
}

function joinBytes(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function detectBom(bytes: Uint8Array): { encoding: SerialCsvEncoding; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * UTF-16 without a BOM: ASCII-range text has a zero in every other byte. Requires a clear
 * pattern (≥ 40 % zeros on one parity, < 5 % on the other) over at least 4 code units, which
 * random binary data does not produce.
 */
function guessUtf16(bytes: Uint8Array): SerialCsvEncoding | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const units = n / 2;
  if (zeroOdd / units >= 0.4 && zeroEven / units < 0.05) return 'utf-16le';
  if (zeroEven / units >= 0.4 && zeroOdd / units < 0.05) return 'utf-16be';
  return undefined;
}
