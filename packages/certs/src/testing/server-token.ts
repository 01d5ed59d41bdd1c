/**
 * Test-only encryptor: makes server tokens the way Apple School Manager does, so test suites can
 * build fixtures without Apple. Never use it to protect real secrets: it exists to produce
 * realistic input for `decryptServerToken`.
 */
import { constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import { BOOLEAN_RULE, CERTIFICATE_INPUT_RULE, checkArgument, checkOptions, isPlainObject } from '../internal/args.js';
import { type CertificateInput, readCertificate } from '../internal/cms/certificate.js';
import { toPem } from '../internal/pem.js';
import type { ServerTokenFields } from '../server-token/server-token.js';
import { TEST_CIPHERS, TEST_OIDS } from './algorithms.js';
import { ID, integer, NULL, octets, oid, tlv } from './ber-writer.js';

/** Content ciphers the encryptor can use. */
export type TestContentCipher = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';

/** Options of `encryptEnvelopedData`. */
export interface EncryptEnvelopedDataOptions {
  /** The plaintext. */
  content: Uint8Array;
  /** The recipient certificate (PEM, DER or `X509Certificate`); its issuer and serial go into the file. */
  recipientCertificatePem: CertificateInput;
  /**
   * Content cipher.
   * @default 'aes-128-cbc' (what Apple uses)
   */
  cipher?: TestContentCipher;
  /**
   * Key transport. `'oaep'` (RSAES-OAEP, SHA-1) makes a negative fixture `decryptServerToken` rejects.
   * @default 'pkcs1'
   */
  keyTransport?: 'pkcs1' | 'oaep';
  /**
   * Write BER with indefinite lengths and the ciphertext as a constructed `[0]` of OCTET STRING
   * chunks, as Apple and `openssl cms -stream` do; `false` writes DER with a primitive `[0]`.
   * @default true
   */
  indefiniteLength?: boolean;
  /**
   * Ciphertext chunk size for the constructed form.
   * @default 1024
   */
  chunkSize?: number;
}

const CONTENT_RULE = {
  expected: 'bytes (Uint8Array or Buffer)',
  test: (v: unknown) => v instanceof Uint8Array,
  required: true,
};
const LINE_ENDING_RULE = { expected: "'\\r\\n' or '\\n'", test: (v: unknown) => v === '\r\n' || v === '\n' };
const ENVELOPE_OPTIONS = {
  recipientCertificatePem: { ...CERTIFICATE_INPUT_RULE, required: true },
  cipher: {
    expected: TEST_CIPHERS.map((c) => `'${c.name}'`).join(', '),
    test: (v: unknown) => TEST_CIPHERS.some((c) => c.name === v),
  },
  keyTransport: { expected: "'pkcs1' or 'oaep'", test: (v: unknown) => v === 'pkcs1' || v === 'oaep' },
  indefiniteLength: BOOLEAN_RULE,
  chunkSize: {
    expected: 'a positive whole number',
    test: (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1,
  },
};

function checkToken(name: string, token: unknown): asserts token is ServerTokenFields {
  checkArgument(name, token, { expected: 'the token fields', test: isPlainObject, required: true });
  const t = token as Record<string, unknown>;
  for (const field of ['consumerKey', 'consumerSecret', 'accessToken', 'accessSecret']) {
    checkArgument(`${name}.${field}`, t[field], {
      expected: 'a string',
      test: (v) => typeof v === 'string',
      required: true,
    });
  }
  checkArgument(`${name}.accessTokenExpiry`, t.accessTokenExpiry, {
    expected: 'a valid Date',
    test: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
    required: true,
  });
}

/** Options of `encryptServerToken`. */
export interface EncryptServerTokenOptions extends Omit<EncryptEnvelopedDataOptions, 'content'> {
  /** The values to encrypt. */
  token: ServerTokenFields;
  /**
   * Wrap in S/MIME headers like Apple's `*_smime.p7m` (a string); `false` returns the BER bytes.
   * @default true
   */
  smime?: boolean;
  /**
   * Line ending of the S/MIME headers and Base64 lines.
   * @default '\r\n'
   */
  lineEnding?: '\r\n' | '\n';
}

/**
 * The decrypted form of a server token, byte for byte as Apple writes it: CRLF MIME headers,
 * then `-----BEGIN MESSAGE-----`, the JSON on one line, `-----END MESSAGE-----` (LF inside).
 */
export function formatServerTokenMessage(token: ServerTokenFields): string {
  checkToken('token', token);
  const json = JSON.stringify({
    consumer_key: token.consumerKey,
    consumer_secret: token.consumerSecret,
    access_token: token.accessToken,
    access_secret: token.accessSecret,
    access_token_expiry: token.accessTokenExpiry.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  return `Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\n${json}\n-----END MESSAGE-----\n`;
}

/**
 * Encrypts `content` to one RSA recipient as a CMS `ContentInfo`/`EnvelopedData`: version 0,
 * one `KeyTransRecipientInfo` by issuer and serial number, a fresh random key and IV.
 */
export function encryptEnvelopedData(options: EncryptEnvelopedDataOptions): Uint8Array {
  checkOptions('options', options, { ...ENVELOPE_OPTIONS, content: CONTENT_RULE }, { required: true });
  const cipherName = options.cipher ?? 'aes-128-cbc';
  const cipher = TEST_CIPHERS.find((c) => c.name === cipherName) as (typeof TEST_CIPHERS)[number];
  const indefinite = options.indefiniteLength ?? true;
  const chunkSize = options.chunkSize ?? 1024;
  const recipient = readCertificate(options.recipientCertificatePem, 'recipient certificate');

  const key = randomBytes(cipher.keyBytes);
  const iv = randomBytes(cipher.ivBytes);
  const c = createCipheriv(cipher.name, key, iv);
  const ciphertext = new Uint8Array(Buffer.concat([c.update(options.content), c.final()]));
  const oaep = options.keyTransport === 'oaep';
  const encryptedKey = publicEncrypt(
    { key: recipient.publicKey, padding: oaep ? constants.RSA_PKCS1_OAEP_PADDING : constants.RSA_PKCS1_PADDING },
    key,
  );
  key.fill(0);

  const ktri = tlv(ID.sequence, [
    integer(0),
    tlv(ID.sequence, [recipient.issuerDer, integer(recipient.serialBytes)]),
    // RFC 3560 §2.1: OAEP with default parameters is an empty SEQUENCE.
    tlv(ID.sequence, oaep ? [oid(TEST_OIDS.rsaesOaep), tlv(ID.sequence, [])] : [oid(TEST_OIDS.rsaEncryption), NULL]),
    octets(encryptedKey),
  ]);
  let encryptedContent: Uint8Array;
  if (indefinite) {
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < ciphertext.length; at += chunkSize)
      chunks.push(octets(ciphertext.subarray(at, at + chunkSize)));
    encryptedContent = tlv(ID.context0, chunks, true);
  } else {
    encryptedContent = tlv(ID.context0Primitive, ciphertext);
  }
  const eci = tlv(
    ID.sequence,
    [oid(TEST_OIDS.data), tlv(ID.sequence, [oid(cipher.oid), octets(iv)]), encryptedContent],
    indefinite,
  );
  const envelopedData = tlv(ID.sequence, [integer(0), tlv(ID.set, [ktri]), eci], indefinite);
  return tlv(ID.sequence, [oid(TEST_OIDS.envelopedData), tlv(ID.context0, [envelopedData], indefinite)], indefinite);
}

/**
 * Makes a server token file the way Apple School Manager does: the token's JSON in Apple's
 * message format, encrypted with RSA PKCS#1 v1.5 and AES-128-CBC (by default) to the recipient
 * certificate, as indefinite-length BER in an S/MIME wrapper with Apple's headers and CRLF lines.
 *
 * Test-only: for fixtures of `decryptServerToken` and code that handles `*_smime.p7m` files.
 *
 * @returns the `*_smime.p7m` text, or the BER bytes with `smime: false`.
 * @example
 * ```ts
 * const mdm = createTestRecipient();
 * const p7m = encryptServerToken({
 *   token: { consumerKey: 'CK_1', consumerSecret: 'CS_1', accessToken: 'AT_1', accessSecret: 'AS_1',
 *            accessTokenExpiry: new Date('2027-01-01T00:00:00Z') },
 *   recipientCertificatePem: mdm.certificatePem,
 * });
 * ```
 */
export function encryptServerToken(options: EncryptServerTokenOptions & { smime: false }): Uint8Array;
export function encryptServerToken(options: EncryptServerTokenOptions & { smime?: true }): string;
export function encryptServerToken(options: EncryptServerTokenOptions): string | Uint8Array;
export function encryptServerToken(options: EncryptServerTokenOptions): string | Uint8Array {
  checkOptions(
    'options',
    options,
    {
      ...ENVELOPE_OPTIONS,
      token: { expected: 'the token fields', test: isPlainObject, required: true },
      smime: BOOLEAN_RULE,
      lineEnding: LINE_ENDING_RULE,
    },
    { required: true, hint: 'Pass { token, recipientCertificatePem }.' },
  );
  checkToken('options.token', options.token);
  const { token, smime = true, lineEnding = '\r\n', ...rest } = options;
  const der = encryptEnvelopedData({ ...rest, content: new TextEncoder().encode(formatServerTokenMessage(token)) });
  return smime ? toSmime(der, lineEnding) : der;
}

/** Wraps DER in Apple's S/MIME headers with 76-character Base64 lines (RFC 2045 §6.8). */
export function toSmime(der: Uint8Array, lineEnding: '\r\n' | '\n' = '\r\n'): string {
  checkArgument('der', der, CONTENT_RULE);
  checkArgument('lineEnding', lineEnding, LINE_ENDING_RULE);
  const lines = [
    'Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="smime.p7m"',
    'Content-Description: S/MIME Encrypted Message',
    '',
    ...(Buffer.from(der)
      .toString('base64')
      .match(/.{1,76}/g) ?? []),
  ];
  return lines.join(lineEnding) + lineEnding;
}

/** The same file as PEM (`-----BEGIN PKCS7-----`), as `openssl cms -outform PEM` writes it. */
export function toPkcs7Pem(der: Uint8Array): string {
  checkArgument('der', der, CONTENT_RULE);
  return toPem('PKCS7', der);
}
