/**
 * X.500 distinguished names as RFC 4514 strings (`CN=depserver,O=Example,C=US`), the form
 * `openssl x509 -nameopt RFC2253` prints. Not part of the public API.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4514
 */
import { formatName as formatRdns, type NameAttribute, SHORT_NAMES } from '../../certificate/name.js';
import { type BerNode, readOid, readSequence, readSet, toHex } from './ber.js';

/**
 * Formats a BER `Name` element as RFC 4514 text. Values that are not strings are written as
 * `#` + hex of their DER, as §2.4 requires.
 */
export function formatName(node: BerNode, what: string, path: string): string {
  const rdns: NameAttribute[][] = readSequence(node, what, path).map((rdn, i) =>
    readSet(rdn, what, `${path}[${i}]`).map((atv, j) => {
      const [type, value] = readSequence(atv, what, `${path}[${i}][${j}]`);
      const oid = readOid(type, what, `${path}[${i}][${j}].type`);
      const text = value ? attributeText(value) : undefined;
      const attr: NameAttribute = {
        type: SHORT_NAMES[oid] ?? oid,
        oid,
        value: text ?? `#${toHex(value?.raw ?? new Uint8Array(0))}`,
      };
      if (text === undefined) attr.hex = true;
      return attr;
    }),
  );
  // One printer for every name the package shows, so token recipients and certificate subjects
  // read the same (and the same as `openssl -nameopt RFC2253`).
  return formatRdns(rdns);
}

/** The text of a directory string, or undefined for a type we do not render as text. */
function attributeText(node: BerNode): string | undefined {
  if (node.tagClass !== 'universal' || node.constructed) return undefined;
  const c = Buffer.from(node.content.buffer, node.content.byteOffset, node.content.byteLength);
  switch (node.tag) {
    case 12: // UTF8String
      return c.toString('utf8');
    case 18: // NumericString
    case 19: // PrintableString
    case 22: // IA5String
    case 26: // VisibleString
      return c.toString('ascii');
    case 20: // TeletexString: in practice Latin-1 (what openssl assumes too)
      return c.toString('latin1');
    case 30: // BMPString: UTF-16BE
      return Buffer.from(c).swap16().toString('utf16le');
    case 28: // UniversalString: UTF-32BE
      {
        // A value that is not UTF-32 (a code point above U+10FFFF or a surrogate) is printed as
        // `#hex` (RFC 4514 §2.4) instead of making String.fromCodePoint throw a RangeError.
        if (c.length % 4 !== 0) return undefined;
        let text = '';
        for (let i = 0; i < c.length; i += 4) {
          const cp = c.readUInt32BE(i);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
          text += String.fromCodePoint(cp);
        }
        return text;
      }
    default:
      return undefined;
  }
}

/** Compares two RFC 4514 strings loosely: case and runs of spaces do not matter. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}
