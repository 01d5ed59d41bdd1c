/**
 * Decrypts `EncryptedContentInfo` with `node:crypto` (native AES-CBC and 3DES-CBC). Not part of
 * the public API.
 */
import { createDecipheriv } from 'node:crypto';
import { BadPaddingError, MalformedInputError } from '../../errors.js';
import type { BerNode } from './ber.js';
import { readOctets } from './ber.js';
import type { ContentCipher } from './oids.js';

/** The IV of a CBC AlgorithmIdentifier: an OCTET STRING of one block (RFC 3565 §4.1, RFC 3370 §5.1). */
export function readIv(cipher: ContentCipher, parameters: BerNode | undefined, what: string): Uint8Array {
  const iv = readOctets(parameters, what, `${cipher.name} parameters (IV)`);
  if (iv.length !== cipher.ivBytes) {
    throw new MalformedInputError(what, `the ${cipher.name} IV is ${iv.length} bytes instead of ${cipher.ivBytes}`, {
      hint: 'The file is damaged; download it again.',
    });
  }
  return iv;
}

/**
 * CBC decryption with a strict PKCS#7 padding check. A ciphertext that is not a whole number of
 * blocks, or whose last block does not unpad, gives `BadPaddingError` (the file was cut or
 * corrupted; with a wrong key the key unwrap fails first).
 */
export function decryptCbc(cipher: ContentCipher, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const block = cipher.ivBytes;
  if (ciphertext.length === 0 || ciphertext.length % block !== 0) {
    throw new BadPaddingError(
      `The encrypted content is ${ciphertext.length} bytes, not a whole number of ${block}-byte ${cipher.name} blocks`,
      { hint: 'The token file is truncated or damaged; download it again.' },
    );
  }
  try {
    const decipher = createDecipheriv(cipher.name, key, iv);
    return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    throw new BadPaddingError(`The ${cipher.name} padding of the decrypted content is invalid`, {
      hint: 'The token file is corrupted; download it again.',
    });
  }
}
