import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { generateMdmKeyPair, inspectCertificate, type MdmKeyPair } from '@schoolmdm/certs';
import { InvalidArgumentError } from '@schoolmdm/core';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';

let pair: MdmKeyPair;
let createdAt: number;
beforeAll(async () => {
  createdAt = Date.now();
  pair = await generateMdmKeyPair();
});

describe('generateMdmKeyPair', () => {
  it('returns a PKCS#8 RSA-2048 key and a certificate for that key', () => {
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pair.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const key = createPrivateKey(pair.privateKeyPem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(key.asymmetricKeyDetails?.publicExponent).toBe(65537n);
    const cert = new X509Certificate(pair.certificatePem);
    expect(cert.publicKey.export({ type: 'spki', format: 'der' })).toEqual(
      createPublicKey(key).export({ type: 'spki', format: 'der' }),
    );
    expect(Buffer.from(pair.certificateDer)).toEqual(cert.raw);
  });

  it('self-signs with SHA256withRSA and the defaults (CN, 365 days, 10 minutes of clock skew)', () => {
    const info = inspectCertificate(pair.certificatePem);
    expect(info.subject).toBe('CN=schoolmdm MDM');
    expect(info.issuer).toBe('CN=schoolmdm MDM');
    expect(info.selfSigned).toBe(true);
    expect(info.isCa).toBe(false);
    expect(info.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(info.serialNumber).toBe(pair.serialNumber);
    expect(info.fingerprintSha256).toBe(pair.fingerprintSha256);
    expect(info.notBefore).toEqual(pair.notBefore);
    expect(info.notAfter).toEqual(pair.notAfter);
    const second = Math.floor(createdAt / 1000) * 1000;
    expect(Math.abs(pair.notBefore.getTime() - (second - 600_000))).toBeLessThanOrEqual(60_000);
    expect(pair.notAfter.getTime() - pair.notBefore.getTime()).toBe(365 * 86_400_000 + 600_000);
  });

  it('uses a positive random 16-byte serial that differs between calls', async () => {
    const other = await generateMdmKeyPair({ commonName: 'Lincoln Hïgh MDM', validityDays: 30 });
    expect(pair.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    expect(other.serialNumber).not.toBe(pair.serialNumber);
    const info = inspectCertificate(other.certificateDer);
    expect(info.commonName).toBe('Lincoln Hïgh MDM');
    expect(other.notAfter.getTime() - other.notBefore.getTime()).toBe(30 * 86_400_000 + 600_000);
  });

  it('never calls forge key generation nor turns on forge pure-JS mode', async () => {
    const spy = vi.spyOn(forge.pki.rsa, 'generateKeyPair');
    await generateMdmKeyPair({ validityDays: 1 });
    expect(spy).not.toHaveBeenCalled();
    expect((forge as unknown as { options: { usePureJavaScript: boolean } }).options.usePureJavaScript).toBe(false);
    spy.mockRestore();
  });

  it('hides the private key from JSON, spreading, toString and util.inspect but keeps it readable', () => {
    const body = pair.privateKeyPem.split('\n')[1]!;
    const outputs = [
      JSON.stringify(pair),
      String(pair),
      `${pair}`,
      inspect(pair),
      inspect(pair, { showHidden: true, depth: 5 }),
      JSON.stringify({ ...pair }),
      inspect({ nested: pair }),
      Object.keys(pair).join(','),
      JSON.stringify(structuredClone({ ...pair })),
    ];
    for (const out of outputs) {
      expect(out).not.toContain(body);
      expect(out).not.toContain('BEGIN PRIVATE KEY');
    }
    expect(JSON.parse(JSON.stringify(pair)).privateKeyPem).toBe('[REDACTED]');
    expect(inspect(pair)).toContain("privateKeyPem: '[REDACTED]'");
    expect(String(pair)).toContain('privateKeyPem=[REDACTED]');
    const { privateKeyPem } = pair;
    expect(privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });

  it.each([
    [{ validityDays: 0 }, /validityDays/],
    [{ validityDays: 1.5 }, /validityDays/],
    [{ validityDays: 3651 }, /validityDays/],
    [{ commonName: '' }, /commonName/],
    [{ commonName: 'x'.repeat(65) }, /commonName/],
    [{ validity: 3 }, /Invalid options.validity: unknown option; did you mean "validityDays"\?/],
    [null, /Invalid options: expected an options object, got null/],
  ])('rejects bad options %j with InvalidArgumentError', async (options, message) => {
    await expect(generateMdmKeyPair(options as never)).rejects.toThrow(InvalidArgumentError);
    await expect(generateMdmKeyPair(options as never)).rejects.toThrow(message);
  });
});

describe.skipIf(!peers.openssl)('generateMdmKeyPair against openssl', () => {
  const tmp = tempDir('certs-keypair-');
  afterAll(() => tmp.cleanup());

  it('has the key usage, constraints, subject, serial and dates openssl reads', () => {
    writeFileSync(tmp.path('mdm.crt'), pair.certificatePem);
    const text = runPeer('openssl', ['x509', '-in', tmp.path('mdm.crt'), '-noout', '-text']).toString();
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    const facts = runPeer('openssl', [
      'x509',
      '-in',
      tmp.path('mdm.crt'),
      '-noout',
      '-subject',
      '-serial',
      '-startdate',
      '-enddate',
      '-nameopt',
      'RFC2253',
    ]).toString();
    expect(facts).toContain('subject=CN=schoolmdm MDM\n');
    expect(facts).toContain(`serial=${pair.serialNumber}\n`);
    const start = /notBefore=(.*)\n/.exec(facts)![1]!;
    const end = /notAfter=(.*)\n/.exec(facts)![1]!;
    expect(new Date(start)).toEqual(pair.notBefore);
    expect(new Date(end)).toEqual(pair.notAfter);
  });

  it('is a certificate openssl can encrypt S/MIME to, and the key decrypts it (the ASM token path)', () => {
    writeFileSync(tmp.path('mdm.crt'), pair.certificatePem);
    writeFileSync(tmp.path('mdm.key'), pair.privateKeyPem);
    writeFileSync(tmp.path('msg.txt'), 'token payload\n');
    runPeer('openssl', [
      'smime',
      '-encrypt',
      '-aes128',
      '-binary',
      '-in',
      tmp.path('msg.txt'),
      '-out',
      tmp.path('token.p7m'),
      tmp.path('mdm.crt'),
    ]);
    const plain = runPeer('openssl', [
      'smime',
      '-decrypt',
      '-binary',
      '-in',
      tmp.path('token.p7m'),
      '-inkey',
      tmp.path('mdm.key'),
      '-recip',
      tmp.path('mdm.crt'),
    ]).toString();
    expect(plain).toBe('token payload\n');
  });

  it('verifies as self-signed and its key pairs with the certificate (modulus check)', () => {
    writeFileSync(tmp.path('mdm.crt'), pair.certificatePem);
    writeFileSync(tmp.path('mdm.key'), pair.privateKeyPem);
    expect(runPeer('openssl', ['verify', '-CAfile', tmp.path('mdm.crt'), tmp.path('mdm.crt')]).toString()).toContain(
      ': OK',
    );
    const certMod = runPeer('openssl', ['x509', '-in', tmp.path('mdm.crt'), '-noout', '-modulus']).toString();
    const keyMod = runPeer('openssl', ['rsa', '-in', tmp.path('mdm.key'), '-noout', '-modulus']).toString();
    expect(certMod).toBe(keyMod);
  });
});
