/**
 * Opens a parsed `EnvelopedData` with an RSA private key: picks the recipient, unwraps the
 * content-encryption key (PKCS#1 v1.5) and decrypts the content (AES-CBC or 3DES-CBC).
 * Not part of the public API.
 *
 * Errors, in the order they are checked (file-level facts before anything key-related):
 * `UnsupportedAlgorithmError` (AuthEnvelopedData, a cipher other than AES/3DES-CBC, only OAEP or
 * non-key-transport recipients), `RecipientMismatchError` (a certificate was given and no
 * recipient names it), `WrongKeyError` (the key is not the certificate's, or opens no
 * recipient), `BadPaddingError` (the content does not unpad).
 */
import type { KeyObject } from 'node:crypto';
import { MalformedInputError, RecipientMismatchError, UnsupportedAlgorithmError, WrongKeyError } from '../../errors.js';
import type { CertificateIdentity } from './certificate.js';
import { decryptCbc, readIv } from './content-cipher.js';
import type { Envelope, KeyTransRecipient } from './enveloped-data.js';
import { type RawRsa, unwrapPkcs1v15 } from './key-transport.js';
import { sameName } from './name.js';
import { CONTENT_TYPE, type ContentCipher, contentCipherByOid, KEY_ENCRYPTION, oidLabel } from './oids.js';

/** Options of `decryptEnvelope`. */
export interface DecryptEnvelopeOptions {
  privateKey: KeyObject;
  /** When given, only recipients naming this certificate are tried, and the key must be its key. */
  certificate?: CertificateIdentity | undefined;
  /** What the file is, for messages (`"server token"`). */
  what: string;
  /** Raw RSA engines to try in order; tests pass one to exercise each. */
  rsaEngines?: readonly RawRsa[];
}

const NEW_TOKEN_HINT =
  'Apple server tokens use RSA PKCS#1 v1.5 and AES-CBC; download the token again from Apple School Manager.';

/** True when the recipient names this certificate (issuer and serial number, or subject key identifier). */
export function recipientMatches(recipient: KeyTransRecipient, certificate: CertificateIdentity): boolean {
  if (recipient.subjectKeyIdentifier !== undefined) {
    return recipient.subjectKeyIdentifier === certificate.subjectKeyIdentifier;
  }
  if (recipient.serialNumber !== certificate.serialNumber) return false;
  const sameDer =
    recipient.issuerDer !== undefined && Buffer.from(recipient.issuerDer).equals(Buffer.from(certificate.issuerDer));
  // The text comparison catches the same name encoded differently (PrintableString vs UTF8String).
  return sameDer || (recipient.issuer !== undefined && sameName(recipient.issuer, certificate.issuer));
}

