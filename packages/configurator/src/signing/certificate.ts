/**
 * The parts of an X.509 certificate CMS needs to name a signer (RFC 5652 §5.3
 * `SignerIdentifier`): issuer Name and serial number as encoded, and the subject key
 * identifier extension. Not part of the public API.
 */
import { SignatureError } from '../errors.js';
import { children, readTlv, type Tlv } from './der-read.js';

/** How a certificate is identified inside CMS. */
export interface CertificateIds {
  /** The issuer Name, DER exactly as in the certificate. */
  issuer: Uint8Array;
  /** The serial number INTEGER's content octets. */
  serialNumber: Uint8Array;
  /** The subjectKeyIdentifier extension value, when present. */
  subjectKeyIdentifier?: Uint8Array;
  /** The subject Name, DER exactly as in the certificate. */
  subject: Uint8Array;
}

// DER of the subjectKeyIdentifier OID 2.5.29.14.
const SKI_OID = Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x0e);

/** Reads the issuer, serial number and subject key identifier of a DER certificate. */
export function certificateIds(der: Uint8Array, what: string): CertificateIds {
  try {
    const cert = readTlv(der, 0);
    const tbs = readTlv(der, cert.contentStart, cert.end);
    if (cert.tag !== 0x30 || tbs.tag !== 0x30) throw new RangeError('not a SEQUENCE');
    const f = children(der, tbs);
    // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, validity,
    // subject, subjectPublicKeyInfo, [1] [2] unique IDs, [3] extensions
    let i = f[0]?.tag === 0xa0 ? 1 : 0;
    const serial = f[i++];
    i++;
    const issuer = f[i];
    const subject = f[i + 2];
    if (serial?.tag !== 0x02 || issuer?.tag !== 0x30 || subject?.tag !== 0x30) {
      throw new RangeError('unexpected tbsCertificate');
    }
    const ids: CertificateIds = {
      issuer: der.subarray(issuer.start, issuer.end),
      serialNumber: der.subarray(serial.contentStart, serial.end),
      subject: der.subarray(subject.start, subject.end),
    };
    const extWrapper = f.find((t) => t.tag === 0xa3);
    if (extWrapper) {
      const exts = readTlv(der, extWrapper.contentStart, extWrapper.end);
      for (const ext of children(der, exts)) {
        const parts = children(der, ext);
        const id = parts[0];
        const value = parts[parts.length - 1];
        if (id && value?.tag === 0x04 && sameBytes(der.subarray(id.start, id.end), SKI_OID)) {
          const inner: Tlv = readTlv(der, value.contentStart, value.end);
          if (inner.tag === 0x04) ids.subjectKeyIdentifier = der.subarray(inner.contentStart, inner.end);
        }
      }
    }
    return ids;
  } catch (e) {
    throw new SignatureError(`${what} is not a valid X.509 certificate`, { cause: e });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Compares two INTEGER encodings by value (ignoring redundant leading zero octets). */
export function sameInteger(a: Uint8Array, b: Uint8Array): boolean {
  const strip = (x: Uint8Array) => {
    let i = 0;
    while (i < x.length - 1 && x[i] === 0) i++;
    return x.subarray(i);
  };
  return Buffer.compare(strip(a), strip(b)) === 0;
}
