import { readFileSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { InvalidArgumentError } from '@schoolmdm/core';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir, tryPeer } from '../../../../test/support/peers.js';
import { PlistError, SignatureError } from '../../src/errors.js';
import { type PlistValue, readPlist, real, writePlist } from '../../src/plist/index.js';
import { createCmsSigner, signCms, verifySignedProfile } from '../../src/signing/index.js';
import { toPem } from '../../src/signing/pem.js';
import { makePki, type TestPki } from '../fixtures/pki.js';
import { pythonLoads, tag } from '../fixtures/tagged.js';

const profile: PlistValue = {
  PayloadContent: [
    {
      EncryptionType: 'WPA2',
      Password: 'p<&>]]>"\'ä🎒\r\n',
      PayloadIdentifier: 'org.example.school.bootstrap-wifi.wifi',
      PayloadType: 'com.apple.wifi.managed',
      PayloadUUID: '5B0C1C5E-4A3F-5D2B-9E51-0A3C2B1D4E5F',
      PayloadVersion: 1,
      SSID_STR: 'Schul-WLAN Gäste 🎒',
    },
  ],
  DurationUntilRemoval: real(3600),
  PayloadIdentifier: 'org.example.school.bootstrap-wifi',
  PayloadType: 'Configuration',
  PayloadUUID: '0E1F2A3B-4C5D-5E6F-8A9B-0C1D2E3F4A5B',
  PayloadVersion: 1,
};
const xml = Buffer.from(writePlist(profile), 'utf8');
const fixedTime = new Date('2025-03-04T05:06:07Z');

let pki: TestPki;
let sign: (content?: Uint8Array, extra?: object) => Uint8Array;

beforeAll(() => {
  pki = makePki();
  sign = (content = xml, extra = {}) =>
    signCms(content, {
      certificatePem: pki.signer.certPem,
      privateKeyPem: pki.signer.keyPem,
      chainPem: pki.intermediate.certPem,
      signingTime: fixedTime,
      ...extra,
    });
});

function signatureError(fn: () => unknown): SignatureError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SignatureError);
    return e as SignatureError;
  }
  throw new Error('expected a SignatureError');
}

