/**
 * Property tests: payloads of every size around the cipher block boundaries, split into BER
 * chunks of any size, round-trip through the test encryptor and the decryptor; a sample also
 * through `openssl cms -decrypt`.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { decryptServerToken } from '../../src/index.js';
import { decryptEnvelope } from '../../src/internal/cms/decrypt.js';
import { parseEnvelope } from '../../src/internal/cms/enveloped-data.js';
import {
  createTestRecipient,
  encryptEnvelopedData,
  encryptServerToken,
  type TestContentCipher,
  type TestRecipient,
} from '../../src/testing/index.js';

const CIPHERS: TestContentCipher[] = ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'des-ede3-cbc'];

let mdm: TestRecipient;
let key: KeyObject;
beforeAll(() => {
  mdm = createTestRecipient();
  key = createPrivateKey(mdm.privateKeyPem);
});

function roundTrip(
  content: Uint8Array,
  options: { cipher: TestContentCipher; chunkSize?: number; indefiniteLength?: boolean },
) {
  const der = encryptEnvelopedData({ content, recipientCertificatePem: mdm.certificatePem, ...options });
  return decryptEnvelope(parseEnvelope(der, 'token'), { privateKey: key, what: 'token' });
}

describe('encryptor → decryptor', () => {
  it.each(CIPHERS)('every payload size 0..80 bytes with %s', (cipher) => {
    for (let size = 0; size <= 80; size++) {
      const content = Uint8Array.from({ length: size }, (_, i) => (i * 37 + size) & 0xff);
      expect(Buffer.from(roundTrip(content, { cipher })), `size ${size}`).toEqual(Buffer.from(content));
    }
  });

  it('random payloads, chunk sizes, length forms and ciphers', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        fc.constantFrom(...CIPHERS),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        (content, cipher, chunkSize, indefiniteLength) => {
          expect(Buffer.from(roundTrip(content, { cipher, chunkSize, indefiniteLength }))).toEqual(
            Buffer.from(content),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('ServerToken fields of any text (JSON escapes, non-ASCII) survive encryptServerToken → decryptServerToken', () => {
    const text = fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' });
    fc.assert(
      fc.property(
        text,
        text,
        text,
        text,
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (ck, cs, at, as, when) => {
          const expiry = new Date(Math.floor(when.getTime() / 1000) * 1000); // Apple writes whole seconds
          const token = {
            consumerKey: ck,
            consumerSecret: cs,
            accessToken: at,
            accessSecret: as,
            accessTokenExpiry: expiry,
          };
          const t = decryptServerToken(encryptServerToken({ token, recipientCertificatePem: mdm.certificatePem }), {
            privateKeyPem: key,
          });
          expect([
            t.consumerKey,
            t.consumerSecret,
            t.accessToken,
            t.accessSecret,
            t.accessTokenExpiry.getTime(),
          ]).toEqual([ck, cs, at, as, expiry.getTime()]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe.skipIf(!peers.openssl)('encryptor → openssl cms -decrypt across block boundaries', () => {
  const tmp = tempDir('schoolmdm-prop-');
  afterAll(() => tmp.cleanup());

  it.each([
    ['aes-128-cbc', [0, 1, 15, 16, 17, 31, 32, 33, 80]],
    ['des-ede3-cbc', [7, 8, 9, 23, 24, 25]],
  ] as const)('%s', (cipher, sizes) => {
    writeFileSync(tmp.path('mdm.key'), mdm.privateKeyPem);
    writeFileSync(tmp.path('mdm.crt'), mdm.certificatePem);
    for (const size of sizes) {
      const content = Uint8Array.from({ length: size }, (_, i) => (i * 101 + 7) & 0xff);
      const der = encryptEnvelopedData({ content, recipientCertificatePem: mdm.certificatePem, cipher, chunkSize: 5 });
      writeFileSync(tmp.path('p.der'), der);
      const out = runPeer(
        'openssl',
        ['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', 'p.der', '-inkey', 'mdm.key', '-recip', 'mdm.crt'],
        { cwd: tmp.dir },
      );
      expect(out, `size ${size}`).toEqual(Buffer.from(content));
    }
  });
});
