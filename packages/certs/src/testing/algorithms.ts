/**
 * Algorithm identifiers and sizes the test encryptor writes, kept apart from the decryptor's
 * table (`internal/cms/oids.ts`) on purpose: if both read one table, a wrong OID (say, AES-192's
 * for AES-128) would be written by the encryptor and accepted by the decryptor, and every
 * encryptor → decryptor test would still pass (issue #15). This table is checked against
 * openssl, the independent truth, in `test/testing/algorithms.test.ts`
 * (`openssl asn1parse -genstr OID:<name>` for the OID bytes, `openssl enc -P` for key and IV
 * sizes), and the decryptor's table is checked against openssl by decrypting openssl-made files.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3565#section-4.1 (AES OIDs), RFC 3370 §5.1 (3DES)
 */

/** One content cipher the encryptor can write. */
export interface TestCipherSpec {
  /** openssl's (and node:crypto's) name. */
  name: 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';
  /** Dotted OID written into `contentEncryptionAlgorithm`. */
  oid: string;
  keyBytes: number;
  ivBytes: number;
}

/** Content ciphers of the test encryptor. */
export const TEST_CIPHERS: readonly TestCipherSpec[] = Object.freeze([
  { name: 'aes-128-cbc', oid: '2.16.840.1.101.3.4.1.2', keyBytes: 16, ivBytes: 16 },
  { name: 'aes-192-cbc', oid: '2.16.840.1.101.3.4.1.22', keyBytes: 24, ivBytes: 16 },
  { name: 'aes-256-cbc', oid: '2.16.840.1.101.3.4.1.42', keyBytes: 32, ivBytes: 16 },
  { name: 'des-ede3-cbc', oid: '1.2.840.113549.3.7', keyBytes: 24, ivBytes: 8 },
]);

/** OIDs the encryptor writes besides the cipher (openssl names `pkcs7-data`, `pkcs7-envelopedData`, `rsaEncryption`, `rsaesOaep`). */
export const TEST_OIDS = Object.freeze({
  data: '1.2.840.113549.1.7.1',
  envelopedData: '1.2.840.113549.1.7.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
});
