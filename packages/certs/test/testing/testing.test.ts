/**
 * `@schoolmdm/certs/testing`: the fixtures it makes must be what real tools accept. openssl
 * decrypts our tokens and verifies our certificates; the file layout matches Apple's; and the
 * main entry never pulls the testing code in.
 */

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@schoolmdm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { parseContentToken } from '../../src/index.js';
import {
  createContentTokenFile,
  createTestRecipient,
  encryptServerToken,
  formatServerTokenMessage,
  type TestRecipient,
  toPkcs7Pem,
} from '../../src/testing/index.js';
import { MESSAGE, TOKEN } from '../server-token/helpers.js';

let mdm: TestRecipient;
beforeAll(() => {
  mdm = createTestRecipient({ commonName: 'mosyle-test', serialNumber: '0a1b2c' });
});

describe('encryptServerToken', () => {
  it('writes Apple’s S/MIME layout: its four headers, CRLF, 76-character Base64 lines', () => {
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });
    const [head, body] = p7m.split('\r\n\r\n') as [string, string];
    expect(head.split('\r\n')).toEqual([
      'Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="smime.p7m"',
      'Content-Description: S/MIME Encrypted Message',
    ]);
    const lines = body.trimEnd().split('\r\n');
    expect(lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
    expect(p7m).not.toMatch(/[^\r]\n/);
    expect(
      encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, lineEnding: '\n' }),
    ).not.toContain('\r');
  });

  it('formats the inner message exactly like Apple (certs.md §1.1)', () => {
    expect(formatServerTokenMessage(TOKEN)).toBe(
      'Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\n' +
        `{"consumer_key":"${TOKEN.consumerKey}","consumer_secret":"${TOKEN.consumerSecret}","access_token":"${TOKEN.accessToken}",` +
        `"access_secret":"${TOKEN.accessSecret}","access_token_expiry":"2026-01-17T11:02:21Z"}\n-----END MESSAGE-----\n`,
    );
  });

  it('returns BER bytes with smime: false, indefinite by default and DER on request', () => {
    const ber = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, smime: false });
    expect([ber[0], ber[1]]).toEqual([0x30, 0x80]);
    const der = encryptServerToken({
      token: TOKEN,
      recipientCertificatePem: mdm.certificatePem,
      smime: false,
      indefiniteLength: false,
    });
    expect([der[0], der[1]]).toEqual([0x30, 0x82]);
    expect(() =>
      encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, chunkSize: 0 }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('createTestRecipient and createContentTokenFile', () => {
  it('makes a certificate with the requested name and serial, valid now, for the returned key', () => {
    const x = new X509Certificate(mdm.certificatePem);
    expect(x.subject).toBe('CN=mosyle-test');
    expect(x.issuer).toBe('CN=mosyle-test');
    expect(x.serialNumber).toBe('0A1B2C');
    expect(x.checkPrivateKey(createPrivateKey(mdm.privateKeyPem))).toBe(true);
    expect(x.checkPrivateKey(createPrivateKey(mdm.privateKeyPkcs1Pem))).toBe(true);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now());
    expect(mdm.privateKeyPkcs1Pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  });

  it('content-token files are one line of Base64 of pretty JSON with Apple’s +0000 offset', () => {
    const file = createContentTokenFile({
      orgName: 'Springfield',
      expiresAt: new Date('2030-11-08T22:33:22.999Z'),
      token: 'abc',
    });
    expect(file).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(file, 'base64').toString()).toBe(
      '{\n  "token": "abc",\n  "expDate": "2030-11-08T22:33:22+0000",\n  "orgName": "Springfield"\n}',
    );
    const compact = createContentTokenFile({ orgName: 'S', expiresAt: new Date(0), offsetStyle: 'Z', pretty: false });
    expect(JSON.parse(Buffer.from(compact, 'base64').toString())).toMatchObject({ expDate: '1970-01-01T00:00:00Z' });
    expect(parseContentToken(compact).expiresAt.getTime()).toBe(0);
  });
});

