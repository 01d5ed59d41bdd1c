import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import {
  createPushCertificateCsr,
  ExpiredError,
  MalformedInputError,
  type PushCertificateCsr,
  signPushCertificateRequest,
  UnsupportedAlgorithmError,
  verifyPushCertificateRequest,
  WrongKeyError,
  WrongPasswordError,
} from '@schoolmdm/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir, tryPeer } from '../../../../test/support/peers.js';
import { readStringDictPlist } from '../../src/push/plist.js';
import { makeCert, rsaKey, type TestCert, vendorPki } from '../certificate/test-pki.js';

let pki: ReturnType<typeof vendorPki>;
let csr: PushCertificateCsr;
let request: string;
beforeAll(async () => {
  pki = vendorPki();
  csr = await createPushCertificateCsr({
    commonName: 'Lincoln High',
    email: 'it@lincoln.example',
    country: 'US',
    privateKeyPem: rsaKey(4).export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  request = signPushCertificateRequest({
    csr,
    vendorCertificatePem: pki.vendor.certPem,
    vendorPrivateKeyPem: pki.vendor.keyPem,
    chainPem: [pki.wwdr.certPem, pki.root.certPem],
  });
});

function decode(b64: string) {
  const xml = Buffer.from(b64, 'base64').toString('utf8');
  return { xml, dict: readStringDictPlist(xml, 'test') };
}

describe('signPushCertificateRequest', () => {
  it('returns unwrapped Base64 of an XML plist with the three keys Apple expects', () => {
    expect(request).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const { xml, dict } = decode(request);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1.0\/\/EN"/,
    );
    expect([...dict.keys()]).toEqual(['PushCertRequestCSR', 'PushCertCertificateChain', 'PushCertSignature']);
    expect(dict.get('PushCertRequestCSR')?.text).toBe(Buffer.from(csr.csrDer).toString('base64'));
  });

  it('chains vendor, intermediate, root as PEM with 64-character lines', () => {
    const chain = decode(request).dict.get('PushCertCertificateChain')!.text;
    expect(chain).toBe(pki.vendor.certPem + pki.wwdr.certPem + pki.root.certPem);
    for (const line of chain.split('\n')) expect(line.length).toBeLessThanOrEqual(64);
  });

  it('signs the DER CSR bytes with SHA256withRSA using the vendor key', () => {
    const sig = Buffer.from(decode(request).dict.get('PushCertSignature')!.text, 'base64');
    expect(sig.length).toBe(256);
    expect(verify('sha256', csr.csrDer, createPublicKey(pki.vendor.key), sig)).toBe(true);
    expect(verify('sha1', csr.csrDer, createPublicKey(pki.vendor.key), sig)).toBe(false);
  });

  it('accepts the CSR as PEM, DER or bare Base64 with the same (deterministic) result', () => {
    const base = {
      vendorCertificatePem: pki.vendor.certPem,
      vendorPrivateKeyPem: pki.vendor.keyPem,
      chainPem: pki.wwdr.certPem + pki.root.certPem,
    };
    for (const form of [csr.csrPem, csr.csrDer, Buffer.from(csr.csrDer).toString('base64')]) {
      expect(signPushCertificateRequest({ ...base, csr: form })).toBe(request);
    }
  });

  it('picks and orders the issuing certificates from a shuffled chain with extras', () => {
    const out = signPushCertificateRequest({
      csr,
      vendorCertificatePem: pki.vendor.certPem,
      vendorPrivateKeyPem: pki.vendor.keyPem,
      chainPem: [pki.root.certPem, pki.decoy.certPem, pki.vendor.certPem, pki.wwdr.certPem],
    });
    expect(out).toBe(request);
  });

  it('reads an encrypted vendor key with its passphrase and reports a wrong one without echoing it', () => {
    const encrypted = pki.vendor.key
      .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'vendor-pass' })
      .toString();
    const options = {
      csr,
      vendorCertificatePem: pki.vendor.certPem,
      vendorPrivateKeyPem: encrypted,
      chainPem: [pki.wwdr.certPem, pki.root.certPem],
    };
    expect(signPushCertificateRequest({ ...options, vendorPrivateKeyPassphrase: 'vendor-pass' })).toBe(request);
    let caught: unknown;
    try {
      signPushCertificateRequest({ ...options, vendorPrivateKeyPassphrase: 'not-the-vendor-pass' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WrongPasswordError);
    expect(JSON.stringify(caught) + String(caught)).not.toContain('not-the-vendor-pass');
  });

  it('refuses a vendor key that does not belong to the vendor certificate', () => {
    expect(() =>
      signPushCertificateRequest({
        csr,
        vendorCertificatePem: pki.vendor.certPem,
        vendorPrivateKeyPem: pki.wwdr.keyPem,
        chainPem: [pki.wwdr.certPem, pki.root.certPem],
      }),
    ).toThrow(WrongKeyError);
  });

  it('refuses an incomplete chain, naming the missing issuer', () => {
    const run = (chainPem: string[]) => () =>
      signPushCertificateRequest({
        csr,
        vendorCertificatePem: pki.vendor.certPem,
        vendorPrivateKeyPem: pki.vendor.keyPem,
        chainPem,
      });
    expect(run([pki.root.certPem])).toThrow(MalformedInputError);
    expect(run([pki.root.certPem])).toThrow(
      /issued the vendor certificate.*Test WWDR CA.*apple\.com\/certificateauthority/s,
    );
    expect(run([pki.decoy.certPem, pki.root.certPem])).toThrow(/issued the vendor certificate/);
    expect(run([pki.wwdr.certPem])).toThrow(/issued certificate 2 of the chain.*Apple Inc\. Root/s);
    expect(run([])).toThrow(MalformedInputError);
  });

  it('refuses a CSR whose self-signature does not verify', () => {
    const der = Buffer.from(csr.csrDer);
    der[der.indexOf(Buffer.from('Lincoln High'))] = 'M'.charCodeAt(0);
    expect(() =>
      signPushCertificateRequest({
        csr: der,
        vendorCertificatePem: pki.vendor.certPem,
        vendorPrivateKeyPem: pki.vendor.keyPem,
        chainPem: [pki.wwdr.certPem, pki.root.certPem],
      }),
    ).toThrow(/self-signature does not verify/);
  });

  it('refuses an expired vendor certificate and a non-RSA vendor key', () => {
    const old: TestCert = makeCert({
      subject: [['CN', 'MDM CSR: old']],
      key: rsaKey(3),
      issuer: pki.wwdr,
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2021-01-01'),
    });
    expect(() =>
      signPushCertificateRequest({
        csr,
        vendorCertificatePem: old.certPem,
        vendorPrivateKeyPem: old.keyPem,
        chainPem: [pki.wwdr.certPem, pki.root.certPem],
      }),
    ).toThrow(ExpiredError);
    expect(() =>
      signPushCertificateRequest({
        csr,
        vendorCertificatePem: pki.vendor.certPem,
        vendorPrivateKeyPem: pki.vendor.keyPem,
        chainPem: [pki.wwdr.certPem, pki.root.certPem],
        now: new Date(Date.now() + 3 * 365 * 86_400_000),
      }),
    ).toThrow(/expired on/);
    const ecPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() =>
      signPushCertificateRequest({
        csr,
        vendorCertificatePem: pki.vendor.certPem,
        vendorPrivateKeyPem: ecPem,
        chainPem: [pki.wwdr.certPem, pki.root.certPem],
      }),
    ).toThrow(UnsupportedAlgorithmError);
  });

  it('round-trips through verifyPushCertificateRequest', () => {
    const check = verifyPushCertificateRequest(request);
    expect(check.valid).toBe(true);
    expect(check.problems).toEqual([]);
    expect(check.signatureValid).toBe(true);
    expect(check.csrSignatureValid).toBe(true);
    expect(check.chainValid).toBe(true);
    expect(check.csrSubject).toBe('emailAddress=it@lincoln.example,CN=Lincoln High,C=US');
    expect(check.vendorCertificate.commonName).toBe('MDM CSR: Example Vendor');
    expect(check.chain.map((c) => c.commonName)).toEqual(['MDM CSR: Example Vendor', 'Test WWDR CA', 'Test Root CA']);
    expect(check.chainPem).toEqual([pki.vendor.certPem, pki.wwdr.certPem, pki.root.certPem]);
    expect(Buffer.from(check.csrDer)).toEqual(Buffer.from(csr.csrDer));
  });
});

