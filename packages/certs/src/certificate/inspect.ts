/**
 * Certificate inspection: what an admin needs to know about the MDM "public key" uploaded to ASM,
 * the vendor certificate, or the APNs push certificate downloaded from identity.apple.com
 * (certs.md §4).
 */
import { X509Certificate } from 'node:crypto';
import { MalformedInputError } from '../errors.js';
import { checkArgument, checkOptions, DATE_RULE, INPUT_RULE } from '../internal/args.js';
import { guardInput, publicKeyOf, sanitizeCause } from '../internal/guard.js';
import { asText, pemBlocks, toDer, toPem } from '../internal/pem.js';
import { CN_OID, formatName, type NameAttribute, nameValue, UID_OID } from './name.js';
import { parseCertificateDer, SIGNATURE_ALGORITHMS } from './parse.js';

/** The prefix of every APNs MDM topic (micromdm `TopicFromCert`, nanomdm `cryptoutil`). */
export const MDM_TOPIC_PREFIX = 'com.apple.mgmt.';

/** Codes of {@link CertificateWarning}; open-ended, new codes may be added. */
export type CertificateWarningCode =
  | 'expired'
  | 'not-yet-valid'
  | 'weak-rsa-key'
  | 'not-mdm-topic'
  | 'first-of-several'
  | (string & {});

/** Something worth telling the admin about a certificate that is still readable. */
export interface CertificateWarning {
  code: CertificateWarningCode;
  message: string;
}

/** What {@link inspectCertificate} reports. */
export interface CertificateInfo {
  /** Subject as an RFC 4514 string, most specific first: `openssl x509 -subject -nameopt RFC2253`. */
  subject: string;
  /** Issuer in the same form. */
  issuer: string;
  /** Subject attributes in encoded order (most general first), e.g. `UID`, `CN`, `C`. */
  subjectAttributes: NameAttribute[];
  /** Issuer attributes in encoded order. */
  issuerAttributes: NameAttribute[];
  /** The subject `CN`, e.g. `APSP:<uuid>` for a push certificate. */
  commonName: string | undefined;
  /** Serial number in uppercase hex, as `openssl x509 -serial` prints it. */
  serialNumber: string;
  /** Start of validity. */
  notBefore: Date;
  /** End of validity. */
  notAfter: Date;
  /** SHA-256 fingerprint of the DER, colon-separated uppercase hex. */
  fingerprintSha256: string;
  /** Public-key type as `node:crypto` names it: `'rsa'`, `'rsa-pss'`, `'ec'`, `'ed25519'`, `'ed448'`, `'dsa'`… */
  keyType: string;
  /** Key size in bits: the modulus for RSA/DSA, the curve size for EC, 256/456 for Ed25519/Ed448. */
  keySize: number | undefined;
  /** The EC curve (`prime256v1`, `secp384r1`…), for EC keys. */
  namedCurve: string | undefined;
  /** Signature algorithm, OpenSSL's name (`sha256WithRSAEncryption`) or the OID. */
  signatureAlgorithm: string;
  /** basicConstraints CA:TRUE. */
  isCa: boolean;
  /** Issuer equals subject and the certificate's own key verifies its signature. */
  selfSigned: boolean;
  /** The subject `UID` (0.9.2342.19200300.100.1.1), whatever it holds. */
  uid: string | undefined;
  /** The APNs topic: the `UID` when it starts with `com.apple.mgmt.`. */
  topic: string | undefined;
  /** True when the certificate carries an MDM push topic. */
  isPushCertificate: boolean;
  /** Readable problems (expired, weak key, a push certificate for another Apple service…). */
  warnings: CertificateWarning[];
  /** The certificate as PEM with 64-character lines. */
  certificatePem: string;
  /** The certificate as DER. */
  certificateDer: Uint8Array;
}

/** Options of {@link inspectCertificate}. */
export interface InspectCertificateOptions {
  /**
   * The time against which `expired` / `not-yet-valid` warnings are judged.
   * @default new Date()
   */
  now?: Date;
}

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
};

/**
 * Inspects an X.509 certificate given as PEM (text or bytes), DER bytes or bare Base64 of DER. With
 * several certificates (a chain, or nanomdm's `push.pem` + key bundle) the first `CERTIFICATE`
 * block is inspected and a `first-of-several` warning says so.
 *
 * @example
 * ```ts
 * const info = inspectCertificate(await readFile('MDM_ Mosyle Corporation_Certificate.pem'));
 * info.topic;     // 'com.apple.mgmt.External.3a5f…'
 * info.notAfter;  // Date
 * ```
 * @throws {MalformedInputError} The input holds no readable certificate.
 */
