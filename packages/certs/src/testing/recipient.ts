/**
 * `createTestRecipient`: a throwaway RSA key pair and self-signed certificate shaped like the
 * ones MDM servers upload to Apple School Manager (nanodep: RSA 2048, `CN=depserver`,
 * keyEncipherment + digitalSignature).
 */

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { COMMON_NAME_RULE, checkOptions } from '../internal/args.js';

/** Options of `createTestRecipient`. */
export interface CreateTestRecipientOptions {
  /**
   * Subject and issuer common name.
   * @default 'depserver'
   */
  commonName?: string;
  /**
   * Serial number, hex. nanodep always uses `01`, so two of its certificates share issuer and serial.
   * @default random 16 bytes
   */
  serialNumber?: string;
  /**
   * RSA modulus size. Use 1024 only to speed up large property tests.
   * @default 2048
   */
  modulusLength?: number;
  /**
   * Validity in days from now (negative for an already expired certificate).
   * @default 365
   */
  days?: number;
}

/** A test key pair: PKCS#8 private key PEM and a self-signed certificate PEM. */
export interface TestRecipient {
  /** PKCS#8 `PRIVATE KEY` PEM. A throwaway test key. */
  privateKeyPem: string;
  /** PKCS#1 `RSA PRIVATE KEY` PEM of the same key. */
  privateKeyPkcs1Pem: string;
  /** Self-signed `CERTIFICATE` PEM. */
  certificatePem: string;
}

/**
 * Makes an RSA key pair (native `node:crypto`, never forge's slow pure-JS generator) and a
 * self-signed certificate for it (signed SHA-256 with node-forge), for encrypting test tokens.
 *
 * @example
 * ```ts
 * const mdm = createTestRecipient();
 * const p7m = encryptServerToken({ token, recipientCertificatePem: mdm.certificatePem });
 * decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem });
 * ```
 */
export function createTestRecipient(options: CreateTestRecipientOptions = {}): TestRecipient {
  checkOptions('options', options, {
    commonName: COMMON_NAME_RULE,
    serialNumber: { expected: 'hex digits', test: (v) => typeof v === 'string' && /^[0-9a-fA-F]{1,40}$/.test(v) },
    modulusLength: {
      expected: 'an RSA size from 1024 to 8192 bits',
      test: (v) => Number.isInteger(v) && (v as number) >= 1024 && (v as number) <= 8192,
    },
    days: { expected: 'a whole number of days', test: (v) => Number.isSafeInteger(v) },
  });
  const { commonName = 'depserver', modulusLength = 2048, days = 365 } = options;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent: 65537 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const privateKeyPkcs1Pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = options.serialNumber ?? positiveSerial();
  const now = Date.now();
  cert.validity.notBefore = new Date(Math.min(now - 10 * 60_000, now + days * 86_400_000 - 60_000));
  cert.validity.notAfter = new Date(now + days * 86_400_000);
  const name = [{ name: 'commonName', value: commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPkcs1Pem), forge.md.sha256.create());
  return { privateKeyPem, privateKeyPkcs1Pem, certificatePem: forge.pki.certificateToPem(cert) };
}

function positiveSerial(): string {
  const bytes = randomBytes(16);
  // A first byte in 0x01–0x7f keeps the DER INTEGER positive and minimal (no 00 padding byte).
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
