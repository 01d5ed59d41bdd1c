/**
 * Binary plist (`bplist00`) reader. Not part of the public API (see `readPlist`).
 *
 * Apple doesn't say whether iOS installs binary `.mobileconfig` files, but they occur in the
 * wild (`plutil -convert binary1`, geteduroam/apple-app#162), so we read them.
 *
 * Format (CoreFoundation `CFBinaryPList.c`, also Python `plistlib._BinaryPlistParser`):
 * an 8-byte magic, objects, an offset table, and a 32-byte trailer
 * `{ 6 unused, sortVersion, offsetIntSize, objectRefSize, numObjects: u64, topObject: u64,
 * offsetTableOffset: u64 }`. Each object starts with a marker byte whose high nibble is the
 * type and low nibble a size (0xF: the size follows as an integer object).
 *
 * Hostile input is handled: every offset and length is range-checked, references that lead
 * back to an object being decoded (cycles) are refused, and each object is decoded once and
 * shared when referenced again (as Python does), so a DAG of references cannot blow up.
 */
import { PlistError } from '../errors.js';
import { formatPath, type PathSegment } from './path.js';
import { integerValue, type ReaderOptions, realValue } from './read-xml.js';
import { excerpt } from './secret-keys.js';
import { normalizeBigInt, PLIST_INTEGER_MAX, PLIST_INTEGER_MIN, type PlistValue } from './types.js';

/** Seconds between the Unix epoch and the Core Data epoch (2001-01-01T00:00:00Z). */
const CORE_DATA_EPOCH_S = 978307200;
const utf16 = new TextDecoder('utf-16be', { fatal: true });
const ascii = new TextDecoder('latin1');

/** True when `bytes` starts with the `bplist` magic (any version). */
export function isBinaryPlist(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && Buffer.from(bytes.buffer, bytes.byteOffset, 6).toString('latin1') === 'bplist';
}

/** Decodes a `bplist00` document. */
export function readBinaryPlist(bytes: Uint8Array, options: ReaderOptions): PlistValue {
  return new BinaryPlistParser(bytes, options).document();
}

class BinaryPlistParser {
  private readonly view: DataView;
  private offsetSize = 0;
  private refSize = 0;
  private numObjects = 0;
  private offsetTable = 0;
  private readonly cache = new Map<number, PlistValue>();
  private readonly active = new Set<number>();
  private readonly path: PathSegment[] = [];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: ReaderOptions,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  document(): PlistValue {
    const b = this.bytes;
    const magic = Buffer.from(b.buffer, b.byteOffset, Math.min(8, b.length)).toString('latin1');
    if (magic !== 'bplist00') {
      throw this.fail(
        `unsupported binary plist version "${magic}"`,
        0,
        'only bplist00 is supported; convert with `plutil -convert xml1`',
      );
    }
    if (b.length < 8 + 1 + 32) throw this.fail('file too short for a binary plist', 0);
    const t = b.length - 32;
    this.offsetSize = b[t + 6]!;
    this.refSize = b[t + 7]!;
    const numObjects = this.view.getBigUint64(t + 8);
    const top = this.view.getBigUint64(t + 16);
    const tableOffset = this.view.getBigUint64(t + 24);
    if (this.offsetSize < 1 || this.offsetSize > 8 || this.refSize < 1 || this.refSize > 8) {
      throw this.fail(`invalid trailer (offset size ${this.offsetSize}, reference size ${this.refSize})`, t);
    }
    if (numObjects < 1n || top >= numObjects) throw this.fail('invalid trailer (object count or top object)', t);
    if (tableOffset < 8n || tableOffset + numObjects * BigInt(this.offsetSize) > BigInt(t)) {
      throw this.fail('offset table out of range', t);
    }
    this.numObjects = Number(numObjects);
    this.offsetTable = Number(tableOffset);
    return this.object(Number(top), 0);
  }

  private object(ref: number, depth: number): PlistValue {
    const cached = this.cache.get(ref);
    if (cached !== undefined) return cached;
    if (ref >= this.numObjects) throw this.fail(`object reference ${ref} out of range`, this.offsetTable);
    if (this.active.has(ref)) throw this.fail(`reference cycle through object ${ref}`, this.offsetOf(ref));
    if (depth > this.options.maxDepth) {
      throw this.fail(`nesting deeper than ${this.options.maxDepth} levels`, this.offsetOf(ref));
    }
    this.active.add(ref);
    const v = this.decode(this.offsetOf(ref), depth);
    this.active.delete(ref);
    this.cache.set(ref, v);
    return v;
  }

  private offsetOf(ref: number): number {
    const off = this.uint(this.offsetTable + ref * this.offsetSize, this.offsetSize);
    if (off < 8 || off >= this.offsetTable) throw this.fail(`object ${ref} has an out-of-range offset ${off}`, off);
    return off;
  }

