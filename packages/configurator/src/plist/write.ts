/**
 * Our own XML plist writer.
 *
 * Why not a library: `plist@5` types every integral number as `<integer>` and is ESM-only,
 * `@plist/serialize` writes control characters and lone surrogates raw (invalid XML) and
 * loses CR (both checked by this package's peer tests against Python `plistlib`). The format is small enough to own.
 *
 * The layout follows Python `plistlib.dumps` byte for byte (tab indentation, `<dict/>` for
 * empty containers, base64 `<data>` wrapped the way plistlib wraps it, reals formatted like
 * Python's `repr`), so for any model without CR in its strings our output and plistlib's are
 * identical, which the peer tests check. The one deliberate difference: CR is written as
 * `&#13;` because plistlib writes it raw and every XML parser then reads it back as LF.
 */
import { PlistError } from '../errors.js';
import { checkBoolean, checkInteger, checkOptions } from '../internal/args.js';
import { formatReal } from './format-real.js';
import { formatPath, type PathSegment } from './path.js';
import {
  MAX_PLIST_DEPTH,
  PLIST_INTEGER_MAX,
  PLIST_INTEGER_MIN,
  PlistInteger,
  PlistReal,
  type PlistValue,
} from './types.js';
import { escapeXmlText, findInvalidXmlChar } from './xml-text.js';

/** Options of {@link writePlist}. */
export interface WritePlistOptions {
  /**
   * Sort dictionary keys by Unicode code point (the order Python `plistlib` uses), so the
   * same model always gives the same bytes and therefore the same signature.
   * With `false`, keys keep the object's own-property order (which JavaScript puts
   * integer-like keys such as `"10"` first, whatever the insertion order).
   * @default true
   */
  sortKeys?: boolean;
  /**
   * Deepest nesting of arrays and dictionaries written, 1…2048; deeper values are refused
   * rather than allowed to exhaust the stack.
   * @default 512
   */
  maxDepth?: number;
  /**
   * Most characters the document may have. A value that references the same array or
   * dictionary from several places is written once per reference, so 40 levels of shared
   * children expand to 2^40 elements; such a value is refused up front (the size is computed
   * once per distinct object) instead of running out of memory.
   * @default 268435456 (256 Mi characters, half of what a V8 string can hold)
   */
  maxLength?: number;
}

const WRITE_OPTIONS = ['sortKeys', 'maxDepth', 'maxLength'] as const;

/** The XML declaration, Apple's DOCTYPE and the `<plist>` start tag, exactly as Apple, Python and plist.js write them. */
export const PLIST_XML_HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
  '<plist version="1.0">\n';

const SAFE_MAX = Number.MAX_SAFE_INTEGER;
const ASTRAL_OR_HIGH_BMP = /[\uD800-\uFFFF]/;
const tabs: string[] = [''];
function indent(level: number): string {
  let t = tabs[level];
  if (t === undefined) {
    t = '\t'.repeat(level);
    tabs[level] = t;
  }
  return t;
}

/**
 * Serialises `value` as a complete XML property list document: the XML declaration, Apple's
 * DOCTYPE, tab indentation like Apple's and Python's writers, and a trailing newline.
 *
 * Rules:
 * - strings and keys are XML-escaped (`&`, `<`, `>` and CR as `&#13;`); C0 control
 *   characters other than TAB/LF/CR, U+FFFE/U+FFFF and unpaired surrogates are rejected;
 * - a plain `number` is `<integer>` when `Number.isInteger(n)`, else `<real>`; `bigint`
 *   is `<integer>`; {@link real} / {@link integer} force a type; `NaN`, `±Infinity` and
 *   integers outside −2^63…2^64−1 are rejected;
 * - `Date` → `<date>` in UTC with seconds precision (milliseconds are truncated); invalid
 *   dates and years outside 0001–9999 are rejected;
 * - `Uint8Array` (and `Buffer`) → base64 `<data>`;
 * - dictionary keys whose value is `undefined` are skipped (like `JSON.stringify`), but
 *   `undefined` in an array or at the root, `null`, functions, symbols, `Map`s, class
 *   instances and circular references are rejected.
 *
 * Every rejection is a {@link PlistError} whose `path` names the offending value, e.g.
 * `PayloadContent[0].SSID_STR`.
 *
 * @example
 * const xml = writePlist({ PayloadType: 'Configuration', PayloadVersion: 1, DurationUntilRemoval: real(3600) });
 * @see https://opensource.apple.com/source/CF/CF-635/PropertyList.dtd.auto.html Apple's plist DTD
 */
export function writePlist(value: PlistValue, options?: WritePlistOptions): string {
  const fn = 'writePlist()';
  const o = checkOptions(fn, options, WRITE_OPTIONS);
  const maxDepth = checkInteger(fn, 'options.maxDepth', o.maxDepth, 1, MAX_PLIST_DEPTH) ?? 512;
  const maxLength = checkInteger(fn, 'options.maxLength', o.maxLength, 1, 2 ** 29 - 24) ?? 2 ** 28;
  new SizeCheck(maxDepth, maxLength).check(value);
  const writer = new XmlWriter(checkBoolean(fn, 'options.sortKeys', o.sortKeys) ?? true);
  writer.write(value, 0);
  return `${PLIST_XML_HEADER}${writer.out}</plist>\n`;
}

