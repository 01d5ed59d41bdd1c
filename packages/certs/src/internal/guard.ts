/**
 * The boundary between `@schoolmdm/certs` and the parsers it stands on (asn1js, node-forge,
 * `node:crypto`). Not part of the public API.
 *
 * Those libraries throw `TypeError`, `RangeError` or OpenSSL errors on hostile input (a
 * constructed UTF8String, a truncated length, a public key OpenSSL cannot decode; issue #15,
 * item 11). Every public function that reads a file runs inside {@link guardInput}, so such an
 * error reaches the caller as the package's `MalformedInputError`, with a sanitised cause: the
 * library's error name, code and a short message with long runs of key/token-like characters
 * cut out. SDK errors pass through untouched.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { isSchoolMdmError, redactExcerpt } from '@schoolmdm/core';
import { MalformedInputError } from '../errors.js';

/** A copy of a third-party error that keeps what helps debugging and nothing that could be input. */
export function sanitizeCause(cause: unknown): Error {
  if (!(cause instanceof Error)) return new Error(`non-Error thrown: ${typeof cause}`);
  const code = (cause as { code?: unknown }).code;
  const message = redactExcerpt(String(cause.message).slice(0, 500), 160).replace(/[A-Za-z0-9+/=_-]{16,}/g, '…');
  const out = new Error(`${cause.name}${typeof code === 'string' ? ` ${code}` : ''}: ${message}`);
  out.name = cause.name;
  return out;
}

/** Runs `read`; any non-SDK error becomes `MalformedInputError(what, …)` with a sanitised cause. */
export function guardInput<T>(what: string, read: () => T, hint?: string): T {
  try {
    return read();
  } catch (err) {
    throw wrapForeign(err, what, hint);
  }
}

/** Async twin of {@link guardInput}. */
export async function guardInputAsync<T>(what: string, read: () => Promise<T>, hint?: string): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw wrapForeign(err, what, hint);
  }
}

function wrapForeign(err: unknown, what: string, hint: string | undefined): unknown {
  if (isSchoolMdmError(err)) return err;
  return new MalformedInputError(what, 'it could not be parsed (the file is corrupt or not of this kind)', {
    cause: sanitizeCause(err),
    hint: hint ?? 'Pass the file exactly as downloaded; if it is, it may be damaged: download it again.',
  });
}

/**
 * `x509.publicKey` decodes the key lazily and throws OpenSSL's `ERR_OSSL_EVP_DECODE_ERROR` for a
 * key it cannot read (a corrupt modulus, an unknown algorithm): a property of the file.
 */
export function publicKeyOf(x509: X509Certificate, what: string): KeyObject {
  try {
    return x509.publicKey;
  } catch (cause) {
    throw new MalformedInputError(what, 'its public key cannot be decoded', {
      cause: sanitizeCause(cause),
      hint: 'The certificate is damaged or uses a key type OpenSSL does not know; get the file again.',
    });
  }
}
