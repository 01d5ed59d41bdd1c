/**
 * Reading PKCS#10 certificate requests (RFC 2986) from any of the shapes admins and vendors pass
 * around: PEM, DER, bare Base64, or the object `createPushCertificateCsr` returns.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import { type NameAttribute, readName } from '../certificate/name.js';
import { MalformedInputError } from '../errors.js';
import { toDer, toPem } from '../internal/pem.js';

/** A CSR as PEM text, DER bytes, bare Base64, or an object holding `csrDer` (e.g. from `createPushCertificateCsr`). */
export type CsrInput = string | Uint8Array | { readonly csrDer: Uint8Array };

/** A parsed PKCS#10 request. */
export interface ParsedCsr {
  der: Uint8Array;
  pem: string;
  subject: NameAttribute[][];
  publicKey: KeyObject;
  /** The signature algorithm OID. */
  signatureAlgorithmOid: string;
  /** Whether the request's self-signature verifies with its own public key. */
  signatureValid: boolean;
}

/** RSA and ECDSA signature OIDs → the hash `crypto.verify` needs. */
const SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/**
 * Parses a CSR and checks its self-signature over the exact encoded CertificationRequestInfo bytes.
 *
 * @throws {MalformedInputError} Not a PKCS#10 request.
 */
export function parseCsr(input: CsrInput, what = 'certificate request'): ParsedCsr {
  let der: Uint8Array;
  if (typeof input === 'object' && input !== null && !(input instanceof Uint8Array)) {
    if (!(input.csrDer instanceof Uint8Array)) {
      throw new MalformedInputError(what, 'the object has no csrDer bytes', {
        hint: 'Pass the result of createPushCertificateCsr(), PEM text or DER bytes.',
      });
    }
    der = input.csrDer;
  } else if (typeof input === 'string' || input instanceof Uint8Array) {
    der = toDer(input, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'], what);
  } else {
    throw new MalformedInputError(what, 'expected PEM text, DER bytes or a CSR object', {
      hint: 'Pass the result of createPushCertificateCsr(), PEM text or DER bytes.',
    });
  }
  const notCsr = (detail: string) =>
    new MalformedInputError(what, `it is not a PKCS#10 request (${detail})`, {
      hint: 'Pass the .csr file (PEM "CERTIFICATE REQUEST" or DER).',
    });
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) throw notCsr('not DER');
  const [cri, algId, sig] = parsed.result.valueBlock.value;
  if (!(cri instanceof asn1js.Sequence) || !(algId instanceof asn1js.Sequence) || !(sig instanceof asn1js.BitString)) {
    throw notCsr('wrong top-level structure');
  }
  const [version, subjectNode, spki] = cri.valueBlock.value;
  const subject = readName(subjectNode);
  const oidNode = algId.valueBlock.value[0];
  if (!(version instanceof asn1js.Integer) || !subject || !(spki instanceof asn1js.Sequence)) {
    throw notCsr('bad CertificationRequestInfo');
  }
  if (!(oidNode instanceof asn1js.ObjectIdentifier)) throw notCsr('bad signature algorithm');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spki.valueBeforeDecodeView), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new MalformedInputError(what, 'its public key does not parse', {
      cause: cause instanceof Error ? new Error(cause.message) : undefined,
      hint: 'The request is corrupt; create it again.',
    });
  }
  const signatureAlgorithmOid = oidNode.valueBlock.toString();
  const hash = SIGNATURE_HASHES[signatureAlgorithmOid];
  let signatureValid = false;
  if (hash) {
    try {
      signatureValid = verify(hash, cri.valueBeforeDecodeView, publicKey, sig.valueBlock.valueHexView);
    } catch {
      signatureValid = false;
    }
  }
  const exact = new Uint8Array(parsed.result.valueBeforeDecodeView);
  return {
    der: exact,
    pem: toPem('CERTIFICATE REQUEST', exact),
    subject,
    publicKey,
    signatureAlgorithmOid,
    signatureValid,
  };
}
