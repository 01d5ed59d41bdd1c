/**
 * Decodes an X.501 `Name` (DER) into RDNs for core's RFC 4514 printer, so a signer's subject
 * reads the same here as in `@schoolmdm/certs` (`CN=…,O=…,C=…`, issue #16). Not part of the
 * public API.
 */
import {
  DISTINGUISHED_NAME_SHORT_NAMES,
  type DistinguishedNameAttribute,
  formatDistinguishedName,
} from '@schoolmdm/core';
import { children, readTlv, type Tlv } from './der-read.js';

/** OpenSSL's short names by OID: core's one table, shared with certs. */
const SHORT_NAMES = DISTINGUISHED_NAME_SHORT_NAMES;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');
const utf16be = new TextDecoder('utf-16be', { fatal: true });

/** RFC 4514 text of the DER `Name` in `der[tlv]`. Throws RangeError on malformed DER. */
export function formatNameDer(der: Uint8Array, name: Tlv): string {
  const rdns: DistinguishedNameAttribute[][] = [];
  for (const set of children(der, name)) {
    const rdn: DistinguishedNameAttribute[] = [];
    for (const atv of children(der, set)) {
      const [type, value] = children(der, atv);
      if (type?.tag !== 0x06 || !value) throw new RangeError('malformed AttributeTypeAndValue');
      const oid = decodeOid(der.subarray(type.contentStart, type.end));
      const text = decodeString(der, value);
      rdn.push(
        text === undefined
          ? {
              type: SHORT_NAMES[oid] ?? oid,
              value: `#${Buffer.from(der.subarray(value.start, value.end)).toString('hex')}`,
              hex: true,
            }
          : { type: SHORT_NAMES[oid] ?? oid, value: text },
      );
    }
    rdns.push(rdn);
  }
  return formatDistinguishedName(rdns);
}

/** RFC 4514 text of a DER `Name` given on its own. */
export function formatName(der: Uint8Array): string {
  return formatNameDer(der, readTlv(der, 0));
}

/** The text of a directory string, or undefined when it is not one (printed as `#hex`). */
function decodeString(der: Uint8Array, t: Tlv): string | undefined {
  const body = der.subarray(t.contentStart, t.end);
  try {
    switch (t.tag) {
      case 0x0c: // UTF8String
        return utf8.decode(body);
      case 0x13: // PrintableString
      case 0x16: // IA5String
      case 0x12: // NumericString
      case 0x1a: // VisibleString
      case 0x14: // TeletexString (read as Latin-1, as OpenSSL does)
        return latin1.decode(body);
      case 0x1e: // BMPString
        return utf16be.decode(body);
      case 0x1c: {
        // UniversalString (UTF-32BE): a code point beyond U+10FFFF makes it not a string
        // (certs' printer used to throw RangeError on it: issue #15 item 11).
        if (body.length % 4 !== 0) return undefined;
        let s = '';
        const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
        for (let i = 0; i < body.length; i += 4) {
          const cp = view.getUint32(i);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
          s += String.fromCodePoint(cp);
        }
        return s;
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** Dotted text of an OBJECT IDENTIFIER's content octets. */
function decodeOid(b: Uint8Array): string {
  const parts: number[] = [];
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    n = n * 128 + (b[i]! & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER) throw new RangeError('OID arc too large');
    if (!(b[i]! & 0x80)) {
      if (parts.length === 0) parts.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}