/**
 * A first pass over the value, linear in the number of *distinct* objects: refuses cycles,
 * nesting deeper than `maxDepth`, and values whose XML would exceed `maxLength` characters
 * because shared arrays or dictionaries are written once per reference (issue #15 item 12).
 * Sizes are estimates (tags and indentation included, escapes not), computed once per object.
 */
class SizeCheck {
  private readonly sizes = new Map<object, number>();
  private readonly active = new Set<object>();
  private readonly path: PathSegment[] = [];

  constructor(
    private readonly maxDepth: number,
    private readonly maxLength: number,
  ) {}

  check(value: unknown): void {
    const size = this.size(value, 0);
    if (size > this.maxLength) {
      throw new PlistError(
        `Cannot write plist: the document would have about ${size} characters, more than maxLength ${this.maxLength}`,
        { path: '' },
        {
          hint: 'an array or dictionary referenced from many places is written once per reference; pass a tree, or raise maxLength',
        },
      );
    }
  }

  private size(v: unknown, depth: number): number {
    const ind = depth + 20;
    if (typeof v === 'string') return ind + v.length;
    if (typeof v !== 'object' || v === null || v instanceof Date) return ind + 32;
    if (v instanceof Uint8Array) return ind + Math.ceil((v.byteLength * 4) / 3) + 16;
    if (
      v instanceof PlistReal ||
      v instanceof PlistInteger ||
      isBranded(v, REAL_BRAND) ||
      isBranded(v, INTEGER_BRAND)
    ) {
      return ind + 32;
    }
    const known = this.sizes.get(v);
    if (known !== undefined) return known;
    if (this.active.has(v)) {
      throw new PlistError(
        'Cannot write plist: circular reference',
        { path: formatPath(this.path) },
        { hint: 'a plist is a tree; remove the cycle' },
      );
    }
    if (depth >= this.maxDepth) {
      throw new PlistError(
        `Cannot write plist: nesting deeper than ${this.maxDepth} levels`,
        { path: formatPath(this.path) },
        { hint: 'raise maxDepth (up to 2048) or flatten the value' },
      );
    }
    this.active.add(v);
    let total = ind * 2;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && total <= this.maxLength; i++) {
        this.path.push(i);
        total += this.size(v[i], depth + 1);
        this.path.pop();
      }
    } else {
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined) continue;
        this.path.push(k);
        total += ind + 12 + k.length + this.size(x, depth + 1);
        this.path.pop();
        if (total > this.maxLength) break;
      }
    }
    this.active.delete(v);
    this.sizes.set(v, total);
    return total;
  }
}

class XmlWriter {
  out = '';
  private readonly path: PathSegment[] = [];
  private readonly ancestors = new Set<object>();

  constructor(private readonly sortKeys: boolean) {}

  write(v: unknown, level: number): void {
    switch (typeof v) {
      case 'string':
        this.out += `${indent(level)}<string>${this.text(v, 'string')}</string>\n`;
        return;
      case 'boolean':
        this.out += v ? `${indent(level)}<true/>\n` : `${indent(level)}<false/>\n`;
        return;
      case 'number':
        this.number(v, level);
        return;
      case 'bigint':
        this.integer(v, level);
        return;
      case 'object':
        if (v === null) {
          throw this.fail('null cannot be written to a plist', 'omit the key (or set it to undefined) instead');
        }
        this.object(v, level);
        return;
      case 'undefined':
        throw this.fail(
          'undefined cannot be written to a plist here',
          'undefined is only skipped as a dictionary value; remove it from arrays',
        );
      default:
        throw this.fail(`a ${typeof v} cannot be written to a plist`);
    }
  }

  private number(n: number, level: number): void {
    if (!Number.isFinite(n)) {
      throw this.fail(`${n} cannot be written to a plist`, 'plists cannot carry NaN or Infinity');
    }
    if (!Number.isInteger(n)) {
      this.real(n, level);
    } else if (n <= SAFE_MAX && n >= -SAFE_MAX) {
      this.out += `${indent(level)}<integer>${n === 0 ? 0 : n}</integer>\n`;
    } else {
      this.integer(BigInt(n), level);
    }
  }

