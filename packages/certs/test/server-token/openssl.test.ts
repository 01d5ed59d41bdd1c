/**
 * openssl as an independent peer: tokens made by `openssl smime`/`openssl cms` (the commands of
 * certs.md §1.5) must decrypt, and the negatives must fail with the right typed error.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers } from '../../../../test/support/peers.js';
import {
  BadPaddingError,
  decryptServerToken,
  inspectServerToken,
  RecipientMismatchError,
  type ServerToken,
  UnsupportedAlgorithmError,
  WrongKeyError,
  WrongPasswordError,
} from '../../src/index.js';
import { catchError, corruptPadding, MESSAGE, opensslWorkspace, TOKEN } from './helpers.js';

function expectToken(t: ServerToken) {
  expect({ ...t, consumerSecret: t.consumerSecret, accessToken: t.accessToken, accessSecret: t.accessSecret }).toEqual({
    ...TOKEN,
  });
}

describe.skipIf(!peers.openssl)('server tokens made by openssl', () => {
  let ws: ReturnType<typeof opensslWorkspace>;
  let key: string;
  let cert: string;

  beforeAll(() => {
    ws = opensslWorkspace();
    key = ws.readText('mdm.key');
    cert = ws.readText('mdm.crt');
  });
  afterAll(() => ws?.cleanup());

  it.each(['-aes128', '-aes192', '-aes256', '-des3'])('openssl smime -encrypt %s (S/MIME, LF and CRLF)', (flag) => {
    ws.openssl(['smime', '-encrypt', flag, '-binary', '-in', 'inner.txt', '-out', `t${flag}.p7m`, 'mdm.crt']);
    const lf = ws.readText(`t${flag}.p7m`);
    expect(lf).toMatch(/^MIME-Version: 1\.0\n/);
    const crlf = lf.replace(/\n/g, '\r\n');
    for (const input of [lf, crlf, Buffer.from(crlf)]) {
      expectToken(decryptServerToken(input, { privateKeyPem: key }));
      expectToken(decryptServerToken(input, { privateKeyPem: key, certificatePem: cert }));
    }
    const names = {
      '-aes128': 'aes-128-cbc',
      '-aes192': 'aes-192-cbc',
      '-aes256': 'aes-256-cbc',
      '-des3': 'des-ede3-cbc',
    };
    expect(inspectServerToken(lf).contentEncryptionAlgorithm.name).toBe(names[flag as keyof typeof names]);
  });

  it('openssl cms -encrypt -stream: indefinite-length BER as S/MIME, DER and PEM', () => {
    const common = ['cms', '-encrypt', '-aes128', '-binary', '-stream', '-in', 'inner.txt'];
    ws.openssl([...common, '-out', 'stream.p7m', 'mdm.crt']);
    ws.openssl([...common, '-outform', 'DER', '-out', 'stream.der', 'mdm.crt']);
    ws.openssl([...common, '-outform', 'PEM', '-out', 'stream.pem', 'mdm.crt']);
    const der = ws.read('stream.der');
    expect([der[0], der[1]]).toEqual([0x30, 0x80]);
    expect(ws.openssl(['asn1parse', '-inform', 'DER', '-in', 'stream.der']).toString()).toMatch(/l=inf/);
    const encodings = { 'stream.p7m': 'smime', 'stream.der': 'der', 'stream.pem': 'pem' } as const;
    for (const [file, encoding] of Object.entries(encodings)) {
      const input = ws.read(file);
      expect(inspectServerToken(input).encoding).toBe(encoding);
      expectToken(decryptServerToken(input, { privateKeyPem: key, certificatePem: cert }));
    }
  });

  it('openssl smime -outform DER (definite lengths) and bare Base64 of it', () => {
    ws.openssl([
      'smime',
      '-encrypt',
      '-aes256',
      '-binary',
      '-in',
      'inner.txt',
      '-outform',
      'DER',
      '-out',
      'd.der',
      'mdm.crt',
    ]);
    const der = ws.read('d.der');
    expectToken(decryptServerToken(der, { privateKeyPem: key }));
    expectToken(decryptServerToken(der.toString('base64'), { privateKeyPem: key }));
  });

  it('openssl decrypts the same fixture to exactly the message we parsed (oracle check)', () => {
    ws.openssl(['smime', '-encrypt', '-aes128', '-binary', '-in', 'inner.txt', '-out', 'o.p7m', 'mdm.crt']);
    const plain = ws.openssl([
      'smime',
      '-decrypt',
      '-binary',
      '-in',
      'o.p7m',
      '-inkey',
      'mdm.key',
      '-recip',
      'mdm.crt',
    ]);
    expect(plain.toString()).toBe(MESSAGE);
  });

  it('keys written by openssl: PKCS#1, PKCS#8, encrypted PKCS#8 (-v2 aes-256-cbc), legacy PEM (AES-256 and 3DES)', () => {
    ws.openssl(['smime', '-encrypt', '-aes128', '-binary', '-in', 'inner.txt', '-out', 'k.p7m', 'mdm.crt']);
    ws.openssl(['rsa', '-in', 'mdm.key', '-traditional', '-out', 'pkcs1.key']);
    ws.openssl([
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-256-cbc',
      '-in',
      'mdm.key',
      '-out',
      'enc8.key',
      '-passout',
      'pass:s3cret',
    ]);
    ws.openssl(['rsa', '-in', 'mdm.key', '-aes256', '-traditional', '-out', 'legacy.key', '-passout', 'pass:s3cret']);
    ws.openssl(['rsa', '-in', 'mdm.key', '-des3', '-traditional', '-out', 'legacy3.key', '-passout', 'pass:s3cret']);
    expect(ws.readText('pkcs1.key')).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(ws.readText('legacy3.key')).toMatch(/Proc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC/);
    const p7m = ws.read('k.p7m');
    expectToken(decryptServerToken(p7m, { privateKeyPem: ws.readText('pkcs1.key') }));
    expectToken(decryptServerToken(p7m, { privateKeyPem: key }));
    for (const file of ['enc8.key', 'legacy.key', 'legacy3.key']) {
      expectToken(decryptServerToken(p7m, { privateKeyPem: ws.readText(file), passphrase: 's3cret' }));
      expect(() => decryptServerToken(p7m, { privateKeyPem: ws.readText(file) })).toThrow(WrongPasswordError);
      expect(() => decryptServerToken(p7m, { privateKeyPem: ws.readText(file), passphrase: 'nope' })).toThrow(
        WrongPasswordError,
      );
    }
  });

  it('two recipients: the key is tried on each, and the certificate picks its own', () => {
    const second = opensslWorkspace('/CN=second');
    try {
      ws.write('second.crt', second.readText('mdm.crt'));
      ws.openssl([
        'smime',
        '-encrypt',
        '-aes128',
        '-binary',
        '-in',
        'inner.txt',
        '-out',
        'two.p7m',
        'second.crt',
        'mdm.crt',
      ]);
      const p7m = ws.read('two.p7m');
      const info = inspectServerToken(p7m);
      expect(info.recipients.map((r) => r.kind === 'ktri' && r.issuer)).toEqual(['CN=second', 'CN=depserver']);
      expectToken(decryptServerToken(p7m, { privateKeyPem: key }));
      expectToken(decryptServerToken(p7m, { privateKeyPem: key, certificatePem: cert }));
      expectToken(decryptServerToken(p7m, { privateKeyPem: second.readText('mdm.key') }));
    } finally {
      second.cleanup();
    }
  });

  it('recipient identified by subject key identifier (openssl cms -keyid)', () => {
    ws.openssl(['cms', '-encrypt', '-aes128', '-binary', '-keyid', '-in', 'inner.txt', '-out', 'ski.p7m', 'mdm.crt']);
    const p7m = ws.read('ski.p7m');
    const [recipient] = inspectServerToken(p7m).recipients;
    const text = ws.openssl(['x509', '-in', 'mdm.crt', '-noout', '-ext', 'subjectKeyIdentifier']).toString();
    const ski = /\n\s*([0-9A-F:]+)\s*$/.exec(text)![1]!.replace(/:/g, '');
    expect(recipient).toMatchObject({ kind: 'ktri', subjectKeyIdentifier: ski, issuer: undefined });
    expect(inspectServerToken(p7m).matchesCertificate(cert)).toBe(true);
    expectToken(decryptServerToken(p7m, { privateKeyPem: key, certificatePem: cert }));
  });

  it('RSA-OAEP recipient: UnsupportedAlgorithmError naming rsaesOaep', () => {
    ws.openssl([
      'cms',
      '-encrypt',
      '-aes128',
      '-binary',
      '-in',
      'inner.txt',
      '-recip',
      'mdm.crt',
      '-keyopt',
      'rsa_padding_mode:oaep',
      '-out',
      'oaep.p7m',
    ]);
    const p7m = ws.read('oaep.p7m');
    expect(inspectServerToken(p7m)).toMatchObject({
      decryptable: false,
      recipients: [{ kind: 'ktri', keyEncryptionAlgorithm: { oid: '1.2.840.113549.1.1.7', name: 'rsaesOaep' } }],
    });
    expect(() => decryptServerToken(p7m, { privateKeyPem: key })).toThrow(UnsupportedAlgorithmError);
    expect(() => decryptServerToken(p7m, { privateKeyPem: key, certificatePem: cert })).toThrow(
      /rsaesOaep \(1\.2\.840\.113549\.1\.1\.7\)/,
    );
  });

  it('AES-GCM (AuthEnvelopedData): inspectable, but UnsupportedAlgorithmError on decrypt', () => {
    ws.openssl([
      'cms',
      '-encrypt',
      '-aes-128-gcm',
      '-binary',
      '-in',
      'inner.txt',
      '-recip',
      'mdm.crt',
      '-out',
      'gcm.p7m',
    ]);
    const p7m = ws.read('gcm.p7m');
    expect(inspectServerToken(p7m)).toMatchObject({
      contentType: 'authEnvelopedData',
      contentEncryptionAlgorithm: { name: 'aes-128-gcm', keyBits: 128 },
      decryptable: false,
    });
    expect(inspectServerToken(p7m).matchesCertificate(cert)).toBe(true);
    const error = catchError(() => decryptServerToken(p7m, { privateKeyPem: key }));
    expect(error).toBeInstanceOf(UnsupportedAlgorithmError);
    expect((error as UnsupportedAlgorithmError).algorithm).toContain('1.2.840.113549.1.9.16.1.23');
    expect((error as Error).message).toMatch(/AuthEnvelopedData \(aes-128-gcm/);
  });

  it('wrong key and wrong certificate', () => {
    const stranger = opensslWorkspace('/CN=depserver');
    try {
      ws.openssl(['smime', '-encrypt', '-aes128', '-binary', '-in', 'inner.txt', '-out', 'w.p7m', 'mdm.crt']);
      const p7m = ws.read('w.p7m');
      expect(() => decryptServerToken(p7m, { privateKeyPem: stranger.readText('mdm.key') })).toThrow(WrongKeyError);
      // Same subject (CN=depserver) but another serial: the certificate is not a recipient.
      expect(() =>
        decryptServerToken(p7m, {
          privateKeyPem: stranger.readText('mdm.key'),
          certificatePem: stranger.readText('mdm.crt'),
        }),
      ).toThrow(RecipientMismatchError);
      expect(inspectServerToken(p7m).matchesCertificate(stranger.readText('mdm.crt'))).toBe(false);
    } finally {
      stranger.cleanup();
    }
  });

  it('corrupted padding in the last block: BadPaddingError, and openssl agrees it is corrupt', () => {
    for (const args of [
      ['smime', '-encrypt', '-aes128', '-binary', '-in', 'inner.txt', '-outform', 'DER', '-out', 'c1.der', 'mdm.crt'],
      [
        'cms',
        '-encrypt',
        '-des3',
        '-binary',
        '-stream',
        '-in',
        'inner.txt',
        '-outform',
        'DER',
        '-out',
        'c1.der',
        'mdm.crt',
      ],
    ]) {
      ws.openssl(args);
      const bad = corruptPadding(ws.read('c1.der'));
      ws.write('c1-bad.der', bad);
      expect(() => decryptServerToken(bad, { privateKeyPem: key })).toThrow(BadPaddingError);
      expect(() =>
        ws.openssl([
          'cms',
          '-decrypt',
          '-inform',
          'DER',
          '-in',
          'c1-bad.der',
          '-inkey',
          'mdm.key',
          '-recip',
          'mdm.crt',
        ]),
      ).toThrow(/exited [1-9]/);
    }
  });

  it('inspectServerToken agrees with openssl on issuer (RFC 2253) and serial for a multi-attribute subject', () => {
    const org = opensslWorkspace(
      '/C=US/ST=Illinois/O=Springfield Schools, Inc./OU=IT+CN=depserver/emailAddress=it@example.org',
    );
    try {
      org.openssl(['smime', '-encrypt', '-aes128', '-binary', '-in', 'inner.txt', '-out', 'x.p7m', 'mdm.crt']);
      const [recipient] = inspectServerToken(org.read('x.p7m')).recipients;
      const issuer = org.openssl(['x509', '-in', 'mdm.crt', '-noout', '-issuer', '-nameopt', 'RFC2253']).toString();
      const serial = org.openssl(['x509', '-in', 'mdm.crt', '-noout', '-serial']).toString();
      expect(recipient).toMatchObject({
        kind: 'ktri',
        issuer: issuer.replace(/^issuer=/, '').trim(),
        serialNumber: serial.replace(/^serial=/, '').trim(),
      });
      expect(recipient && recipient.kind === 'ktri' && recipient.serialNumber).toBe(
        new X509Certificate(org.readText('mdm.crt')).serialNumber,
      );
    } finally {
      org.cleanup();
    }
  });
});
