import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peers } from '../../../../test/support/peers.js';
import { PlistError } from '../../src/errors.js';
import {
  PlistInteger,
  type PlistReadWarning,
  PlistReal,
  type PlistValue,
  readPlist,
  real,
  writePlist,
} from '../../src/plist/index.js';
import { plistValueArb } from '../fixtures/arbitraries.js';
import { pythonDumps, tag } from '../fixtures/tagged.js';

/**
 * Lays out hand-made binary plists: `objects[i]` are the encoded bytes of object i; the
 * offset table uses 1-byte offsets and the trailer declares 1-byte references.
 */
function bplist(
  objects: number[][],
  opts: { top?: number; magic?: string; trailer?: Partial<Trailer> } = {},
): Uint8Array {
  const body: number[] = [...Buffer.from(opts.magic ?? 'bplist00', 'latin1')];
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(body.length);
    body.push(...o);
  }
  const tableOffset = body.length;
  body.push(...offsets);
  const t: Trailer = {
    offsetSize: 1,
    refSize: 1,
    numObjects: objects.length,
    top: opts.top ?? 0,
    tableOffset,
    ...opts.trailer,
  };
  const trailer = Buffer.alloc(32);
  trailer[6] = t.offsetSize;
  trailer[7] = t.refSize;
  trailer.writeBigUInt64BE(BigInt(t.numObjects), 8);
  trailer.writeBigUInt64BE(BigInt(t.top), 16);
  trailer.writeBigUInt64BE(BigInt(t.tableOffset), 24);
  return new Uint8Array([...body, ...trailer]);
}
interface Trailer {
  offsetSize: number;
  refSize: number;
  numObjects: number;
  top: number;
  tableOffset: number;
}

function thrown(fn: () => unknown): PlistError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlistError);
    return e as PlistError;
  }
  throw new Error('expected a PlistError');
}

