/**
 * RSAES-PKCS1-v1_5 key transport (RFC 8017 §7.2.2): recovers the content-encryption key of a
 * `KeyTransRecipientInfo` whose algorithm is `rsaEncryption`. Not part of the public API.
 *
 * Why not `crypto.privateDecrypt(RSA_PKCS1_PADDING)`: since the fix for CVE-2023-46809 (the
 * Marvin attack) Node refuses PKCS#1 v1.5 private decryption unless OpenSSL offers implicit
 * rejection (nodejs/node 7079c062bb), so it throws on Node 20 LTS. WebCrypto has no
 * RSAES-PKCS1-v1_5 either. We therefore do the RSA primitive without padding natively
 * (`RSA_NO_PADDING`, constant-time and blinded in OpenSSL) and check the padding ourselves
 * without early exits, comparing the recovered length with the length the content cipher needs.
 * Should a Node build refuse raw RSA too (FIPS mode, a future policy), node-forge's pure-JS RSA
 * takes over.
 *
 * A failure says only "this key does not open it": no padding detail is ever reported, so the
 * function cannot serve as a Bleichenbacher padding oracle. This is an offline decryption of the
 * caller's own token; do not expose it as a network service that decrypts attacker input.
 */
import { constants, type KeyObject, privateDecrypt } from 'node:crypto';
import forge from 'node-forge';

/** Raw RSA decryption (c^d mod n, left-padded to the modulus length); throws if c ≥ n. */
export type RawRsa = (key: KeyObject, block: Uint8Array) => Uint8Array;

/** OpenSSL's RSA without padding. */
export const nativeRawRsa: RawRsa = (key, block) =>
  new Uint8Array(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, block));

const forgeKeys = new WeakMap<KeyObject, forge.pki.rsa.PrivateKey>();

/** node-forge's pure-JS RSA, used only when the native primitive is refused. */
export const forgeRawRsa: RawRsa = (key, block) => {
  let fk = forgeKeys.get(key);
  if (!fk) {
    const jwk = key.export({ format: 'jwk' });
    const big = (v: string | undefined) =>
      new forge.jsbn.BigInteger(Buffer.from(v ?? '', 'base64url').toString('hex'), 16);
    fk = forge.pki.setRsaPrivateKey(
      big(jwk.n),
      big(jwk.e),
      big(jwk.d),
      big(jwk.p),
      big(jwk.q),
      big(jwk.dp),
      big(jwk.dq),
      big(jwk.qi),
    );
    forgeKeys.set(key, fk);
  }
  const out = fk.decrypt(Buffer.from(block).toString('binary'), 'RAW');
  return new Uint8Array(Buffer.from(out, 'binary'));
};

/** The modulus length of an RSA key in bytes. */
export function modulusBytes(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

/**
 * Unwraps a content-encryption key of `keyLength` bytes, or returns undefined when this key does
 * not open `encryptedKey` (wrong key, other key size, or a corrupt block).
 */
export function unwrapPkcs1v15(
  key: KeyObject,
  encryptedKey: Uint8Array,
  keyLength: number,
  engines: readonly RawRsa[] = [nativeRawRsa, forgeRawRsa],
): Uint8Array | undefined {
  const k = modulusBytes(key);
  if (encryptedKey.length === 0 || encryptedKey.length > k) return undefined;
  // RFC 8017 §7.2.2 step 1 wants exactly k octets; some encoders drop leading zeros.
  const block = new Uint8Array(k);
  block.set(encryptedKey, k - encryptedKey.length);
  for (const rsa of engines) {
    let em: Uint8Array;
    try {
      em = rsa(key, block);
    } catch (e) {
      // c ≥ n: this block was not made for this modulus. Anything else: the engine refused, try the next.
      if ((e as { code?: string }).code === 'ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_MODULUS') return undefined;
      if (e instanceof Error && /invalid/i.test(e.message) && rsa === forgeRawRsa) return undefined;
      continue;
    }
    return unpad(em, keyLength);
  }
  return undefined;
}

/**
 * EME-PKCS1-v1_5 decoding (RFC 8017 §7.2.2 step 3) of `em` = 00 02 PS 00 M, with |PS| ≥ 8 and
 * |M| = `expectedLength`. Written without data-dependent branches or early exits.
 */
export function unpad(em: Uint8Array, expectedLength: number): Uint8Array | undefined {
  const k = em.length;
  let bad = (em[0] ?? 1) | ((em[1] ?? 0) ^ 2);
  let found = 0;
  let separator = 0;
  for (let i = 2; i < k; i++) {
    const isZero = ((em[i]! - 1) >>> 31) & 1; // 1 when the byte is 0
    const first = isZero & (found ^ 1);
    separator |= -first & i;
    found |= isZero;
  }
  bad |= found ^ 1;
  bad |= (separator - 10) >>> 31; // at least 8 bytes of PS (indices 2..9)
  bad |= (k - separator - 1) ^ expectedLength;
  return bad === 0 ? em.slice(separator + 1) : undefined;
}
