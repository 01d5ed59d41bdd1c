/**
 * decryptServerToken through the SDK's own test encryptor: every encoding, cipher and key form,
 * and every error. The openssl-made fixtures are in openssl.test.ts.
 */

import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { InvalidArgumentError } from '@schoolmdm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BadPaddingError,
  decryptServerToken,
  ExpiredError,
  MalformedInputError,
  NotEnvelopedDataError,
  RecipientMismatchError,
  ServerToken,
  UnsupportedAlgorithmError,
  WrongKeyError,
  WrongPasswordError,
} from '../../src/index.js';
import { CONTENT_TYPE } from '../../src/internal/cms/oids.js';
import { ID, integer, oid, tlv } from '../../src/testing/ber-writer.js';
import {
  createTestRecipient,
  encryptEnvelopedData,
  encryptServerToken,
  type TestRecipient,
  toPkcs7Pem,
  toSmime,
} from '../../src/testing/index.js';
import { catchError, corruptPadding, MESSAGE, TOKEN } from './helpers.js';

let mdm: TestRecipient;
let other: TestRecipient;

beforeAll(() => {
  mdm = createTestRecipient();
  other = createTestRecipient({ commonName: 'someone-else' });
});

function expectToken(t: ServerToken) {
  expect(t).toBeInstanceOf(ServerToken);
  expect(t.consumerKey).toBe(TOKEN.consumerKey);
  expect(t.consumerSecret).toBe(TOKEN.consumerSecret);
  expect(t.accessToken).toBe(TOKEN.accessToken);
  expect(t.accessSecret).toBe(TOKEN.accessSecret);
  expect(t.accessTokenExpiry.toISOString()).toBe('2026-01-17T11:02:21.000Z');
}

describe('decryptServerToken: encodings', () => {
  it('reads the Apple-shaped S/MIME file (CRLF, indefinite-length BER) as string and as bytes', () => {
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });
    expect(p7m).toContain('\r\n\r\nMIAGCSqGSIb3DQEHA6CA'); // 30 80 06 09 …: indefinite length, like Apple's
    expectToken(decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem }));
    expectToken(decryptServerToken(Buffer.from(p7m), { privateKeyPem: mdm.privateKeyPem }));
    expectToken(decryptServerToken(new TextEncoder().encode(p7m), { privateKeyPem: mdm.privateKeyPem }));
  });

  it('reads S/MIME with LF line ends, extra or missing headers, folded headers and a BOM', () => {
    const der = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, smime: false });
    const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
    const variants = [
      toSmime(der, '\n'),
      `MIME-Version: 1.0\nContent-Disposition: attachment; filename="smime.p7m"\nContent-Type: application/x-pkcs7-mime; smime-type=enveloped-data;\n name="smime.p7m"\nContent-Transfer-Encoding: base64\n\n${body}\n`,
      `X-Whatever: 1\r\n\r\n${body}`,
      `\uFEFF${toSmime(der)}\r\n\r\n`,
    ];
    for (const v of variants) expectToken(decryptServerToken(v, { privateKeyPem: mdm.privateKeyPem }));
  });

  it('reads DER bytes, PEM (PKCS7 and CMS labels), and bare Base64 with or without line breaks', () => {
    const der = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, smime: false });
    const b64 = Buffer.from(der).toString('base64');
    for (const input of [
      der,
      toPkcs7Pem(der),
      toPkcs7Pem(der).replace(/PKCS7/g, 'CMS').replace(/\n/g, '\r\n'),
      b64,
      b64.replace(/.{76}/g, '$&\r\n'),
    ]) {
      expectToken(decryptServerToken(input, { privateKeyPem: mdm.privateKeyPem }));
    }
  });

  it('reads definite-length DER with a primitive [0] and BER with many ciphertext chunks', () => {
    for (const opts of [{ indefiniteLength: false }, { chunkSize: 16 }, { chunkSize: 7 }, { chunkSize: 1 }]) {
      const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, ...opts });
      expectToken(decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem }));
    }
  });
});

