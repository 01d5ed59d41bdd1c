/**
 * The MDM vendor's step of the push-certificate flow: sign the customer's CSR and wrap it in the
 * Base64 plist that the customer uploads at identity.apple.com (certs.md §2.1 step 2–3).
 */

import { type CsrInput, parseCsr } from '../csr/parse.js';
import { MalformedInputError, WrongKeyError } from '../errors.js';
import { checkOptions, DATE_RULE, isBytesOrText, isPlainObject, TEXT_RULE } from '../internal/args.js';
import { guardInput, publicKeyOf } from '../internal/guard.js';
import { loadPrivateKey, requireRsa, sameKeyPair, signSha256 } from '../internal/keys.js';
import { toPem } from '../internal/pem.js';
import { buildChain, certificatesFromPem } from './chain.js';
import { writeStringDictPlist } from './plist.js';

/** Options of {@link signPushCertificateRequest}. */
export interface SignPushCertificateRequestOptions {
  /** The customer's CSR: PEM, DER bytes, bare Base64, or the object `createPushCertificateCsr` returns. */
  csr: CsrInput;
  /** The vendor's "MDM CSR" certificate from the Apple Developer portal (PEM; the first certificate is used). */
  vendorCertificatePem: string;
  /** The vendor certificate's private key (PKCS#1, PKCS#8 or encrypted PEM). */
  vendorPrivateKeyPem: string;
  /** Passphrase of an encrypted `vendorPrivateKeyPem`. */
  vendorPrivateKeyPassphrase?: string;
  /**
   * The Apple WWDR intermediate and the Apple Inc. Root as PEM (one text or several). Extra
   * certificates are fine: the ones that actually issued the vendor certificate are picked by
   * signature and put in order (vendor, intermediate, root).
   * @see https://www.apple.com/certificateauthority/
   */
  chainPem: string | readonly string[];
  /**
   * The time at which the chain must be valid.
   * @default new Date()
   */
  now?: Date;
}

/** Plist keys, in the order micromdm's `PushCertificateRequest` struct writes them. */
export const PUSH_REQUEST_KEYS = ['PushCertRequestCSR', 'PushCertCertificateChain', 'PushCertSignature'] as const;

/**
 * Signs a customer's push-certificate CSR as the MDM vendor and returns the Base64-encoded XML plist
 * to upload at identity.apple.com:
 *
 * - `PushCertRequestCSR`: Base64 of the DER CSR;
 * - `PushCertCertificateChain`: PEM of the vendor certificate, the WWDR intermediate and the
 *   Apple root, 64-character lines;
 * - `PushCertSignature`: Base64 of a SHA256withRSA signature over the DER CSR bytes, by the vendor key.
 *
 * Before signing it checks that the CSR's self-signature verifies, that the vendor key belongs to
 * the vendor certificate, and that the chain is complete and unexpired; Apple would otherwise
 * reject the upload with no useful message.
 *
 * @returns The Base64 text (no line breaks), e.g. to save as `PushCertificateRequest.plist.b64`.
 * @example
 * ```ts
 * const request = signPushCertificateRequest({
 *   csr: await readFile('push.csr', 'utf8'),
 *   vendorCertificatePem: await readFile('mdm_csr.pem', 'utf8'),
 *   vendorPrivateKeyPem: await readFile('mdm_csr.key', 'utf8'),
 *   chainPem: [await readFile('AppleWWDRCAG3.pem', 'utf8'), await readFile('AppleIncRoot.pem', 'utf8')],
 * });
 * ```
 * @throws {MalformedInputError} The CSR, certificate or chain is unreadable, the CSR signature is bad, or the chain is incomplete.
 * @throws {WrongKeyError} The vendor private key does not belong to the vendor certificate.
 * @throws {WrongPasswordError} The vendor key is encrypted and the passphrase is missing or wrong.
 * @throws {UnsupportedAlgorithmError} The vendor key is not RSA-2048 or larger.
 * @throws {ExpiredError} The vendor certificate or a chain certificate has expired.
 * @see https://developer.apple.com/documentation/devicemanagement/setting-up-push-notifications-for-your-mdm-customers
 */
export function signPushCertificateRequest(options: SignPushCertificateRequestOptions): string {
  checkOptions(
    'options',
    options,
    {
      csr: {
        expected: 'the CSR as PEM text, DER bytes or the object createPushCertificateCsr returns',
        test: (v) => isBytesOrText(v) || (isPlainObject(v) && (v as { csrDer?: unknown }).csrDer instanceof Uint8Array),
        required: true,
      },
      vendorCertificatePem: { ...TEXT_RULE, expected: 'the vendor certificate as PEM text', required: true },
      vendorPrivateKeyPem: {
        expected: 'the vendor private key as PEM text or DER bytes',
        test: isBytesOrText,
        required: true,
      },
      vendorPrivateKeyPassphrase: TEXT_RULE,
      chainPem: {
        expected: 'PEM text or an array of PEM texts',
        test: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
        required: true,
      },
      now: DATE_RULE,
    },
    { required: true, hint: 'Pass { csr, vendorCertificatePem, vendorPrivateKeyPem, chainPem }.' },
  );
  return guardInput('push certificate request', () => sign(options));
}

function sign(options: SignPushCertificateRequestOptions): string {
  const csr = parseCsr(options.csr, 'certificate request');
  if (!csr.signatureValid) {
    throw new MalformedInputError('certificate request', 'its self-signature does not verify', {
      hint: 'The CSR was altered or signed with another key; create it again.',
    });
  }
  if (typeof options.vendorCertificatePem !== 'string') {
    throw new MalformedInputError('vendor certificate', 'expected PEM text', { hint: 'Pass the PEM file content.' });
  }
  const [vendor] = certificatesFromPem(options.vendorCertificatePem, 'vendor certificate');
  if (!vendor) {
    throw new MalformedInputError('vendor certificate', 'no "CERTIFICATE" PEM block', {
      hint: 'Convert the .cer from the Apple Developer portal to PEM (openssl x509 -inform DER -in mdm.cer -out mdm.pem).',
    });
  }
  const vendorKey = loadPrivateKey(options.vendorPrivateKeyPem, {
    passphrase: options.vendorPrivateKeyPassphrase,
    what: 'vendor private key',
    passphraseOption: 'options.vendorPrivateKeyPassphrase',
  });
  requireRsa(vendorKey, 'vendor private key');
  if (!sameKeyPair(vendorKey, publicKeyOf(vendor, 'vendor certificate'))) {
    throw new WrongKeyError('The vendor private key does not belong to the vendor certificate', {
      hint: 'Pass the key that was used to request the "MDM CSR" certificate.',
    });
  }
  const candidates = certificatesFromPem(options.chainPem, 'certificate chain');
  const chain = buildChain(vendor, candidates, options.now ?? new Date());

  const signature = signSha256(vendorKey, csr.der);
  const plist = writeStringDictPlist([
    ['PushCertRequestCSR', Buffer.from(csr.der).toString('base64')],
    ['PushCertCertificateChain', chain.map((c) => toPem('CERTIFICATE', c.raw)).join('')],
    ['PushCertSignature', signature.toString('base64')],
  ]);
  return Buffer.from(plist, 'utf8').toString('base64');
}
