import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peers } from '../../../../test/support/peers.js';
import { PlistError } from '../../src/errors.js';
import { integer, type PlistValue, real, writePlist } from '../../src/plist/index.js';
import { compareCodePoints } from '../../src/plist/write.js';
import { plistValueArb } from '../fixtures/arbitraries.js';
import { normalize, pythonDumps, pythonLoads, tag } from '../fixtures/tagged.js';

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
  '<plist version="1.0">\n';

/** The body between `<plist>` and `</plist>`. */
function body(v: PlistValue): string {
  const xml = writePlist(v);
  expect(xml.startsWith(HEAD)).toBe(true);
  expect(xml.endsWith('</plist>\n')).toBe(true);
  return xml.slice(HEAD.length, -'</plist>\n'.length);
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

/** A minimal Wi-Fi profile, the shape the SDK emits for the bootstrap network. */
const wifiProfile = {
  PayloadContent: [
    {
      AutoJoin: true,
      EncryptionType: 'WPA2',
      HIDDEN_NETWORK: false,
      Password: 'p<&>]]>"\'ä🎒',
      PayloadIdentifier: 'org.example.school.bootstrap-wifi.wifi',
      PayloadType: 'com.apple.wifi.managed',
      PayloadUUID: '5B0C1C5E-4A3F-5D2B-9E51-0A3C2B1D4E5F',
      PayloadVersion: 1,
      SSID_STR: 'Schul-WLAN Gäste',
    },
  ],
  PayloadDisplayName: 'School Wi-Fi (setup)',
  PayloadIdentifier: 'org.example.school.bootstrap-wifi',
  PayloadType: 'Configuration',
  PayloadUUID: '0E1F2A3B-4C5D-5E6F-8A9B-0C1D2E3F4A5B',
  PayloadVersion: 1,
  TargetDeviceType: 1,
  DurationUntilRemoval: real(3600),
  RemovalDate: new Date(Date.UTC(2030, 6, 31, 23, 59, 58, 999)),
} satisfies PlistValue;

describe('writePlist: document shape', () => {
  it('writes the Apple header, tab indentation, sorted keys and a trailing newline', () => {
    expect(writePlist({ b: 'x', a: [1, true, false], c: {} })).toBe(
      `${HEAD}<dict>\n\t<key>a</key>\n\t<array>\n\t\t<integer>1</integer>\n\t\t<true/>\n\t\t<false/>\n\t</array>\n` +
        '\t<key>b</key>\n\t<string>x</string>\n\t<key>c</key>\n\t<dict/>\n</dict>\n</plist>\n',
    );
  });

  it('writes any value at the root, and empty containers as <dict/> and <array/>', () => {
    expect(body('hi')).toBe('<string>hi</string>\n');
    expect(body([])).toBe('<array/>\n');
    expect(body({})).toBe('<dict/>\n');
    expect(body('')).toBe('<string></string>\n');
  });

  it('keeps insertion order when sortKeys is false', () => {
    const xml = writePlist({ b: 1, a: 2 }, { sortKeys: false });
    expect(xml.indexOf('<key>b</key>')).toBeLessThan(xml.indexOf('<key>a</key>'));
  });

  it('sorts keys by code point, not UTF-16 code unit (emoji after U+FF01, as Python sorts)', () => {
    const xml = writePlist({ '\u{1F392}': 1, '\uFF01': 2, a: 3, Z: 4 });
    const order = [...xml.matchAll(/<key>(.*?)<\/key>/g)].map((m) => m[1]);
    expect(order).toEqual(['Z', 'a', '\uFF01', '\u{1F392}']);
    expect(compareCodePoints('\u{1F392}', '\uFF01')).toBeGreaterThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'a')).toBe(0);
  });

  it('skips undefined dictionary values', () => {
    expect(body({ a: undefined, b: 1 } as unknown as PlistValue)).toBe(
      '<dict>\n\t<key>b</key>\n\t<integer>1</integer>\n</dict>\n',
    );
    expect(body({ a: undefined } as unknown as PlistValue)).toBe('<dict/>\n');
  });

  it('is deterministic: the same model gives the same bytes', () => {
    const copy = { ...wifiProfile, PayloadContent: wifiProfile.PayloadContent.map((p) => ({ ...p })) };
    expect(writePlist(wifiProfile)).toBe(writePlist(copy));
  });
});