describe('decryptServerToken: ciphers and keys', () => {
  it.each(['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'des-ede3-cbc'] as const)('decrypts %s content', (cipher) => {
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, cipher });
    expectToken(decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem, certificatePem: mdm.certificatePem }));
  });

  it('accepts PKCS#1 and PKCS#8 PEM, DER, a KeyObject, encrypted PKCS#8 with its passphrase, and a key+cert bundle', () => {
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });
    const privateKey = createPrivateKey(mdm.privateKeyPem);
    const encrypted = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' })
      .toString();
    for (const [privateKeyPem, passphrase] of [
      [mdm.privateKeyPkcs1Pem, undefined],
      [mdm.privateKeyPem, undefined],
      [privateKey.export({ type: 'pkcs8', format: 'der' }), undefined],
      [privateKey.export({ type: 'pkcs1', format: 'der' }), undefined],
      [privateKey, undefined],
      [encrypted, 'correct horse'],
      [`${mdm.certificatePem}${mdm.privateKeyPkcs1Pem}`, undefined],
      [mdm.privateKeyPem, 'a passphrase for a plain key is ignored'],
    ] as const) {
      expectToken(decryptServerToken(p7m, { privateKeyPem, passphrase }));
    }
  });

  it('accepts the certificate as PEM, DER or X509Certificate', () => {
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });
    const x = new X509Certificate(mdm.certificatePem);
    for (const certificatePem of [mdm.certificatePem, new Uint8Array(x.raw), x]) {
      expectToken(decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem, certificatePem }));
    }
  });
});

describe('decryptServerToken: errors', () => {
  let p7m: string;
  beforeAll(() => {
    p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });
  });

  it('WrongKeyError when the key opens no recipient, with and without a certificate', () => {
    expect(() => decryptServerToken(p7m, { privateKeyPem: other.privateKeyPem })).toThrow(WrongKeyError);
    // Another key of another size: the encrypted key does not even fit the modulus.
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => decryptServerToken(p7m, { privateKeyPem: small })).toThrow(/does not decrypt this server token/);
  });

  it('WrongKeyError when the key is not the certificate’s key', () => {
    expect(() =>
      decryptServerToken(p7m, { privateKeyPem: other.privateKeyPem, certificatePem: mdm.certificatePem }),
    ).toThrow(/does not belong to the certificate/);
  });

  it('WrongKeyError for a non-RSA key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => decryptServerToken(p7m, { privateKeyPem: ec.toString() })).toThrow(WrongKeyError);
  });

  it('RecipientMismatchError naming both sides when a certificate is given and no recipient names it', () => {
    const serial = new X509Certificate(mdm.certificatePem).serialNumber;
    const error = catchError(() =>
      decryptServerToken(p7m, { privateKeyPem: other.privateKeyPem, certificatePem: other.certificatePem }),
    );
    expect(error).toBeInstanceOf(RecipientMismatchError);
    expect((error as Error).message).toContain(`issuer "CN=depserver" serial ${serial}`);
    expect((error as Error).message).toContain('issuer "CN=someone-else"');
  });

  it('WrongPasswordError for an encrypted key without or with a wrong passphrase', () => {
    const encrypted = createPrivateKey(mdm.privateKeyPem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' })
      .toString();
    expect(() => decryptServerToken(p7m, { privateKeyPem: encrypted })).toThrow(WrongPasswordError);
    expect(() => decryptServerToken(p7m, { privateKeyPem: encrypted, passphrase: 'wrong' })).toThrow(
      WrongPasswordError,
    );
  });

  it('UnsupportedAlgorithmError for RSA-OAEP key transport, before any key is read', () => {
    const oaep = encryptServerToken({
      token: TOKEN,
      recipientCertificatePem: mdm.certificatePem,
      keyTransport: 'oaep',
    });
    expect(() => decryptServerToken(oaep, { privateKeyPem: mdm.privateKeyPem })).toThrow(UnsupportedAlgorithmError);
    expect(() => decryptServerToken(oaep, { privateKeyPem: 'not a key at all' })).toThrow(/rsaesOaep/);
  });

  it('BadPaddingError for corrupted padding and for a truncated ciphertext', () => {
    expect(() => decryptServerToken(corruptPadding(Buffer.from(p7m)), { privateKeyPem: mdm.privateKeyPem })).toThrow(
      BadPaddingError,
    );
    const content = new TextEncoder().encode(MESSAGE);
    const der = encryptEnvelopedData({ content, recipientCertificatePem: mdm.certificatePem, chunkSize: 16 });
    const cut = truncateLastChunk(der, 5);
    expect(() => decryptServerToken(cut, { privateKeyPem: mdm.privateKeyPem })).toThrow(
      /not a whole number of 16-byte aes-128-cbc blocks/,
    );
  });

  it('NotEnvelopedDataError for SignedData', () => {
    const signed = tlv(ID.sequence, [
      oid(CONTENT_TYPE.signedData),
      tlv(ID.context0, [tlv(ID.sequence, [integer(1), tlv(ID.set, [])])]),
    ]);
    expect(() => decryptServerToken(signed, { privateKeyPem: mdm.privateKeyPem })).toThrow(NotEnvelopedDataError);
    expect(() => decryptServerToken(signed, { privateKeyPem: mdm.privateKeyPem })).toThrow(/signedData/);
  });

  it('MalformedInputError for files that are not CMS, naming what is wrong', () => {
    const cases: Array<[string | Uint8Array, RegExp]> = [
      ['', /empty/],
      ['   \r\n', /empty/],
      ['mdmserver1_Token_2022-07-01T22-18-53Z_smime.p7m', /file name/],
      ['hello world!', /not Base64/],
      [mdm.certificatePem, /no PEM block "PKCS7" or "CMS".*certificate, not a server token/],
      ['Content-Type: multipart/signed; boundary=x\r\n\r\nAAAA', /multipart\/signed/],
      ['Content-Type: application/pkcs7-mime\nContent-Transfer-Encoding: 7bit\n\nAAAA', /"7bit", not base64/],
      ['Content-Type: application/pkcs7-mime\n\n', /body .* is empty|empty/],
      [Buffer.from('MIIB').toString('base64'), /not a DER\/BER structure/],
      [Uint8Array.of(0x30, 0x82, 0x01, 0x00, 0x06), /not valid BER\/DER/],
      [tlv(ID.sequence, [integer(1)]), /ContentInfo.contentType should be an OBJECT IDENTIFIER but is INTEGER/],
    ];
    for (const [input, message] of cases) {
      expect(() => decryptServerToken(input, { privateKeyPem: mdm.privateKeyPem }), String(message)).toThrow(
        MalformedInputError,
      );
      expect(() => decryptServerToken(input, { privateKeyPem: mdm.privateKeyPem })).toThrow(message);
    }
  });

  it('MalformedInputError for trailing data after the structure', () => {
    const der = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, smime: false });
    const withJunk = Buffer.concat([der, Buffer.from('junk')]);
    expect(() => decryptServerToken(withJunk, { privateKeyPem: mdm.privateKeyPem })).toThrow(/4 unexpected bytes/);
  });

  it('InvalidArgumentError when options or the key are missing; MalformedInputError when the key is not a key', () => {
    // @ts-expect-error: testing a JavaScript caller
    expect(() => decryptServerToken(p7m)).toThrow(InvalidArgumentError);
    // @ts-expect-error: testing a JavaScript caller
    expect(() => decryptServerToken(p7m, {})).toThrow(
      /Invalid options.privateKeyPem: expected the private key as PEM text, DER bytes or a KeyObject, got undefined/,
    );
    expect(() => decryptServerToken(p7m, { privateKeyPem: mdm.certificatePem })).toThrow(MalformedInputError);
  });
});