/** What `assertDecryptable` found: the cipher, its IV and the ciphertext. */
export interface Decryptable {
  cipher: ContentCipher;
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

/**
 * Checks, without a key, that the envelope uses algorithms we decrypt: EnvelopedData (not
 * AuthEnvelopedData), an AES-CBC or 3DES-CBC cipher with a well-formed IV, content present in
 * the file, and at least one RSA PKCS#1 v1.5 key-transport recipient.
 */
export function assertDecryptable(envelope: Envelope, what: string): Decryptable {
  const algorithm = envelope.contentEncryptionAlgorithm;
  if (envelope.contentType === CONTENT_TYPE.authEnvelopedData) {
    throw new UnsupportedAlgorithmError(
      `${oidLabel(CONTENT_TYPE.authEnvelopedData)} with ${oidLabel(algorithm.oid)}`,
      `The ${what} uses AuthEnvelopedData (${oidLabel(algorithm.oid)}), which this SDK does not decrypt`,
      { hint: NEW_TOKEN_HINT },
    );
  }
  const cipher = contentCipherByOid(algorithm.oid);
  if (!cipher) {
    throw new UnsupportedAlgorithmError(
      oidLabel(algorithm.oid),
      `The ${what} content is encrypted with ${oidLabel(algorithm.oid)}; supported are AES-128/192/256-CBC and DES-EDE3-CBC`,
      { hint: NEW_TOKEN_HINT },
    );
  }
  const iv = readIv(cipher, algorithm.parameters, what);
  if (envelope.encryptedContent === undefined) {
    throw new MalformedInputError(what, 'the encrypted content is detached (not in the file)', {
      hint: 'Pass the complete *_smime.p7m file.',
    });
  }
  const ktri = envelope.recipients.filter((r): r is KeyTransRecipient => r.kind === 'ktri');
  if (!ktri.some(isRsaPkcs1)) throw unsupportedRecipients(envelope, ktri, what);
  return { cipher, iv, ciphertext: envelope.encryptedContent };
}

/** Decrypts the envelope's content; see the module comment for the errors. */
export function decryptEnvelope(envelope: Envelope, options: DecryptEnvelopeOptions): Uint8Array {
  const { what, privateKey, certificate } = options;
  const { cipher, iv, ciphertext } = assertDecryptable(envelope, what);
  let candidates = envelope.recipients.filter((r): r is KeyTransRecipient => r.kind === 'ktri');
  if (certificate) {
    candidates = candidates.filter((r) => recipientMatches(r, certificate));
    if (candidates.length === 0) throw mismatch(envelope, certificate, what);
    if (!candidates.some(isRsaPkcs1)) throw unsupportedRecipients(envelope, candidates, what);
    // X509Certificate#checkPrivateKey is native and, unlike exporting SPKI from the private key,
    // leaves OpenSSL's cached RSA state alone (measured: the export made the unwrap ~3× slower).
    if (!certificate.x509.checkPrivateKey(privateKey)) {
      throw new WrongKeyError('The private key does not belong to the certificate given', {
        hint: 'Pass the private key that was saved together with this certificate.',
      });
    }
  }
  for (const recipient of candidates.filter(isRsaPkcs1)) {
    const key = unwrapPkcs1v15(privateKey, recipient.encryptedKey, cipher.keyBytes, options.rsaEngines);
    if (!key) continue;
    try {
      return decryptCbc(cipher, key, iv, ciphertext);
    } finally {
      key.fill(0);
    }
  }
  throw new WrongKeyError(`The private key does not decrypt this ${what}`, {
    hint:
      'Use the private key of the certificate uploaded to Apple School Manager when this token was downloaded' +
      ' (inspectServerToken shows which certificate the token was made for).',
  });
}

function isRsaPkcs1(r: KeyTransRecipient): boolean {
  return r.keyEncryptionAlgorithm.oid === KEY_ENCRYPTION.rsaEncryption;
}

function describeRecipient(r: Envelope['recipients'][number]): string {
  if (r.kind !== 'ktri') return `a ${r.kind} recipient`;
  if (r.subjectKeyIdentifier !== undefined) return `subject key identifier ${r.subjectKeyIdentifier}`;
  return `issuer "${r.issuer}" serial ${r.serialNumber}`;
}

function mismatch(envelope: Envelope, certificate: CertificateIdentity, what: string): RecipientMismatchError {
  const made = envelope.recipients.map(describeRecipient).join('; ');
  return new RecipientMismatchError(
    `This ${what} was made for ${made}, not for the certificate given (issuer "${certificate.issuer}" serial ${certificate.serialNumber})`,
    {
      hint: 'Use the certificate and key the token was made for, or upload this certificate to Apple School Manager and download a new token.',
    },
  );
}

function unsupportedRecipients(
  envelope: Envelope,
  candidates: readonly KeyTransRecipient[],
  what: string,
): UnsupportedAlgorithmError {
  const oaep = candidates.find((r) => r.keyEncryptionAlgorithm.oid !== KEY_ENCRYPTION.rsaEncryption);
  if (oaep) {
    const label = oidLabel(oaep.keyEncryptionAlgorithm.oid);
    return new UnsupportedAlgorithmError(
      label,
      `The ${what} key is encrypted with ${label}; only RSA PKCS#1 v1.5 (rsaEncryption) is supported`,
      { hint: NEW_TOKEN_HINT },
    );
  }
  const kinds = [...new Set(envelope.recipients.map((r) => r.kind))].join(', ');
  return new UnsupportedAlgorithmError(
    kinds,
    `The ${what} has no key-transport (ktri) recipient (found ${kinds || 'none'}); only RSA key transport is supported`,
    { hint: NEW_TOKEN_HINT },
  );
}
