/**
 * The tiny XML property list of a push-certificate request: one `<dict>` of string values
 * (certs.md §2.1 step 3). Written and read here rather than through a plist library, because
 * `@schoolmdm/certs` must not depend on `@schoolmdm/configurator` and the format is this small.
 *
 * @see https://www.apple.com/DTDs/PropertyList-1.0.dtd
 */
import { MalformedInputError } from '../errors.js';

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
  '<plist version="1.0">\n';

/** Characters XML 1.0 forbids even when escaped (§2.2 Char). */
const XML_FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;

function escapeXml(text: string): string {
  // A raw CR would be folded into LF by every XML parser (XML 1.0 §2.11), so it is written as a
  // character reference to survive the round trip.
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/**
 * Serialises `entries` (in order) as an XML plist `<dict>` of `<string>` values, tab-indented like
 * Apple's and Go's plist encoders.
 */
export function writeStringDictPlist(entries: ReadonlyArray<readonly [string, string]>): string {
  let body = '<dict>\n';
  for (const [key, value] of entries) {
    if (XML_FORBIDDEN.test(key) || XML_FORBIDDEN.test(value)) {
      throw new MalformedInputError('plist value', `"${key}" holds a control character XML cannot carry`);
    }
    body += `\t<key>${escapeXml(key)}</key>\n\t<string>${escapeXml(value)}</string>\n`;
  }
  return `${HEADER}${body}</dict>\n</plist>\n`;
}

/** One value of a dict read by {@link readStringDictPlist}. */
export interface PlistValue {
  /** `string` and `data` values carry text; other element types are only named. */
  type: 'string' | 'data' | 'other';
  /** The unescaped text (`data`: the Base64 text, whitespace removed). */
  text: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A character reference's code point, or a typed error for one XML cannot hold (XML 1.0 §4.1, §2.2). */
function codePoint(digits: string, radix: 16 | 10, what: string): string {
  const cp = digits.length > 8 ? Number.NaN : Number.parseInt(digits, radix);
  if (
    !Number.isInteger(cp) ||
    cp > 0x10ffff ||
    (cp >= 0xd800 && cp <= 0xdfff) ||
    cp === 0xfffe ||
    cp === 0xffff ||
    (cp < 0x20 && cp !== 0x9 && cp !== 0xa && cp !== 0xd)
  ) {
    throw new MalformedInputError(
      what,
      `the character reference "&#${radix === 16 ? 'x' : ''}${digits.slice(0, 12)};" is not a character XML allows`,
      {
        hint: 'The plist is not valid XML; ask the vendor for a new request.',
      },
    );
  }
  return String.fromCodePoint(cp);
}

function unescapeXml(text: string, what: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (m, name: string | undefined) => {
    if (!name) throw new MalformedInputError(what, 'a bare "&" in the XML', { hint: 'The plist is not valid XML.' });
    if (name.startsWith('#x')) return codePoint(name.slice(2), 16, what);
    if (name.startsWith('#')) return codePoint(name.slice(1), 10, what);
    const v = ENTITY[name];
    if (v === undefined) throw new MalformedInputError(what, `unknown XML entity "${m.slice(0, 24)}"`);
    return v;
  });
}

/**
 * Removes `<!-- … -->` comments in one pass. A regex (`/<!--[\s\S]*?-->/g`) rescans the rest of
 * the text from every `<!--` when there is no `-->`, which made 1 MB of `<!--` take over a
 * minute (issue #15, item 13); here an unclosed comment ends the scan.
 */
function stripComments(text: string, what: string): string {
  let at = text.indexOf('<!--');
  if (at === -1) return text;
  const parts: string[] = [];
  let from = 0;
  while (at !== -1) {
    const end = text.indexOf('-->', at + 4);
    if (end === -1) {
      throw new MalformedInputError(what, `the XML comment opened at character ${at} is never closed`, {
        hint: 'The plist is truncated or not valid XML.',
      });
    }
    parts.push(text.slice(from, at));
    from = end + 3;
    at = text.indexOf('<!--', from);
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/** Index just past the `<dict>` that opens the top-level dictionary, or -1. Linear in the text. */
function findPlistDict(text: string): number {
  const dictAfter = /\s*<dict>/y;
  let lastGt = -1;
  for (let at = text.indexOf('<plist'); at !== -1; at = text.indexOf('<plist', at + 6)) {
    const next = text.charCodeAt(at + 6);
    // `<plist\b`: the tag name must end here.
    if (/\w/.test(String.fromCharCode(next))) continue;
    const gt = text.indexOf('>', at + 6);
    if (gt === -1) return -1;
    // Several `<plist` before the same `>` share its verdict: look at what follows it once.
    if (gt === lastGt) continue;
    lastGt = gt;
    dictAfter.lastIndex = gt + 1;
    if (dictAfter.test(text)) return dictAfter.lastIndex;
  }
  return -1;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Reads the top-level `<dict>` of an XML plist into key → value. Nested containers are reported as
 * `other` and skipped; duplicate keys are an error (Apple's parser would pick one silently).
 *
 * Hand-written rather than one sticky regex: the regex backtracked across `</key>` boundaries on
 * an unclosed element and grew quadratically. Here every closing tag is found with one `indexOf`
 * that either moves forward or ends the read with an error, so the time is linear in the text.
 *
 * @throws {MalformedInputError} Not an XML plist with a top-level dict.
 */
export function readStringDictPlist(xml: string, what: string): Map<string, PlistValue> {
  if (xml.startsWith('bplist')) {
    throw new MalformedInputError(what, 'it is a binary plist', {
      hint: 'Convert it to XML first (plutil -convert xml1 file).',
    });
  }
  // XML 1.0 §2.11: parsers see CRLF and lone CR as LF.
  const text = stripComments(xml.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), what);
  let pos = findPlistDict(text);
  if (pos === -1) {
    throw new MalformedInputError(what, 'no <plist><dict> found', {
      hint: 'Pass the Base64 push-certificate request (or its decoded XML plist).',
    });
  }
  const unexpected = (at: number) =>
    new MalformedInputError(what, `unexpected XML at character ${at}`, {
      hint: 'The plist is truncated or not a flat dictionary.',
    });
  const skipSpace = () => {
    while (pos < text.length && WS.has(text.charCodeAt(pos))) pos++;
  };
  const closing = (tag: string, from: number): number => {
    const end = text.indexOf(tag, from);
    if (end === -1) throw unexpected(from);
    return end;
  };
  const out = new Map<string, PlistValue>();
  const tagName = /([A-Za-z_][\w.-]*)/y;
  for (;;) {
    skipSpace();
    if (text.startsWith('</dict>', pos)) break;
    if (!text.startsWith('<key>', pos)) throw unexpected(pos);
    const keyEnd = closing('</key>', pos + 5);
    const key = unescapeXml(text.slice(pos + 5, keyEnd), what);
    if (out.has(key)) throw new MalformedInputError(what, `the key "${key.slice(0, 80)}" appears twice`);
    pos = keyEnd + 6;
    skipSpace();
    if (text.charCodeAt(pos) !== 0x3c /* < */) throw unexpected(pos);
    tagName.lastIndex = pos + 1;
    const name = tagName.exec(text)?.[1];
    if (name === undefined) throw unexpected(pos);
    const gt = closing('>', pos + 1 + name.length);
    const selfClosing = text.charCodeAt(gt - 1) === 0x2f; /* / */
    const attributes = text.slice(pos + 1 + name.length, selfClosing ? gt - 1 : gt);
    const isText = name === 'string' || name === 'data';
    if (isText && attributes.trim() !== '') throw unexpected(pos);
    if (selfClosing) {
      out.set(key, isText ? { type: name, text: '' } : { type: 'other', text: '' });
      pos = gt + 1;
      continue;
    }
    const endTag = `</${name}>`;
    const end = closing(endTag, gt + 1);
    if (isText) {
      const raw = unescapeXml(text.slice(gt + 1, end), what);
      out.set(key, { type: name, text: name === 'data' ? raw.replace(/\s+/g, '') : raw });
    } else {
      out.set(key, { type: 'other', text: '' });
    }
    pos = end + endTag.length;
  }
  return out;
}