describe.skipIf(!peers.openssl)('openssl accepts what ./testing makes', () => {
  const tmp = tempDir('schoolmdm-testing-');
  beforeAll(() => {
    writeFileSync(tmp.path('mdm.key'), mdm.privateKeyPem);
    writeFileSync(tmp.path('mdm.crt'), mdm.certificatePem);
  });
  afterAll(() => tmp.cleanup());
  const openssl = (args: string[]) => runPeer('openssl', args, { cwd: tmp.dir });

  it.each(['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'des-ede3-cbc'] as const)(
    'openssl cms -decrypt recovers the exact message (%s, S/MIME CRLF)',
    (cipher) => {
      writeFileSync(
        tmp.path('t.p7m'),
        encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, cipher }),
      );
      const out = openssl(['cms', '-decrypt', '-binary', '-in', 't.p7m', '-inkey', 'mdm.key', '-recip', 'mdm.crt']);
      expect(out.toString()).toBe(MESSAGE);
    },
  );

  it('openssl reads the DER, PEM and OAEP forms, and sees indefinite lengths and Apple’s algorithms', () => {
    const ber = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, smime: false });
    writeFileSync(tmp.path('t.der'), ber);
    writeFileSync(tmp.path('t.pem'), toPkcs7Pem(ber));
    const parsed = openssl(['asn1parse', '-inform', 'DER', '-in', 't.der']).toString();
    expect(parsed).toMatch(/l=inf\s+cons: SEQUENCE/);
    expect(parsed).toMatch(/:pkcs7-envelopedData/);
    expect(parsed).toMatch(/:rsaEncryption/);
    expect(parsed).toMatch(/:aes-128-cbc/);
    const print = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 't.der']).toString();
    expect(print).toMatch(new RegExp(`serialNumber: ${0x0a1b2c}\\b`)); // openssl prints small serials in decimal
    expect(print).toMatch(/issuer: CN=mosyle-test/);
    for (const [file, form] of [
      ['t.der', 'DER'],
      ['t.pem', 'PEM'],
    ]) {
      const out = openssl([
        'cms',
        '-decrypt',
        '-binary',
        '-inform',
        form!,
        '-in',
        file!,
        '-inkey',
        'mdm.key',
        '-recip',
        'mdm.crt',
      ]);
      expect(out.toString()).toBe(MESSAGE);
    }
    writeFileSync(
      tmp.path('o.p7m'),
      encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem, keyTransport: 'oaep' }),
    );
    expect(openssl(['cms', '-cmsout', '-print', '-in', 'o.p7m']).toString()).toMatch(/rsaesOaep/);
    expect(
      openssl(['cms', '-decrypt', '-binary', '-in', 'o.p7m', '-inkey', 'mdm.key', '-recip', 'mdm.crt']).toString(),
    ).toBe(MESSAGE);
  });

  it('openssl verifies the test certificate and pairs it with the key', () => {
    expect(openssl(['verify', '-CAfile', 'mdm.crt', 'mdm.crt']).toString()).toMatch(/mdm\.crt: OK/);
    const certModulus = openssl(['x509', '-in', 'mdm.crt', '-noout', '-modulus']).toString();
    const keyModulus = openssl(['rsa', '-in', 'mdm.key', '-noout', '-modulus']).toString();
    expect(certModulus).toBe(keyModulus);
    expect(openssl(['x509', '-in', 'mdm.crt', '-noout', '-text']).toString()).toMatch(
      /Key Usage: critical\s+Digital Signature, Key Encipherment|Key Usage:\s+Digital Signature, Key Encipherment/,
    );
  });
});

describe('package layout', () => {
  it('the main entry never imports ./testing', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? (e.name === 'testing' ? [] : files(join(dir, e.name))) : [join(dir, e.name)],
      );
    const offenders = files(src).filter((f) => /from\s+['"][^'"]*\/testing(\/|['"])/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
