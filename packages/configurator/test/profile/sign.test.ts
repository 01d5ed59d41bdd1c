/**
 * `profile.sign()` embeds exactly `profile.toBytes()`; our verifier and OpenSSL both get
 * those bytes back, and Python parses them.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir, tryPeer } from '../../../../test/support/peers.js';
import { createCmsSigner, createProfile, readPlist, SignatureError, verifySignedProfile } from '../../src/index.js';
import { pythonLoads } from '../fixtures/tagged.js';
import { everyBuilder, HOSTILE, testPki } from '../payloads/fixtures.js';

const pki = testPki();
const options = {
  certificatePem: pki.signer.certPem,
  privateKeyPem: pki.signer.keyPem,
  chainPem: pki.intermediate.certPem,
};
const profile = createProfile({
  identifier: 'org.example.school.signed',
  displayName: `Signed ${HOSTILE.join(' ')}`,
  payloads: everyBuilder(),
});

describe('Profile.sign', () => {
  it('embeds the exact bytes of toBytes(), which verifySignedProfile returns with signer and chain', () => {
    const signed = profile.sign(options);
    const v = verifySignedProfile(signed);
    expect(v.signatureValid).toBe(true);
    expect(v.problems).toEqual([]);
    expect(Buffer.from(v.content).equals(Buffer.from(profile.toBytes()))).toBe(true);
    expect(v.signer.subject).toContain('CN=profiles.example.org');
    expect(v.chain).toHaveLength(2);
    expect(readPlist(v.content)).toMatchObject({ PayloadIdentifier: 'org.example.school.signed' });
  });

  it('is byte-reproducible with a fixed signing time (RSA PKCS#1 v1.5 is deterministic)', () => {
    const at = new Date('2025-09-01T08:00:00Z');
    const a = profile.sign({ ...options, signingTime: at });
    const b = profile.sign({ ...options, signingTime: at });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(verifySignedProfile(a).signingTime).toEqual(at);
  });

  it('signs with a prepared createCmsSigner as well', () => {
    const signer = createCmsSigner(options);
    const v = verifySignedProfile(profile.sign(signer));
    expect(v.signatureValid).toBe(true);
    expect(Buffer.from(v.content).equals(Buffer.from(profile.toBytes()))).toBe(true);
  });

  it('reports an unusable key as SignatureError without key material', () => {
    const bad = { ...options, privateKeyPem: pki.other.keyPem };
    expect(() => profile.sign(bad)).toThrow(SignatureError);
    try {
      profile.sign(bad);
    } catch (e) {
      expect(String(e)).not.toContain('PRIVATE KEY');
    }
  });

  it('detects tampering with the embedded profile', () => {
    const signed = Buffer.from(profile.sign(options));
    const at = signed.indexOf(Buffer.from('Schul-WLAN'));
    expect(at).toBeGreaterThan(0);
    signed[at] = 'X'.charCodeAt(0);
    expect(verifySignedProfile(signed).signatureValid).toBe(false);
  });
});

describe.skipIf(!peers.openssl)('openssl cms verifies what Profile.sign writes', () => {
  const dir = tempDir('schoolmdm-sign-');
  afterAll(() => dir.cleanup());

  it('verifies the signature and extracts the identical bytes (-noverify), and the full chain against the root', () => {
    writeFileSync(dir.path('signed.mobileconfig'), profile.sign(options));
    writeFileSync(dir.path('root.pem'), pki.root.certPem);
    const extracted = runPeer('openssl', [
      'cms',
      '-verify',
      '-noverify',
      '-binary',
      '-inform',
      'der',
      '-in',
      dir.path('signed.mobileconfig'),
    ]);
    expect(extracted.equals(Buffer.from(profile.toBytes()))).toBe(true);
    const chained = tryPeer('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'der',
      '-purpose',
      'any',
      '-in',
      dir.path('signed.mobileconfig'),
      '-CAfile',
      dir.path('root.pem'),
    ]);
    expect(chained.stderr).toContain('Verification successful');
    expect(chained.status).toBe(0);
    expect(Buffer.from(chained.stdout).equals(Buffer.from(profile.toBytes()))).toBe(true);
  });

  describe.skipIf(!peers.python3)('with python3', () => {
    it('hands Python a plist it parses (the extracted content)', () => {
      writeFileSync(dir.path('signed2.mobileconfig'), profile.sign(options));
      const extracted = runPeer('openssl', [
        'cms',
        '-verify',
        '-noverify',
        '-binary',
        '-inform',
        'der',
        '-in',
        dir.path('signed2.mobileconfig'),
      ]);
      const [loaded] = pythonLoads([extracted]);
      expect(loaded && 'error' in loaded).toBe(false);
    });
  });
});
