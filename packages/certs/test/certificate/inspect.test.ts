import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { inspectCertificate, MalformedInputError } from '@schoolmdm/certs';
import { InvalidArgumentError } from '@schoolmdm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { makeCert, pushCert, rsaKey, type TestCert } from './test-pki.js';

const TOPIC = 'com.apple.mgmt.External.1b6f2c9e-3f0a-4a53-9a42-0c8d1f5e2b77';

let ca: TestCert;
let push: TestCert;
const pushNotAfter = new Date(Math.floor(Date.now() / 1000) * 1000 + 200 * 86_400_000);
beforeAll(() => {
  ca = makeCert({
    subject: [
      ['C', 'US'],
      ['O', 'Test Apple Inc.'],
      ['OU', 'Apple Certification Authority'],
      ['CN', 'Test Application Integration 2 CA'],
    ],
    key: rsaKey(0),
    ca: true,
  });
  push = pushCert(TOPIC, ca, rsaKey(1), pushNotAfter);
});

describe('inspectCertificate', () => {
  it('reads a push certificate: topic, APSP common name, issuer, dates, key', () => {
    const info = inspectCertificate(push.certPem);
    expect(info.topic).toBe(TOPIC);
    expect(info.uid).toBe(TOPIC);
    expect(info.isPushCertificate).toBe(true);
    expect(info.commonName).toBe('APSP:1b6f2c9e-3f0a-4a53-9a42-0c8d1f5e2b77');
    expect(info.subject).toBe(`C=US,CN=APSP:1b6f2c9e-3f0a-4a53-9a42-0c8d1f5e2b77,UID=${TOPIC}`);
    expect(info.subjectAttributes.map((a) => a.type)).toEqual(['UID', 'CN', 'C']);
    expect(info.issuer).toBe(
      'CN=Test Application Integration 2 CA,OU=Apple Certification Authority,O=Test Apple Inc.,C=US',
    );
    expect(info.notAfter).toEqual(pushNotAfter);
    expect(info.keyType).toBe('rsa');
    expect(info.keySize).toBe(2048);
    expect(info.selfSigned).toBe(false);
    expect(info.warnings).toEqual([]);
    expect(info.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(info.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('gives the same answer for PEM text, PEM bytes, DER bytes and bare Base64', () => {
    const a = inspectCertificate(push.certPem);
    for (const input of [Buffer.from(push.certPem), new Uint8Array(push.der), push.der.toString('base64')]) {
      const b = inspectCertificate(input);
      expect(b.fingerprintSha256).toBe(a.fingerprintSha256);
      expect(b.topic).toBe(a.topic);
      expect(b.warnings).toEqual([]);
    }
    expect(Buffer.from(a.certificateDer)).toEqual(push.der);
    expect(a.certificatePem).toBe(push.certPem);
  });

  it('inspects the first certificate of a chain and says so; skips a key in a bundle', () => {
    const chain = inspectCertificate(push.certPem + ca.certPem);
    expect(chain.topic).toBe(TOPIC);
    expect(chain.warnings.map((w) => w.code)).toEqual(['first-of-several']);
    const bundle = inspectCertificate(push.keyPem + push.certPem);
    expect(bundle.topic).toBe(TOPIC);
    expect(bundle.warnings).toEqual([]);
  });

  it('warns about expiry, not-yet-valid, weak keys and a non-MDM Apple push topic', () => {
    const later = new Date(pushNotAfter.getTime() + 1000);
    expect(inspectCertificate(push.certPem, { now: later }).warnings.map((w) => w.code)).toEqual(['expired']);
    expect(inspectCertificate(push.certPem, { now: new Date('2000-01-01') }).warnings.map((w) => w.code)).toEqual([
      'not-yet-valid',
    ]);
    const weak = makeCert({
      subject: [['CN', 'weak']],
      key: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
    });
    const w = inspectCertificate(weak.certPem);
    expect(w.keySize).toBe(1024);
    expect(w.warnings.map((x) => x.code)).toEqual(['weak-rsa-key']);
    const mail = pushCert('com.apple.mail.XServer.0f1e2d3c', ca, rsaKey(1));
    const m = inspectCertificate(mail.certPem);
    expect(m.isPushCertificate).toBe(false);
    expect(m.topic).toBeUndefined();
    expect(m.uid).toBe('com.apple.mail.XServer.0f1e2d3c');
    expect(m.warnings[0]?.code).toBe('not-mdm-topic');
    expect(m.warnings[0]?.message).toContain('com.apple.mgmt.');
  });

  it('reports EC and Ed25519 keys', () => {
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    // Sign an EC-keyed certificate with an RSA issuer (our test builder signs RSA only).
    const ec = makeCert({ subject: [['CN', 'ec']], key: ecKey, issuer: ca });
    const info = inspectCertificate(ec.certPem);
    expect(info.keyType).toBe('ec');
    expect(info.namedCurve).toBe('secp384r1');
    expect(info.keySize).toBe(384);
    const ed = makeCert({ subject: [['CN', 'ed']], key: generateKeyPairSync('ed25519').privateKey, issuer: ca });
    expect(inspectCertificate(ed.certPem)).toMatchObject({ keyType: 'ed25519', keySize: 256 });
  });

  it('escapes RFC 4514 special characters', () => {
    const odd = makeCert({
      subject: [
        ['O', 'Smith, Jones + Co; <Ltd>'],
        ['CN', '#1 "school" '],
      ],
      key: rsaKey(0),
    });
    expect(inspectCertificate(odd.certPem).subject).toBe(
      'CN=\\#1 \\"school\\"\\ ,O=Smith\\, Jones \\+ Co\\; \\<Ltd\\>',
    );
  });

  it('throws MalformedInputError for a CSR, a key, garbage and a non-certificate DER', () => {
    const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQE=\n-----END CERTIFICATE REQUEST-----\n';
    expect(() => inspectCertificate(csr)).toThrow(MalformedInputError);
    expect(() => inspectCertificate(csr)).toThrow(/no PEM block labelled "CERTIFICATE".*found "CERTIFICATE REQUEST"/);
    expect(() => inspectCertificate(push.keyPem)).toThrow(/found "PRIVATE KEY"/);
    expect(() => inspectCertificate('hello world')).toThrow(MalformedInputError);
    const keyDer = rsaKey(0).export({ type: 'pkcs8', format: 'der' });
    expect(() => inspectCertificate(keyDer)).toThrow(/not an X\.509 certificate/);
    expect(() => inspectCertificate(42 as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => inspectCertificate(42 as unknown as string)).toThrow(
      /Invalid pemOrDer: expected the file content as a string or bytes, got the number 42/,
    );
  });
});

describe.skipIf(!peers.openssl)('inspectCertificate against openssl x509', () => {
  const tmp = tempDir('certs-inspect-');
  afterAll(() => tmp.cleanup());

  function opensslFacts(file: string) {
    const out = runPeer('openssl', [
      'x509',
      '-in',
      file,
      '-noout',
      '-subject',
      '-issuer',
      '-dates',
      '-serial',
      '-fingerprint',
      '-sha256',
      '-nameopt',
      'RFC2253',
    ]).toString();
    const field = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(out)?.[1];
    return {
      subject: field('subject'),
      issuer: field('issuer'),
      notBefore: new Date(field('notBefore')!),
      notAfter: new Date(field('notAfter')!),
      serial: field('serial'),
      fingerprint: field('sha256 Fingerprint') ?? field('SHA256 Fingerprint'),
    };
  }

  function expectSame(file: string) {
    const ours = inspectCertificate(readFileSync(file));
    const theirs = opensslFacts(file);
    expect(ours.subject).toBe(theirs.subject);
    expect(ours.issuer).toBe(theirs.issuer);
    expect(ours.notBefore).toEqual(theirs.notBefore);
    expect(ours.notAfter).toEqual(theirs.notAfter);
    expect(ours.serialNumber).toBe(theirs.serial);
    expect(ours.fingerprintSha256).toBe(theirs.fingerprint);
    return ours;
  }

  let caFiles: { crt: string; key: string };
  beforeAll(() => {
    caFiles = { crt: tmp.path('ca.crt'), key: tmp.path('ca.key') };
    runPeer('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      caFiles.key,
      '-out',
      caFiles.crt,
      '-days',
      '30',
      '-subj',
      '/C=US/O=Test Apple Inc./OU=Apple Certification Authority/CN=Test Application Integration 2 Certification Authority',
    ]);
  });

  function opensslPush(name: string, subj: string, extra: string[] = []): string {
    const key = tmp.path(`${name}.key`);
    const csr = tmp.path(`${name}.csr`);
    const crt = tmp.path(`${name}.crt`);
    runPeer('openssl', [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      subj,
      ...extra,
    ]);
    runPeer('openssl', [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caFiles.crt,
      '-CAkey',
      caFiles.key,
      '-CAcreateserial',
      '-days',
      '365',
      '-out',
      crt,
    ]);
    return crt;
  }

  it('matches openssl for an openssl-made push certificate (UID topic, APSP CN)', () => {
    const crt = opensslPush('push', `/UID=${TOPIC}/CN=APSP:1b6f2c9e-3f0a-4a53-9a42-0c8d1f5e2b77/C=US`);
    const info = expectSame(crt);
    expect(info.topic).toBe(TOPIC);
    expect(info.isPushCertificate).toBe(true);
    expect(info.subject).toBe(`C=US,CN=APSP:1b6f2c9e-3f0a-4a53-9a42-0c8d1f5e2b77,UID=${TOPIC}`);
  });

  it('matches openssl for escaped characters and a multi-valued RDN', () => {
    const odd = expectSame(opensslPush('odd', '/C=US/O=Smith\\, Jones \\+ Co; <Ltd>/CN=#1 "school"=x'));
    expect(odd.subject).toBe('CN=\\#1 \\"school\\"=x,O=Smith\\, Jones \\+ Co\\; \\<Ltd\\>,C=US');
    const multi = expectSame(opensslPush('multi', '/C=US/CN=a+UID=uid-1', ['-multivalue-rdn']));
    expect(multi.subject).toBe('UID=uid-1+CN=a,C=US');
  });

  it('matches openssl for a GeneralizedTime notAfter (after 2049) and our generated test certificates', () => {
    const key = tmp.path('long.key');
    const crt = tmp.path('long.crt');
    runPeer('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-days',
      '10000',
      '-subj',
      '/CN=long',
    ]);
    const info = expectSame(crt);
    expect(info.notAfter.getUTCFullYear()).toBeGreaterThan(2050);
    expect(info).toMatchObject({ keyType: 'ec', keySize: 256, namedCurve: 'prime256v1', selfSigned: true });
    expect(info.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    writeFileSync(tmp.path('ours.crt'), push.certPem);
    expectSame(tmp.path('ours.crt'));
    writeFileSync(tmp.path('ca-ours.crt'), ca.certPem);
    expect(expectSame(tmp.path('ca-ours.crt'))).toMatchObject({ isCa: true, selfSigned: true });
  });
});
