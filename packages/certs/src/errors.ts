/**
 * Typed errors of `@schoolmdm/certs`. None of them carries key, token or password material:
 * messages name what was wrong, where, and how to fix it, and nothing else.
 */
import { SchoolMdmError, type SchoolMdmErrorOptions } from '@schoolmdm/core';

/** Text of a message part whatever a caller passed (a symbol would make a template literal throw). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** Base class of every `@schoolmdm/certs` error. */
export class CertsError extends SchoolMdmError {
  constructor(message: string, options?: SchoolMdmErrorOptions) {
    super(text(message), typeof options === 'object' && options !== null ? options : undefined);
  }
}

/** The input is not a readable file of the expected kind (bad Base64, PEM, DER, JSON, MIME…). */
export class MalformedInputError extends CertsError {
  /** What was being read, e.g. `"server token"`, `"content token"`, `"certificate"`. */
  readonly what: string;
  constructor(what: string, message: string, options?: SchoolMdmErrorOptions) {
    super(`Malformed ${text(what)}: ${text(message)}`, options);
    this.what = text(what);
  }
}

/** A CMS/PKCS#7 structure was found, but it is not EnvelopedData (e.g. SignedData). */
export class NotEnvelopedDataError extends CertsError {
  /** The content type OID (and its name where known) found instead. */
  readonly contentType: string;
  constructor(contentType: string, options?: SchoolMdmErrorOptions) {
    super(`Expected CMS EnvelopedData (1.2.840.113549.1.7.3) but found ${text(contentType)}`, options);
    this.contentType = text(contentType);
  }
}

/** None of the token's recipients is the certificate (or key) given. */
export class RecipientMismatchError extends CertsError {}

/** The private key does not decrypt the token: it belongs to another key pair, or the passphrase is wrong. */
export class WrongKeyError extends CertsError {}

/** The content decrypted, but its block-cipher padding is invalid (corrupt or truncated file). */
export class BadPaddingError extends CertsError {}

/** An algorithm this SDK cannot or will not handle (RSA-OAEP key transport, AuthEnvelopedData, …). */
export class UnsupportedAlgorithmError extends CertsError {
  /** The algorithm OID and its name where known. */
  readonly algorithm: string;
  constructor(algorithm: string, message?: string, options?: SchoolMdmErrorOptions) {
    super(message ?? `Unsupported algorithm: ${text(algorithm)}`, options);
    this.algorithm = text(algorithm);
  }
}

/** The item has expired (server token, content token, certificate). */
export class ExpiredError extends CertsError {
  /** When it expired. */
  readonly expiredAt: Date;
  constructor(what: string, expiredAt: Date, options?: SchoolMdmErrorOptions) {
    const valid = expiredAt instanceof Date && !Number.isNaN(expiredAt.getTime());
    super(`${text(what)} expired${valid ? ` on ${expiredAt.toISOString()}` : ''}`, options);
    this.expiredAt = valid ? expiredAt : new Date(Number.NaN);
  }
}

/** A PKCS#12 file or an encrypted PEM could not be opened with the password given. */
export class WrongPasswordError extends CertsError {}
