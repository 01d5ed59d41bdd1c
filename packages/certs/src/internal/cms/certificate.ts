/**
 * Reads what CMS recipient matching needs from an X.509 certificate: the issuer name (DER and
 * RFC 4514 text), the serial number, the subject key identifier and the public key.
 * Not part of the public API.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-4.1 Certificate structure
 * @see https://www.rfc-editor.org/rfc/rfc5652#section-6.2.1 Recipient identifiers
 */
import { type KeyObject, X509Certificate } from 'node:crypto';
import { MalformedInputError } from '../../errors.js';
import { publicKeyOf } from '../guard.js';
import { toDer } from '../pem.js';
import { isContext, parseBer, readInteger, readOctets, readOid, readSequence, serialToHex, toHex } from './ber.js';
import { formatName } from './name.js';

/** A certificate as accepted by the token functions: PEM or DER (text or bytes) or a parsed one. */
export type CertificateInput = string | Uint8Array | X509Certificate;

/** The identifying parts of a recipient certificate. */
export interface CertificateIdentity {
  /** DER of the issuer `Name`. */
  issuerDer: Uint8Array;
  /** The issuer as an RFC 4514 string. */
  issuer: string;
  /** Uppercase hex, as `X509Certificate#serialNumber`. */
  serialNumber: string;
  /** Uppercase hex of the subjectKeyIdentifier extension, when present. */
  subjectKeyIdentifier: string | undefined;
  /** The subject public key. */
  publicKey: KeyObject;
  /** The parsed certificate, for native checks such as `checkPrivateKey`. */
  x509: X509Certificate;
  /** Content octets of the serial INTEGER, as encoded (encryptors copy them verbatim). */
  serialBytes: Uint8Array;
}

const CERT_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'] as const;
const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

/** Parses a certificate (PEM, DER, Base64 of DER, or an `X509Certificate`). */
export function readCertificate(input: CertificateInput, what = 'certificate'): CertificateIdentity {
  const der = input instanceof X509Certificate ? new Uint8Array(input.raw) : toDer(input, CERT_LABELS, what);
  let x509: X509Certificate;
  try {
    x509 = input instanceof X509Certificate ? input : new X509Certificate(der);
  } catch {
    throw new MalformedInputError(what, 'it is not a valid X.509 certificate', {
      hint: 'Pass the certificate PEM (-----BEGIN CERTIFICATE-----) or DER file as downloaded.',
    });
  }
  const [tbs] = readSequence(parseBer(der, what), what, 'Certificate');
  const fields = readSequence(tbs, what, 'Certificate.tbsCertificate');
  // version is an optional EXPLICIT [0]; everything after it shifts by one.
  const at = isContext(fields[0], 0) ? 1 : 0;
  const serialNode = fields[at];
  const issuerNode = fields[at + 2];
  if (!serialNode || !issuerNode) {
    throw new MalformedInputError(what, 'the certificate has no serial number or issuer');
  }
  const serialBytes = readInteger(serialNode, what, 'Certificate.tbsCertificate.serialNumber');
  const issuer = formatName(issuerNode, what, 'Certificate.tbsCertificate.issuer');
  let subjectKeyIdentifier: string | undefined;
  const extensions = fields.slice(at + 6).find((f) => isContext(f, 3));
  if (extensions) {
    for (const [i, ext] of readSequence(extensions.children[0], what, 'extensions').entries()) {
      const parts = readSequence(ext, what, `extensions[${i}]`);
      if (readOid(parts[0], what, `extensions[${i}].extnID`) !== SUBJECT_KEY_IDENTIFIER) continue;
      const value = readOctets(parts[parts.length - 1], what, `extensions[${i}].extnValue`);
      subjectKeyIdentifier = toHex(readOctets(parseBer(value, what), what, 'subjectKeyIdentifier'));
    }
  }
  return {
    issuerDer: issuerNode.raw,
    issuer,
    serialNumber: serialToHex(serialBytes),
    serialBytes,
    subjectKeyIdentifier,
    publicKey: publicKeyOf(x509, what),
    x509,
  };
}
