import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import {
  createPushCertificateCsr,
  MalformedInputError,
  type PushCertificateCsr,
  UnsupportedAlgorithmError,
  WrongPasswordError,
} from '@schoolmdm/certs';
import { InvalidArgumentError } from '@schoolmdm/core';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { peers, runPeer, tempDir, tryPeer } from '../../../../test/support/peers.js';
import { formatName } from '../../src/certificate/name.js';
import { parseCsr } from '../../src/csr/parse.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });

let full: PushCertificateCsr;
let generated: PushCertificateCsr;
beforeAll(async () => {
  full = await createPushCertificateCsr({
    commonName: 'Lincoln High',
    email: 'it@lincoln.example',
    country: 'us',
    privateKeyPem: pkcs1,
  });
  generated = await createPushCertificateCsr({ commonName: 'Generated Key School' });
});

describe('createPushCertificateCsr options', () => {
  it.each([
    [{ commonName: '' }, /Invalid options.commonName: expected a non-empty string of at most 64 characters/],
    [{ commonName: 'x'.repeat(65) }, /options.commonName/],
    [{ commonName: 'ok', country: 'USA' }, /Invalid options.country: expected a two-letter ISO 3166 code/],
    [{ commonName: 'ok', email: 'jürgen@schule.example' }, /Invalid options.email: expected an ASCII e-mail address/],
    [{ commonName: 'ok', email: 'no-at-sign' }, /options.email/],
    [
      { commonName: 'ok', common_name: 'x' },
      /Invalid options.common_name: unknown option; did you mean "commonName"\?/,
    ],
    [null, /Invalid options: expected an options object, got null/],
  ])('rejects %j with InvalidArgumentError', async (options, message) => {
    await expect(createPushCertificateCsr(options as never)).rejects.toThrow(InvalidArgumentError);
    await expect(createPushCertificateCsr(options as never)).rejects.toThrow(message);
  });
});

