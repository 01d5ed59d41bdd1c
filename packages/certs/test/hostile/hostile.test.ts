/**
 * Issue #15 item 11, 13, 14, 17 and issue #16 for `@schoolmdm/certs`: what an attacker (or a
 * damaged file) writes gives a result or a typed SDK error, never a library exception.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { InvalidArgumentError, isSchoolMdmError, SchoolMdmError } from '@schoolmdm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import {
  decryptServerToken,
  inspectCertificate,
  inspectServerToken,
  MalformedInputError,
  parseContentToken,
  readPkcs12,
  UnsupportedAlgorithmError,
  verifyPushCertificateRequest,
  WrongPasswordError,
} from '../../src/index.js';
import { createTestRecipient, encryptServerToken, type TestRecipient } from '../../src/testing/index.js';
import { TOKEN } from '../server-token/helpers.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

let mdm: TestRecipient;
beforeAll(() => {
  mdm = createTestRecipient({ commonName: 'abcdefghijkl', modulusLength: 1024 });
});

describe('library exceptions become MalformedInputError (item 11)', () => {
  it.each([
    ['MAUsAwwBQQ==', 'a constructed UTF8String'],
    ['MAMeAUE=', 'a BMPString of odd length'],
    ['MAMcAUE=', 'a UniversalString of one byte'],
    ['MAMYAUE=', 'a GeneralizedTime of one byte'],
  ])('%s (%s) through every reader', (base64) => {
    const readers: Array<[string, () => unknown]> = [
      ['inspectServerToken', () => inspectServerToken(base64)],
      ['decryptServerToken', () => decryptServerToken(base64, { privateKeyPem: mdm.privateKeyPem })],
      ['inspectCertificate', () => inspectCertificate(base64)],
      ['inspectCertificate (bytes)', () => inspectCertificate(Buffer.from(base64, 'base64'))],
      ['readPkcs12', () => readPkcs12(Buffer.from(base64, 'base64'), '')],
    ];
    for (const [name, read] of readers) {
      const e = caught(read);
      expect(isSchoolMdmError(e), `${name}: ${String(e)}`).toBe(true);
      expect(e, name).not.toBeInstanceOf(InvalidArgumentError);
    }
  });

  it('keeps a sanitised cause: the library error name, never the input', () => {
    const e = caught(() => inspectServerToken('MAUsAwwBQQ==')) as MalformedInputError;
    expect(e).toBeInstanceOf(MalformedInputError);
    if (e.cause !== undefined) expect(String(e.cause)).not.toContain('MAUsAwwBQQ');
  });

  it('a UniversalString issuer with a code point above U+10FFFF is printed as #hex, not a RangeError', () => {
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, smime: false });
    const der = Buffer.from(p7m);
    // The recipient's issuer CN "abcdefghijkl" (12 characters) becomes a 12-byte UniversalString
    // holding 0xFFFFFFFF, 'A', 'B': same length, so every enclosing length stays right.
    const text = Buffer.from('abcdefghijkl');
    let at = der.indexOf(text);
    expect(at).toBeGreaterThan(1);
    at -= 2;
    expect([0x0c, 0x13]).toContain(der[at]);
    der.set([0x1c, 0x0c, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x41, 0, 0, 0, 0x42], at);
    const info = inspectServerToken(der);
    const r = info.recipients[0];
    expect(r?.kind === 'ktri' && r.issuer).toBe('CN=#1C0CFFFFFFFF0000004100000042');
  });

  it('a certificate whose public key OpenSSL cannot decode', () => {
    const der = Buffer.from(new X509Certificate(mdm.certificatePem).raw);
    const rsa = Buffer.from('06092a864886f70d0101010500', 'hex');
    const spki = der.indexOf(rsa) + rsa.length;
    // BIT STRING header (03 81 8d 00 for RSA-1024), then the RSAPublicKey SEQUENCE: make it a SET.
    const seq = der.indexOf(0x30, spki);
    der[seq] = 0x31;
    expect(() => new X509Certificate(der).publicKey).toThrow(/decode/i);
    const e = caught(() => inspectCertificate(der));
    expect(e).toBeInstanceOf(MalformedInputError);
    expect((e as Error).message).toMatch(/public key cannot be decoded/);
    const token = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });
    expect(() => inspectServerToken(token).matchesCertificate(der)).toThrow(MalformedInputError);
    expect(() => decryptServerToken(token, { privateKeyPem: mdm.privateKeyPem, certificatePem: der })).toThrow(
      MalformedInputError,
    );
  });

  it('&#x110000; and other references XML cannot hold, in a push-request plist', () => {
    for (const ref of ['&#x110000;', '&#1114112;', '&#xD800;', '&#0;', '&#x1234567890;']) {
      const xml = `<?xml version="1.0"?><plist version="1.0"><dict><key>PushCertRequestCSR</key><string>${ref}</string></dict></plist>`;
      const e = caught(() => verifyPushCertificateRequest(xml));
      expect(e, ref).toBeInstanceOf(MalformedInputError);
      expect((e as Error).message).toMatch(/character reference .* is not a character XML allows/);
    }
  });
});

describe('linear time on adversarial shapes (item 13): these finished in 11–85 s per MB before', () => {
  it('parsePem through inspectCertificate: 1 MB of BEGIN lines without END', () => {
    const text = '-----BEGIN CERTIFICATE-----\n'.repeat(40_000);
    expect(() => inspectCertificate(text)).toThrow(MalformedInputError);
  });

  it.each([
    ['<!--', '<!--'.repeat(250_000)],
    ['<plist', '<plist'.repeat(170_000)],
    ['unclosed elements', `<plist><dict>${'<key>k</key><x>'.repeat(70_000)}`],
    ['unclosed keys', `<plist><dict>${'<key>'.repeat(200_000)}`],
  ])('push-request plist: 1 MB of %s', (_name, xml) => {
    expect(() => verifyPushCertificateRequest(xml)).toThrow(MalformedInputError);
  });
});

describe.skipIf(!peers.openssl)('PKCS#12 iteration cap (item 14), files made by openssl', () => {
  const tmp = tempDir('certs-p12-iter-');
  afterAll(() => tmp.cleanup());

  function p12(iter: number): Buffer {
    const key = tmp.path(`k${iter}.pem`);
    const crt = tmp.path(`c${iter}.pem`);
    runPeer('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:1024',
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-subj',
      '/CN=iter',
      '-days',
      '1',
    ]);
    return runPeer('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      key,
      '-in',
      crt,
      '-passout',
      'pass:pw',
      '-iter',
      String(iter),
    ]);
  }

  it('refuses a count above the default cap before computing it, and opens it when raised', () => {
    const file = p12(120_000);
    const e = caught(() => readPkcs12(file, 'pw'));
    expect(e).toBeInstanceOf(UnsupportedAlgorithmError);
    expect((e as Error).message).toMatch(/asks for 120000 key-derivation iterations, more than the limit of 50000/);
    expect((e as Error).message).toMatch(/maxIterations: 120000/);
    // The same refusal with a wrong password: the cap is checked before the password is tried.
    expect(caught(() => readPkcs12(file, 'wrong'))).toBeInstanceOf(UnsupportedAlgorithmError);
    const opened = readPkcs12(file, 'pw', { maxIterations: 120_000 });
    expect(opened.certificatePem).toContain('BEGIN CERTIFICATE');
  });

  it("opens OpenSSL's default (2048) without options, and validates maxIterations", () => {
    expect(readPkcs12(p12(2048), 'pw').privateKeyPem).toContain('BEGIN PRIVATE KEY');
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e12, '5']) {
      expect(() => readPkcs12(Buffer.alloc(4), 'pw', { maxIterations: bad as number })).toThrow(InvalidArgumentError);
    }
    expect(() => readPkcs12(Buffer.alloc(4), 'pw', { maxIteration: 5 } as never)).toThrow(
      /did you mean "maxIterations"/,
    );
  });
});

describe('an encrypted key without a passphrase names the option that takes it (issue #16)', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const encryptedPem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' });
  const encryptedDer = privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'pw' });

  it.each([
    ['PEM', encryptedPem],
    ['DER', encryptedDer],
  ])('decryptServerToken with an encrypted %s key', (_form, key) => {
    const token = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });
    const e = caught(() => decryptServerToken(token, { privateKeyPem: key }));
    expect(e).toBeInstanceOf(WrongPasswordError);
    expect((e as Error).message).toMatch(
      /is encrypted and no passphrase was given — Pass its passphrase as options\.passphrase/,
    );
    expect((e as Error).message).not.toMatch(/INTERRUPTED_OR_CANCELLED/);
  });
});

describe('arguments and options (item 17)', () => {
  it('rejectExpired with an invalid now refuses instead of returning an expired token', () => {
    const token = encryptServerToken({
      token: { ...TOKEN, accessTokenExpiry: new Date('2020-01-01T00:00:00Z') },
      recipientCertificatePem: mdm.certificatePem,
    });
    const e = caught(() =>
      decryptServerToken(token, { privateKeyPem: mdm.privateKeyPem, rejectExpired: true, now: new Date(Number.NaN) }),
    );
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as Error).message).toBe('Invalid options.now: expected a valid Date, got an invalid Date');
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'privateKeyPem: 5',
      () => decryptServerToken('x', { privateKeyPem: 5 as never }),
      /^Invalid options.privateKeyPem: expected the private key as PEM text, DER bytes or a KeyObject, got the number 5/,
    ],
    [
      "now: 'x'",
      () => inspectCertificate('x', { now: 'x' as never }),
      /^Invalid options.now: expected a valid Date, got a string/,
    ],
    ["now: 'x' (content token)", () => parseContentToken('x', { now: 'x' as never }), /^Invalid options.now/],
    [
      'rejectExpire',
      () => parseContentToken('x', { rejectExpire: true } as never),
      /^Invalid options.rejectExpire: unknown option; did you mean "rejectExpired"\?/,
    ],
    [
      'passphrase: 1',
      () => decryptServerToken('x', { privateKeyPem: 'k', passphrase: 1 as never }),
      /^Invalid options.passphrase: expected a string, got the number 1/,
    ],
    [
      'encryptServerToken without token',
      () => encryptServerToken({ recipientCertificatePem: mdm.certificatePem } as never),
      /^Invalid options.token: expected the token fields, got undefined/,
    ],
  ])('%s', (_name, call, message) => {
    const e = caught(call);
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e).toBeInstanceOf(SchoolMdmError);
    expect((e as Error).message).toMatch(message);
  });
});
