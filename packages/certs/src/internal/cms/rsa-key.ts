/**
 * The private key of a server-token decryption: any form `loadPrivateKey` reads (PKCS#1, PKCS#8,
 * encrypted PKCS#8, legacy `Proc-Type: 4,ENCRYPTED` PEM, DER) or a `KeyObject`, checked to be an
 * RSA private key. Not part of the public API.
 */
import { KeyObject } from 'node:crypto';
import { MalformedInputError, WrongKeyError } from '../../errors.js';
import { loadPrivateKey } from '../keys.js';

/** A private key as accepted by the token functions: PEM text, DER bytes or a `KeyObject`. */
export type PrivateKeyInput = string | Uint8Array | KeyObject;

const WHAT = 'private key';

/**
 * Returns an RSA private `KeyObject`. Throws `WrongPasswordError` for an encrypted key without a
 * passphrase or with a wrong one, `MalformedInputError` for something that is not a private key,
 * and `WrongKeyError` for a non-RSA key (server tokens are encrypted to RSA keys only).
 */
export function loadRsaPrivateKey(input: PrivateKeyInput, passphrase?: string): KeyObject {
  const key = input instanceof KeyObject ? input : loadPrivateKey(input, { passphrase, what: WHAT });
  if (key.type !== 'private') {
    throw new MalformedInputError(WHAT, `a ${key.type} key was given instead of a private key`, {
      hint: 'Pass the private key that belongs to the certificate uploaded to Apple School Manager.',
    });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    // Not UnsupportedAlgorithmError: the token is fine, the key is not the one it was made for.
    throw new WrongKeyError(
      `The private key is a ${key.asymmetricKeyType} key, but server tokens are encrypted to an RSA key`,
      { hint: 'Pass the RSA private key that belongs to the certificate uploaded to Apple School Manager.' },
    );
  }
  return key;
}