describe('createPushCertificateCsr', () => {
  it('builds a PKCS#10 with subject C, CN, emailAddress in that order and a valid SHA256withRSA signature', () => {
    const parsed = parseCsr(full.csrPem);
    expect(parsed.signatureValid).toBe(true);
    expect(parsed.signatureAlgorithmOid).toBe('1.2.840.113549.1.1.11');
    expect(parsed.subject.flat().map((a) => [a.type, a.value])).toEqual([
      ['C', 'US'],
      ['CN', 'Lincoln High'],
      ['emailAddress', 'it@lincoln.example'],
    ]);
    expect(formatName(parsed.subject)).toBe('emailAddress=it@lincoln.example,CN=Lincoln High,C=US');
    expect(Buffer.from(parsed.der)).toEqual(Buffer.from(full.csrDer));
    expect(full.csrDer).toBeInstanceOf(Uint8Array);
  });

  it('uses the given key (PKCS#1 in, PKCS#8 out) and encodes string types as Keychain Access does', () => {
    expect(parseCsr(full).publicKey.export({ type: 'spki', format: 'der' })).toEqual(spki);
    expect(full.privateKeyPem).toBe(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    // C PrintableString (0x13), CN UTF8String (0x0c), emailAddress IA5String (0x16).
    const der = Buffer.from(full.csrDer);
    expect(der.includes(Buffer.from([0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x55, 0x53]))).toBe(true);
    expect(der.includes(Buffer.concat([Buffer.from([0x55, 0x04, 0x03, 0x0c, 12]), Buffer.from('Lincoln High')]))).toBe(
      true,
    );
    expect(der.includes(Buffer.concat([Buffer.from([0x01, 0x16, 18]), Buffer.from('it@lincoln.example')]))).toBe(true);
  });

  it('generates an RSA-2048 key natively when none is given, and returns it', async () => {
    const key = createPrivateKey(generated.privateKeyPem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(parseCsr(generated.csrDer).publicKey.export({ type: 'spki', format: 'der' })).toEqual(
      createPublicKey(key).export({ type: 'spki', format: 'der' }),
    );
    expect(formatName(parseCsr(generated).subject)).toBe('CN=Generated Key School');
    const spy = vi.spyOn(forge.pki.rsa, 'generateKeyPair');
    await createPushCertificateCsr({ commonName: 'x' });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('opens an encrypted key with its passphrase and reports a wrong one', async () => {
    const encrypted = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw-123' })
      .toString();
    const csr = await createPushCertificateCsr({ commonName: 'Enc', privateKeyPem: encrypted, passphrase: 'pw-123' });
    expect(parseCsr(csr).publicKey.export({ type: 'spki', format: 'der' })).toEqual(spki);
    await expect(
      createPushCertificateCsr({ commonName: 'Enc', privateKeyPem: encrypted, passphrase: 'nope' }),
    ).rejects.toThrow(WrongPasswordError);
  });

  it('rejects EC and short RSA keys', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    await expect(createPushCertificateCsr({ commonName: 'x', privateKeyPem: ec.toString() })).rejects.toThrow(
      UnsupportedAlgorithmError,
    );
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    await expect(createPushCertificateCsr({ commonName: 'x', privateKeyPem: small.toString() })).rejects.toThrow(
      /RSA-1024/,
    );
  });

  it.each([[{ commonName: 'ok', privateKeyPem: 'not a key' }, /not PEM text/]])(
    'rejects %j with MalformedInputError',
    async (options, message) => {
      const run = createPushCertificateCsr(options as Parameters<typeof createPushCertificateCsr>[0]);
      await expect(run).rejects.toThrow(MalformedInputError);
      await expect(createPushCertificateCsr(options as Parameters<typeof createPushCertificateCsr>[0])).rejects.toThrow(
        message,
      );
    },
  );

  it('hides the private key in JSON, toString and util.inspect', () => {
    const line = full.privateKeyPem.split('\n')[5]!;
    for (const out of [JSON.stringify(full), String(full), inspect(full), inspect(full, { showHidden: true })]) {
      expect(out).not.toContain(line);
      expect(out).toContain('[REDACTED]');
    }
    expect(JSON.parse(JSON.stringify(full)).csrPem).toBe(full.csrPem);
    expect(full.privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('parseCsr notices a tampered request and rejects non-CSR input', () => {
    const der = Buffer.from(full.csrDer);
    const at = der.indexOf(Buffer.from('Lincoln High'));
    der[at] = 'M'.charCodeAt(0);
    expect(parseCsr(der).signatureValid).toBe(false);
    expect(() => parseCsr('-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n')).toThrow(
      /no PEM block labelled "CERTIFICATE REQUEST"/,
    );
    expect(() => parseCsr(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(/not a PKCS#10 request/);
    expect(() => parseCsr({ csrDer: 'x' } as unknown as { csrDer: Uint8Array })).toThrow(/no csrDer bytes/);
  });
});

/** openssl req -verify's verdict lines (OpenSSL 3.0 wording; 1.1 printed "verify OK"/"verify failure" alone). */
const VERIFY_OK = 'Certificate request self-signature verify OK';
const VERIFY_FAILURE = 'Certificate request self-signature verify failure';
function verifyLines(output: string): string[] {
  return output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /verify (OK|failure)$/.test(l))
    .map((l) =>
      /^(Certificate request self-signature )?verify OK$/.test(l)
        ? VERIFY_OK
        : /^(Certificate request self-signature )?verify failure$/.test(l)
          ? VERIFY_FAILURE
          : l,
    );
}

describe.skipIf(!peers.openssl)('createPushCertificateCsr against openssl', () => {
  const tmp = tempDir('certs-csr-');
  afterAll(() => tmp.cleanup());

  it('passes openssl req -verify with the same subject (PEM and DER forms)', () => {
    writeFileSync(tmp.path('push.csr'), full.csrPem);
    const out = runPeer('openssl', [
      'req',
      '-in',
      tmp.path('push.csr'),
      '-noout',
      '-verify',
      '-subject',
      '-nameopt',
      'RFC2253',
    ]);
    const text = out.toString();
    expect(text).toContain('subject=emailAddress=it@lincoln.example,CN=Lincoln High,C=US');
    writeFileSync(tmp.path('push.der'), full.csrDer);
    const der = tryPeer('openssl', ['req', '-inform', 'DER', '-in', tmp.path('push.der'), '-noout', '-verify']);
    expect(der.status).toBe(0);
    expect(verifyLines(`${der.stdout}${der.stderr}`)).toEqual([VERIFY_OK]);
    writeFileSync(tmp.path('gen.csr'), generated.csrPem);
    const gen = tryPeer('openssl', ['req', '-in', tmp.path('gen.csr'), '-noout', '-verify']);
    expect(verifyLines(`${gen.stdout}${gen.stderr}`)).toEqual([VERIFY_OK]);
  });

  it('shows the string types openssl asn1parse reads', () => {
    writeFileSync(tmp.path('push.csr'), full.csrPem);
    const dump = runPeer('openssl', ['asn1parse', '-in', tmp.path('push.csr')]).toString();
    expect(dump).toMatch(/countryName\n.*PRINTABLESTRING\s+:US/);
    expect(dump).toMatch(/commonName\n.*UTF8STRING\s+:Lincoln High/);
    expect(dump).toMatch(/emailAddress\n.*IA5STRING\s+:it@lincoln.example/);
    expect(dump).toContain('sha256WithRSAEncryption');
  });

  it('openssl rejects the tampered request too (our check agrees with the peer)', () => {
    const der = Buffer.from(full.csrDer);
    der[der.indexOf(Buffer.from('Lincoln High'))] = 'M'.charCodeAt(0);
    writeFileSync(tmp.path('bad.der'), der);
    const r = tryPeer('openssl', ['req', '-inform', 'DER', '-in', tmp.path('bad.der'), '-noout', '-verify']);
    // OpenSSL 3.0 exits 0 even on "verify failure", and /signature/ also matches the success
    // line, so only the exact line tells (issue #15): the failure line, and not the OK line.
    expect(verifyLines(`${r.stdout}${r.stderr}`)).toEqual([VERIFY_FAILURE]);
    expect(parseCsr(der).signatureValid).toBe(false);
  });

  it('parseCsr reads an openssl-made CSR with a valid signature', () => {
    writeFileSync(tmp.path('k.pem'), pkcs1);
    const pem = runPeer('openssl', [
      'req',
      '-new',
      '-key',
      tmp.path('k.pem'),
      '-subj',
      '/C=DE/CN=Schule Nord/emailAddress=it@nord.example',
      '-sha256',
    ]).toString();
    const parsed = parseCsr(pem);
    expect(parsed.signatureValid).toBe(true);
    expect(formatName(parsed.subject)).toBe('emailAddress=it@nord.example,CN=Schule Nord,C=DE');
  });
});
