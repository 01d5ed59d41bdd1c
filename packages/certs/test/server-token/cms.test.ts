/**
 * Internals of the CMS layer: the BER view over asn1js, OID and DN decoding, and the PKCS#1 v1.5
 * key unwrap with both RSA engines.
 */
import { constants, createPrivateKey, publicEncrypt, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MalformedInputError } from '../../src/index.js';
import { decodeOid, parseBer, readOctets, serialToHex } from '../../src/internal/cms/ber.js';
import { forgeRawRsa, nativeRawRsa, type RawRsa, unpad, unwrapPkcs1v15 } from '../../src/internal/cms/key-transport.js';
import { formatName } from '../../src/internal/cms/name.js';
import { ID, integer, octets, oid, tlv } from '../../src/testing/ber-writer.js';
import { createTestRecipient, type TestRecipient } from '../../src/testing/index.js';

describe('BER view', () => {
  it('decodes OIDs, including large arcs, and rejects malformed ones', () => {
    for (const dotted of ['1.2.840.113549.1.7.3', '2.16.840.1.101.3.4.1.42', '0.9.2342.19200300.100.1.1', '2.999.3']) {
      expect(decodeOid(oid(dotted).subarray(2))).toBe(dotted);
    }
    expect(decodeOid(new Uint8Array(0))).toBeUndefined();
    expect(decodeOid(Uint8Array.of(0x2a, 0x86))).toBeUndefined(); // ends mid-arc
    expect(decodeOid(Uint8Array.of(0x2a, 0x80, 0x01))).toBeUndefined(); // non-minimal
  });

  it('concatenates nested constructed OCTET STRING chunks in order', () => {
    const nested = tlv(
      ID.octetStringConstructed,
      [
        octets(Uint8Array.of(1, 2)),
        tlv(ID.octetStringConstructed, [octets(Uint8Array.of(3)), octets(Uint8Array.of())], true),
        octets(Uint8Array.of(4, 5)),
      ],
      true,
    );
    expect([...readOctets(parseBer(nested, 't'), 't', 'x')]).toEqual([1, 2, 3, 4, 5]);
    const implicit = tlv(ID.context0, [octets(Uint8Array.of(9)), octets(Uint8Array.of(8))], true);
    expect([...readOctets(parseBer(implicit, 't'), 't', 'x', 0)]).toEqual([9, 8]);
    const badChunk = tlv(ID.context0, [integer(1)], true);
    expect(() => readOctets(parseBer(badChunk, 't'), 't', 'content', 0)).toThrow(
      /content chunk 0 should be an OCTET STRING/,
    );
  });

  it('allows trailing zero padding but not other trailing bytes, and never leaks asn1js exceptions', () => {
    const seq = tlv(ID.sequence, [integer(1)]);
    expect(parseBer(Uint8Array.from([...seq, 0, 0, 0]), 't').children).toHaveLength(1);
    expect(() => parseBer(Uint8Array.from([...seq, 1]), 't')).toThrow(
      /1 unexpected bytes follow the structure at offset 5/,
    );
    // 10 000 nested indefinite SEQUENCEs: deep, unterminated.
    const deep = new Uint8Array(20_000).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80));
    expect(() => parseBer(deep, 't')).toThrow(MalformedInputError);
  });

  it('prints serial numbers like X509Certificate#serialNumber', () => {
    expect(serialToHex(Uint8Array.of(0x01))).toBe('01');
    expect(serialToHex(Uint8Array.of(0x00, 0x9a, 0x0b))).toBe('9A0B');
    expect(serialToHex(Uint8Array.of(0x00))).toBe('00');
  });
});

describe('formatName (RFC 4514)', () => {
  const atv = (type: string, id: number, value: Uint8Array) =>
    tlv(ID.set, [tlv(ID.sequence, [oid(type), tlv(id, value)])]);
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it('reverses RDNs, uses openssl short names and escapes special characters', () => {
    const name = tlv(ID.sequence, [
      atv('2.5.4.6', 0x13, utf8('US')),
      atv('2.5.4.10', 0x0c, utf8('Schools, Inc. "A+B" <x>; \\y')),
      atv('2.5.4.3', 0x0c, utf8(' #lead and trail ')),
      atv('0.9.2342.19200300.100.1.1', 0x0c, utf8('com.apple.mgmt.External.1')),
      atv('1.2.3.4', 0x0c, utf8('custom')),
    ]);
    expect(formatName(parseBer(name, 't'), 't', 'Name')).toBe(
      '1.2.3.4=custom,UID=com.apple.mgmt.External.1,CN=\\ #lead and trail\\ ,' +
        'O=Schools\\, Inc. \\"A\\+B\\" \\<x\\>\\; \\\\y,C=US',
    );
  });

  it('decodes BMPString and UniversalString, and writes non-strings as #hex', () => {
    const bmp = Buffer.from('Zoë', 'utf16le').swap16();
    const universal = Uint8Array.of(0, 0, 0, 0x5a, 0, 1, 0xf6, 0x00);
    const name = tlv(ID.sequence, [
      atv('2.5.4.3', 0x1e, bmp),
      atv('2.5.4.11', 0x1c, universal),
      atv('2.5.4.5', 0x02, Uint8Array.of(7)),
    ]);
    expect(formatName(parseBer(name, 't'), 't', 'Name')).toBe('serialNumber=#020107,OU=Z\u{1f600},CN=Zoë');
  });
});

