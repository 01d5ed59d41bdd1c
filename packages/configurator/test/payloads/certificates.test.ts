import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { PayloadOptionError, pkcs12Identity, rootCertificate, scep } from '../../src/index.js';
import { pkcs12Bytes, pkcs12WithoutKey, testPki } from './fixtures.js';

const pki = testPki();

function optionError(fn: () => unknown): PayloadOptionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PayloadOptionError) return e;
    throw e;
  }
  throw new Error('expected a PayloadOptionError');
}

describe('rootCertificate()', () => {
  it('stores PEM input as DER, named after the subject CN', () => {
    const p = rootCertificate({ certificate: pki.root.certPem });
    expect(p.PayloadType).toBe('com.apple.security.root');
    expect(p.PayloadDisplayName).toBe('Test Root CA');
    expect(p.PayloadCertificateFileName).toBe('Test Root CA.cer');
    expect(p.PayloadContent[0]).toBe(0x30);
  });

  it('accepts DER bytes and an explicit name and display name', () => {
    const der = rootCertificate({ certificate: pki.root.certPem }).PayloadContent;
    const p = rootCertificate({ certificate: der, name: 'school-ca.cer', displayName: 'School CA' });
    expect(Buffer.from(p.PayloadContent).equals(Buffer.from(der))).toBe(true);
    expect(p).toMatchObject({ PayloadCertificateFileName: 'school-ca.cer', PayloadDisplayName: 'School CA' });
  });

  it('rejects anything that is not a certificate', () => {
    expect(
      optionError(() =>
        rootCertificate({ certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }),
      ),
    ).toMatchObject({
      builder: 'rootCertificate',
      option: 'certificate',
    });
    expect(optionError(() => rootCertificate({ certificate: pki.root.keyPem })).message).toContain(
      'is not a readable X.509 certificate',
    );
    expect(optionError(() => rootCertificate({ certificate: 42 as never })).message).toContain(
      'must be PEM text or DER bytes',
    );
  });
});

describe('pkcs12Identity()', () => {
  it('stores the file, password and options', () => {
    const data = pkcs12Bytes('p12-secret');
    const p = pkcs12Identity({ data, password: 'p12-secret', name: 'ipad.p12', keyIsExtractable: false });
    expect(p).toMatchObject({
      PayloadType: 'com.apple.security.pkcs12',
      Password: 'p12-secret',
      PayloadCertificateFileName: 'ipad.p12',
      KeyIsExtractable: false,
    });
    expect(Buffer.from(p.PayloadContent).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses a wrong or missing password without echoing it', () => {
    const data = pkcs12Bytes('p12-secret');
    const wrong = optionError(() => pkcs12Identity({ data, password: 'not-the-password' }));
    expect(wrong).toMatchObject({ option: 'password' });
    expect(wrong.message).toContain('does not open the PKCS#12');
    expect(`${wrong.message}${JSON.stringify(wrong)}`).not.toContain('not-the-password');
    expect(optionError(() => pkcs12Identity({ data })).message).toContain('is needed to open the PKCS#12');
  });

  it('refuses data that is not a PKCS#12, or one without a key', () => {
    expect(optionError(() => pkcs12Identity({ data: new Uint8Array([1, 2, 3]), password: 'x' })).option).toBe('data');
    expect(
      optionError(() => pkcs12Identity({ data: new TextEncoder().encode(pki.root.certPem), password: 'x' })).option,
    ).toBe('data');
    expect(optionError(() => pkcs12Identity({ data: pkcs12WithoutKey('pw'), password: 'pw' })).message).toContain(
      'holds no private key',
    );
    expect(optionError(() => pkcs12Identity({ data: new Uint8Array(), password: 'x' })).message).toContain('is empty');
  });

  it('skips the check with verify: false', () => {
    expect(pkcs12Identity({ data: new Uint8Array([1, 2, 3]), password: 'x', verify: false }).PayloadContent).toEqual(
      new Uint8Array([1, 2, 3]),
    );
  });
});

describe.skipIf(!peers.openssl)('certificates made by openssl', () => {
  const dir = tempDir('schoolmdm-certs-');
  afterAll(() => dir.cleanup());
  writeFileSync(dir.path('root.pem'), pki.root.certPem);
  writeFileSync(dir.path('key.pem'), pki.signer.keyPem);
  writeFileSync(dir.path('cert.pem'), pki.signer.certPem);

  it('rootCertificate stores the same DER as openssl x509 -outform der', () => {
    const der = runPeer('openssl', ['x509', '-in', dir.path('root.pem'), '-outform', 'der']);
    expect(Buffer.from(rootCertificate({ certificate: pki.root.certPem }).PayloadContent).equals(der)).toBe(true);
  });

  it('pkcs12Identity opens an OpenSSL 3 PKCS#12 (AES/PBKDF2) and rejects a wrong password for it', () => {
    const p12 = runPeer('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      dir.path('key.pem'),
      '-in',
      dir.path('cert.pem'),
      '-passout',
      'pass:openssl-pw',
    ]);
    expect(pkcs12Identity({ data: p12, password: 'openssl-pw' }).PayloadContent.length).toBe(p12.length);
    expect(optionError(() => pkcs12Identity({ data: p12, password: 'nope' })).option).toBe('password');
  });
});

