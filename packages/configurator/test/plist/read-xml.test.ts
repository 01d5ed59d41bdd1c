import { InvalidArgumentError } from '@schoolmdm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peers } from '../../../../test/support/peers.js';
import { PlistError } from '../../src/errors.js';
import { PlistInteger, PlistReal, type PlistValue, readPlist, real, writePlist } from '../../src/plist/index.js';
import { plistValueArb } from '../fixtures/arbitraries.js';
import { normalize, pythonDumps, pythonLoads, type Tagged, tag } from '../fixtures/tagged.js';

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
  '<plist version="1.0">\n';
const doc = (body: string) => `${HEAD}${body}\n</plist>\n`;

function thrown(fn: () => unknown): PlistError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlistError);
    return e as PlistError;
  }
  throw new Error('expected a PlistError');
}

describe('readPlist (XML): values', () => {
  it('reads every element type', () => {
    const v = readPlist(
      doc(`<dict>
        <key>s</key><string>a &amp; b &lt;&gt; &quot;&apos;</string>
        <key>e</key><string/>
        <key>i</key><integer> -42 </integer>
        <key>r</key><real>1.5</real>
        <key>t</key><true/>
        <key>f</key><false></false>
        <key>d</key><date>2024-01-02T03:04:05Z</date>
        <key>b</key><data>
          aGVs
          bG8=
        </data>
        <key>a</key><array><integer>1</integer><array/><dict/></array>
      </dict>`),
    );
    expect(v).toEqual({
      s: 'a & b <> "\'',
      e: '',
      i: -42,
      r: 1.5,
      t: true,
      f: false,
      d: new Date('2024-01-02T03:04:05Z'),
      b: new Uint8Array(Buffer.from('hello')),
      a: [1, [], {}],
    });
  });

  it('keeps a CR given as a character reference and normalises raw CR/CRLF to LF (XML 1.0 §2.11)', () => {
    expect(readPlist(doc('<string>a&#13;b&#xD;&#x1F392;</string>'))).toBe('a\rb\r🎒');
    expect(readPlist(doc('<string>a\r\nb\rc</string>'))).toBe('a\nb\nc');
    expect(readPlist(writePlist('x\r\ny\r'))).toBe('x\r\ny\r');
  });

  it('reads CDATA, comments and processing instructions inside text and between elements', () => {
    expect(readPlist(doc('<string><![CDATA[<&>]]>!<!-- c --></string>'))).toBe('<&>!');
    expect(readPlist(doc('<!-- a --><dict><!-- b --><key>k</key><!-- c --><?pi x?><string>v</string></dict>'))).toEqual(
      {
        k: 'v',
      },
    );
  });

  it('accepts a root without <plist>, a UTF-8 BOM and no prolog at all', () => {
    expect(readPlist('<dict><key>a</key><integer>1</integer></dict>')).toEqual({ a: 1 });
    expect(readPlist(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(doc('<true/>'))]))).toBe(true);
    expect(readPlist(`\uFEFF${doc('<false/>')}`)).toBe(false);
  });

  it('reads UTF-16 documents with a BOM', () => {
    const xml = doc('<string>Gäste 🎒</string>').replace('UTF-8', 'UTF-16');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(readPlist(le)).toBe('Gäste 🎒');
    expect(readPlist(be)).toBe('Gäste 🎒');
  });

  it('reads integers in decimal and hex, as bigint beyond the safe range', () => {
    expect(readPlist(doc('<integer>0x1F</integer>'))).toBe(31);
    expect(readPlist(doc('<integer>-0X10</integer>'))).toBe(-16);
    expect(readPlist(doc('<integer>18446744073709551615</integer>'))).toBe(2n ** 64n - 1n);
    expect(readPlist(doc('<integer>-9223372036854775808</integer>'))).toBe(-(2n ** 63n));
    expect(readPlist(doc('<integer>9007199254740991</integer>'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(readPlist(doc('<integer>-0</integer>'))).toBe(0);
    expect(Object.is(readPlist(doc('<integer>-0</integer>')), 0)).toBe(true);
  });

  it('reads the real forms the DTD and other writers use', () => {
    const cases: [string, number][] = [
      ['1', 1],
      ['.5', 0.5],
      ['1.', 1],
      ['+2.5E+3', 2500],
      ['1e-05', 0.00001],
      ['-0.0', -0],
    ];
    for (const [text, n] of cases) {
      const v = readPlist(doc(`<real>${text}</real>`));
      expect(Number(v)).toBe(n);
      // Lossless by default: an integral real stays a real (PlistReal), a fractional one is a number.
      if (Number.isInteger(n)) expect(v).toBeInstanceOf(PlistReal);
      else expect(v).toBe(n);
    }
  });

  it('reads truncated dates as Python does, and years before 1000', () => {
    expect(readPlist(doc('<date>2024-02Z</date>'))).toEqual(new Date('2024-02-01T00:00:00Z'));
    expect(readPlist(doc('<date>2024-02-29T12Z</date>'))).toEqual(new Date('2024-02-29T12:00:00Z'));
    expect((readPlist(doc('<date>0099-12-31T23:59:59Z</date>')) as Date).toISOString()).toBe(
      '0099-12-31T23:59:59.000Z',
    );
  });

  it('returns PlistInteger/PlistReal with preserveNumberTypes, so 1.0 stays a real', () => {
    const xml = writePlist({ a: real(1), b: 1, c: 2n ** 63n, d: 0.5 });
    const v = readPlist(xml, { preserveNumberTypes: true }) as Record<string, PlistValue>;
    expect(v.a).toBeInstanceOf(PlistReal);
    expect(v.b).toBeInstanceOf(PlistInteger);
    expect((v.c as PlistInteger).value).toBe(2n ** 63n);
    expect(writePlist(v)).toBe(xml);
    expect(readPlist(xml, { numbers: 'wrapped' })).toEqual(v);
    expect(readPlist(xml, { numbers: 'plain' })).toEqual({ a: 1, b: 1, c: 2n ** 63n, d: 0.5 });
    expect(readPlist(xml, { preserveNumberTypes: false })).toEqual({ a: 1, b: 1, c: 2n ** 63n, d: 0.5 });
    // The default keeps 1.0 a real and leaves every other number plain.
    expect(readPlist(xml)).toEqual({ a: real(1), b: 1, c: 2n ** 63n, d: 0.5 });
    expect(writePlist(readPlist(xml))).toBe(xml);
  });

  it('reads then writes <real>2.0</real> as a real by default (clburlison Disable_FUS_Menu_Item delaySeconds)', () => {
    const xml = writePlist({ delaySeconds: real(2), count: 2 });
    expect(xml).toContain('<real>2.0</real>');
    expect(writePlist(readPlist(xml))).toBe(xml);
    expect(writePlist(readPlist(xml, { numbers: 'plain' }))).not.toContain('<real>');
  });

  it('makes "__proto__" an own key without touching the prototype', () => {
    const v = readPlist(doc('<dict><key>__proto__</key><dict><key>polluted</key><true/></dict></dict>')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(writePlist(v as PlistValue)).toContain('<key>__proto__</key>');
  });

  it('round-trips arbitrary hostile values through writePlist, and is byte-stable with preserveNumberTypes', () => {
    fc.assert(
      fc.property(plistValueArb, (v) => {
        const xml = writePlist(v);
        expect(tag(readPlist(xml))).toEqual(tag(v));
        expect(writePlist(readPlist(xml, { preserveNumberTypes: true }))).toBe(xml);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('readPlist (XML): rejected input', () => {
  const duplicated = doc(
    '<dict>\n<key>PayloadContent</key>\n<array>\n<dict>\n<key>SSID_STR</key><string>a</string>\n<key>SSID_STR</key><string>b</string>\n</dict>\n</array>\n</dict>',
  );
  it("refuses duplicate keys with duplicateKeys: 'error'", () => {
    const e = thrown(() => readPlist(duplicated, { duplicateKeys: 'error' }));
    expect(e.message).toMatch(/duplicate key "SSID_STR"/);
    expect(e.path).toBe('PayloadContent[0].SSID_STR');
    expect(e.line).toBe(9);
  });
  it('reads duplicate keys like plistlib by default: the last value wins, with a warning naming path and line', () => {
    const warnings: unknown[] = [];
    const v = readPlist(duplicated, { onWarning: (w) => warnings.push(w) });
    expect(v).toEqual({ PayloadContent: [{ SSID_STR: 'b' }] });
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'duplicate-key', key: 'SSID_STR', path: 'PayloadContent[0].SSID_STR', line: 9 }),
    ]);
  });
  const cases: [name: string, xml: string, message: RegExp, path?: string, line?: number][] = [
    ['an unknown element', doc('<dict>\n<key>a</key>\n<foo/>\n</dict>'), /unknown element <foo>/, 'a', 6],
    ['a key without value', doc('<dict><key>a</key></dict>'), /key "a" has no value/, 'a'],
    ['a value without key', doc('<dict><string>a</string></dict>'), /expected <key> in <dict>, found <string>/],
    ['a key outside a dict', doc('<key>a</key>'), /<key> outside a <dict>/],
    ['text between elements', doc('<array>oops<true/></array>'), /unexpected text between elements/],
    ['a mismatched end tag', doc('<array><true/></dict>'), /expected <\/array>/],
    ['an element inside a string', doc('<string>a<b/></string>'), /unexpected element inside <string>/],
    ['an unknown entity', doc('<string>&nbsp;</string>'), /unknown entity &nbsp;/],
    ['a bare ampersand', doc('<string>a & b</string>'), /unescaped "&"/],
    ['a control character reference', doc('<string>&#1;</string>'), /&#1; is not a character/],
    ['a surrogate reference', doc('<string>&#xD800;</string>'), /&#xD800;/],
    ['a raw control character', doc('<string>a\u0001</string>'), /U\+0001/, undefined, 4],
    ['"]]>" in text', doc('<string>a]]>b</string>'), /"]]>" must be escaped/],
    [
      'a DOCTYPE internal subset',
      '<!DOCTYPE plist [<!ENTITY a "aaaa">]><plist><string>&a;</string></plist>',
      /internal subsets/,
    ],
    ['an empty plist', `${HEAD}</plist>`, /<plist> has no value/],
    ['a self-closing plist', '<plist/>', /<plist> is empty/],
    ['two root values', doc('<true/><false/>'), /expected <\/plist>/],
    ['content after the root', `${doc('<true/>')}<x/>`, /unexpected content after the root element/],
    ['an unterminated string', `${HEAD}<string>abc`, /unterminated <string>/],
    ['an unterminated comment', `${HEAD}<!-- x`, /unterminated comment/],
    ['an invalid integer', doc('<integer>1.5</integer>'), /invalid <integer> "1.5"/],
    ['an empty integer', doc('<integer/>'), /invalid <integer> ""/],
    ['an integer beyond 64 bits', doc('<integer>18446744073709551616</integer>'), /outside the 64-bit range/],
    ['NaN', doc('<real>nan</real>'), /invalid <real> "nan".*NaN and Infinity/],
    ['a real that overflows', doc('<real>1e999</real>'), /overflows a double/],
    ['an impossible date', doc('<date>2023-02-29T00:00:00Z</date>'), /invalid <date>/],
    ['a date without Z', doc('<date>2023-02-01T00:00:00</date>'), /invalid <date>/],
    ['invalid base64', doc('<data>ab!c</data>'), /invalid base64/],
    ['a non-empty <true>', doc('<true>x</true>'), /<true> must be empty/],
    ['a non-UTF encoding', '<?xml version="1.0" encoding="ISO-8859-1"?><plist><true/></plist>', /unsupported encoding/],
    ['a late XML declaration', '<!-- x --><?xml version="1.0"?><plist><true/></plist>', /must come first/],
    ['an unquoted attribute', '<plist version=1.0><true/></plist>', /unquoted attribute/],
    ['an empty document', '', /unexpected end of document/],
  ];
  it.each(cases)('rejects %s', (_name, xml, message, path, line) => {
    const e = thrown(() => readPlist(xml));
    expect(e.message).toMatch(message);
    if (path !== undefined) expect(e.path).toBe(path);
    if (line !== undefined) expect(e.line).toBe(line);
    expect(e.line).toBeGreaterThanOrEqual(1);
  });

  it('rejects invalid UTF-8 bytes and nesting beyond maxDepth', () => {
    expect(thrown(() => readPlist(new Uint8Array([0x3c, 0xff, 0xfe, 0x3e, 0x00, 0x00]))).message).toMatch(
      /not valid UTF-8/,
    );
    const deep = `${'<array>'.repeat(20)}${'</array>'.repeat(20)}`;
    expect(thrown(() => readPlist(deep, { maxDepth: 10 })).message).toMatch(/deeper than 10/);
    expect(() => readPlist(deep)).not.toThrow();
    expect(() => readPlist(42 as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => readPlist(42 as unknown as string)).toThrow(/string or a Uint8Array/);
  });
});

describe('readPlist (XML): looser than plistlib where CoreFoundation is (documented in the README)', () => {
  const cases: [string, string][] = [
    [
      'whitespace before the XML declaration',
      '  \n<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><true/></plist>',
    ],
    ['whitespace before <plist>', '\n<plist version="1.0"><true/></plist>'],
    ['no XML declaration and no DOCTYPE', '<plist version="1.0"><true/></plist>'],
    ['a bare root value without <plist>', '<true/>'],
  ];
  it.each(cases)('accepts %s', (_name, xml) => {
    expect(readPlist(xml)).toBe(true);
    expect(readPlist(Buffer.from(xml))).toBe(true);
  });
  it.skipIf(!peers.python3)('where plistlib refuses the first, second and fourth', () => {
    const results = pythonLoads(cases.map(([, xml]) => xml));
    expect(results).toHaveLength(4);
    expect(results.map((r) => 'error' in r)).toEqual([true, true, false, true]);
  });
});

describe.skipIf(!peers.python3)('readPlist (XML) against Python plistlib', () => {
  it('reads what plistlib.dumps writes, types included', () => {
    const samples = fc.sample(plistValueArb, { numRuns: 100, seed: 7 });
    const docs = pythonDumps(samples.map((v) => ({ fmt: 'xml' as const, value: tag(v) })));
    expect(docs).toHaveLength(samples.length);
    docs.forEach((xml, i) => {
      // plistlib writes CR raw, so XML parsing turns it into LF; compare against that.
      expect(tag(readPlist(xml))).toEqual(normalize(crToLf(tag(samples[i]!))));
    });
  });
});

/** What an XML parser makes of text plistlib wrote with raw CRs. */
function crToLf(t: Tagged): Tagged {
  const fix = (s: string) => s.replace(/\r\n?/g, '\n');
  if ('str' in t) return { str: fix(t.str) };
  if ('array' in t) return { array: t.array.map(crToLf) };
  if ('dict' in t) return { dict: t.dict.map(([k, v]) => [fix(k), crToLf(v)] as [string, Tagged]) };
  return t;
}
