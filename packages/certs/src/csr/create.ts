/**
 * The customer-side certificate signing request of the APNs MDM push-certificate flow: a PKCS#10
 * request the MDM vendor signs (see `signPushCertificateRequest`) before the customer uploads it
 * at identity.apple.com (certs.md §2.1 step 1).
 */

import { generateKeyPair as generateKeyPairCallback, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { MalformedInputError } from '../errors.js';
import { COMMON_NAME_RULE, checkOptions, isBytesOrText, TEXT_RULE } from '../internal/args.js';
import { guardInput } from '../internal/guard.js';
import {
  forgeDer,
  forgePki,
  loadPrivateKey,
  requireRsa,
  signSha256,
  toForgePublicKey,
  toPkcs8Pem,
} from '../internal/keys.js';
import { toPem } from '../internal/pem.js';
import { type Redacted, withSecrets } from '../internal/secret.js';
import { parseCsr } from './parse.js';

const generateKeyPairAsync = promisify(generateKeyPairCallback);

/** Options of {@link createPushCertificateCsr}. */
export interface PushCertificateCsrOptions {
  /** Subject common name (1–64 characters), e.g. the school's or the MDM's name. */
  commonName: string;
  /** Subject `emailAddress` (ASCII, at most 255 characters), as Keychain Access adds it. */
  email?: string;
  /** Subject country, a two-letter ISO 3166 code such as `"US"` (lower case is upper-cased). */
  country?: string;
  /**
   * The push certificate's private key (PKCS#1, PKCS#8 or encrypted PEM, RSA ≥ 2048). When absent
   * a new RSA-2048 key is generated natively. Renewing a push certificate does not require the old
   * key; Apple keys the topic to the Apple ID and the "Renew" action.
   */
  privateKeyPem?: string;
  /** Passphrase of an encrypted `privateKeyPem`. */
  passphrase?: string;
}

/** The request returned by {@link createPushCertificateCsr}. */
export interface PushCertificateCsr extends Redacted {
  /** The CSR as PEM (`-----BEGIN CERTIFICATE REQUEST-----`). */
  readonly csrPem: string;
  /** The CSR as DER: the bytes the vendor signs. */
  readonly csrDer: Uint8Array;
  /**
   * The push certificate's private key as unencrypted PKCS#8 PEM. Keep it: the push certificate
   * Apple issues is useless without it. Readable, but hidden from JSON, spreading and logs.
   */
  readonly privateKeyPem: string;
}

/**
 * Creates the push-certificate CSR: PKCS#10, subject `C`, `CN`, `emailAddress` (the order and
 * types Keychain Access and micromdm use: PrintableString, UTF8String, IA5String), signed
 * SHA256withRSA. The self-signature of the encoded request is verified before it is returned.
 *
 * Returns a Promise because it may generate a key (natively, off the main thread).
 *
 * @example
 * ```ts
 * const csr = await createPushCertificateCsr({ commonName: 'Lincoln High', email: 'it@lincoln.example', country: 'US' });
 * await writeFile('push.csr', csr.csrPem);
 * await writeFile('push.key', csr.privateKeyPem, { mode: 0o600 });
 * ```
 * @throws {MalformedInputError} An option is invalid, or `privateKeyPem` does not parse.
 * @throws {WrongPasswordError} `privateKeyPem` is encrypted and `passphrase` is missing or wrong.
 * @throws {UnsupportedAlgorithmError} `privateKeyPem` is not RSA or is shorter than 2048 bits.
 * @see https://github.com/micromdm/micromdm/blob/main/pkg/crypto/mdmcertutil/certutil.go (`NewCSR`)
 */
export async function createPushCertificateCsr(options: PushCertificateCsrOptions): Promise<PushCertificateCsr> {
  checkOptions(
    'options',
    options,
    {
      commonName: { ...COMMON_NAME_RULE, required: true },
      email: {
        expected: 'an ASCII e-mail address like "it@school.example"',
        test: (v) => typeof v === 'string' && /^[\x21-\x7e]+@[\x21-\x7e]+$/.test(v) && v.length <= 255,
      },
      country: {
        expected: 'a two-letter ISO 3166 code such as "US"',
        test: (v) => typeof v === 'string' && /^[A-Za-z]{2}$/.test(v),
      },
      privateKeyPem: { expected: 'the private key as PEM text or DER bytes', test: isBytesOrText },
      passphrase: TEXT_RULE,
    },
    { required: true, hint: 'Pass at least { commonName }.' },
  );
  const subject = subjectAttributes(options);
  let privateKey: KeyObject;
  let publicKey: KeyObject | undefined;
  if (options.privateKeyPem !== undefined) {
    const pem = options.privateKeyPem;
    privateKey = guardInput('push private key', () => {
      const key = loadPrivateKey(pem, { passphrase: options.passphrase, what: 'push private key' });
      requireRsa(key, 'push private key');
      return key;
    });
  } else {
    ({ privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 }));
  }
  const der = buildCsrDer(privateKey, publicKey ?? privateKey, subject);
  return withSecrets(
    'PushCertificateCsr',
    { csrPem: toPem('CERTIFICATE REQUEST', der), csrDer: new Uint8Array(der) },
    { privateKeyPem: toPkcs8Pem(privateKey) },
  );
}

