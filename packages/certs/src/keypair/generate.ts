/**
 * The MDM server's key pair and self-signed certificate: the "public key" file uploaded to Apple
 * School Manager when adding an MDM server. ASM encrypts the server token (`*_smime.p7m`) to this
 * certificate, so its private key is what later decrypts the token (certs.md §1, §4).
 */

import { createHash, generateKeyPair as generateKeyPairCallback, type KeyObject, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { COMMON_NAME_RULE, checkOptions } from '../internal/args.js';
import { forgeDer, forgePki, signSha256, toForgePublicKey, toPkcs8Pem } from '../internal/keys.js';
import { toPem } from '../internal/pem.js';
import { type Redacted, withSecrets } from '../internal/secret.js';

const generateKeyPairAsync = promisify(generateKeyPairCallback);

/** Options of {@link generateMdmKeyPair}. */
export interface GenerateMdmKeyPairOptions {
  /**
   * Subject common name of the certificate (1–64 characters). Shown in ASM next to the server;
   * any name works.
   * @default 'schoolmdm MDM'
   */
  commonName?: string;
  /**
   * Days the certificate is valid, 1–3650. ASM takes the certificate only to encrypt the token it
   * issues at upload time (the token itself lasts one year), so a year matches the renewal
   * cycle. nanodep defaults to 1 day and micromdm's exchange certificate to 365
   * (certs.md §1.2, §2.1).
   * @default 365
   */
  validityDays?: number;
}

/** The key pair and certificate returned by {@link generateMdmKeyPair}. */
export interface MdmKeyPair extends Redacted {
  /**
   * Unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). Keep it next to the server token: it
   * is the only key that decrypts tokens made for this certificate. Readable, but hidden from
   * `JSON.stringify`, spreading, `toString` and `util.inspect`.
   */
  readonly privateKeyPem: string;
  /** The self-signed certificate as PEM: the file to upload to Apple School Manager. */
  readonly certificatePem: string;
  /** The same certificate as DER (ASM also accepts `.der`). */
  readonly certificateDer: Uint8Array;
  /** Certificate serial number, uppercase hex (as `openssl x509 -serial` prints it). */
  readonly serialNumber: string;
  /** SHA-256 fingerprint of the certificate, colon-separated uppercase hex. */
  readonly fingerprintSha256: string;
  /** Start of validity (10 minutes before creation, to tolerate clock skew, as nanodep does). */
  readonly notBefore: Date;
  /** End of validity. */
  readonly notAfter: Date;
}

const DEFAULT_COMMON_NAME = 'schoolmdm MDM';
const DEFAULT_VALIDITY_DAYS = 365;
const CLOCK_SKEW_MS = 10 * 60 * 1000;
const DAY_MS = 86_400_000;

/**
 * Generates an RSA-2048 key pair with native `node:crypto` (asynchronous, off the main thread; never
 * forge's pure-JS prime search) and a self-signed certificate for it: SHA256withRSA, a random
 * positive 126-bit serial, `CN=<commonName>`, critical keyUsage digitalSignature + keyEncipherment,
 * critical basicConstraints CA:false and a subject key identifier.
 *
 * Returns a Promise. The private key stays readable as `privateKeyPem` but never shows in logs.
 *
 * @example
 * ```ts
 * const pair = await generateMdmKeyPair({ commonName: 'Lincoln High MDM' });
 * await writeFile('mdm-public.pem', pair.certificatePem); // upload to Apple School Manager
 * await writeFile('mdm-private.pem', pair.privateKeyPem, { mode: 0o600 });
 * ```
 * @throws {MalformedInputError} An option is out of range.
 * @see https://support.apple.com/guide/apple-school-manager/axm1c1be359d/web (link a third-party MDM server)
 */
export async function generateMdmKeyPair(options: GenerateMdmKeyPairOptions = {}): Promise<MdmKeyPair> {
  checkOptions('options', options, {
    commonName: COMMON_NAME_RULE,
    validityDays: {
      expected: 'a whole number of days from 1 to 3650',
      test: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 3650,
    },
  });
  const commonName = options.commonName ?? DEFAULT_COMMON_NAME;
  const validityDays = options.validityDays ?? DEFAULT_VALIDITY_DAYS;

  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  return selfSignedKeyPair(privateKey, publicKey, commonName, validityDays);
}

/**
 * Wraps an existing key pair in the self-signed MDM certificate (everything `generateMdmKeyPair`
 * does after key generation). Internal: the benchmark measures this wrapper on its own, because the
 * key generation it sits on varies several-fold between calls.
 */
export function selfSignedKeyPair(
  privateKey: KeyObject,
  publicKey: KeyObject,
  commonName: string,
  validityDays: number,
): MdmKeyPair {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const notBefore = new Date(now - CLOCK_SKEW_MS);
  const notAfter = new Date(now + validityDays * DAY_MS);
  const serial = randomBytes(16);
  // Positive (top bit clear) and minimal DER (first byte non-zero): RFC 5280 §4.1.2.2.
  serial[0] = (serial[0]! & 0x3f) | 0x40;
  const serialHex = serial.toString('hex').toUpperCase();

  const cert = forge.pki.createCertificate();
  cert.publicKey = toForgePublicKey(publicKey);
  cert.serialNumber = serialHex.toLowerCase();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const name = [{ name: 'commonName', value: commonName, valueTagClass: forge.asn1.Type.UTF8 }];
  cert.setSubject(name as unknown as forge.pki.CertificateField[]);
  cert.setIssuer(name as unknown as forge.pki.CertificateField[]);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  // Sign the TBSCertificate natively (one RSA private-key operation) instead of with forge's JS RSA.
  const sigOid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.siginfo.algorithmOid = sigOid;
  (cert as { signatureOid: string }).signatureOid = sigOid;
  const tbs = forgePki.getTBSCertificate(cert);
  cert.signature = signSha256(privateKey, forgeDer(tbs)).toString('binary');
  (cert as { tbsCertificate?: forge.asn1.Asn1 }).tbsCertificate = tbs;
  const der = forgeDer(forge.pki.certificateToAsn1(cert));

  const fingerprint = createHash('sha256').update(der).digest('hex').toUpperCase();
  return withSecrets(
    'MdmKeyPair',
    {
      certificatePem: toPem('CERTIFICATE', der),
      certificateDer: new Uint8Array(der),
      serialNumber: serialHex,
      fingerprintSha256: fingerprint.match(/../g)!.join(':'),
      notBefore,
      notAfter,
    },
    { privateKeyPem: toPkcs8Pem(privateKey) },
  );
}