/** Flips one byte of the embedded content inside a signed file. */
function tamperContent(signed: Uint8Array, needle = 'Schul-WLAN'): Uint8Array {
  const copy = Buffer.from(signed);
  const at = copy.indexOf(Buffer.from(needle, 'utf8'));
  expect(at).toBeGreaterThan(0);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('signCms + verifySignedProfile', () => {
  it('signs with the content attached and verifies it back byte for byte', () => {
    const signed = sign();
    expect(signed[0]).toBe(0x30);
    const v = verifySignedProfile(signed);
    expect(Buffer.from(v.content).equals(xml)).toBe(true);
    expect(v.signatureValid).toBe(true);
    expect(v.problems).toEqual([]);
    expect(v.signingTime).toEqual(fixedTime);
    expect(v.signer).toMatchObject({
      subject: 'CN=profiles.example.org,O=Example School,C=DE',
      issuer: 'CN=Test Intermediate CA,O=Example School,C=DE',
      serialNumber: 'C0FFEE01',
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2044-01-01T00:00:00Z'),
    });
    expect(v.signer.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(v.chain).toHaveLength(2);
    expect(v.chain[0]!.replace(/\s/g, '')).toBe(pki.signer.certPem.replace(/\r/g, '').replace(/\s/g, ''));
    expect(v.chain[1]!.replace(/\s/g, '')).toBe(pki.intermediate.certPem.replace(/\r/g, '').replace(/\s/g, ''));
    expect(v.signer.certificatePem).toBe(v.chain[0]);
  });

  it('is byte-reproducible with a fixed signingTime, and can omit it', () => {
    expect(Buffer.from(sign()).equals(Buffer.from(sign()))).toBe(true);
    const v = verifySignedProfile(sign(xml, { signingTime: null }));
    expect(v.signingTime).toBeUndefined();
    expect(v.signatureValid).toBe(true);
    const now = verifySignedProfile(sign(xml, { signingTime: undefined }));
    expect(Math.abs(now.signingTime!.getTime() - Date.now())).toBeLessThan(60_000);
    const far = verifySignedProfile(sign(xml, { signingTime: new Date('2051-01-01T00:00:00.999Z') }));
    expect(far.signingTime).toEqual(new Date('2051-01-01T00:00:00Z'));
  });

  it('createCmsSigner signs many contents with one prepared key, byte-identical to signCms', () => {
    const signer = createCmsSigner({
      certificatePem: pki.signer.certPem,
      privateKeyPem: pki.signer.keyPem,
      chainPem: pki.intermediate.certPem,
      signingTime: fixedTime,
    });
    expect(Buffer.from(signer.sign(xml)).equals(Buffer.from(sign()))).toBe(true);
    const other = Buffer.from('<plist><string>x</string></plist>');
    const v = verifySignedProfile(signer.sign(other, { signingTime: new Date('2026-01-01T00:00:00Z') }));
    expect(Buffer.from(v.content).equals(other)).toBe(true);
    expect(v.signingTime).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(verifySignedProfile(signer.sign(other, { signingTime: null })).signingTime).toBeUndefined();
    expect(() => signer.sign('x' as unknown as Uint8Array)).toThrow(InvalidArgumentError);
    expect(inspect(signer)).not.toMatch(/MII|PRIVATE/);
  });

  it('accepts several chain certificates as one PEM string or an array, and no chain at all', () => {
    const both = `${pki.intermediate.certPem}\n${pki.root.certPem}`;
    expect(verifySignedProfile(sign(xml, { chainPem: both })).chain).toHaveLength(3);
    expect(
      verifySignedProfile(sign(xml, { chainPem: [pki.intermediate.certPem, pki.root.certPem] })).chain,
    ).toHaveLength(3);
    expect(verifySignedProfile(sign(xml, { chainPem: undefined })).chain).toHaveLength(1);
  });

  it('signs empty and binary content', () => {
    expect(verifySignedProfile(sign(new Uint8Array())).content).toEqual(new Uint8Array());
    const bytes = new Uint8Array(70_000).map((_, i) => i * 7);
    expect(Buffer.from(verifySignedProfile(sign(bytes)).content).equals(Buffer.from(bytes))).toBe(true);
  });

  it('accepts PEM input', () => {
    const pem = toPem('PKCS7', sign());
    const v = verifySignedProfile(pem);
    expect(v.signatureValid).toBe(true);
    expect(verifySignedProfile(Buffer.from(pem)).signatureValid).toBe(true);
    expect(verifySignedProfile(toPem('CMS', sign())).signatureValid).toBe(true);
  });

  it('reports altered content as signatureValid: false, not as an error', () => {
    const v = verifySignedProfile(tamperContent(sign()));
    expect(v.signatureValid).toBe(false);
    expect(v.problems).toEqual([expect.stringMatching(/does not match the signed message digest/)]);
    expect(Buffer.from(v.content).equals(xml)).toBe(false);
  });

  it('reports a corrupted signature as signatureValid: false', () => {
    const signed = Buffer.from(sign());
    signed[signed.length - 1] = signed[signed.length - 1]! ^ 0xff;
    const v = verifySignedProfile(signed);
    expect(v.signatureValid).toBe(false);
    expect(v.problems).toEqual([expect.stringMatching(/signature does not verify/)]);
  });

  it('lets readPlist read the model out of a signed profile, DER or PEM', () => {
    expect(tag(readPlist(sign(), { preserveNumberTypes: true }))).toEqual(tag(profile));
    expect(tag(readPlist(toPem('PKCS7', sign()), { preserveNumberTypes: true }))).toEqual(tag(profile));
  });
});

describe('signCms: errors', () => {
  it('refuses a key that does not belong to the certificate', () => {
    const e = signatureError(() => sign(xml, { privateKeyPem: pki.other.keyPem }));
    expect(e.message).toMatch(/does not belong to certificatePem/);
  });

  it('never echoes key material, in the message, toJSON or inspect', () => {
    const lines = pki.signer.keyPem.trim().split('\n');
    const body = lines[3]!;
    const truncated = [...lines.slice(0, 5), lines.at(-1)!].join('\n');
    const unreadable = signatureError(() => sign(xml, { privateKeyPem: truncated }));
    expect(unreadable.message).toMatch(/could not be read as a PEM private key/);
    const mismatch = signatureError(() => sign(xml, { privateKeyPem: pki.other.keyPem }));
    const otherBody = pki.other.keyPem.split('\n')[3]!;
    for (const e of [unreadable, mismatch]) {
      for (const text of [e.message, JSON.stringify(e.toJSON()), inspect(e), String(e.stack)]) {
        expect(text).not.toContain(body);
        expect(text).not.toContain(otherBody);
        expect(text).not.toMatch(/MII[A-Za-z0-9+/]{20}/);
      }
    }
  });

  it('reads encrypted keys with privateKeyPassphrase, and says so without it', () => {
    const keyObj = forge.pki.privateKeyFromPem(pki.signer.keyPem);
    const encrypted = forge.pki.encryptRsaPrivateKey(keyObj, 'correct horse', { algorithm: 'aes256' });
    expect(() => sign(xml, { privateKeyPem: encrypted, privateKeyPassphrase: 'correct horse' })).not.toThrow();
    const e = signatureError(() => sign(xml, { privateKeyPem: encrypted }));
    expect(e.message).toMatch(/privateKeyPem is encrypted and no passphrase was given/);
    expect(e.hint).toMatch(/privateKeyPassphrase/);
    expect(e.message).not.toMatch(/ERR_OSSL/);
    expect(JSON.stringify(e.toJSON())).not.toContain('correct horse');
    expect(
      inspect(signatureError(() => sign(xml, { privateKeyPem: encrypted, privateKeyPassphrase: 'wrong pass' }))),
    ).not.toContain('wrong pass');
  });

  it('rejects bad inputs with a typed error', () => {
    // Wrong argument types and options are InvalidArgumentError (issue #15 item 17).
    expect(() => sign('text' as unknown as Uint8Array)).toThrow(InvalidArgumentError);
    expect(() => sign('text' as unknown as Uint8Array)).toThrow(/TextEncoder/);
    expect(() => signCms(xml, {} as never)).toThrow(InvalidArgumentError);
    expect(() => signCms(xml, {} as never)).toThrow(/options\.certificatePem.*PEM string/);
    expect(() =>
      signCms(xml, { certificatePem: pki.signer.certPem, privateKeyPem: pki.signer.keyPem, passphrase: 'x' } as never),
    ).toThrow(/has no option "passphrase"/);
    expect(() => sign(xml, { signingTime: new Date(Number.NaN) })).toThrow(/invalid Date/);
    expect(signatureError(() => sign(xml, { certificatePem: 'not a pem' })).message).toMatch(
      /no "-----BEGIN CERTIFICATE-----"/,
    );
    expect(signatureError(() => sign(xml, { certificatePem: '' })).message).toMatch(/empty/);
    expect(
      signatureError(() => sign(xml, { chainPem: '-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----' }))
        .message,
    ).toMatch(/not valid Base64/);
  });
});

describe.skipIf(!peers.openssl)('verifySignedProfile: names as openssl prints them (RFC 4514)', () => {
  it('prints subject and issuer exactly as openssl x509 -nameopt RFC2253', () => {
    const v = verifySignedProfile(sign());
    const line = (what: string) =>
      runPeer('openssl', ['x509', '-noout', `-${what}`, '-nameopt', 'RFC2253'], { input: pki.signer.certPem })
        .toString()
        .trim()
        .replace(/^\w+=/, '');
    expect(v.signer.subject).toBe(line('subject'));
    expect(v.signer.issuer).toBe(line('issuer'));
  });
});

describe('verifySignedProfile: errors and other signers', () => {
  it('throws SignatureError for input that is not a signed profile', () => {
    expect(signatureError(() => verifySignedProfile(xml)).message).toMatch(/neither DER nor PEM/);
    expect(signatureError(() => verifySignedProfile(new Uint8Array([0x30, 0x03, 0x02]))).message).toMatch(
      /Malformed CMS/,
    );
    expect(signatureError(() => verifySignedProfile(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).message).toMatch(
      /Malformed CMS SignedData/,
    );
    const trailing = Buffer.concat([Buffer.from(sign()), Buffer.from('junk')]);
    expect(signatureError(() => verifySignedProfile(trailing)).message).toMatch(/unexpected data after/);
    // A ContentInfo holding EnvelopedData (an encrypted profile)
    const enveloped = Buffer.from('300f06092a864886f70d010703a0020500', 'hex');
    expect(signatureError(() => verifySignedProfile(enveloped)).hint).toMatch(/encrypted/);
  });

  it('verifies what node-forge signs (an independent JS signer), and rejects its detached form', () => {
    const cert = forge.pki.certificateFromPem(pki.signer.certPem);
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(xml.toString('binary'));
    p7.addCertificate(cert);
    p7.addSigner({
      key: forge.pki.privateKeyFromPem(pki.signer.keyPem),
      certificate: cert,
      digestAlgorithm: forge.pki.oids.sha256!,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
        { type: forge.pki.oids.messageDigest! },
        { type: forge.pki.oids.signingTime!, value: fixedTime as unknown as string },
      ],
    });
    p7.sign({ detached: false });
    const der = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
    const v = verifySignedProfile(der);
    expect(v.signatureValid).toBe(true);
    expect(Buffer.from(v.content).equals(xml)).toBe(true);
    expect(verifySignedProfile(tamperContent(der)).signatureValid).toBe(false);

    const p7d = forge.pkcs7.createSignedData();
    p7d.content = forge.util.createBuffer(xml.toString('binary'));
    p7d.addCertificate(cert);
    p7d.addSigner({
      key: forge.pki.privateKeyFromPem(pki.signer.keyPem),
      certificate: cert,
      digestAlgorithm: forge.pki.oids.sha256!,
    });
    p7d.sign({ detached: true });
    const detached = Buffer.from(forge.asn1.toDer(p7d.toAsn1()).getBytes(), 'binary');
    expect(detached.indexOf(Buffer.from('Schul-WLAN'))).toBe(-1);
    expect(signatureError(() => verifySignedProfile(detached)).message).toMatch(/detached/);
    expect(() => readPlist(detached)).toThrow(PlistError);
  });

  it('throws when the signer certificate is not in the file', () => {
    const cert = forge.pki.certificateFromPem(pki.signer.certPem);
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(xml.toString('binary'));
    p7.addSigner({
      key: forge.pki.privateKeyFromPem(pki.signer.keyPem),
      certificate: cert,
      digestAlgorithm: forge.pki.oids.sha256!,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
        { type: forge.pki.oids.messageDigest! },
      ],
    });
    p7.sign({ detached: false });
    const der = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
    expect(signatureError(() => verifySignedProfile(der)).message).toMatch(/certificate is not included/);
    // readPlist does not need the signer to read the content.
    expect(tag(readPlist(der, { preserveNumberTypes: true }))).toEqual(tag(profile));
  });
});

describe.skipIf(!peers.openssl)('signing against OpenSSL', () => {
  const tmp = tempDir('configurator-sign-');
  const p = tmp.path;
  afterAll(() => tmp.cleanup());

  beforeAll(() => {
    writeFileSync(p('profile.xml'), xml);
    writeFileSync(p('signer.pem'), pki.signer.certPem);
    writeFileSync(p('signer.key'), pki.signer.keyPem);
    writeFileSync(p('chain.pem'), pki.intermediate.certPem);
    writeFileSync(p('root.pem'), pki.root.certPem);
  });

  it('openssl cms -verify -noverify -binary extracts byte-identical content from our signature', () => {
    writeFileSync(p('ours.der'), sign());
    runPeer('openssl', [
      'cms',
      '-verify',
      '-noverify',
      '-binary',
      '-inform',
      'der',
      '-in',
      p('ours.der'),
      '-out',
      p('out.bin'),
    ]);
    expect(readFileSync(p('out.bin')).equals(xml)).toBe(true);
  });

  it('openssl verifies our signature and the chain against the test root', () => {
    writeFileSync(p('ours.der'), sign());
    runPeer('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'der',
      '-in',
      p('ours.der'),
      '-CAfile',
      p('root.pem'),
      '-purpose',
      'any',
      '-out',
      p('chain.bin'),
    ]);
    expect(readFileSync(p('chain.bin')).equals(xml)).toBe(true);
    const printed = runPeer('openssl', ['cms', '-cmsout', '-print', '-inform', 'der', '-in', p('ours.der')]).toString();
    expect(printed).toMatch(/eContentType: pkcs7-data/);
    expect(printed).toMatch(/signingTime/);
  });

  it('openssl rejects our signature over altered content', () => {
    writeFileSync(p('bad.der'), tamperContent(sign()));
    const r = tryPeer('openssl', [
      'cms',
      '-verify',
      '-noverify',
      '-binary',
      '-inform',
      'der',
      '-in',
      p('bad.der'),
      '-out',
      p('bad.bin'),
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/digest failure|verification failure/i);
  });

  it('Python plistlib parses the content openssl extracts into the same model', () => {
    writeFileSync(p('ours.der'), sign());
    const extracted = runPeer('openssl', [
      'cms',
      '-verify',
      '-noverify',
      '-binary',
      '-inform',
      'der',
      '-in',
      p('ours.der'),
    ]);
    if (peers.python3) expect(pythonLoads([extracted])[0]).toEqual(tag(profile));
  });

  const opensslSigners: [name: string, args: string[], after: string[]][] = [
    ['cms -sign -nodetach -binary', ['cms', '-sign', '-nodetach', '-binary', '-md', 'sha256'], []],
    ['smime -sign -nodetach -binary', ['smime', '-sign', '-nodetach', '-binary'], []],
    ['cms -sign -stream (BER, indefinite lengths)', ['cms', '-sign', '-nodetach', '-binary', '-stream'], []],
    ['cms -sign -md sha512', ['cms', '-sign', '-nodetach', '-binary', '-md', 'sha512'], []],
    ['cms -sign -noattr (no signed attributes)', ['cms', '-sign', '-nodetach', '-binary', '-noattr'], []],
    ['cms -sign with RSASSA-PSS', ['cms', '-sign', '-nodetach', '-binary'], ['-keyopt', 'rsa_padding_mode:pss']],
    ['cms -sign -keyid (signer named by subjectKeyIdentifier)', ['cms', '-sign', '-nodetach', '-binary', '-keyid'], []],
  ];
  it.each(opensslSigners)('verifySignedProfile accepts openssl %s', (_name, args, after) => {
    const out = p('openssl.der');
    runPeer('openssl', [
      ...args,
      '-in',
      p('profile.xml'),
      '-signer',
      p('signer.pem'),
      '-inkey',
      p('signer.key'),
      ...after,
      '-certfile',
      p('chain.pem'),
      '-outform',
      'der',
      '-out',
      out,
    ]);
    const signed = readFileSync(out);
    const v = verifySignedProfile(signed);
    expect(v.problems).toEqual([]);
    expect(v.signatureValid).toBe(true);
    expect(Buffer.from(v.content).equals(xml)).toBe(true);
    expect(v.signer.serialNumber).toBe('C0FFEE01');
    expect(v.chain).toHaveLength(2);
    expect(tag(readPlist(signed, { preserveNumberTypes: true }))).toEqual(tag(profile));
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf(Buffer.from('Schul-WLAN'));
    tampered[at] = tampered[at]! ^ 1;
    expect(verifySignedProfile(tampered).signatureValid).toBe(false);
  });

  it('signs and verifies with an EC P-256 identity, both ways', () => {
    runPeer('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('ec.key')]);
    runPeer('openssl', [
      'req',
      '-new',
      '-x509',
      '-key',
      p('ec.key'),
      '-subj',
      '/CN=ec.example.org',
      '-days',
      '30',
      '-out',
      p('ec.pem'),
    ]);
    const certPem = readFileSync(p('ec.pem'), 'utf8');
    const keyPem = readFileSync(p('ec.key'), 'utf8');
    const ours = signCms(xml, { certificatePem: certPem, privateKeyPem: keyPem });
    expect(verifySignedProfile(ours).signatureValid).toBe(true);
    writeFileSync(p('ec-ours.der'), ours);
    runPeer('openssl', [
      'cms',
      '-verify',
      '-noverify',
      '-binary',
      '-inform',
      'der',
      '-in',
      p('ec-ours.der'),
      '-out',
      p('ec.bin'),
    ]);
    expect(readFileSync(p('ec.bin')).equals(xml)).toBe(true);
    runPeer('openssl', [
      'cms',
      '-sign',
      '-nodetach',
      '-binary',
      '-in',
      p('profile.xml'),
      '-signer',
      p('ec.pem'),
      '-inkey',
      p('ec.key'),
      '-outform',
      'der',
      '-out',
      p('ec-openssl.der'),
    ]);
    const v = verifySignedProfile(readFileSync(p('ec-openssl.der')));
    expect(v.signatureValid).toBe(true);
    expect(v.signer.subject).toBe('CN=ec.example.org');
  });

  it('refuses an Ed25519 signer key with a hint', () => {
    runPeer('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', p('ed.key')]);
    runPeer('openssl', [
      'req',
      '-new',
      '-x509',
      '-key',
      p('ed.key'),
      '-subj',
      '/CN=ed',
      '-days',
      '1',
      '-out',
      p('ed.pem'),
    ]);
    const e = signatureError(() =>
      signCms(xml, {
        certificatePem: readFileSync(p('ed.pem'), 'utf8'),
        privateKeyPem: readFileSync(p('ed.key'), 'utf8'),
      }),
    );
    expect(e.message).toMatch(/Unsupported signer key type ed25519/);
  });
});