describe('writePlist: numbers', () => {
  it('types plain numbers by integrality, bigint as integer, and honours real()/integer()', () => {
    expect(body(3600)).toBe('<integer>3600</integer>\n');
    expect(body(-0)).toBe('<integer>0</integer>\n');
    expect(body(1.5)).toBe('<real>1.5</real>\n');
    expect(body(real(3600))).toBe('<real>3600.0</real>\n');
    expect(body(real(-0))).toBe('<real>-0.0</real>\n');
    expect(body(integer(7))).toBe('<integer>7</integer>\n');
    expect(body(2n ** 64n - 1n)).toBe('<integer>18446744073709551615</integer>\n');
    expect(body(integer(-(2n ** 63n)))).toBe('<integer>-9223372036854775808</integer>\n');
    expect(body(2 ** 60)).toBe('<integer>1152921504606846976</integer>\n');
  });

  it('formats reals like Python repr()', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [1e16, '1e+16'],
      [1e15, '1000000000000000.0'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [-2.5e-300, '-2.5e-300'],
      [123.456, '123.456'],
      [Number.MAX_VALUE, '1.7976931348623157e+308'],
      [5e-324, '5e-324'],
    ];
    for (const [n, text] of cases) expect(body(real(n))).toBe(`<real>${text}</real>\n`);
  });

  it('rejects NaN, Infinity and integers beyond 64 bits with the path', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const e = thrown(() => writePlist({ PayloadContent: [{ Retries: bad }] }));
      expect(e.path).toBe('PayloadContent[0].Retries');
      expect(e.message).toContain('NaN or Infinity');
    }
    expect(thrown(() => writePlist({ n: 2n ** 64n })).path).toBe('n');
    expect(thrown(() => writePlist({ n: -(2n ** 63n) - 1n })).path).toBe('n');
    expect(thrown(() => writePlist([1e21])).path).toBe('[0]');
  });

  it('validates the wrappers when they are made', () => {
    expect(() => real(Number.NaN)).toThrow(PlistError);
    expect(() => integer(1.5)).toThrow(/use real\(\)/);
    expect(() => integer(2n ** 64n)).toThrow(PlistError);
    expect(+real(2)).toBe(2);
    expect(integer(2n ** 60n).value).toBe(2n ** 60n);
    expect(integer(5n).value).toBe(5);
    expect(JSON.stringify({ a: integer(2n ** 62n), b: real(1) })).toBe('{"a":"4611686018427387904","b":1}');
  });
});

describe('writePlist: strings', () => {
  it('escapes &, < and > (so "]]>" cannot appear) and writes CR as &#13;', () => {
    expect(body('<&>]]>"\'')).toBe('<string>&lt;&amp;&gt;]]&gt;"\'</string>\n');
    expect(body('a\r\nb\rc\td')).toBe('<string>a&#13;\nb&#13;c\td</string>\n');
    expect(body({ 'k<&>': 'Gäste 🎒' })).toBe(
      '<dict>\n\t<key>k&lt;&amp;&gt;</key>\n\t<string>Gäste 🎒</string>\n</dict>\n',
    );
  });

  it('rejects characters XML 1.0 cannot carry, naming the key path', () => {
    const model = (s: string) => ({ PayloadContent: [{ SSID_STR: s }] });
    const cases: [string, RegExp][] = [
      ['a\u0001b', /U\+0001 \(a control character\) at index 1/],
      ['\u0000', /U\+0000/],
      ['\u001F', /U\+001F/],
      ['x\uFFFE', /U\+FFFE \(a noncharacter\)/],
      ['\uFFFF', /U\+FFFF/],
      ['a\uD800', /U\+D800 \(an unpaired surrogate\) at index 1/],
      ['\uDC00x', /U\+DC00 \(an unpaired surrogate\) at index 0/],
      ['\uDBFF\uDBFF\uDC00', /U\+DBFF.*index 0/],
    ];
    for (const [s, re] of cases) {
      const e = thrown(() => writePlist(model(s)));
      expect(e.path).toBe('PayloadContent[0].SSID_STR');
      expect(e.message).toMatch(re);
      expect(e.message).toContain('PayloadContent[0].SSID_STR');
    }
  });

  it('rejects invalid characters in keys, and quotes keys that are not identifiers in the path', () => {
    const e = thrown(() => writePlist({ PayloadContent: [{ 'Key Type': 'RSA', 'bad\u0002key': 1 }] }));
    expect(e.path).toBe('PayloadContent[0]["bad\\u0002key"]');
    const e2 = thrown(() => writePlist({ PayloadContent: [{ 'Key Type': '\u0007' }] }));
    expect(e2.path).toBe('PayloadContent[0]["Key Type"]');
  });
});