  private real(n: number, level: number): void {
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw this.fail(`${String(n)} cannot be written as a plist <real>`, 'plists cannot carry NaN or Infinity');
    }
    this.out += `${indent(level)}<real>${formatReal(n)}</real>\n`;
  }

  private integer(big: bigint, level: number): void {
    if (big < PLIST_INTEGER_MIN || big > PLIST_INTEGER_MAX) {
      throw this.fail(
        `integer ${big} is outside the 64-bit range a plist can hold`,
        `plist integers range from ${PLIST_INTEGER_MIN} to ${PLIST_INTEGER_MAX}; use real() for larger magnitudes`,
      );
    }
    this.out += `${indent(level)}<integer>${big}</integer>\n`;
  }

  private object(v: object, level: number): void {
    if (v instanceof Uint8Array) {
      this.data(v, level);
    } else if (v instanceof Date) {
      this.out += `${indent(level)}<date>${this.date(v)}</date>\n`;
    } else if (v instanceof PlistReal || isBranded(v, REAL_BRAND)) {
      this.real((v as PlistReal).value, level);
    } else if (v instanceof PlistInteger || isBranded(v, INTEGER_BRAND)) {
      const value = (v as PlistInteger).value;
      this.integer(typeof value === 'bigint' ? value : BigInt(value), level);
    } else if (Array.isArray(v)) {
      this.enter(v);
      if (v.length === 0) {
        this.out += `${indent(level)}<array/>\n`;
      } else {
        this.out += `${indent(level)}<array>\n`;
        for (let i = 0; i < v.length; i++) {
          this.path.push(i);
          this.write(v[i], level + 1);
          this.path.pop();
        }
        this.out += `${indent(level)}</array>\n`;
      }
      this.ancestors.delete(v);
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        throw this.fail(
          `a ${name} cannot be written to a plist`,
          'use plain objects for <dict>, arrays for <array> and Uint8Array for <data>',
        );
      }
      this.dict(v as Record<string, unknown>, level);
    }
  }

  private dict(v: Record<string, unknown>, level: number): void {
    this.enter(v);
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    if (keys.length === 0) {
      this.out += `${indent(level)}<dict/>\n`;
    } else {
      if (this.sortKeys) sortByCodePoint(keys);
      const ind = indent(level + 1);
      this.out += `${indent(level)}<dict>\n`;
      for (const key of keys) {
        this.path.push(key);
        this.out += `${ind}<key>${this.text(key, 'key')}</key>\n`;
        this.write(v[key], level + 1);
        this.path.pop();
      }
      this.out += `${indent(level)}</dict>\n`;
    }
    this.ancestors.delete(v);
  }

  private data(bytes: Uint8Array, level: number): void {
    // Python plistlib wraps base64 at max(16, 76 - 8 * level) characters, rounded down to a
    // multiple of 4, each line at the <data> element's indentation.
    const ind = indent(level);
    const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    const width = Math.floor(Math.max(16, 76 - 8 * level) / 4) * 4;
    let body = '';
    for (let i = 0; i < b64.length; i += width) body += `${ind}${b64.slice(i, i + width)}\n`;
    this.out += `${ind}<data>\n${body}${ind}</data>\n`;
  }

  private date(d: Date): string {
    const t = d.getTime();
    if (Number.isNaN(t)) throw this.fail('an invalid Date cannot be written to a plist');
    const year = d.getUTCFullYear();
    if (year < 1 || year > 9999) {
      throw this.fail(`year ${year} cannot be written to a plist <date>`, 'plist dates range from 0001 to 9999');
    }
    const p = (n: number) => (n < 10 ? `0${n}` : `${n}`);
    return (
      `${String(year).padStart(4, '0')}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}` +
      `T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}Z`
    );
  }

  private text(s: string, what: 'string' | 'key'): string {
    const bad = findInvalidXmlChar(s);
    if (bad !== undefined) {
      throw this.fail(
        `${what === 'key' ? 'dictionary key' : 'string'} contains ${bad}, which XML 1.0 cannot carry`,
        'remove the character, or store binary content as a Uint8Array (<data>)',
      );
    }
    return escapeXmlText(s);
  }

  private enter(v: object): void {
    if (this.ancestors.has(v)) throw this.fail('circular reference', 'a plist is a tree; remove the cycle');
    this.ancestors.add(v);
  }

  private fail(problem: string, hint?: string): PlistError {
    return new PlistError(`Cannot write plist: ${problem}`, { path: formatPath(this.path) }, hint ? { hint } : {});
  }
}

const REAL_BRAND = Symbol.for('@schoolmdm/configurator:PlistReal');
const INTEGER_BRAND = Symbol.for('@schoolmdm/configurator:PlistInteger');
// Brands let a PlistReal/PlistInteger made by another loaded copy of this package (ESM and
// CJS side by side) still be recognised, where `instanceof` would fail.
Object.defineProperty(PlistReal.prototype, REAL_BRAND, { value: true });
Object.defineProperty(PlistInteger.prototype, INTEGER_BRAND, { value: true });

function isBranded(v: object, brand: symbol): boolean {
  return (v as Record<symbol, unknown>)[brand] === true;
}

/**
 * Sorts keys by Unicode code point, as Python's `sorted()` does. JavaScript's default sort
 * compares UTF-16 code units, which puts astral characters (emoji) before U+E000–U+FFFF;
 * the comparator below is only needed when such characters occur.
 */
export function sortByCodePoint(keys: string[]): string[] {
  keys.sort();
  if (keys.some((k) => ASTRAL_OR_HIGH_BMP.test(k))) keys.sort(compareCodePoints);
  return keys;
}

/** Compares two strings by code point. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

// Maps UTF-16 code units so that their order matches code point order: surrogates (which
// encode U+10000 and above) move above U+E000–U+FFFF.
function fixup(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return c + 0x2000;
  if (c >= 0xe000) return c - 0x800;
  return c;
}
