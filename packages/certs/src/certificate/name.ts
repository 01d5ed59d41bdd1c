/**
 * X.501 distinguished names: reading them from asn1js and printing them as RFC 4514 strings in the
 * same shape as `openssl x509 -nameopt RFC2253` (most-specific RDN first, comma-separated, OpenSSL's
 * short names), so what the SDK prints can be pasted next to what admins see in OpenSSL.
 */
import { DISTINGUISHED_NAME_SHORT_NAMES, formatDistinguishedName } from '@schoolmdm/core';
import * as asn1js from 'asn1js';

/** One attribute of a distinguished name, e.g. `{ type: 'CN', oid: '2.5.4.3', value: 'APSP:…' }`. */
export interface NameAttribute {
  /** OpenSSL's short name (`CN`, `C`, `O`, `OU`, `UID`, `emailAddress`…) or the dotted OID. */
  type: string;
  /** The attribute type OID. */
  oid: string;
  /** The value as text; `#<hex of DER>` when it is not a string type (RFC 4514 §2.4). */
  value: string;
  /** True when `value` is `#<hex of DER>` because the value is not a string type. */
  hex?: true;
}

/** OpenSSL's short names by OID: core's one table, shared with configurator. */
export const SHORT_NAMES: Readonly<Record<string, string>> = DISTINGUISHED_NAME_SHORT_NAMES;

/** OID of the `UID` (userId) attribute, where an APNs certificate keeps its topic. */
export const UID_OID = '0.9.2342.19200300.100.1.1';
/** OID of `CN`. */
export const CN_OID = '2.5.4.3';

/**
 * Reads an RDNSequence (a `Name`) into RDNs of attributes, in encoded order.
 * Returns undefined when the structure is not a Name.
 */
export function readName(node: asn1js.AsnType | undefined): NameAttribute[][] | undefined {
  if (!(node instanceof asn1js.Sequence)) return undefined;
  const rdns: NameAttribute[][] = [];
  for (const set of node.valueBlock.value) {
    if (!(set instanceof asn1js.Set)) return undefined;
    const rdn: NameAttribute[] = [];
    for (const atv of set.valueBlock.value) {
      const [type, value] = atv instanceof asn1js.Sequence ? atv.valueBlock.value : [];
      if (!(type instanceof asn1js.ObjectIdentifier) || !value) return undefined;
      const oid = type.valueBlock.toString();
      const text = attributeText(value);
      const attr: NameAttribute = { type: SHORT_NAMES[oid] ?? oid, oid, value: text ?? hexValue(value) };
      if (text === undefined) attr.hex = true;
      rdn.push(attr);
    }
    rdns.push(rdn);
  }
  return rdns;
}

function hexValue(value: asn1js.AsnType): string {
  return `#${Buffer.from(value.valueBeforeDecodeView).toString('hex')}`;
}

function attributeText(value: asn1js.AsnType): string | undefined {
  if (
    value instanceof asn1js.Utf8String ||
    value instanceof asn1js.PrintableString ||
    value instanceof asn1js.IA5String ||
    value instanceof asn1js.BmpString ||
    value instanceof asn1js.UniversalString ||
    value instanceof asn1js.TeletexString ||
    value instanceof asn1js.VisibleString ||
    value instanceof asn1js.NumericString
  ) {
    return value.valueBlock.value;
  }
  return undefined;
}

/**
 * RFC 4514 string of a name, from core's one printer shared by every package (issue #16), so a
 * subject reads the same in certs and configurator: last RDN first, `,` between RDNs, `+` inside
 * a multi-valued RDN, special characters backslash-escaped, as `openssl … -nameopt RFC2253`.
 */
export function formatName(rdns: readonly NameAttribute[][]): string {
  return formatDistinguishedName(rdns);
}

/** The first value of the attribute `oid` (most general RDN first), or undefined. */
export function nameValue(rdns: readonly NameAttribute[][], oid: string): string | undefined {
  for (const rdn of rdns) for (const a of rdn) if (a.oid === oid) return a.value;
  return undefined;
}
