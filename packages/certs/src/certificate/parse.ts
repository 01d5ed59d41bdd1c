/**
 * Reads the certificate facts `node:crypto.X509Certificate` does not expose in structured form:
 * issuer and subject as attribute lists (for the APNs topic in `UID`), and the validity dates
 * exactly as encoded (UTCTime / GeneralizedTime, RFC 5280 §4.1.2.5).
 */
import * as asn1js from 'asn1js';
import type { NameAttribute } from './name.js';
import { readName } from './name.js';

/** The parts of a TBSCertificate this package uses. */
export interface ParsedCertificate {
  issuer: NameAttribute[][];
  subject: NameAttribute[][];
  notBefore: Date;
  notAfter: Date;
  signatureAlgorithmOid: string;
}

/** Parses DER; returns undefined when it is not an X.509 certificate. */
export function parseCertificateDer(der: Uint8Array): ParsedCertificate | undefined {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return undefined;
  const [tbs, sigAlg] = parsed.result.valueBlock.value;
  if (!(tbs instanceof asn1js.Sequence) || !(sigAlg instanceof asn1js.Sequence)) return undefined;
  const fields = [...tbs.valueBlock.value];
  // version [0] EXPLICIT is optional (absent means v1).
  if (fields[0]?.idBlock.tagClass === 3 && fields[0].idBlock.tagNumber === 0) fields.shift();
  const [, , issuerNode, validity, subjectNode] = fields;
  const issuer = readName(issuerNode);
  const subject = readName(subjectNode);
  const sigOid = sigAlg.valueBlock.value[0];
  if (!issuer || !subject || !(validity instanceof asn1js.Sequence) || !(sigOid instanceof asn1js.ObjectIdentifier)) {
    return undefined;
  }
  const [from, to] = validity.valueBlock.value;
  const notBefore = timeOf(from);
  const notAfter = timeOf(to);
  if (!notBefore || !notAfter) return undefined;
  return { issuer, subject, notBefore, notAfter, signatureAlgorithmOid: sigOid.valueBlock.toString() };
}

function timeOf(node: asn1js.AsnType | undefined): Date | undefined {
  // GeneralizedTime extends UTCTime in asn1js; both decode to a UTC Date.
  if (!(node instanceof asn1js.UTCTime)) return undefined;
  const date = node.toDate();
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** OpenSSL's names for the signature algorithms met in practice. */
export const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};
