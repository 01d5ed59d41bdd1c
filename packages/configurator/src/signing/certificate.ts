/**
 * The parts of an X.509 certificate CMS needs to name a signer (RFC 5652 §5.3
 * `SignerIdentifier`): issuer Name and serial number as encoded, and the subject key
 * identifier extension. Not part of the public API.
 */
import * as asn1js from 'asn1js';
import { SignatureError } from '../errors.js';
import { OID } from './oids.js';

/** How a certificate is identified inside CMS. */
export interface CertificateIds {
  /** The issuer Name, DER exactly as in the certificate. */
  issuer: Uint8Array;
  /** The serial number INTEGER's content octets. */
  serialNumber: Uint8Array;
  /** The subjectKeyIdentifier extension value, when present. */
  subjectKeyIdentifier?: Uint8Array;
}

/** Reads the issuer, serial number and subject key identifier of a DER certificate. */
export function certificateIds(der: Uint8Array, what: string): CertificateIds {
  const bad = () => new SignatureError(`${what} is not a valid X.509 certificate`);
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) throw bad();
  const tbs = parsed.result.valueBlock.value[0];
  if (!(tbs instanceof asn1js.Sequence)) throw bad();
  const f = tbs.valueBlock.value;
  // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject, spki, … extensions [3]
  let i = f[0]?.idBlock.tagClass === 3 && f[0].idBlock.tagNumber === 0 ? 1 : 0;
  const serial = f[i++];
  i++;
  const issuer = f[i];
  if (!(serial instanceof asn1js.Integer) || !(issuer instanceof asn1js.Sequence)) throw bad();
  const ids: CertificateIds = { issuer: issuer.valueBeforeDecodeView, serialNumber: serial.valueBlock.valueHexView };
  const extWrapper = f.find((x) => x.idBlock.tagClass === 3 && x.idBlock.tagNumber === 3);
  const exts = (extWrapper as asn1js.Constructed | undefined)?.valueBlock.value[0];
  if (exts instanceof asn1js.Sequence) {
    for (const ext of exts.valueBlock.value) {
      const parts = (ext as asn1js.Sequence).valueBlock?.value;
      const id = parts?.[0];
      const value = parts?.[parts.length - 1];
      if (id instanceof asn1js.ObjectIdentifier && id.getValue() === OID.subjectKeyIdentifier) {
        if (value instanceof asn1js.OctetString) {
          const inner = asn1js.fromBER(value.valueBlock.valueHexView);
          if (inner.result instanceof asn1js.OctetString)
            ids.subjectKeyIdentifier = inner.result.valueBlock.valueHexView;
        }
      }
    }
  }
  return ids;
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