describe('scep()', () => {
  it('nests its settings in PayloadContent with Apple’s spaced key names', () => {
    const p = scep({
      url: 'https://scep.example.org/scep',
      name: 'EXAMPLE-CA',
      subject: 'CN=iPad 42,O=Example\\, School',
      challenge: 'scep-secret',
      keyUsage: ['signing', 'encryption'],
      caFingerprint: 'AB:CD:EF:01',
      retries: 5,
      retryDelay: 30,
      subjectAltName: { dns: 'ipad42.example.org', email: 'it@example.org' },
      keyIsExtractable: false,
    });
    expect(p.PayloadContent).toEqual({
      URL: 'https://scep.example.org/scep',
      Name: 'EXAMPLE-CA',
      Subject: [[['CN', 'iPad 42']], [['O', 'Example, School']]],
      Challenge: 'scep-secret',
      Keysize: 2048,
      'Key Type': 'RSA',
      'Key Usage': 5,
      CAFingerprint: new Uint8Array([0xab, 0xcd, 0xef, 0x01]),
      Retries: 5,
      RetryDelay: 30,
      SubjectAltName: { dNSName: 'ipad42.example.org', rfc822Name: 'it@example.org' },
      KeyIsExtractable: false,
    });
  });

  it('accepts slash-separated subjects and Apple’s own RDN arrays', () => {
    expect(scep({ url: 'http://scep.example.org', subject: '/O=School/CN=x' }).PayloadContent.Subject).toEqual([
      [['O', 'School']],
      [['CN', 'x']],
    ]);
    const rdns = [
      [['O', 'School']],
      [
        ['CN', 'a'],
        ['OU', 'b'],
      ],
    ] as const;
    expect(scep({ url: 'http://scep.example.org', subject: rdns }).PayloadContent.Subject).toEqual([
      [['O', 'School']],
      [
        ['CN', 'a'],
        ['OU', 'b'],
      ],
    ]);
  });

  it('rejects unusable options', () => {
    const cases: [() => unknown, string][] = [
      [() => scep({ url: 'ftp://x' }), 'url'],
      [() => scep({ url: 'https://x', subject: 'CN' }), 'subject'],
      [() => scep({ url: 'https://x', subject: [[['CN']]] as never }), 'subject[0][0]'],
      [() => scep({ url: 'https://x', keyUsage: 3 }), 'keyUsage'],
      [() => scep({ url: 'https://x', keyUsage: ['signing', 'decrypting' as 'signing'] }), 'keyUsage[1]'],
      [() => scep({ url: 'https://x', caFingerprint: 'xyz' }), 'caFingerprint'],
      [() => scep({ url: 'https://x', challenge: 7 as unknown as string }), 'challenge'],
    ];
    for (const [fn, option] of cases) expect(optionError(fn).option).toBe(option);
  });

  it('validates schema ranges (Keysize)', () => {
    expect(() => scep({ url: 'https://x', keySize: 3072 as 2048 })).toThrow(/PayloadContent.Keysize/);
  });
});
