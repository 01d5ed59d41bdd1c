/**
 * XML 1.0 text rules shared by the plist writer and reader. Not part of the public API.
 *
 * XML 1.0 (https://www.w3.org/TR/xml/#charsets) cannot carry C0 controls other than TAB, LF
 * and CR, nor U+FFFE/U+FFFF, nor unpaired surrogates, not even as character references.
 * Python `plistlib` and `plist@5` refuse them; `@plist/serialize` writes them raw and produces
 * a file every strict parser rejects, so we refuse them with a path.
 */

/** Characters XML 1.0 cannot carry. The surrogate alternatives match only *unpaired* halves. */
const INVALID_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Characters that must be escaped in text content (see {@link escapeXmlText}). */
const NEEDS_ESCAPE = /[&<>\r]/;
const NEEDS_ESCAPE_G = /[&<>\r]/g;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Describes the first character XML 1.0 cannot carry, or returns undefined when `s` is clean. */
export function findInvalidXmlChar(s: string): string | undefined {
  const m = INVALID_XML_CHAR.exec(s);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0);
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  const kind =
    code >= 0xd800 && code <= 0xdfff
      ? 'an unpaired surrogate'
      : code >= 0xfffe
        ? 'a noncharacter'
        : 'a control character';
  return `U+${hex} (${kind}) at index ${m.index}`;
}

/**
 * Escapes text content: `&`, `<`, `>` (so `]]>` can never appear), and CR as `&#13;`.
 *
 * CR is escaped because XML parsers normalise a raw CR or CRLF to LF (XML 1.0 §2.11): Python
 * `plistlib` and `@plist` write CR raw and read it back as LF; a character reference survives.
 */
export function escapeXmlText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(NEEDS_ESCAPE_G, (c) => ESCAPES[c]!) : s;
}

/** True when the code point may appear in an XML 1.0 document (used for `&#…;` references). */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
