/**
 * `decryptServerToken`: opens an Apple School Manager / Apple Business Manager server token.
 */
import { ExpiredError } from '../errors.js';
import {
  BOOLEAN_RULE,
  CERTIFICATE_INPUT_RULE,
  checkArgument,
  checkOptions,
  DATE_RULE,
  INPUT_RULE,
  type OptionRule,
  PRIVATE_KEY_INPUT_RULE,
  TEXT_RULE,
} from '../internal/args.js';
import { type CertificateInput, readCertificate } from '../internal/cms/certificate.js';
import { assertDecryptable, decryptEnvelope } from '../internal/cms/decrypt.js';
import { parseEnvelope } from '../internal/cms/enveloped-data.js';
import { readCmsInput } from '../internal/cms/input.js';
import { loadRsaPrivateKey, type PrivateKeyInput } from '../internal/cms/rsa-key.js';
import { guardInput } from '../internal/guard.js';
import { parseServerTokenPayload } from './payload.js';
import type { ServerToken } from './server-token.js';

export type { PrivateKeyInput } from '../internal/cms/rsa-key.js';

/** Options of `decryptServerToken`. */
export interface DecryptServerTokenOptions {
  /**
   * The RSA private key of the certificate uploaded to Apple School Manager: PEM text (PKCS#1
   * `RSA PRIVATE KEY`, PKCS#8 `PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, or legacy
   * `Proc-Type: 4,ENCRYPTED`), DER bytes, or a `KeyObject`.
   */
  privateKeyPem: PrivateKeyInput;
  /**
   * The certificate uploaded to Apple School Manager (PEM, DER or `X509Certificate`). When given,
   * the token must name it (else `RecipientMismatchError`) and the key must be its key (else
   * `WrongKeyError`); when omitted, the key is tried on every RSA recipient.
   */
  certificatePem?: CertificateInput;
  /** Passphrase of an encrypted private key. */
  passphrase?: string;
  /**
   * Throw `ExpiredError` when `accessTokenExpiry` is at or before `now`, instead of returning
   * the expired token.
   * @default false
   */
  rejectExpired?: boolean;
  /**
   * The current time, for `rejectExpired`.
   * @default new Date()
   */
  now?: Date;
}

const WHAT = 'server token';

const OPTIONS: Record<string, OptionRule> = {
  privateKeyPem: { ...PRIVATE_KEY_INPUT_RULE, required: true },
  certificatePem: CERTIFICATE_INPUT_RULE,
  passphrase: TEXT_RULE,
  rejectExpired: BOOLEAN_RULE,
  now: DATE_RULE,
};

/**
 * Decrypts a server token (`*_smime.p7m`) downloaded from Apple School Manager or Apple
 * Business Manager and returns its OAuth 1 credentials.
 *
 * Accepts the S/MIME file as downloaded (string or bytes, CRLF or LF, any MIME headers), PEM
 * (`PKCS7`/`CMS`), DER (BER with indefinite lengths too) or bare Base64. Decrypts RSA PKCS#1 v1.5
 * key transport with AES-128/192/256-CBC or DES-EDE3-CBC content, which covers Apple's tokens.
 *
 * Errors (none quotes key or token material): `MalformedInputError` (not a CMS file, or the
 * decrypted message lacks a field: the field is named), `NotEnvelopedDataError` (CMS but e.g.
 * SignedData), `UnsupportedAlgorithmError` (RSA-OAEP, AuthEnvelopedData/AES-GCM, other ciphers,
 * key-agreement recipients), `RecipientMismatchError` (made for another certificate),
 * `WrongKeyError` (the key does not open it), `WrongPasswordError` (encrypted key without or
 * with a wrong passphrase), `BadPaddingError` (corrupted or truncated content), `ExpiredError`
 * (with `rejectExpired`).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { decryptServerToken } from '@schoolmdm/certs';
 *
 * const token = decryptServerToken(readFileSync('mdm_Token_2025-01-17T11-02-21Z_smime.p7m'), {
 *   privateKeyPem: readFileSync('mdm.key', 'utf8'),
 *   certificatePem: readFileSync('mdm.crt', 'utf8'),
 * });
 * token.accessTokenExpiry; // Date
 * ```
 * @see inspectServerToken to check, without a key, which certificate a token was made for.
 */
export function decryptServerToken(input: string | Uint8Array, options: DecryptServerTokenOptions): ServerToken {
  checkArgument('input', input, INPUT_RULE);
  checkOptions('options', options, OPTIONS, {
    required: true,
    hint: 'Pass { privateKeyPem } with the private key of the certificate uploaded to Apple School Manager.',
  });
  return guardInput(WHAT, () => decrypt(input, options));
}

function decrypt(input: string | Uint8Array, options: DecryptServerTokenOptions): ServerToken {
  // File-level problems first, so a wrong file is never reported as a key problem.
  const { der } = readCmsInput(input, WHAT);
  const envelope = parseEnvelope(der, WHAT);
  assertDecryptable(envelope, WHAT);
  const certificate =
    options.certificatePem === undefined ? undefined : readCertificate(options.certificatePem, 'certificate');
  const privateKey = loadRsaPrivateKey(options.privateKeyPem, options.passphrase);
  const plaintext = decryptEnvelope(envelope, { privateKey, certificate, what: WHAT });
  let token: ServerToken;
  try {
    token = parseServerTokenPayload(plaintext);
  } finally {
    // Best effort: do not leave the decrypted secrets in a buffer we own.
    plaintext.fill(0);
  }
  if (options.rejectExpired && token.isExpired(options.now ?? new Date())) {
    throw new ExpiredError('Server token', token.accessTokenExpiry, {
      hint: 'Download a new server token for this MDM server in Apple School Manager or Apple Business Manager.',
    });
  }
  return token;
}
