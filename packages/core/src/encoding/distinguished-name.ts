/**
 * The one printer of X.500 distinguished names in the SDK, shared by every package that shows a
 * certificate subject or issuer (certs' `inspectCertificate`, token recipients, configurator's
 * signed-profile signer), so the same name reads the same everywhere (issue #16).
 *
 * Output is RFC 4514 in the shape `openssl x509 -nameopt RFC2253` prints: most specific RDN
 * first, `,` between RDNs without spaces, `+` inside a multi-valued RDN, OpenSSL's short
 * attribute names (`CN`, `O`, `OU`, `C`, `UID`, `emailAddress`…).
 *
 * @see https://www.rfc-editor.org/rfc/rfc4514
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { describeArgument } from './pem.js';

/**
 * OpenSSL's short names for the attribute types met in Apple and MDM certificates, by dotted OID.
 * An OID not listed here is printed as the OID itself (RFC 4514 §2.3).
 * @see https://github.com/openssl/openssl/blob/master/crypto/objects/objects.txt
 */
export const DISTINGUISHED_NAME_SHORT_NAMES: Readonly<Record<string, string>> = {
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
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** One attribute of a relative distinguished name, as decoded from the certificate. */
export interface DistinguishedNameAttribute {
  /** Short name (`CN`, `O`, `C`, `UID`, `emailAddress`…) or the dotted OID of the attribute type. */
  type: string;
  /** The value as text, or `#` + hex of its DER when `hex` is true (RFC 4514 §2.4). */
  value: string;
  /** True when `value` is `#<hex of DER>` (a value that is not a string type); it is printed as is. */
  hex?: boolean | undefined;
}

/**
 * RFC 4514 text of a distinguished name given as its RDNs **in encoded order** (most general
 * first, as they appear in the DER: `C`, then `O`, then `CN`).
 *
 * The last RDN is printed first (§2.1). Inside a multi-valued RDN the attributes come out
 * reversed too, as OpenSSL's `XN_FLAG_DN_REV` does (RFC 4514 leaves that order free), so the
 * text matches `openssl … -nameopt RFC2253` character for character on ASCII values. Values
 * are escaped per §2.4: `" + , ; < > \`, a leading `#` or space, a trailing space, and control
 * characters as `\XX`. Non-ASCII text is kept as Unicode (OpenSSL would write `\XX` bytes).
 *
 * @example
 * ```ts
 * formatDistinguishedName([[{ type: 'C', value: 'US' }], [{ type: 'O', value: 'Example, Inc.' }], [{ type: 'CN', value: 'depserver' }]]);
 * // 'CN=depserver,O=Example\\, Inc.,C=US'
 * ```
 * @throws {InvalidArgumentError} `rdns` is not an array of arrays of `{ type, value }`.
 */
export function formatDistinguishedName(rdns: ReadonlyArray<ReadonlyArray<DistinguishedNameAttribute>>): string {
  if (!Array.isArray(rdns)) {
    throw new InvalidArgumentError(
      'rdns',
      `expected an array of RDNs (arrays of { type, value }), got ${describeArgument(rdns)}`,
    );
  }
  const parts: string[] = [];
  for (let i = rdns.length - 1; i >= 0; i--) {
    const rdn = rdns[i];
    if (!Array.isArray(rdn)) {
      throw new InvalidArgumentError(
        `rdns[${i}]`,
        `expected an array of { type, value }, got ${describeArgument(rdn)}`,
      );
    }
    const attrs: string[] = [];
    for (let j = rdn.length - 1; j >= 0; j--) {
      const a = rdn[j] as DistinguishedNameAttribute | undefined;
      if (a === null || typeof a !== 'object' || typeof a.type !== 'string' || typeof a.value !== 'string') {
        throw new InvalidArgumentError(
          `rdns[${i}][${j}]`,
          `expected { type: string, value: string }, got ${describeArgument(a)}`,
        );
      }
      attrs.push(`${a.type}=${a.hex === true ? a.value : escapeDistinguishedNameValue(a.value)}`);
    }
    parts.push(attrs.join('+'));
  }
  return parts.join(',');
}

/**
 * Escapes one attribute value for RFC 4514 §2.4: backslash before `" + , ; < > \`, before a
 * leading `#` or space and a trailing space; control characters (and NUL) as `\XX`.
 */
export function escapeDistinguishedNameValue(value: string): string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError('value', `expected a string, got ${describeArgument(value)}`);
  }
  let out = '';
  const last = value.length - 1;
  for (let i = 0; i <= last; i++) {
    const ch = value[i] as string;
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (',+"\\<>;'.includes(ch)) out += `\\${ch}`;
    else if ((i === 0 && (ch === '#' || ch === ' ')) || (i === last && ch === ' ')) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}