describe.skipIf(!peers.python3)('signPushCertificateRequest against python3 plistlib', () => {
  const tmp = tempDir('certs-push-py-');
  afterAll(() => tmp.cleanup());

  it('python3 plistlib reads the decoded plist with the same values', () => {
    writeFileSync(tmp.path('req.b64'), request);
    const script = [
      'import base64, json, plistlib, sys',
      'd = plistlib.loads(base64.b64decode(open(sys.argv[1]).read()))',
      'print(json.dumps(d))',
    ].join('\n');
    const out = JSON.parse(runPeer('python3', ['-c', script, tmp.path('req.b64')]).toString()) as Record<
      string,
      string
    >;
    expect(Object.keys(out).sort()).toEqual(['PushCertCertificateChain', 'PushCertRequestCSR', 'PushCertSignature']);
    expect(out.PushCertRequestCSR).toBe(Buffer.from(csr.csrDer).toString('base64'));
    expect(out.PushCertCertificateChain).toBe(pki.vendor.certPem + pki.wwdr.certPem + pki.root.certPem);
  });
});

describe.skipIf(!peers.openssl)('signPushCertificateRequest against openssl', () => {
  const tmp = tempDir('certs-push-ossl-');
  afterAll(() => tmp.cleanup());

  it('openssl dgst -sha256 -verify accepts PushCertSignature over the DER CSR', () => {
    const dict = decode(request).dict;
    writeFileSync(tmp.path('csr.der'), Buffer.from(dict.get('PushCertRequestCSR')!.text, 'base64'));
    writeFileSync(tmp.path('sig.bin'), Buffer.from(dict.get('PushCertSignature')!.text, 'base64'));
    writeFileSync(tmp.path('vendor.crt'), pki.vendor.certPem);
    runPeer('openssl', ['x509', '-in', tmp.path('vendor.crt'), '-pubkey', '-noout', '-out', tmp.path('vendorpub.pem')]);
    const out = runPeer('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      tmp.path('vendorpub.pem'),
      '-signature',
      tmp.path('sig.bin'),
      tmp.path('csr.der'),
    ]).toString();
    expect(out.trim()).toBe('Verified OK');
    // The embedded CSR passes openssl req -verify, and the chain verifies with openssl verify.
    const req = tryPeer('openssl', ['req', '-inform', 'DER', '-in', tmp.path('csr.der'), '-noout', '-verify']);
    expect(req.status).toBe(0);
    expect(`${req.stdout}${req.stderr}`).toContain('verify OK');
    const chain = decode(request).dict.get('PushCertCertificateChain')!.text;
    const pems = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g)!;
    writeFileSync(tmp.path('leaf.pem'), pems[0]!);
    writeFileSync(tmp.path('inter.pem'), pems[1]!);
    writeFileSync(tmp.path('root.pem'), pems[2]!);
    expect(
      runPeer('openssl', [
        'verify',
        '-CAfile',
        tmp.path('root.pem'),
        '-untrusted',
        tmp.path('inter.pem'),
        tmp.path('leaf.pem'),
      ]).toString(),
    ).toContain(': OK');
  });
});