describe('PKCS#1 v1.5 key unwrap', () => {
  let mdm: TestRecipient;
  beforeAll(() => {
    mdm = createTestRecipient();
  });

  it('recovers the key with the native engine and with node-forge, and falls back when native is refused', () => {
    const key = createPrivateKey(mdm.privateKeyPem);
    const cek = randomBytes(16);
    const wrapped = publicEncrypt({ key: mdm.certificatePem, padding: constants.RSA_PKCS1_PADDING }, cek);
    const refused: RawRsa = () => {
      throw Object.assign(new Error('RSA_NO_PADDING is not allowed'), { code: 'ERR_INVALID_ARG_VALUE' });
    };
    for (const engines of [[nativeRawRsa], [forgeRawRsa], [refused, forgeRawRsa]]) {
      expect(Buffer.from(unwrapPkcs1v15(key, wrapped, 16, engines)!)).toEqual(cek);
      // The recovered length must be the cipher's key length.
      expect(unwrapPkcs1v15(key, wrapped, 32, engines)).toBeUndefined();
    }
    // A block larger than the modulus, an empty one, and one too long are "not this key".
    const tooBig = new Uint8Array(256).fill(0xff);
    expect(unwrapPkcs1v15(key, tooBig, 16, [nativeRawRsa])).toBeUndefined();
    expect(unwrapPkcs1v15(key, tooBig, 16, [forgeRawRsa])).toBeUndefined();
    expect(unwrapPkcs1v15(key, new Uint8Array(0), 16)).toBeUndefined();
    expect(unwrapPkcs1v15(key, new Uint8Array(257), 16)).toBeUndefined();
  });

  it('unpad accepts exactly 00 02 PS(≥8 non-zero) 00 M with |M| as expected', () => {
    const em = (ps: number[], m: number[], head = [0, 2]) => Uint8Array.from([...head, ...ps, 0, ...m]);
    const ps8 = [1, 2, 3, 4, 5, 6, 7, 8];
    expect([...unpad(em(ps8, [9, 9]), 2)!]).toEqual([9, 9]);
    expect(unpad(em(ps8, [9, 9]), 3)).toBeUndefined();
    expect(unpad(em(ps8.slice(1), [9, 9]), 2)).toBeUndefined(); // PS too short
    expect(unpad(em(ps8, [9, 9], [1, 2]), 2)).toBeUndefined();
    expect(unpad(em(ps8, [9, 9], [0, 1]), 2)).toBeUndefined();
    expect(unpad(Uint8Array.from([0, 2, ...ps8, 5, 5]), 2)).toBeUndefined(); // no separator
    expect([...unpad(em(ps8, [0, 0]), 2)!]).toEqual([0, 0]); // zeros inside M are fine
  });

  it('unpad agrees with a straightforward reference decoder on random blocks', () => {
    const reference = (b: Uint8Array, len: number) => {
      if (b[0] !== 0 || b[1] !== 2) return undefined;
      const sep = b.indexOf(0, 2);
      if (sep < 10 || b.length - sep - 1 !== len) return undefined;
      return b.slice(sep + 1);
    };
    const block = fc.oneof(
      fc.uint8Array({ minLength: 12, maxLength: 40 }),
      fc
        .tuple(
          fc.uint8Array({ minLength: 0, maxLength: 12 }).map((a) => a.map((x) => x || 1)),
          fc.uint8Array({ maxLength: 20 }),
        )
        .map(([ps, m]) => Uint8Array.from([0, 2, ...ps, 0, ...m])),
    );
    fc.assert(
      fc.property(block, fc.integer({ min: 0, max: 24 }), (b, len) => {
        const got = unpad(b, len);
        const want = reference(b, len);
        expect(got === undefined ? undefined : [...got]).toEqual(want === undefined ? undefined : [...want]);
      }),
      { numRuns: 500 },
    );
  });
});
