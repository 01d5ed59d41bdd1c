/**
 * inspectServerToken: recipients and algorithms without a key, and matchesCertificate.
 * (openssl-made files, SKI recipients, OAEP and GCM are covered in openssl.test.ts.)
 */

import { X509Certificate } from 'node:crypto';
import { InvalidArgumentError } from '@schoolmdm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptServerToken,
  inspectServerToken,
  MalformedInputError,
  NotEnvelopedDataError,
  UnsupportedAlgorithmError,
  WrongKeyError,
} from '../../src/index.js';
import { CONTENT_TYPE } from '../../src/internal/cms/oids.js';
import { ID, integer, NULL, octets, oid, tlv } from '../../src/testing/ber-writer.js';
import { createTestRecipient, encryptServerToken, type TestRecipient, toPkcs7Pem } from '../../src/testing/index.js';
import { TOKEN } from './helpers.js';

let mdm: TestRecipient;
let other: TestRecipient;
beforeAll(() => {
  mdm = createTestRecipient();
  other = createTestRecipient();
});

describe('inspectServerToken', () => {
  it('lists the content cipher and the recipient by issuer and serial, without a key', () => {
    const p7m = encryptServerToken({
      token: TOKEN,
      recipientCertificatePem: mdm.certificatePem,
      cipher: 'aes-256-cbc',
    });
    const info = inspectServerToken(p7m);
    expect(info).toMatchObject({
      contentType: 'envelopedData',
      encoding: 'smime',
      contentEncryptionAlgorithm: { oid: '2.16.840.1.101.3.4.1.42', name: 'aes-256-cbc', keyBits: 256 },
      decryptable: true,
      recipients: [
        {
          kind: 'ktri',
          issuer: 'CN=depserver',
          serialNumber: new X509Certificate(mdm.certificatePem).serialNumber,
          subjectKeyIdentifier: undefined,
          keyEncryptionAlgorithm: { oid: '1.2.840.113549.1.1.1', name: 'rsaEncryption' },
        },
      ],
    });
    // A JSON-able summary: the method is dropped, nothing else is lost.
    expect(JSON.parse(JSON.stringify(info)).recipients[0].issuer).toBe('CN=depserver');
  });

  it('reports the encoding of each input shape', () => {
    const der = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, smime: false });
    expect(inspectServerToken(der).encoding).toBe('der');
    expect(inspectServerToken(toPkcs7Pem(der)).encoding).toBe('pem');
    expect(inspectServerToken(Buffer.from(der).toString('base64')).encoding).toBe('base64');
  });

  it('matchesCertificate: true for the recipient certificate (PEM, DER, X509Certificate), false for another', () => {
    const info = inspectServerToken(encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem }));
    const x = new X509Certificate(mdm.certificatePem);
    expect(info.matchesCertificate(mdm.certificatePem)).toBe(true);
    expect(info.matchesCertificate(new Uint8Array(x.raw))).toBe(true);
    expect(info.matchesCertificate(x)).toBe(true);
    expect(info.matchesCertificate(other.certificatePem)).toBe(false);
    expect(() => info.matchesCertificate('not a certificate')).toThrow(MalformedInputError);
    expect(() => info.matchesCertificate(mdm.privateKeyPem)).toThrow(
      /no PEM block labelled "CERTIFICATE".*found "PRIVATE KEY"/,
    );
  });

  it('nanodep-style certificates share issuer and serial (01): they match, and the key decides', () => {
    const a = createTestRecipient({ serialNumber: '01' });
    const b = createTestRecipient({ serialNumber: '01' });
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: a.certificatePem });
    const info = inspectServerToken(p7m);
    expect(info.recipients[0]).toMatchObject({ issuer: 'CN=depserver', serialNumber: '01' });
    expect(info.matchesCertificate(b.certificatePem)).toBe(true);
    expect(() => decryptServerToken(p7m, { privateKeyPem: b.privateKeyPem, certificatePem: b.certificatePem })).toThrow(
      WrongKeyError,
    );
    expect(
      decryptServerToken(p7m, { privateKeyPem: a.privateKeyPem, certificatePem: a.certificatePem }).consumerKey,
    ).toBe(TOKEN.consumerKey);
  });

  it('an OAEP token is inspectable and marked not decryptable', () => {
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, keyTransport: 'oaep' });
    const info = inspectServerToken(p7m);
    expect(info.decryptable).toBe(false);
    expect(info.matchesCertificate(mdm.certificatePem)).toBe(true);
    expect(info.recipients[0]?.keyEncryptionAlgorithm).toEqual({ oid: '1.2.840.113549.1.1.7', name: 'rsaesOaep' });
  });

  it('lists key-agreement recipients and unknown ciphers, which decryption rejects as unsupported', () => {
    const iv = octets(new Uint8Array(16));
    const kari = tlv(0xa1, [
      integer(3),
      tlv(ID.context0, [tlv(0xa1, [tlv(ID.sequence, [oid('1.2.840.10045.2.1')])])]),
      tlv(ID.sequence, [oid('1.3.132.1.11.1'), tlv(ID.sequence, [oid('2.16.840.1.101.3.4.1.5')])]),
      tlv(ID.sequence, []),
    ]);
    const build = (recipient: Uint8Array, cipherOid: string) =>
      tlv(ID.sequence, [
        oid(CONTENT_TYPE.envelopedData),
        tlv(ID.context0, [
          tlv(ID.sequence, [
            integer(2),
            tlv(ID.set, [recipient]),
            tlv(ID.sequence, [
              oid(CONTENT_TYPE.data),
              tlv(ID.sequence, [oid(cipherOid), iv]),
              tlv(ID.context0Primitive, new Uint8Array(32)),
            ]),
          ]),
        ]),
      ]);
    const karied = build(kari, '2.16.840.1.101.3.4.1.2');
    expect(inspectServerToken(karied)).toMatchObject({
      decryptable: false,
      recipients: [{ kind: 'kari', keyEncryptionAlgorithm: { oid: '1.3.132.1.11.1', name: '1.3.132.1.11.1' } }],
    });
    expect(() => decryptServerToken(karied, { privateKeyPem: mdm.privateKeyPem })).toThrow(
      /no key-transport \(ktri\) recipient \(found kari\)/,
    );
    const ktri = tlv(ID.sequence, [
      integer(0),
      tlv(ID.sequence, [tlv(ID.sequence, []), integer(1)]),
      tlv(ID.sequence, [oid('1.2.840.113549.1.1.1'), NULL]),
      octets(new Uint8Array(256)),
    ]);
    for (const [cipherOid, name] of [
      ['1.3.14.3.2.7', 'des-cbc'],
      ['1.2.840.113549.3.2', 'rc2-cbc'],
      ['1.2.3.4.5', '1.2.3.4.5'],
    ]) {
      const file = build(ktri, cipherOid!);
      expect(inspectServerToken(file).contentEncryptionAlgorithm.name).toBe(name);
      expect(inspectServerToken(file).decryptable).toBe(false);
      expect(() => decryptServerToken(file, { privateKeyPem: mdm.privateKeyPem })).toThrow(UnsupportedAlgorithmError);
    }
  });

  it('rejects what is not an EnvelopedData', () => {
    const digested = tlv(ID.sequence, [oid(CONTENT_TYPE.digestedData), tlv(ID.context0, [tlv(ID.sequence, [])])]);
    expect(() => inspectServerToken(digested)).toThrow(NotEnvelopedDataError);
    expect(() => inspectServerToken(digested)).toThrow(/digestedData \(1\.2\.840\.113549\.1\.7\.5\)/);
    expect(() => inspectServerToken(mdm.certificatePem)).toThrow(MalformedInputError);
    // @ts-expect-error: a JavaScript caller passing a number
    expect(() => inspectServerToken(42)).toThrow(InvalidArgumentError);
    // @ts-expect-error: testing a JavaScript caller
    expect(() => inspectServerToken(42)).toThrow(
      /Invalid input: expected the file content as a string or bytes, got the number 42/,
    );
  });
});
