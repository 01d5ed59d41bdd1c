/**
 * X.500 distinguished names as RFC 4514 strings (`CN=depserver,O=Example,C=US`), the form
 * `openssl x509 -nameopt RFC2253` prints. Not part of the public API.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4514
 */
import { type BerNode, readOid, readSequence, readSet, toHex } from './ber.js';

/** Attribute type short names, as openssl prints them. */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.46': 'dnQualifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/**
 * Formats a `Name` element. RFC 4514 lists RDNs last-first; values that are not strings are
 * written as `#` + hex of their DER, as §2.4 requires.
 */
export function formatName(node: BerNode, what: string, path: string): string {
  const rdns = readSequence(node, what, path).map((rdn, i) =>
    readSet(rdn, what, `${path}[${i}]`)
      .map((atv, j) => {
        const [type, value] = readSequence(atv, what, `${path}[${i}][${j}]`);
        const oid = readOid(type, what, `${path}[${i}][${j}].type`);
        const text = value ? attributeText(value) : undefined;
        const rendered = text === undefined ? `#${toHex(value?.raw ?? new Uint8Array(0))}` : escapeValue(text);
        return `${SHORT_NAMES[oid] ?? oid}=${rendered}`;
      })
      // openssl's RFC 2253 output reverses the attributes of a multi-valued RDN too (RFC 4514
      // leaves their order open); doing the same lets callers compare strings with openssl's.
      .reverse()
      .join('+'),
  );
  return rdns.reverse().join(',');
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
      if (c.length % 4 !== 0) return undefined;
      return String.fromCodePoint(...Array.from({ length: c.length / 4 }, (_, i) => c.readUInt32BE(i * 4)));
    default:
      return undefined;
  }
}

/** RFC 4514 §2.4 escaping. */
function escapeValue(value: string): string {
  let out = value.replace(/[\\"+,;<>]/g, (ch) => `\\${ch}`).replace(/\0/g, '\\00');
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  // A lone space was escaped as leading already; otherwise escape a trailing one.
  if (value.length > 1 && out.endsWith(' ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Compares two RFC 4514 strings loosely: case and runs of spaces do not matter. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}
