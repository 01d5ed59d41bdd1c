/**
 * A strict, dependency-free XML plist reader. Not part of the public API (see `readPlist`).
 *
 * Why our own: the JS plist parsers sit on xmldom, whose CVE churn is most of `plist.js`'s
 * issue tracker, and `plist.js#87` shows an invalid plist parsed silently (https://github.com/TooTallNate/plist.js/issues/87).
 * A plist uses a tiny subset of XML, so we parse exactly that subset and reject the rest:
 * - prolog: XML declaration (UTF-8 only), comments, processing instructions and a DOCTYPE
 *   without an internal subset (an internal subset could declare entities, i.e. the classic
 *   entity-expansion attacks, and no plist writer emits one);
 * - elements of Apple's DTD only, with `<plist>` optional around the root as CoreFoundation
 *   and Python accept;
 * - the five predefined entities, decimal/hex character references (`&#13;` keeps a CR),
 *   CDATA sections and comments inside text;
 * - a duplicate dictionary key keeps its last value, as Python `plistlib` does (SAP's published
 *   `Privileges.mobileconfig` names `LimitToUser` twice), and is recorded as a warning;
 *   `duplicateKeys: 'error'` refuses it, as `plutil -lint` does (micromdm/plist#37).
 *
 * Error messages quote at most a short excerpt of the file, and nothing from below a key whose
 * name says it holds a secret (`Password`, `Challenge`…): a malformed tag right after a Wi-Fi
 * password must not print the password (issue #15 item 16).
 */
import { PlistError } from '../errors.js';
import { formatPath, type PathSegment } from './path.js';
import type { PlistReadWarning } from './read-warnings.js';
import { excerpt } from './secret-keys.js';
import { PLIST_INTEGER_MAX, PLIST_INTEGER_MIN, PlistInteger, PlistReal, type PlistValue } from './types.js';
import { findInvalidXmlChar, isXmlChar } from './xml-text.js';

/** Options shared by the XML and binary readers. */
export interface ReaderOptions {
  /** `lossless`: integral reals wrapped; `wrapped`: every number wrapped; `plain`: no wrappers. */
  numbers: 'lossless' | 'wrapped' | 'plain';
  /** `last`: last value wins (plistlib), recorded in `warnings`; `error`: refuse. */
  duplicateKeys: 'last' | 'error';
  maxDepth: number;
  /** Collects what was accepted but deserves a warning. */
  warnings: PlistReadWarning[];
}

/** A number read from `<real>` (or a binary real) in the caller's chosen number mode. */
export function realValue(n: number, mode: ReaderOptions['numbers']): PlistValue {
  if (mode === 'wrapped' || (mode === 'lossless' && Number.isInteger(n))) return new PlistReal(n);
  return n;
}

/** A number read from `<integer>` in the caller's chosen number mode. */
export function integerValue(n: number | bigint, mode: ReaderOptions['numbers']): PlistValue {
  return mode === 'wrapped' ? new PlistInteger(n) : n;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z_][A-Za-z0-9._-]*));|&/g;
const WS = /[ \t\n\r]/;
const NAME = /[A-Za-z_:][A-Za-z0-9_.:-]*/y;
const INTEGER_DEC = /^[+-]?[0-9]+$/;
const INTEGER_HEX = /^([+-]?)0[xX]([0-9A-Fa-f]+)$/;
const REAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
// Apple's DTD says YYYY-MM-DDTHH:MM:SSZ; like Python plistlib we also accept truncated forms.
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?)?)?Z$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_WS = /[ \t\n\r\f\v]+/g;

const ELEMENTS = new Set([
  'plist',
  'dict',
  'array',
  'key',
  'string',
  'integer',
  'real',
  'true',
  'false',
  'date',
  'data',
]);

interface Tag {
  name: string;
  selfClosing: boolean;
  start: number;
}

/** Parses an XML plist document (already decoded to a string). */
export function readXmlPlist(text: string, options: ReaderOptions): PlistValue {
  // XML 1.0 §2.11: a parser normalises CRLF and lone CR to LF before anything else; only a
  // character reference (&#13;) produces a CR in the data.
  const doc = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  return new XmlPlistParser(doc, options).document();
}