  private decode(off: number, depth: number): PlistValue {
    const marker = this.byte(off);
    const type = marker >> 4;
    const info = marker & 0x0f;
    switch (type) {
      case 0x0:
        if (marker === 0x08) return false;
        if (marker === 0x09) return true;
        throw this.fail(
          marker === 0x00 ? 'null objects are not supported' : `unsupported marker 0x${hex(marker)}`,
          off,
        );
      case 0x1:
        return this.integer(off + 1, 1 << info, off);
      case 0x2: {
        this.need(off + 1, 1 << info);
        let n: number;
        if (info === 2) n = this.view.getFloat32(off + 1);
        else if (info === 3) n = this.view.getFloat64(off + 1);
        else throw this.fail(`unsupported real size ${1 << info}`, off);
        if (!Number.isFinite(n)) throw this.fail('NaN and Infinity are not supported in profiles', off);
        return realValue(n, this.options.numbers);
      }
      case 0x3: {
        if (marker !== 0x33) throw this.fail(`unsupported marker 0x${hex(marker)}`, off);
        this.need(off + 1, 8);
        const seconds = this.view.getFloat64(off + 1);
        const d = new Date(Math.round((seconds + CORE_DATA_EPOCH_S) * 1000));
        if (Number.isNaN(d.getTime())) throw this.fail('invalid date', off);
        return d;
      }
      case 0x4: {
        const [start, len] = this.length(off, info);
        this.need(start, len);
        return this.bytes.slice(start, start + len);
      }
      case 0x5: {
        const [start, len] = this.length(off, info);
        this.need(start, len);
        const s = ascii.decode(this.bytes.subarray(start, start + len));
        // bplist ASCII strings are 7-bit; CoreFoundation writes anything else as UTF-16.
        if (/[^\x00-\x7f]/.test(s)) throw this.fail('non-ASCII byte in an ASCII string', start);
        return s;
      }
      case 0x6: {
        const [start, len] = this.length(off, info);
        this.need(start, len * 2);
        try {
          return utf16.decode(this.bytes.subarray(start, start + len * 2));
        } catch (e) {
          throw this.fail('invalid UTF-16 string', start, undefined, e);
        }
      }
      case 0x8: {
        // A UID (keyed archives) has no plist XML element; CoreFoundation writes it to XML
        // as a { CF$UID: n } dictionary, which is what we return.
        const n = this.integer(off + 1, info + 1, off, true);
        return { CF$UID: n };
      }
      case 0xa:
      case 0xc: {
        const [start, count] = this.length(off, info);
        this.need(start, count * this.refSize);
        const out: PlistValue[] = [];
        for (let i = 0; i < count; i++) {
          this.path.push(i);
          out.push(this.object(this.uint(start + i * this.refSize, this.refSize), depth + 1));
          this.path.pop();
        }
        return out;
      }
      case 0xd: {
        const [start, count] = this.length(off, info);
        this.need(start, count * 2 * this.refSize);
        const out: Record<string, PlistValue> = {};
        for (let i = 0; i < count; i++) {
          const key = this.object(this.uint(start + i * this.refSize, this.refSize), depth + 1);
          if (typeof key !== 'string') throw this.fail('dictionary key is not a string', start);
          this.path.push(key);
          if (Object.hasOwn(out, key)) {
            if (this.options.duplicateKeys === 'error') {
              throw this.fail(
                `duplicate key ${excerpt(key, [], 64)}`,
                start,
                "with duplicateKeys: 'last' the last value is kept, as plistlib does",
              );
            }
            const path = formatPath(this.path);
            this.options.warnings.push({
              code: 'duplicate-key',
              key,
              path,
              offset: off,
              message: `${path}: duplicate key ${excerpt(key, [], 64)} in the dictionary at byte offset ${off}; the last value is used, as plistlib reads it`,
            });
          }
          const v = this.object(this.uint(start + (count + i) * this.refSize, this.refSize), depth + 1);
          if (key === '__proto__') {
            Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
          } else {
            out[key] = v;
          }
          this.path.pop();
        }
        return out;
      }
      default:
        throw this.fail(`unsupported marker 0x${hex(marker)}`, off);
    }
  }

  /** An integer object's value: 1, 2 and 4 bytes unsigned, 8 and 16 bytes signed (as CF writes them). */
  private integer(at: number, size: number, markerAt: number, plain = false): PlistValue {
    this.need(at, size);
    let big: bigint;
    if (size === 1) big = BigInt(this.view.getUint8(at));
    else if (size === 2) big = BigInt(this.view.getUint16(at));
    else if (size === 4) big = BigInt(this.view.getUint32(at));
    else if (size === 8) big = this.view.getBigInt64(at);
    else if (size === 16) big = (this.view.getBigInt64(at) << 64n) | this.view.getBigUint64(at + 8);
    else if (plain && size <= 8) big = BigInt(this.uint(at, size));
    else throw this.fail(`unsupported integer size ${size}`, markerAt);
    if (big < PLIST_INTEGER_MIN || big > PLIST_INTEGER_MAX)
      throw this.fail('integer outside the 64-bit range', markerAt);
    const v = normalizeBigInt(big);
    return plain ? v : integerValue(v, this.options.numbers);
  }

  /** The object count or byte length of a marker, and where the payload starts. */
  private length(off: number, info: number): [start: number, length: number] {
    if (info !== 0x0f) return [off + 1, info];
    const m = this.byte(off + 1);
    if (m >> 4 !== 0x1) throw this.fail('invalid length marker', off + 1);
    const size = 1 << (m & 0x0f);
    const n = this.integer(off + 2, size, off + 1, true);
    if (typeof n !== 'number' || n < 0) throw this.fail('invalid length', off + 1);
    return [off + 2 + size, n];
  }

  private uint(at: number, size: number): number {
    this.need(at, size);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + this.bytes[at + i]!;
    return n;
  }

  private byte(at: number): number {
    this.need(at, 1);
    return this.bytes[at]!;
  }

  private need(at: number, len: number): void {
    if (at < 0 || len < 0 || at + len > this.bytes.length - 32) {
      throw this.fail('object extends past the end of the data', at);
    }
  }

  private fail(problem: string, offset: number, hint?: string, cause?: unknown): PlistError {
    const options: { hint?: string; cause?: unknown } = {};
    if (hint !== undefined) options.hint = hint;
    if (cause !== undefined) options.cause = cause;
    return new PlistError(`Invalid binary plist: ${problem}`, { path: formatPath(this.path), offset }, options);
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
