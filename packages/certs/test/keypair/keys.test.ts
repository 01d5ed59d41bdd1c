import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { MalformedInputError, UnsupportedAlgorithmError, WrongPasswordError } from '@schoolmdm/certs';
import { afterAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { loadPrivateKey, requireRsa, sameKeyPair, toPkcs8Pem } from '../../src/internal/keys.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const passphrase = 'correct horse battery';
const legacyEncrypted = privateKey
  .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase })
  .toString();
const pkcs8Encrypted = privateKey
  .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
  .toString();

function samePublic(pem: string | Uint8Array, options?: { passphrase?: string }) {
  const key = loadPrivateKey(pem, options);
  return createPublicKey(key).export({ type: 'spki', format: 'der' }).equals(spki);
}

describe('loadPrivateKey', () => {
  it('reads PKCS#1, PKCS#8, CRLF text, bytes and DER', () => {
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    expect(samePublic(pkcs1)).toBe(true);
    expect(samePublic(pkcs8)).toBe(true);
    expect(samePublic(pkcs8.replace(/\n/g, '\r\n'))).toBe(true);
    expect(samePublic(Buffer.from(pkcs1))).toBe(true);
    expect(samePublic(privateKey.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
    expect(samePublic(privateKey.export({ type: 'pkcs1', format: 'der' }))).toBe(true);
  });

  it('takes the key out of a certificate + key bundle (nanomdm push.pem + push.key)', () => {
    const bundle = `-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n${pkcs1}`;
    expect(samePublic(bundle)).toBe(true);
  });

  it('opens legacy Proc-Type encrypted PEM and encrypted PKCS#8 with the passphrase', () => {
    expect(legacyEncrypted).toContain('Proc-Type: 4,ENCRYPTED');
    expect(pkcs8Encrypted).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(samePublic(legacyEncrypted, { passphrase })).toBe(true);
    expect(samePublic(pkcs8Encrypted, { passphrase })).toBe(true);
  });

  it.each([
    ['legacy PEM', legacyEncrypted],
    ['encrypted PKCS#8', pkcs8Encrypted],
  ])('a missing or wrong passphrase for %s is a WrongPasswordError that does not echo it', (_, pem) => {
    expect(() => loadPrivateKey(pem)).toThrow(WrongPasswordError);
    expect(() => loadPrivateKey(pem)).toThrow(/encrypted and no passphrase/);
    let caught: unknown;
    try {
      loadPrivateKey(pem, { passphrase: 'wrong-secret-value' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WrongPasswordError);
    const shown = `${(caught as Error).message} ${JSON.stringify(caught)} ${String((caught as Error).cause)}`;
    expect(shown).not.toContain('wrong-secret-value');
    expect(shown).not.toContain(pem.split('\n').find((l) => l.length === 64)!);
  });

  it('names what it found when the text holds no key', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n';
    expect(() => loadPrivateKey(cert, { what: 'vendor private key' })).toThrow(MalformedInputError);
    expect(() => loadPrivateKey(cert, { what: 'vendor private key' })).toThrow(
      /Malformed vendor private key: it holds no private key \(found "CERTIFICATE"\)/,
    );
    expect(() => loadPrivateKey('just text')).toThrow(/not PEM text/);
    expect(() => loadPrivateKey(new Uint8Array([0x30, 0x03, 1, 2, 3]))).toThrow(/neither a PKCS#8, PKCS#1 nor SEC1/);
  });

  it('reports a corrupt key block without showing its content', () => {
    const corrupt = pkcs8.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nAAAA\n');
    let caught: unknown;
    try {
      loadPrivateKey(corrupt);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MalformedInputError);
    expect((caught as Error).message).toMatch(/"PRIVATE KEY" block does not parse/);
    expect((caught as Error).message).not.toContain(pkcs8.split('\n')[2]!);
  });

  it('writes PKCS#8 and compares key pairs by public key', () => {
    const key = loadPrivateKey(pkcs1);
    expect(toPkcs8Pem(key)).toBe(pkcs8);
    expect(sameKeyPair(key, createPublicKey(key))).toBe(true);
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(sameKeyPair(key, other)).toBe(false);
  });

  it('requireRsa rejects EC keys and short RSA keys', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(() => requireRsa(ec, 'vendor key')).toThrow(UnsupportedAlgorithmError);
    expect(() => requireRsa(ec, 'vendor key')).toThrow(/vendor key is EC/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => requireRsa(small, 'vendor key')).toThrow(/RSA-1024; at least RSA-2048/);
    expect(() => requireRsa(loadPrivateKey(pkcs8), 'vendor key')).not.toThrow();
  });
});

describe.skipIf(!peers.openssl)('loadPrivateKey with keys written by openssl', () => {
  const tmp = tempDir('certs-keys-');
  afterAll(() => tmp.cleanup());

  it('reads an openssl -traditional -des3 key (nanodep/micromdm style) and its SEC1 EC key', () => {
    writeFileSync(tmp.path('k.pem'), pkcs8);
    const des3 = runPeer('openssl', [
      'rsa',
      '-in',
      tmp.path('k.pem'),
      '-traditional',
      '-des3',
      '-passout',
      'pass:s3cret',
    ]).toString();
    expect(des3).toContain('DEK-Info: DES-EDE3-CBC');
    expect(samePublic(des3, { passphrase: 's3cret' })).toBe(true);
    expect(() => loadPrivateKey(des3, { passphrase: 'nope' })).toThrow(WrongPasswordError);
    const sec1 = runPeer('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout']).toString();
    expect(sec1).toContain('BEGIN EC PRIVATE KEY');
    expect(loadPrivateKey(sec1).asymmetricKeyType).toBe('ec');
  });
});
