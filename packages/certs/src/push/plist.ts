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

function unescapeXml(text: string, what: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (m, name: string | undefined) => {
    if (!name) throw new MalformedInputError(what, 'a bare "&" in the XML', { hint: 'The plist is not valid XML.' });
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    const v = ENTITY[name];
    if (v === undefined) throw new MalformedInputError(what, `unknown XML entity "${m}"`);
    return v;
  });
}

/**
 * Reads the top-level `<dict>` of an XML plist into key → value. Nested containers are reported as
 * `other` and skipped; duplicate keys are an error (Apple's parser would pick one silently).
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
  const text = xml
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/<!--[\s\S]*?-->/g, '');
  const open = /<plist\b[^>]*>\s*<dict>/.exec(text);
  if (!open) {
    throw new MalformedInputError(what, 'no <plist><dict> found', {
      hint: 'Pass the Base64 push-certificate request (or its decoded XML plist).',
    });
  }
  const out = new Map<string, PlistValue>();
  const token =
    /\s*(?:<\/dict>|<key>([\s\S]*?)<\/key>\s*(?:<(string|data)\s*\/>|<(string|data)>([\s\S]*?)<\/\3>|<(\w+)\s*\/>|<(\w+)[^>]*>[\s\S]*?<\/\6>))/y;
  token.lastIndex = open.index + open[0].length;
  for (;;) {
    const start = token.lastIndex;
    const m = token.exec(text);
    if (!m) {
      throw new MalformedInputError(what, `unexpected XML at character ${start}`, {
        hint: 'The plist is truncated or not a flat dictionary.',
      });
    }
    if (m[1] === undefined) break; // </dict>
    const key = unescapeXml(m[1], what);
    if (out.has(key)) throw new MalformedInputError(what, `the key "${key}" appears twice`);
    const type = (m[2] ?? m[3]) as 'string' | 'data' | undefined;
    if (type) {
      const raw = unescapeXml(m[4] ?? '', what);
      out.set(key, { type, text: type === 'data' ? raw.replace(/\s+/g, '') : raw });
    } else {
      out.set(key, { type: 'other', text: '' });
    }
  }
  return out;
}