describe('decryptServerToken: expiry', () => {
  const expired = { ...TOKEN, accessTokenExpiry: new Date('2020-01-01T00:00:00Z') };

  it('returns an expired token by default and rejects it with rejectExpired', () => {
    const p7m = encryptServerToken({ token: expired, recipientCertificatePem: mdm.certificatePem });
    const t = decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem });
    expect(t.isExpired()).toBe(true);
    const error = catchError(() => decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem, rejectExpired: true }));
    expect(error).toBeInstanceOf(ExpiredError);
    expect((error as ExpiredError).expiredAt.toISOString()).toBe('2020-01-01T00:00:00.000Z');
  });

  it('uses the injected now', () => {
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });
    const opts = { privateKeyPem: mdm.privateKeyPem, rejectExpired: true };
    expect(decryptServerToken(p7m, { ...opts, now: new Date('2026-01-17T11:02:20Z') }).consumerKey).toBe(
      TOKEN.consumerKey,
    );
    expect(() => decryptServerToken(p7m, { ...opts, now: new Date('2026-01-17T11:02:21Z') })).toThrow(ExpiredError);
  });
});

/** Cuts `drop` bytes off the last ciphertext chunk of an indefinite-length file made with chunkSize 16. */
function truncateLastChunk(der: Uint8Array, drop: number): Uint8Array {
  const tail = der.length - 10; // five end-of-contents markers: [0] content, eci, EnvelopedData, [0], ContentInfo
  const chunk = tail - 18;
  expect([der[chunk], der[chunk + 1]]).toEqual([0x04, 16]);
  return Buffer.concat([
    der.subarray(0, chunk),
    Uint8Array.of(0x04, 16 - drop),
    der.subarray(chunk + 2, chunk + 2 + 16 - drop),
    der.subarray(tail),
  ]);
}
