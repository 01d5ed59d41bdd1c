import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { peers, runPeer } from '../../../../test/support/peers.js';
import { decodeBase64, parsePem, toPem } from '../../src/index.js';

describe('decodeBase64', () => {
  it.each([
    ['aGVsbG8=', 'hello'],
    ['aGVs\r\nbG8=', 'hello'],
    ['aGVsbG8', 'hello'],
    ['-_-_', Buffer.from('+/+/', 'base64').toString('latin1')],
  ])('decodes %j', (text, expected) => {
    const r = decodeBase64(text);
    expect(r.ok && Buffer.from(r.bytes).toString('latin1')).toBe(expected);
  });

  it.each([
    ['', 'it is empty'],
    ['aGV*bG8=', 'character "*" at offset 3 is not Base64'],
    ['aG=Vs', 'truncated or has padding in the middle'],
    ['aGVsb', 'truncated or has padding in the middle'],
  ])('rejects %j with its reason and a hint', (text, reason) => {
    const r = decodeBase64(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toContain(reason);
      expect(r.hint.length).toBeGreaterThan(0);
    }
  });
});

describe('parsePem / toPem', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));

  it('round-trips DER through toPem and parsePem, with CRLF too', () => {
    const pem = toPem('PRIVATE KEY', der);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END PRIVATE KEY-----\n$/);
    for (const text of [pem, pem.replace(/\n/g, '\r\n')]) {
      const [section] = parsePem(`junk before\n${text}junk after`);
      expect(section?.label).toBe('PRIVATE KEY');
      expect(section?.body.ok && Buffer.from(section.body.bytes).equals(Buffer.from(der))).toBe(true);
    }
  });

  it('reads RFC 1421 headers of legacy encrypted PEM and decodes the body after them', () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00FF\n\naGVsbG8=\n-----END RSA PRIVATE KEY-----\n`;
    const [section] = parsePem(text);
    expect(section?.headers).toEqual({ 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-256-CBC,00FF' });
    expect(section?.body.ok && Buffer.from(section.body.bytes).toString()).toBe('hello');
  });

  it('reports a block whose body is not Base64 instead of decoding garbage', () => {
    const [section] = parsePem('-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----');
    expect(section?.body.ok).toBe(false);
  });

  it.skipIf(!peers.openssl)('writes PEM that openssl reads, and reads what openssl writes', () => {
    const cert = runPeer('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      '/CN=pem-test',
      '-days',
      '1',
    ]).toString();
    const [section] = parsePem(cert);
    expect(section?.body.ok).toBe(true);
    if (!section?.body.ok) return;
    expect(new X509Certificate(section.body.bytes).subject).toBe('CN=pem-test');
    const again = runPeer('openssl', ['x509', '-noout', '-subject'], {
      input: toPem('CERTIFICATE', section.body.bytes),
    });
    expect(again.toString()).toMatch(/CN ?= ?pem-test/);
  });
});