describe('readPlist (binary): hand-made documents', () => {
  it('reads scalars of every size and kind', () => {
    expect(readPlist(bplist([[0x09]]))).toBe(true);
    expect(readPlist(bplist([[0x08]]))).toBe(false);
    expect(readPlist(bplist([[0x10, 0xff]]))).toBe(255);
    expect(readPlist(bplist([[0x11, 0xff, 0xff]]))).toBe(65535);
    expect(readPlist(bplist([[0x12, 0xff, 0xff, 0xff, 0xff]]))).toBe(4294967295);
    expect(readPlist(bplist([[0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]]))).toBe(-2);
    expect(readPlist(bplist([[0x13, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]))).toBe(2n ** 63n - 1n);
    expect(readPlist(bplist([[0x14, ...new Array(8).fill(0), ...new Array(8).fill(0xff)]]))).toBe(2n ** 64n - 1n);
    expect(readPlist(bplist([[0x22, 0x3f, 0xc0, 0x00, 0x00]]))).toBe(1.5);
    expect(readPlist(bplist([[0x23, ...Buffer.from(new Float64Array([0.1]).buffer).reverse()]]))).toBe(0.1);
    // 2001-01-01T00:00:01Z is 1.0 seconds after the Core Data epoch
    expect(readPlist(bplist([[0x33, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]]))).toEqual(new Date('2001-01-01T00:00:01Z'));
    expect(readPlist(bplist([[0x42, 0xde, 0xad]]))).toEqual(new Uint8Array([0xde, 0xad]));
    expect(readPlist(bplist([[0x53, 0x61, 0x62, 0x63]]))).toBe('abc');
    expect(readPlist(bplist([[0x63, 0x00, 0xe4, 0xd8, 0x3c, 0xdf, 0x92]]))).toBe('ä🎒');
    expect(readPlist(bplist([[0x80, 0x05]]))).toEqual({ CF$UID: 5 });
  });

  it('reads long lengths (0xF marker), arrays, sets and dictionaries', () => {
    const str = 'x'.repeat(20);
    expect(readPlist(bplist([[0x5f, 0x10, 20, ...Buffer.from(str)]]))).toBe(str);
    expect(readPlist(bplist([[0xa2, 1, 2], [0x09], [0x10, 7]]))).toEqual([true, 7]);
    expect(readPlist(bplist([[0xc1, 1], [0x08]]))).toEqual([false]);
    expect(
      readPlist(
        bplist([
          [0xd1, 1, 2],
          [0x51, 0x6b],
          [0x51, 0x76],
        ]),
      ),
    ).toEqual({ k: 'v' });
  });

  it('shares an object referenced twice instead of decoding it again', () => {
    const v = readPlist(bplist([[0xa2, 1, 1], [0xd0]])) as PlistValue[];
    expect(v).toEqual([{}, {}]);
    expect(v[0]).toBe(v[1]);
  });

  it('reads a duplicate key like plistlib (last wins, warning with offset), and refuses it on request', () => {
    const dup = bplist([[0xd2, 1, 1, 2, 3], [0x51, 0x6b], [0x09], [0x08]]);
    const warnings: PlistReadWarning[] = [];
    expect(readPlist(dup, { onWarning: (w) => warnings.push(w) })).toEqual({ k: false });
    expect(warnings).toEqual([expect.objectContaining({ code: 'duplicate-key', key: 'k', path: 'k', offset: 8 })]);
    expect(() => readPlist(dup, { duplicateKeys: 'error' })).toThrow(/duplicate key "k"/);
  });

  it('wraps numbers with preserveNumberTypes', () => {
    const v = readPlist(
      bplist([
        [0xa2, 1, 2],
        [0x10, 1],
        [0x23, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0],
      ]),
      {
        preserveNumberTypes: true,
      },
    ) as PlistValue[];
    expect(v[0]).toBeInstanceOf(PlistInteger);
    expect(v[1]).toBeInstanceOf(PlistReal);
    expect(writePlist(v)).toContain('<real>1.0</real>');
  });

  const corrupt: [string, Uint8Array, RegExp][] = [
    ['a reference cycle', bplist([[0xa1, 0]]), /reference cycle through object 0/],
    [
      'an indirect cycle',
      bplist([
        [0xa1, 1],
        [0xd1, 2, 0],
        [0x51, 0x6b],
      ]),
      /reference cycle/,
    ],
    ['an out-of-range reference', bplist([[0xa1, 9]]), /object reference 9 out of range/],
    ['a length past the end', bplist([[0x5f, 0x10, 200, 0x61]]), /extends past the end/],
    ['an offset table past the end', bplist([[0x09]], { trailer: { tableOffset: 500 } }), /offset table out of range/],
    [
      'an object offset inside the table',
      bplist([[0x09]], { trailer: { numObjects: 1 } }).map((b, i, a) => (i === a.length - 33 ? 200 : b)),
      /out-of-range offset 200/,
    ],
    ['a top object beyond the count', bplist([[0x09]], { trailer: { top: 3 } }), /object count or top object/],
    ['a zero reference size', bplist([[0x09]], { trailer: { refSize: 0 } }), /invalid trailer/],
    [
      'a non-string key',
      bplist([
        [0xd1, 1, 1],
        [0x10, 1],
      ]),
      /key is not a string/,
    ],
    ['a null object', bplist([[0x00]]), /null objects are not supported/],
    ['an unknown marker', bplist([[0x70]]), /unsupported marker 0x70/],
    ['an integer of 3 bytes', bplist([[0x15, 1, 2, 3]]), /unsupported integer size 32|extends past/],
    ['a NaN real', bplist([[0x23, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0]]), /NaN and Infinity/],
    ['invalid UTF-16', bplist([[0x61, 0xd8, 0x00]]), /invalid UTF-16/],
    ['non-ASCII in an ASCII string', bplist([[0x51, 0xe4]]), /non-ASCII byte/],
    ['another version', bplist([[0x09]], { magic: 'bplist15' }), /unsupported binary plist version "bplist15"/],
    ['a file too short', new Uint8Array(Buffer.from('bplist00')), /too short/],
  ];
  it.each(corrupt)('rejects %s with a PlistError', (_name, bytes, message) => {
    const e = thrown(() => readPlist(bytes));
    expect(e.message).toMatch(message);
    expect(e.offset).toBeTypeOf('number');
  });

  it('names the key path of a bad value', () => {
    const e = thrown(() => readPlist(bplist([[0xd1, 1, 2], [0x51, 0x6b], [0xa1, 3], [0x00]])));
    expect(e.path).toBe('k[0]');
  });

  it('refuses nesting beyond maxDepth', () => {
    const objects = Array.from({ length: 12 }, (_, i) => (i < 11 ? [0xa1, i + 1] : [0xa0]));
    expect(thrown(() => readPlist(bplist(objects), { maxDepth: 5 })).message).toMatch(/deeper than 5/);
    expect(readPlist(bplist(objects))).toBeInstanceOf(Array);
  });
});

describe.skipIf(!peers.python3)('readPlist (binary) against Python plistlib FMT_BINARY', () => {
  it('reads a realistic profile with every type and integer width', () => {
    const model: PlistValue = {
      PayloadContent: [
        {
          SSID_STR: 'Schul-WLAN Gäste 🎒',
          Password: '<&>]]>\r\n\t',
          Ints: [0, 255, 256, 65535, 65536, 2 ** 32, -1, -(2n ** 63n), 2n ** 63n, 2n ** 64n - 1n],
          Reals: [0.5, real(3600), real(-1e300)],
          Data: new Uint8Array(300).map((_, i) => i),
          When: new Date('2030-07-31T23:59:58Z'),
          Many: Array.from({ length: 300 }, (_, i) => `item ${i}`),
          Empty: [[], {}, '', new Uint8Array(0)],
        },
      ],
      PayloadType: 'Configuration',
    };
    const [bin] = pythonDumps([{ fmt: 'binary', value: tag(model) }]);
    expect(bin!.subarray(0, 8).toString('latin1')).toBe('bplist00');
    expect(tag(readPlist(bin!, { preserveNumberTypes: true }))).toEqual(tag(model));
  });

  it('reads arbitrary values written by plistlib, and keyed-archive UIDs', () => {
    const samples = fc.sample(plistValueArb, { numRuns: 100, seed: 99 });
    const bins = pythonDumps(samples.map((v) => ({ fmt: 'binary' as const, value: tag(v) })));
    expect(bins).toHaveLength(samples.length);
    bins.forEach((bin, i) => {
      expect(tag(readPlist(bin))).toEqual(tag(samples[i]!));
    });
    const [uid] = pythonDumps([{ fmt: 'binary', value: { array: [{ uid: 7 }, { uid: 300 }] } }]);
    expect(readPlist(uid!)).toEqual([{ CF$UID: 7 }, { CF$UID: 300 }]);
  });
});