class XmlPlistParser {
  private pos = 0;
  private readonly path: PathSegment[] = [];
  private depth = 0;
  /** [offset just past the last newline counted, its line, the next newline or -1 (-2: unknown)]: see {@link lineOf}. */
  private lineCursor: [number, number, number] = [0, 1, -2];

  constructor(
    private readonly s: string,
    private readonly options: ReaderOptions,
  ) {}

  document(): PlistValue {
    const bad = findInvalidXmlChar(this.s);
    if (bad !== undefined) {
      const index = Number(/at index (\d+)/.exec(bad)?.[1] ?? 0);
      throw this.fail(`the document contains ${bad}, which XML 1.0 does not allow`, index);
    }
    if (this.s.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.prolog();
    const root = this.startTag();
    let value: PlistValue;
    if (root.name === 'plist') {
      if (root.selfClosing) throw this.fail('<plist> is empty', root.start);
      this.misc();
      if (this.s.startsWith('</', this.pos)) throw this.fail('<plist> has no value', this.pos);
      value = this.value(this.startTag());
      this.misc();
      this.endTag('plist');
    } else {
      value = this.value(root);
    }
    this.misc();
    if (this.pos < this.s.length) throw this.fail('unexpected content after the root element', this.pos);
    return value;
  }

  // ---- prolog and markup -------------------------------------------------------------

  private prolog(): void {
    for (let first = true; ; first = false) {
      this.skipWs();
      if (first && this.s.startsWith('<?xml', this.pos) && WS.test(this.s[this.pos + 5] ?? '')) {
        const end = this.indexOrFail('?>', this.pos, 'unterminated XML declaration');
        const decl = this.s.slice(this.pos, end);
        const enc = /encoding\s*=\s*["']([^"']*)["']/.exec(decl)?.[1];
        if (enc !== undefined && !/^utf-?(8|16(le|be)?)$/i.test(enc)) {
          throw this.fail(`unsupported encoding ${excerpt(enc, [])}`, this.pos, 'convert the file to UTF-8');
        }
        this.pos = end + 2;
      } else if (this.s.startsWith('<!DOCTYPE', this.pos)) {
        this.doctype();
      } else if (this.s.startsWith('<!--', this.pos) || this.s.startsWith('<?', this.pos)) {
        this.misc();
      } else {
        return;
      }
    }
  }

  private doctype(): void {
    const start = this.pos;
    let i = this.pos + 9;
    while (i < this.s.length) {
      const c = this.s[i];
      if (c === '"' || c === "'") {
        const close = this.s.indexOf(c, i + 1);
        if (close < 0) break;
        i = close + 1;
      } else if (c === '[') {
        throw this.fail(
          'DOCTYPE internal subsets are not supported',
          i,
          'remove the [...] part of the DOCTYPE; plists never need entity declarations',
        );
      } else if (c === '>') {
        this.pos = i + 1;
        return;
      } else {
        i++;
      }
    }
    throw this.fail('unterminated DOCTYPE', start);
  }

  /** Skips whitespace, comments and processing instructions; other text is an error. */
  private misc(): void {
    for (;;) {
      this.skipWs();
      if (this.s.startsWith('<!--', this.pos)) {
        this.pos = this.indexOrFail('-->', this.pos + 4, 'unterminated comment') + 3;
      } else if (this.s.startsWith('<?', this.pos)) {
        if (this.s.startsWith('<?xml', this.pos) && WS.test(this.s[this.pos + 5] ?? '')) {
          throw this.fail('the XML declaration must come first', this.pos);
        }
        this.pos = this.indexOrFail('?>', this.pos + 2, 'unterminated processing instruction') + 2;
      } else {
        if (this.pos < this.s.length && this.s[this.pos] !== '<') {
          throw this.fail('unexpected text between elements', this.pos);
        }
        return;
      }
    }
  }

  private skipWs(): void {
    const s = this.s;
    let i = this.pos;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) i++;
      else break;
    }
    this.pos = i;
  }

  private startTag(): Tag {
    const start = this.pos;
    if (this.s[this.pos] !== '<' || this.s[this.pos + 1] === '/' || this.s[this.pos + 1] === '!') {
      throw this.fail(this.pos >= this.s.length ? 'unexpected end of document' : 'expected an element', this.pos);
    }
    NAME.lastIndex = this.pos + 1;
    const m = NAME.exec(this.s);
    if (!m) throw this.fail('malformed start tag', start);
    if (m[0].length > 64) throw this.fail(`malformed start tag ${this.tagName(m[0])}`, start);
    this.pos = NAME.lastIndex;
    // Attributes are parsed for well-formedness (quoted values may contain '>') and ignored:
    // only <plist version="1.0"> carries one.
    for (;;) {
      this.skipWs();
      const c = this.s[this.pos];
      if (c === '>') {
        this.pos++;
        return { name: m[0], selfClosing: false, start };
      }
      if (c === '/' && this.s[this.pos + 1] === '>') {
        this.pos += 2;
        return { name: m[0], selfClosing: true, start };
      }
      NAME.lastIndex = this.pos;
      if (!NAME.exec(this.s)) throw this.fail(`malformed start tag ${this.tagName(m[0])}`, start);
      this.pos = NAME.lastIndex;
      this.skipWs();
      if (this.s[this.pos] !== '=') throw this.fail(`malformed attribute in ${this.tagName(m[0])}`, this.pos);
      this.pos++;
      this.skipWs();
      const q = this.s[this.pos];
      if (q !== '"' && q !== "'") throw this.fail(`unquoted attribute value in ${this.tagName(m[0])}`, this.pos);
      this.pos = this.indexOrFail(q, this.pos + 1, `unterminated attribute value in ${this.tagName(m[0])}`) + 1;
    }
  }

  private endTag(name: string): void {
    const start = this.pos;
    if (!this.s.startsWith(`</${name}`, this.pos)) {
      throw this.fail(`expected </${name}>`, start);
    }
    this.pos += name.length + 2;
    this.skipWs();
    if (this.s[this.pos] !== '>') throw this.fail(`expected </${name}>`, start);
    this.pos++;
  }

  // ---- values ----------------------------------------------------------------------------

  private value(tag: Tag): PlistValue {
    switch (tag.name) {
      case 'dict':
        return this.dict(tag);
      case 'array':
        return this.array(tag);
      case 'string':
        return tag.selfClosing ? '' : this.text('string');
      case 'integer':
        return this.integer(this.scalarText(tag), tag.start);
      case 'real':
        return this.real(this.scalarText(tag), tag.start);
      case 'true':
      case 'false':
        if (!tag.selfClosing && this.text(tag.name).trim() !== '') {
          throw this.fail(`<${tag.name}> must be empty`, tag.start);
        }
        return tag.name === 'true';
      case 'date':
        return this.date(this.scalarText(tag), tag.start);
      case 'data':
        return this.data(tag.selfClosing ? '' : this.text('data'), tag.start);
      case 'key':
        throw this.fail('<key> outside a <dict>', tag.start);
      default:
        throw this.fail(
          `unknown element ${this.tagName(tag.name)}`,
          tag.start,
          'plists contain only dict, array, key, string, integer, real, true, false, date and data',
        );
    }
  }

  private enter(tag: Tag): void {
    if (++this.depth > this.options.maxDepth) {
      throw this.fail(`nesting deeper than ${this.options.maxDepth} levels`, tag.start);
    }
  }

  private dict(tag: Tag): PlistValue {
    const out: Record<string, PlistValue> = {};
    if (tag.selfClosing) return out;
    this.enter(tag);
    for (;;) {
      this.misc();
      if (this.s.startsWith('</', this.pos)) {
        this.endTag('dict');
        break;
      }
      const keyTag = this.startTag();
      if (keyTag.name !== 'key') {
        throw this.fail(`expected <key> in <dict>, found ${this.tagName(keyTag.name)}`, keyTag.start);
      }
      const key = keyTag.selfClosing ? '' : this.text('key');
      this.path.push(key);
      const duplicate = Object.hasOwn(out, key);
      if (duplicate && this.options.duplicateKeys === 'error') {
        throw this.fail(
          `duplicate key ${excerpt(key, [], 64)}`,
          keyTag.start,
          "each key may appear only once in a <dict>; with duplicateKeys: 'last' the last value is kept, as plistlib does",
        );
      }
      this.misc();
      if (this.s.startsWith('</', this.pos) || this.pos >= this.s.length) {
        throw this.fail(`key ${excerpt(key, [], 64)} has no value`, keyTag.start);
      }
      if (duplicate) {
        const path = formatPath(this.path);
        const line = this.lineOf(keyTag.start);
        this.options.warnings.push({
          code: 'duplicate-key',
          key,
          path,
          line,
          message: `${path}: duplicate key ${excerpt(key, [], 64)} on line ${line}; the last value is used, as plistlib and devices read it`,
        });
      }
      const v = this.value(this.startTag());
      // A "__proto__" key must become an own property, not the object's prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.path.pop();
    }
    this.depth--;
    return out;
  }

  private array(tag: Tag): PlistValue {
    const out: PlistValue[] = [];
    if (tag.selfClosing) return out;
    this.enter(tag);
    for (;;) {
      this.misc();
      if (this.s.startsWith('</', this.pos)) {
        this.endTag('array');
        break;
      }
      this.path.push(out.length);
      out.push(this.value(this.startTag()));
      this.path.pop();
    }
    this.depth--;
    return out;
  }

  /** Character data up to `</name>`: entities decoded, CDATA kept verbatim, comments dropped. */
  private text(name: string): string {
    const s = this.s;
    let out = '';
    let i = this.pos;
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) throw this.fail(`unterminated <${name}>`, this.pos);
      if (lt > i) out += this.decode(s.slice(i, lt), i);
      if (s.startsWith('</', lt)) {
        this.pos = lt;
        this.endTag(name);
        return out;
      }
      if (s.startsWith('<![CDATA[', lt)) {
        const end = this.indexOrFail(']]>', lt + 9, 'unterminated CDATA section');
        out += s.slice(lt + 9, end);
        i = end + 3;
      } else if (s.startsWith('<!--', lt)) {
        i = this.indexOrFail('-->', lt + 4, 'unterminated comment') + 3;
      } else if (s.startsWith('<?', lt)) {
        i = this.indexOrFail('?>', lt + 2, 'unterminated processing instruction') + 2;
      } else {
        throw this.fail(`unexpected element inside <${name}>`, lt);
      }
    }
  }

  private scalarText(tag: Tag): string {
    return tag.selfClosing ? '' : this.text(tag.name).trim();
  }

  private decode(raw: string, at: number): string {
    const gt = raw.indexOf(']]>');
    if (gt >= 0) throw this.fail('"]]>" must be escaped in text', at + gt);
    if (!raw.includes('&')) return raw;
    return raw.replace(ENTITY, (m: string, hex?: string, dec?: string, name?: string, offset?: number) => {
      const where = at + (offset ?? 0);
      if (hex !== undefined || dec !== undefined) {
        const cp = hex !== undefined ? Number.parseInt(hex, 16) : Number.parseInt(dec!, 10);
        if (!isXmlChar(cp)) {
          throw this.fail(
            `character reference ${excerpt(m, this.path, 16).replace(/^"|"$/g, '')} is not a character XML 1.0 allows`,
            where,
          );
        }
        return String.fromCodePoint(cp);
      }
      if (name !== undefined) {
        const v = NAMED_ENTITIES[name];
        if (v === undefined)
          throw this.fail(`unknown entity ${excerpt(m, this.path, 16).replace(/^"|"$/g, '')}`, where);
        return v;
      }
      throw this.fail('unescaped "&" (write &amp;)', where);
    });
  }

  private integer(t: string, at: number): PlistValue {
    let big: bigint;
    if (INTEGER_DEC.test(t)) {
      // Up to 15 digits always fits a double exactly.
      if (t.length <= 15) {
        const n = Number(t);
        return integerValue(n === 0 ? 0 : n, this.options.numbers);
      }
      // BigInt() of a long decimal string is superlinear: anything past 20 significant digits
      // is outside the 64-bit range anyway.
      if (t.replace(/^[+-]?0*/, '').length > 20) {
        throw this.fail(`<integer> ${excerpt(t, this.path)} is outside the 64-bit range`, at);
      }
      big = BigInt(t);
    } else {
      const hex = INTEGER_HEX.exec(t);
      if (!hex) throw this.fail(`invalid <integer> ${excerpt(t, this.path)}`, at);
      if (hex[2]!.replace(/^0*/, '').length > 16) {
        throw this.fail(`<integer> ${excerpt(t, this.path)} is outside the 64-bit range`, at);
      }
      big = BigInt(`0x${hex[2]}`) * (hex[1] === '-' ? -1n : 1n);
    }
    if (big < PLIST_INTEGER_MIN || big > PLIST_INTEGER_MAX) {
      throw this.fail(`<integer> ${excerpt(t, this.path)} is outside the 64-bit range`, at);
    }
    return integerValue(new PlistInteger(big).value, this.options.numbers);
  }

  private real(t: string, at: number): PlistValue {
    if (!REAL.test(t)) {
      throw this.fail(
        `invalid <real> ${excerpt(t, this.path)}`,
        at,
        /^[+-]?(nan|inf(inity)?)$/i.test(t) ? 'NaN and Infinity are not supported in profiles' : undefined,
      );
    }
    const n = Number(t);
    if (!Number.isFinite(n)) throw this.fail(`<real> ${excerpt(t, this.path)} overflows a double`, at);
    return realValue(n, this.options.numbers);
  }

  private date(t: string, at: number): Date {
    const m = DATE.exec(t);
    const parts = m ? m.slice(1).map((p, i) => (p === undefined ? (i === 1 || i === 2 ? 1 : 0) : Number(p))) : [];
    const [y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0] = parts;
    const date = new Date(0);
    date.setUTCFullYear(y, mo - 1, d);
    date.setUTCHours(h, mi, sec, 0);
    if (
      !m ||
      y < 1 ||
      date.getUTCFullYear() !== y ||
      date.getUTCMonth() !== mo - 1 ||
      date.getUTCDate() !== d ||
      h > 23 ||
      mi > 59 ||
      sec > 59
    ) {
      throw this.fail(
        `invalid <date> ${excerpt(t, this.path)}`,
        at,
        'plist dates look like 2024-01-31T12:00:00Z (UTC)',
      );
    }
    return date;
  }

  private data(raw: string, at: number): Uint8Array {
    const b64 = raw.replace(BASE64_WS, '');
    if (!BASE64.test(b64) || b64.length % 4 === 1) throw this.fail('invalid base64 in <data>', at);
    return new Uint8Array(Buffer.from(b64, 'base64'));
  }

  // ---- errors ------------------------------------------------------------------------------

  private indexOrFail(needle: string, from: number, problem: string): number {
    const i = this.s.indexOf(needle, from);
    if (i < 0) throw this.fail(problem, from);
    return i;
  }

  /** An element name for a message: `<string>`, or a cut, redacted excerpt of a garbled one. */
  private tagName(name: string): string {
    if (ELEMENTS.has(name)) return `<${name}>`;
    const known = /^[a-z]+/.exec(name)?.[0];
    // `<string:hunter2>`: name the element it starts like, never the text that follows.
    if (known !== undefined && ELEMENTS.has(known)) return `<${known}…>`;
    return `<${excerpt(name, this.path, 12).replace(/^"|"$/g, '')}>`;
  }

  /**
   * 1-based line of `index`. Counting resumes from the last answer when asked about a later
   * position (duplicate keys are met in document order), so reporting many of them stays
   * linear in the document instead of rescanning it from the start each time.
   */
  private lineOf(index: number): number {
    let [from, line, next] = index >= this.lineCursor[0] ? this.lineCursor : [0, 1, -2];
    if (next === -2) next = this.s.indexOf('\n', from);
    while (next >= 0 && next < index) {
      line++;
      from = next + 1;
      next = this.s.indexOf('\n', from);
    }
    this.lineCursor = [from, line, next];
    return line;
  }

  private fail(problem: string, index: number, hint?: string): PlistError {
    return new PlistError(
      `Invalid XML plist: ${problem}`,
      { path: formatPath(this.path), line: this.lineOf(index) },
      hint === undefined ? {} : { hint },
    );
  }
}
