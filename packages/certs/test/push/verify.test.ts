import { sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import {
  createPushCertificateCsr,
  MalformedInputError,
  type PushCertificateCsr,
  signPushCertificateRequest,
  verifyPushCertificateRequest,
} from '@schoolmdm/certs';
import { InvalidArgumentError } from '@schoolmdm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { writeStringDictPlist } from '../../src/push/plist.js';
import { rsaKey, vendorPki } from '../certificate/test-pki.js';

let pki: ReturnType<typeof vendorPki>;
let csr: PushCertificateCsr;
let good: string;
beforeAll(async () => {
  pki = vendorPki();
  csr = await createPushCertificateCsr({
    commonName: 'Verify School',
    privateKeyPem: rsaKey(4).export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  good = signPushCertificateRequest({
    csr,
    vendorCertificatePem: pki.vendor.certPem,
    vendorPrivateKeyPem: pki.vendor.keyPem,
    chainPem: [pki.wwdr.certPem, pki.root.certPem],
  });
});

/** Builds a request by hand so each part can be wrong on purpose. */
function handmade(parts: { csr?: string; chain?: string; signature?: string }): string {
  const entries: Array<[string, string]> = [];
  if (parts.csr !== undefined) entries.push(['PushCertRequestCSR', parts.csr]);
  if (parts.chain !== undefined) entries.push(['PushCertCertificateChain', parts.chain]);
  if (parts.signature !== undefined) entries.push(['PushCertSignature', parts.signature]);
  return Buffer.from(writeStringDictPlist(entries)).toString('base64');
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('verifyPushCertificateRequest', () => {
  it('accepts the Base64 text, its bytes, the XML itself and Base64 with line breaks', () => {
    const xml = Buffer.from(good, 'base64').toString('utf8');
    const wrapped = good.replace(/.{76}/g, '$&\r\n');
    for (const input of [good, Buffer.from(good), xml, wrapped, `\uFEFF${good}\n`]) {
      const check = verifyPushCertificateRequest(input);
      expect(check.valid).toBe(true);
      expect(check.plistXml).toBe(xml);
    }
  });

  it('flags a signature by another key, keeping the decoded parts', () => {
    const wrongSig = sign('sha256', csr.csrDer, pki.wwdr.key);
    const check = verifyPushCertificateRequest(
      handmade({
        csr: b64(csr.csrDer),
        chain: pki.vendor.certPem + pki.wwdr.certPem + pki.root.certPem,
        signature: b64(wrongSig),
      }),
    );
    expect(check.valid).toBe(false);
    expect(check.signatureValid).toBe(false);
    expect(check.signatureHash).toBeUndefined();
    expect(check.problems).toEqual([
      "PushCertSignature does not verify with the vendor certificate's key over the DER CSR.",
    ]);
    expect(Buffer.from(check.signature)).toEqual(wrongSig);
    expect(check.csrSignatureValid).toBe(true);
  });

  it('recognises a SHA-1 signature (Apple’s old documentation) and says SHA-256 is expected', () => {
    const check = verifyPushCertificateRequest(
      handmade({
        csr: b64(csr.csrDer),
        chain: pki.vendor.certPem + pki.wwdr.certPem + pki.root.certPem,
        signature: b64(sign('sha1', csr.csrDer, pki.vendor.key)),
      }),
    );
    expect(check.signatureHash).toBe('sha1');
    expect(check.signatureValid).toBe(false);
    expect(check.problems[0]).toMatch(/SHA1withRSA; Apple now expects SHA256withRSA/);
  });

  it('flags a chain in the wrong order, without a root, or with wrapped PEM lines', () => {
    const sig = b64(sign('sha256', csr.csrDer, pki.vendor.key));
    const swapped = verifyPushCertificateRequest(
      handmade({
        csr: b64(csr.csrDer),
        chain: pki.vendor.certPem + pki.root.certPem + pki.wwdr.certPem,
        signature: sig,
      }),
    );
    expect(swapped.chainValid).toBe(false);
    expect(swapped.signatureValid).toBe(true);
    expect(swapped.problems.join(' ')).toMatch(/Chain certificate 1 is not issued by certificate 2/);
    const noRoot = verifyPushCertificateRequest(
      handmade({ csr: b64(csr.csrDer), chain: pki.vendor.certPem + pki.wwdr.certPem, signature: sig }),
    );
    expect(noRoot.problems).toEqual(['The chain does not end with a self-signed root (the Apple Inc. Root CA).']);
    const vendorOnly = verifyPushCertificateRequest(
      handmade({ csr: b64(csr.csrDer), chain: pki.vendor.certPem, signature: sig }),
    );
    expect(vendorOnly.chainValid).toBe(false);
    const rewrap = (pem: string) =>
      pem.replace(/\n(?!-----)/g, '').replace(/(-----BEGIN CERTIFICATE-----)(.*?)(-----END)/s, (_, a, body, c) => {
        return `${a}\n${body.replace(/(.{76})/g, '$1\n')}\n${c}`;
      });
    const wide = verifyPushCertificateRequest(
      handmade({
        csr: b64(csr.csrDer),
        chain: rewrap(pki.vendor.certPem) + pki.wwdr.certPem + pki.root.certPem,
        signature: sig,
      }),
    );
    expect(wide.signatureValid).toBe(true);
    expect(wide.problems).toEqual(['Chain certificate 1 does not use 64-character PEM lines.']);
  });

  it('flags a CSR whose self-signature is broken', () => {
    const der = Buffer.from(csr.csrDer);
    der[der.indexOf(Buffer.from('Verify School'))] = 'X'.charCodeAt(0);
    const check = verifyPushCertificateRequest(
      handmade({
        csr: b64(der),
        chain: pki.vendor.certPem + pki.wwdr.certPem + pki.root.certPem,
        signature: b64(sign('sha256', der, pki.vendor.key)),
      }),
    );
    expect(check.csrSignatureValid).toBe(false);
    expect(check.signatureValid).toBe(true);
    expect(check.problems).toEqual(["The CSR's self-signature does not verify."]);
  });

  it('throws MalformedInputError for unreadable input', () => {
    const chain = pki.vendor.certPem + pki.wwdr.certPem + pki.root.certPem;
    const sig = b64(sign('sha256', csr.csrDer, pki.vendor.key));
    const cases: Array<[unknown, RegExp]> = [
      ['not base64 at all!', /is not Base64/],
      [Buffer.from('hello world').toString('base64'), /does not decode to an XML plist/],
      [csr.csrPem, /is not Base64|does not decode/],
      [Buffer.from('bplist00abc').toString('base64'), /binary plist/],
      [handmade({ chain, signature: sig }), /no "PushCertRequestCSR"/],
      [handmade({ csr: b64(csr.csrDer), signature: sig }), /no "PushCertCertificateChain"/],
      [handmade({ csr: b64(csr.csrDer), chain }), /no "PushCertSignature"/],
      [handmade({ csr: 'AAAA', chain, signature: sig }), /PushCertRequestCSR is not Base64 of a DER CSR/],
      [handmade({ csr: 'MAMCAQE=', chain, signature: sig }), /not a PKCS#10 request/],
      [handmade({ csr: b64(csr.csrDer), chain: 'no pem here', signature: sig }), /holds no certificate/],
      [handmade({ csr: b64(csr.csrDer), chain, signature: '%%%' }), /PushCertSignature.*not Base64/],
      [Buffer.from('<plist version="1.0"><dict><key>a</key><string>1</string>').toString('base64'), /unexpected XML/],
    ];
    expect(() => verifyPushCertificateRequest(42 as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => verifyPushCertificateRequest(42 as unknown as string)).toThrow(
      /Invalid base64: expected the file content/,
    );
    for (const [input, message] of cases) {
      expect(() => verifyPushCertificateRequest(input as string)).toThrow(MalformedInputError);
      expect(() => verifyPushCertificateRequest(input as string)).toThrow(message);
    }
  });
});

describe.skipIf(!peers.openssl || !peers.python3)(
  'verifyPushCertificateRequest on a request built with openssl + plistlib',
  () => {
    const tmp = tempDir('certs-verify-');
    afterAll(() => tmp.cleanup());

    it('accepts a request made the mdmvendorsign way (openssl sha256 -sign, plistlib, base64)', () => {
      writeFileSync(tmp.path('csr.der'), csr.csrDer);
      writeFileSync(tmp.path('vendor.key'), pki.vendor.keyPem);
      writeFileSync(tmp.path('chain.pem'), pki.vendor.certPem + pki.wwdr.certPem + pki.root.certPem);
      runPeer('openssl', [
        'dgst',
        '-sha256',
        '-sign',
        tmp.path('vendor.key'),
        '-out',
        tmp.path('sig.bin'),
        tmp.path('csr.der'),
      ]);
      const script = [
        'import base64, plistlib, sys',
        'd = sys.argv[1]',
        'p = {',
        "  'PushCertRequestCSR': base64.b64encode(open(d + '/csr.der', 'rb').read()).decode(),",
        "  'PushCertCertificateChain': open(d + '/chain.pem').read(),",
        "  'PushCertSignature': base64.b64encode(open(d + '/sig.bin', 'rb').read()).decode(),",
        '}',
        'sys.stdout.write(base64.b64encode(plistlib.dumps(p)).decode())',
      ].join('\n');
      const request = runPeer('python3', ['-c', script, tmp.dir]).toString();
      const check = verifyPushCertificateRequest(request);
      expect(check.problems).toEqual([]);
      expect(check.valid).toBe(true);
      expect(check.signatureHash).toBe('sha256');
      // The same inputs through our signer give the same signature (RSASSA-PKCS1-v1_5 is deterministic).
      expect(Buffer.from(check.signature)).toEqual(Buffer.from(verifyPushCertificateRequest(good).signature));
    });
  },
);