describe('writePlist: dates, data and objects', () => {
  it('writes dates in UTC seconds with Z, truncating milliseconds', () => {
    expect(body(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999)))).toBe('<date>2024-01-02T03:04:05Z</date>\n');
    expect(body(new Date('0099-12-31T23:59:59Z'))).toBe('<date>0099-12-31T23:59:59Z</date>\n');
  });

  it('rejects invalid dates and years outside 0001–9999', () => {
    expect(thrown(() => writePlist({ RemovalDate: new Date(Number.NaN) })).path).toBe('RemovalDate');
    expect(thrown(() => writePlist([new Date('+010000-01-01T00:00:00Z')])).message).toMatch(/year 10000/);
  });

  it('writes bytes as base64 <data>, wrapped like plistlib', () => {
    expect(body(new Uint8Array([]))).toBe('<data>\n</data>\n');
    expect(body({ d: Buffer.from('hi') })).toBe('<dict>\n\t<key>d</key>\n\t<data>\n\taGk=\n\t</data>\n</dict>\n');
    const bytes = new Uint8Array(100).fill(120);
    const lines = body({ a: [bytes] }).split('\n');
    // level 2: max(16, 76 - 16) = 60 characters per line
    expect(lines[4]).toBe(`\t\t${'eHh4'.repeat(15)}`);
    // a view into a larger buffer writes only its own bytes
    const view = new Uint8Array(Buffer.from('xxhixx')).subarray(2, 4);
    expect(body(view)).toBe('<data>\naGk=\n</data>\n');
  });

  it('rejects null, undefined in arrays, functions, Maps, class instances and cycles with a path', () => {
    expect(thrown(() => writePlist({ PayloadContent: [{ Password: null }] } as unknown as PlistValue)).path).toBe(
      'PayloadContent[0].Password',
    );
    expect(thrown(() => writePlist([1, undefined] as unknown as PlistValue)).path).toBe('[1]');
    expect(thrown(() => writePlist(undefined as unknown as PlistValue)).path).toBe('');
    expect(thrown(() => writePlist({ f: () => 1 } as unknown as PlistValue)).message).toMatch(/a function/);
    expect(thrown(() => writePlist({ m: new Map() } as unknown as PlistValue)).message).toMatch(/a Map/);
    expect(thrown(() => writePlist({ s: Symbol('x') } as unknown as PlistValue)).path).toBe('s');
    class Payload {
      x = 1;
    }
    expect(thrown(() => writePlist({ p: new Payload() } as unknown as PlistValue)).message).toMatch(/a Payload/);
    const cyclic: Record<string, unknown> = { a: [] };
    (cyclic.a as unknown[]).push(cyclic);
    expect(thrown(() => writePlist(cyclic as PlistValue)).path).toBe('a[0]');
  });

  it('accepts the same object twice when it is not a cycle, and null-prototype objects', () => {
    const shared = { k: 1 };
    const nullProto = Object.assign(Object.create(null) as Record<string, PlistValue>, { z: 'y' });
    expect(() => writePlist({ a: shared, b: [shared, shared], c: nullProto })).not.toThrow();
  });

  it('lists the error location in toJSON without leaking the value', () => {
    const e = thrown(() => writePlist({ Password: 'secret\u0001' }));
    expect(e.toJSON()).toMatchObject({ name: 'PlistError', path: 'Password' });
    expect(JSON.stringify(e.toJSON())).not.toContain('secret');
  });
});

describe.skipIf(!peers.python3)('writePlist against Python plistlib', () => {
  it('plistlib reads the hostile Wi-Fi profile back as the same model, types included', () => {
    const [got] = pythonLoads([writePlist(wifiProfile)]);
    expect(got).toEqual(normalize(tag(wifiProfile)));
    expect(JSON.stringify(got)).toContain('"DurationUntilRemoval",{"real":3600}');
  });

  it('is byte-identical to plistlib.dumps for a model without CR', () => {
    const model: PlistValue = {
      ...wifiProfile,
      RemovalDate: new Date(Date.UTC(2030, 6, 31, 23, 59, 58)),
      Blob: { Nested: [new Uint8Array(300).map((_, i) => i), { Deeper: [new Uint8Array(90)] }] },
      Reals: [0.1, real(1e16), 1e-5, real(-0), real(1.7976931348623157e308)],
      Ints: [0, -1, 2n ** 63n, -(2n ** 63n)],
      Empty: [[], {}, '', new Uint8Array(0)],
      '\u{1F392}': 'emoji key',
      '\uFF01': 'fullwidth key',
    };
    const [python] = pythonDumps([{ fmt: 'xml', value: tag(model) }]);
    expect(writePlist(model)).toBe(python!.toString('utf8'));
  });

  it('round-trips arbitrary values (emoji, umlauts, CR, tabs, <&>]]>) through plistlib', () => {
    const samples = fc.sample(plistValueArb, { numRuns: 150, seed: 20240605 });
    const results = pythonLoads(samples.map((v) => writePlist(v)));
    expect(results).toHaveLength(samples.length);
    results.forEach((got, i) => {
      expect(got).toEqual(normalize(tag(samples[i]!)));
    });
  });
});
