/**
 * Object identifiers met in CMS/PKCS#7 files, with the names openssl prints for them, and the
 * table of content ciphers this package decrypts. Not part of the public API.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5652 CMS
 * @see https://www.rfc-editor.org/rfc/rfc3565 AES in CMS
 * @see https://www.rfc-editor.org/rfc/rfc5083 AuthEnvelopedData
 */

/** CMS content types (RFC 5652 §4–§9, RFC 5083, RFC 3274). */
export const CONTENT_TYPE = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  signedAndEnvelopedData: '1.2.840.113549.1.7.4',
  digestedData: '1.2.840.113549.1.7.5',
  encryptedData: '1.2.840.113549.1.7.6',
  authData: '1.2.840.113549.1.9.16.1.2',
  compressedData: '1.2.840.113549.1.9.16.1.9',
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
} as const;

/** Key-encryption algorithms of `KeyTransRecipientInfo`. */
export const KEY_ENCRYPTION = {
  /** RSAES-PKCS1-v1_5 (RFC 8017 §7.2): what Apple uses. */
  rsaEncryption: '1.2.840.113549.1.1.1',
  /** RSAES-OAEP (RFC 8017 §7.1, RFC 3560). */
  rsaesOaep: '1.2.840.113549.1.1.7',
} as const;

/** A content cipher this package can decrypt with `node:crypto`. */
export interface ContentCipher {
  oid: string;
  /** openssl's name, which is also the `node:crypto` cipher name. */
  name: 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';
  keyBytes: number;
  ivBytes: number;
}

/** Content ciphers that decrypt (RFC 3565 §4.1 for AES, RFC 3370 §5.1 for 3DES). */
export const CONTENT_CIPHERS: readonly ContentCipher[] = [
  { oid: '2.16.840.1.101.3.4.1.2', name: 'aes-128-cbc', keyBytes: 16, ivBytes: 16 },
  { oid: '2.16.840.1.101.3.4.1.22', name: 'aes-192-cbc', keyBytes: 24, ivBytes: 16 },
  { oid: '2.16.840.1.101.3.4.1.42', name: 'aes-256-cbc', keyBytes: 32, ivBytes: 16 },
  { oid: '1.2.840.113549.3.7', name: 'des-ede3-cbc', keyBytes: 24, ivBytes: 8 },
];

/** The supported content cipher with this OID, if any. */
export function contentCipherByOid(oid: string): ContentCipher | undefined {
  return CONTENT_CIPHERS.find((c) => c.oid === oid);
}

/** The supported content cipher with this name, if any. */
export function contentCipherByName(name: string): ContentCipher | undefined {
  return CONTENT_CIPHERS.find((c) => c.name === name);
}

/**
 * Names (and key sizes, where the OID fixes one) of every algorithm we report, supported or not,
 * so `inspectServerToken` and `UnsupportedAlgorithmError` can name what they found.
 */
const NAMES: Record<string, { name: string; keyBits?: number }> = {
  [CONTENT_TYPE.data]: { name: 'data' },
  [CONTENT_TYPE.signedData]: { name: 'signedData' },
  [CONTENT_TYPE.envelopedData]: { name: 'envelopedData' },
  [CONTENT_TYPE.signedAndEnvelopedData]: { name: 'signedAndEnvelopedData' },
  [CONTENT_TYPE.digestedData]: { name: 'digestedData' },
  [CONTENT_TYPE.encryptedData]: { name: 'encryptedData' },
  [CONTENT_TYPE.authData]: { name: 'authData' },
  [CONTENT_TYPE.compressedData]: { name: 'compressedData' },
  [CONTENT_TYPE.authEnvelopedData]: { name: 'authEnvelopedData' },
  [KEY_ENCRYPTION.rsaEncryption]: { name: 'rsaEncryption' },
  [KEY_ENCRYPTION.rsaesOaep]: { name: 'rsaesOaep' },
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyBits: 128 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyBits: 192 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyBits: 256 },
  '2.16.840.1.101.3.4.1.6': { name: 'aes-128-gcm', keyBits: 128 },
  '2.16.840.1.101.3.4.1.26': { name: 'aes-192-gcm', keyBits: 192 },
  '2.16.840.1.101.3.4.1.46': { name: 'aes-256-gcm', keyBits: 256 },
  '2.16.840.1.101.3.4.1.7': { name: 'aes-128-ccm', keyBits: 128 },
  '2.16.840.1.101.3.4.1.27': { name: 'aes-192-ccm', keyBits: 192 },
  '2.16.840.1.101.3.4.1.47': { name: 'aes-256-ccm', keyBits: 256 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyBits: 192 },
  '1.3.14.3.2.7': { name: 'des-cbc', keyBits: 64 },
  '1.2.840.113549.3.2': { name: 'rc2-cbc' },
  '1.2.840.113549.1.9.16.3.18': { name: 'chacha20-poly1305', keyBits: 256 },
};

/** `{ oid, name, keyBits? }` for an OID; unknown OIDs are named by their dotted form. */
export function describeOid(oid: string): { oid: string; name: string; keyBits?: number } {
  const known = NAMES[oid];
  if (!known) return { oid, name: oid };
  return known.keyBits === undefined ? { oid, name: known.name } : { oid, name: known.name, keyBits: known.keyBits };
}

/** `"name (oid)"` or just the OID, for error messages. */
export function oidLabel(oid: string): string {
  const known = NAMES[oid];
  return known ? `${known.name} (${oid})` : oid;
}
