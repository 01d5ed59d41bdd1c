import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { MalformedInputError, readPkcs12, UnsupportedAlgorithmError, WrongPasswordError } from '@schoolmdm/certs';
import { InvalidArgumentError } from '@schoolmdm/core';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir, tryPeer } from '../../../../test/support/peers.js';
import { makeCert, pushCert, rsaKey, type TestCert } from '../certificate/test-pki.js';

const TOPIC = 'com.apple.mgmt.External.12345678-aaaa-4bbb-8ccc-1234567890ab';
let root: TestCert;
let inter: TestCert;
let leaf: TestCert;
beforeAll(() => {
  root = makeCert({ subject: [['CN', 'P12 Root']], key: rsaKey(0), ca: true });
  inter = makeCert({ subject: [['CN', 'P12 Intermediate']], key: rsaKey(1), issuer: root, ca: true });
  leaf = pushCert(TOPIC, inter, rsaKey(2));
});

function spkiOf(pem: string) {
  return createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
}

/** A PKCS#12 written by node-forge (3DES by default), for machines without openssl. */
function forgeP12(password: string | null, certs: TestCert[], options: Record<string, unknown> = {}): Uint8Array {
  const key = forge.pki.privateKeyFromPem(leaf.key.export({ type: 'pkcs1', format: 'pem' }).toString());
  const asn = forge.pkcs12.toPkcs12Asn1(
    key,
    certs.map((c) => forge.pki.certificateFromPem(c.certPem)),
    password as string,
    { friendlyName: 'School Push', ...options },
  );
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}