export function inspectCertificate(
  pemOrDer: string | Uint8Array,
  options: InspectCertificateOptions = {},
): CertificateInfo {
  checkArgument('pemOrDer', pemOrDer, INPUT_RULE, 'Pass the file content (string, Buffer or Uint8Array).');
  const checked = checkOptions('options', options, { now: DATE_RULE }) as InspectCertificateOptions;
  return guardInput('certificate', () => inspect(pemOrDer, checked));
}

function inspect(pemOrDer: string | Uint8Array, options: InspectCertificateOptions): CertificateInfo {
  const what = 'certificate';
  const der = toDer(pemOrDer, ['CERTIFICATE', 'TRUSTED CERTIFICATE'], what);
  const parsed = parseCertificateDer(der);
  let x509: X509Certificate;
  try {
    if (!parsed) throw new Error('not an X.509 Certificate structure');
    x509 = new X509Certificate(der);
  } catch (cause) {
    throw new MalformedInputError(what, 'the bytes are not an X.509 certificate', {
      cause: sanitizeCause(cause),
      hint: 'Pass a certificate (PEM "CERTIFICATE" block or DER), not a key, CSR or PKCS#12 file.',
    });
  }
  const pub = publicKeyOf(x509, what);
  const keyType = pub.asymmetricKeyType ?? 'unknown';
  const details = pub.asymmetricKeyDetails ?? {};
  const keySize =
    details.modulusLength ??
    (details.namedCurve ? CURVE_BITS[details.namedCurve] : undefined) ??
    (keyType === 'ed25519' ? 256 : keyType === 'ed448' ? 456 : undefined);
  const subjectAttributes = parsed.subject.flat();
  const uid = nameValue(parsed.subject, UID_OID);
  const commonName = nameValue(parsed.subject, CN_OID);
  const topic = uid?.startsWith(MDM_TOPIC_PREFIX) ? uid : undefined;
  const subject = formatName(parsed.subject);
  const issuer = formatName(parsed.issuer);

  const warnings: CertificateWarning[] = [];
  const now = options.now ?? new Date();
  if (now.getTime() > parsed.notAfter.getTime()) {
    warnings.push({ code: 'expired', message: `The certificate expired on ${parsed.notAfter.toISOString()}.` });
  } else if (now.getTime() < parsed.notBefore.getTime()) {
    warnings.push({
      code: 'not-yet-valid',
      message: `The certificate is valid only from ${parsed.notBefore.toISOString()}; check the computer's clock.`,
    });
  }
  if ((keyType === 'rsa' || keyType === 'rsa-pss') && keySize !== undefined && keySize < 2048) {
    warnings.push({ code: 'weak-rsa-key', message: `The RSA key has only ${keySize} bits; Apple flows use 2048.` });
  }
  if (uid !== undefined && topic === undefined && (uid.startsWith('com.apple.') || commonName?.startsWith('APSP:'))) {
    warnings.push({
      code: 'not-mdm-topic',
      message: `This is an Apple push certificate for "${uid}", not for MDM: an MDM topic starts with "${MDM_TOPIC_PREFIX}". Create the certificate from an MDM vendor-signed request.`,
    });
  }
  if (typeof pemOrDer === 'string' || !(pemOrDer[0] === 0x30)) {
    const count = countCertificates(asText(pemOrDer));
    if (count > 1) {
      warnings.push({
        code: 'first-of-several',
        message: `The input holds ${count} certificates; the first one was inspected.`,
      });
    }
  }

  const oid = parsed.signatureAlgorithmOid;
  return {
    subject,
    issuer,
    subjectAttributes,
    issuerAttributes: parsed.issuer.flat(),
    commonName,
    serialNumber: x509.serialNumber.toUpperCase(),
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    fingerprintSha256: x509.fingerprint256,
    keyType,
    keySize,
    namedCurve: details.namedCurve,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[oid] ?? oid,
    isCa: x509.ca,
    selfSigned: subject === issuer && isSelfSigned(x509),
    uid,
    topic,
    isPushCertificate: topic !== undefined,
    warnings,
    certificatePem: toPem('CERTIFICATE', der),
    certificateDer: der,
  };
}

function isSelfSigned(x509: X509Certificate): boolean {
  // Not `checkIssued`: OpenSSL's check also requires keyCertSign, which an end-entity self-signed
  // certificate such as the MDM key-pair certificate rightly lacks.
  try {
    return x509.verify(x509.publicKey);
  } catch {
    return false;
  }
}

function countCertificates(text: string): number {
  if (!text.includes('-----BEGIN ')) return 1;
  try {
    return pemBlocks(text, 'certificate').filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE')
      .length;
  } catch {
    return 1;
  }
}
