/**
 * The test encryptor's algorithm table, checked against openssl (the independent truth), not
 * against the decryptor's table: if both came from one table, a wrong OID would be written and
 * read back consistently and every encryptor → decryptor test would still pass (issue #15).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { TEST_CIPHERS, TEST_OIDS } from '../../src/testing/algorithms.js';
import { oid } from '../../src/testing/ber-writer.js';

describe.skipIf(!peers.openssl)('test encryptor algorithms against openssl', () => {
  const tmp = tempDir('certs-alg-');
  afterAll(() => tmp.cleanup());

  /** DER of the OID openssl knows by `name`. */
  function opensslOid(name: string): string {
    const file = tmp.path(`${name}.der`);
    runPeer('openssl', ['asn1parse', '-genstr', `OID:${name}`, '-noout', '-out', file]);
    return readFileSync(file).toString('hex');
  }

  it('lists the four ciphers', () => {
    expect(TEST_CIPHERS.map((c) => c.name)).toEqual(['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'des-ede3-cbc']);
  });

  it.each(TEST_CIPHERS.map((c) => [c.name, c] as const))(
    '%s: OID, key and IV sizes are what openssl says',
    (name, c) => {
      expect(Buffer.from(oid(c.oid)).toString('hex')).toBe(opensslOid(name));
      const out = runPeer('openssl', ['enc', `-${name}`, '-P', '-k', 'x', '-nosalt', '-pbkdf2']).toString();
      const key = /^key\s*=\s*([0-9A-F]+)$/m.exec(out)?.[1];
      const iv = /^iv\s*=\s*([0-9A-F]+)$/m.exec(out)?.[1];
      expect(key?.length).toBe(c.keyBytes * 2);
      expect(iv?.length).toBe(c.ivBytes * 2);
    },
  );

  it.each([
    ['data', 'pkcs7-data'],
    ['envelopedData', 'pkcs7-envelopedData'],
    ['rsaEncryption', 'rsaEncryption'],
    ['rsaesOaep', 'RSAES-OAEP'],
  ] as const)('%s is openssl’s %s', (key, name) => {
    expect(Buffer.from(oid(TEST_OIDS[key])).toString('hex')).toBe(opensslOid(name));
  });
});