describe('readPkcs12 (files written by node-forge)', () => {
  it('returns the key, its certificate and the ordered chain', () => {
    const p12 = readPkcs12(forgeP12('pw', [root, leaf, inter]), 'pw');
    expect(p12.certificatePem).toBe(leaf.certPem);
    expect(p12.chainPem).toEqual([inter.certPem, root.certPem]);
    expect(p12.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(spkiOf(p12.privateKeyPem)).toEqual(createPublicKey(leaf.key).export({ type: 'spki', format: 'der' }));
    expect(p12.friendlyName).toBe('School Push');
  });

  it('accepts the Base64 text of the file', () => {
    const bytes = forgeP12('pw', [leaf]);
    expect(readPkcs12(Buffer.from(bytes).toString('base64'), 'pw').certificatePem).toBe(leaf.certPem);
  });

  it('opens an empty-password file written either way ("" or no password)', () => {
    expect(readPkcs12(forgeP12('', [leaf]), '').certificatePem).toBe(leaf.certPem);
    expect(readPkcs12(forgeP12(null, [leaf]), '').certificatePem).toBe(leaf.certPem);
  });

  it('reports a wrong password as WrongPasswordError without echoing it', () => {
    const bytes = forgeP12('right-password', [leaf]);
    let caught: unknown;
    try {
      readPkcs12(bytes, 'the-wrong-guess');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WrongPasswordError);
    expect((caught as Error).message).toMatch(/password does not open the PKCS#12 file/);
    expect((caught as Error).message).toMatch(/case-sensitive/);
    const shown = `${(caught as Error).message} ${JSON.stringify(caught)} ${inspect(caught)}`;
    expect(shown).not.toContain('the-wrong-guess');
    expect(shown).not.toContain('right-password');
    expect(() => readPkcs12(bytes, '')).toThrow(WrongPasswordError);
  });

  it('reports a wrong password on a file without MAC', () => {
    const bytes = forgeP12('pw', [leaf], { useMac: false });
    expect(readPkcs12(bytes, 'pw').certificatePem).toBe(leaf.certPem);
    expect(() => readPkcs12(bytes, 'nope')).toThrow(WrongPasswordError);
  });

  it('rejects what is not PKCS#12 with MalformedInputError', () => {
    expect(() => readPkcs12(new Uint8Array([1, 2, 3]), '')).toThrow(MalformedInputError);
    expect(() => readPkcs12(leaf.der, '')).toThrow(/not a readable PKCS#12 file/);
    expect(() => readPkcs12('%%%', '')).toThrow(/not Base64/);
    expect(() => readPkcs12(leaf.der, undefined as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => readPkcs12(leaf.der, undefined as unknown as string)).toThrow(
      /Invalid password: expected a string, got undefined/,
    );
  });

  it('rejects a file with certificates but no key', () => {
    const asn = forge.pkcs12.toPkcs12Asn1(null, [forge.pki.certificateFromPem(leaf.certPem)], 'pw');
    const bytes = Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
    expect(() => readPkcs12(bytes, 'pw')).toThrow(/holds no private key \(1 certificate/);
  });

  it('hides the key in JSON, toString and util.inspect', () => {
    const p12 = readPkcs12(forgeP12('pw', [leaf, inter]), 'pw');
    const line = p12.privateKeyPem.split('\n')[4]!;
    for (const out of [JSON.stringify(p12), String(p12), inspect(p12, { showHidden: true })]) {
      expect(out).not.toContain(line);
      expect(out).toContain('[REDACTED]');
    }
    expect(JSON.parse(JSON.stringify(p12)).chainPem).toEqual([inter.certPem]);
  });
});

describe.skipIf(!peers.openssl)('readPkcs12 on files from openssl pkcs12 -export', () => {
  const tmp = tempDir('certs-p12-');
  afterAll(() => tmp.cleanup());
  let legacyArgs: string[];
  let legacyLabel: string;

  beforeAll(() => {
    writeFileSync(tmp.path('leaf.crt'), leaf.certPem);
    writeFileSync(tmp.path('leaf.key'), leaf.keyPem);
    writeFileSync(tmp.path('chain.pem'), inter.certPem + root.certPem);
    // `-legacy` needs OpenSSL 3's legacy provider (RC2); where it is missing, the same legacy
    // algorithms minus RC2 (3DES for both bags, SHA-1 MAC) are what older macOS exports use.
    const probe = tryPeer('openssl', [
      'pkcs12',
      '-export',
      '-legacy',
      '-in',
      tmp.path('leaf.crt'),
      '-inkey',
      tmp.path('leaf.key'),
      '-passout',
      'pass:x',
      '-out',
      tmp.path('probe.p12'),
    ]);
    if (probe.status === 0) {
      legacyArgs = ['-legacy'];
      legacyLabel = '-legacy (RC2-40 certificates, 3DES key, SHA-1 MAC)';
    } else {
      legacyArgs = ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'];
      legacyLabel = 'PBE-SHA1-3DES with a SHA-1 MAC (legacy provider unavailable)';
    }
  });

  function exportP12(name: string, password: string, extra: string[] = []): Buffer {
    const out = tmp.path(`${name}.p12`);
    runPeer('openssl', [
      'pkcs12',
      '-export',
      '-in',
      tmp.path('leaf.crt'),
      '-inkey',
      tmp.path('leaf.key'),
      '-passout',
      `pass:${password}`,
      '-out',
      out,
      ...extra,
    ]);
    return readFileSync(out);
  }

  it('reads the OpenSSL 3 default (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, SHA-256 MAC) with a chain and name', () => {
    const bytes = exportP12('default', 'secret', ['-certfile', tmp.path('chain.pem'), '-name', 'Lincoln Push']);
    // `-info` writes the algorithm lines to stderr.
    const probe = tryPeer('openssl', [
      'pkcs12',
      '-in',
      tmp.path('default.p12'),
      '-info',
      '-noout',
      '-passin',
      'pass:secret',
    ]);
    const info = `${probe.stdout}${probe.stderr}`;
    expect(info).toMatch(/AES-256-CBC/);
    expect(info).toMatch(/MAC: sha256/);
    const p12 = readPkcs12(bytes, 'secret');
    expect(p12.certificatePem).toBe(leaf.certPem);
    expect(p12.chainPem).toEqual([inter.certPem, root.certPem]);
    expect(p12.friendlyName).toBe('Lincoln Push');
    expect(spkiOf(p12.privateKeyPem)).toEqual(spkiOf(leaf.keyPem));
    expect(new X509Certificate(p12.certificatePem).fingerprint256).toBe(
      new X509Certificate(leaf.certPem).fingerprint256,
    );
    expect(() => readPkcs12(bytes, 'Secret')).toThrow(WrongPasswordError);
  });

  it('reads a legacy export', () => {
    const bytes = exportP12('legacy', 'secret', legacyArgs);
    const p12 = readPkcs12(bytes, 'secret');
    expect(p12.certificatePem, legacyLabel).toBe(leaf.certPem);
    expect(spkiOf(p12.privateKeyPem)).toEqual(spkiOf(leaf.keyPem));
    expect(() => readPkcs12(bytes, 'wrong')).toThrow(WrongPasswordError);
  });

  it('reads the explicit 3DES variant and empty-password exports (default and legacy)', () => {
    const des = exportP12('des', 'pw', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
    expect(readPkcs12(des, 'pw').certificatePem).toBe(leaf.certPem);
    expect(readPkcs12(exportP12('empty', ''), '').certificatePem).toBe(leaf.certPem);
    expect(readPkcs12(exportP12('empty-legacy', '', legacyArgs), '').certificatePem).toBe(leaf.certPem);
  });

  it('reads an EC key (kept by forge as raw PKCS#8) and its certificate', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const ecCert = makeCert({ subject: [['CN', 'ec identity']], key: ec, issuer: root });
    writeFileSync(tmp.path('ec.crt'), ecCert.certPem);
    writeFileSync(tmp.path('ec.key'), ecCert.keyPem);
    runPeer('openssl', [
      'pkcs12',
      '-export',
      '-in',
      tmp.path('ec.crt'),
      '-inkey',
      tmp.path('ec.key'),
      '-passout',
      'pass:pw',
      '-out',
      tmp.path('ec.p12'),
    ]);
    const p12 = readPkcs12(readFileSync(tmp.path('ec.p12')), 'pw');
    expect(createPrivateKey(p12.privateKeyPem).asymmetricKeyType).toBe('ec');
    expect(spkiOf(p12.privateKeyPem)).toEqual(spkiOf(ecCert.keyPem));
    expect(p12.certificatePem).toBe(ecCert.certPem);
  });

  it('reports an algorithm forge cannot read as UnsupportedAlgorithmError', () => {
    // AES-256-GCM is not a PBES2 scheme forge implements.
    const r = tryPeer('openssl', [
      'pkcs12',
      '-export',
      '-in',
      tmp.path('leaf.crt'),
      '-inkey',
      tmp.path('leaf.key'),
      '-passout',
      'pass:pw',
      '-keypbe',
      'aes-256-ofb',
      '-certpbe',
      'aes-256-ofb',
      '-out',
      tmp.path('odd.p12'),
    ]);
    expect(r.status).toBe(0);
    expect(() => readPkcs12(readFileSync(tmp.path('odd.p12')), 'pw')).toThrow(UnsupportedAlgorithmError);
  });

  it('gives openssl a key it can re-use (the PKCS#8 output is what openssl extracted)', () => {
    const bytes = exportP12('roundtrip', 'pw');
    const ours = readPkcs12(bytes, 'pw');
    const theirs = runPeer('openssl', [
      'pkcs12',
      '-in',
      tmp.path('roundtrip.p12'),
      '-nocerts',
      '-nodes',
      '-passin',
      'pass:pw',
    ]).toString();
    expect(spkiOf(ours.privateKeyPem)).toEqual(spkiOf(theirs));
  });
});