interface SubjectAttribute {
  name: string;
  value: string;
  valueTagClass: number;
}

function subjectAttributes(options: PushCertificateCsrOptions): SubjectAttribute[] {
  const bad = (message: string, hint: string) => new MalformedInputError('CSR options', message, { hint });
  if (typeof options !== 'object' || options === null) {
    throw bad('options must be an object', 'Pass at least { commonName }.');
  }
  const { commonName, email, country } = options;
  if (typeof commonName !== 'string' || commonName.trim() === '' || [...commonName].length > 64) {
    throw bad('commonName must be a non-empty string of at most 64 characters', 'Use e.g. the school name.');
  }
  const attrs: SubjectAttribute[] = [];
  if (country !== undefined) {
    if (typeof country !== 'string' || !/^[A-Za-z]{2}$/.test(country)) {
      throw bad(`country must be a two-letter ISO 3166 code`, 'Use e.g. "US" or "DE".');
    }
    attrs.push({ name: 'countryName', value: country.toUpperCase(), valueTagClass: forge.asn1.Type.PRINTABLESTRING });
  }
  attrs.push({ name: 'commonName', value: commonName, valueTagClass: forge.asn1.Type.UTF8 });
  if (email !== undefined) {
    // emailAddress is an IA5String (RFC 2985 §5.2.1): ASCII only, at most 255 characters.
    if (typeof email !== 'string' || !/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(email) || email.length > 255) {
      throw bad('email must be an ASCII address like "it@school.example"', 'Omit it or pass a plain address.');
    }
    attrs.push({ name: 'emailAddress', value: email, valueTagClass: forge.asn1.Type.IA5STRING });
  }
  return attrs;
}

/** Builds, signs (natively) and re-verifies the PKCS#10 request. */
function buildCsrDer(privateKey: KeyObject, publicKey: KeyObject, subject: SubjectAttribute[]): Buffer {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = toForgePublicKey(publicKey);
  csr.setSubject(subject as unknown as forge.pki.CertificateField[]);
  const sigOid = forge.pki.oids.sha256WithRSAEncryption!;
  (csr as { signatureOid: string | null }).signatureOid = sigOid;
  (csr as { siginfo: { algorithmOid: string | null } }).siginfo.algorithmOid = sigOid;
  const cri = forgePki.getCertificationRequestInfo(csr);
  csr.signature = signSha256(privateKey, forgeDer(cri)).toString('binary');
  (csr as { certificationRequestInfo?: forge.asn1.Asn1 }).certificationRequestInfo = cri;
  const der = forgeDer(forge.pki.certificationRequestToAsn1(csr));
  if (!parseCsr(der).signatureValid) {
    // Unreachable with a consistent key pair; guards against a mismatched key or an encoder bug.
    throw new MalformedInputError('certificate request', 'its self-signature does not verify after signing', {
      hint: 'The private key does not match its public key; generate a new key.',
    });
  }
  return der;
}
