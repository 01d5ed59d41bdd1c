import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/invalid-argument.js';
import {
  prepareSerialList,
  readSerialCsv,
  SerialCsvError,
  type WriteSerialCsvOptions,
  writeSerialCsv,
} from '../../src/serials/index.js';
import { S } from './fixtures.js';

describe('writeSerialCsv', () => {
  it('writes the release request: header, one serial per line, CRLF, no BOM', () => {
    expect(writeSerialCsv([S.a, S.b])).toBe(`Serial Number\r\n${S.a}\r\n${S.b}\r\n`);
  });

  it('normalises and writes each serial once, in first-seen order', () => {
    expect(writeSerialCsv([` ${S.b.toLowerCase()} `, S.a, S.b, `\u200b${S.a}`])).toBe(
      `Serial Number\r\n${S.b}\r\n${S.a}\r\n`,
    );
  });

  it.each<[WriteSerialCsvOptions, string]>([
    [{ header: false }, `${S.a}\r\n`],
    [{ header: 'Numéro de série' }, `Numéro de série\r\n${S.a}\r\n`],
    [{ newline: '\n' }, `Serial Number\n${S.a}\n`],
    [{ bom: true }, `\ufeffSerial Number\r\n${S.a}\r\n`],
    // RFC 4180: quote a field holding the delimiter, a quote or a line break
    [{ header: 'Serial; Number', delimiter: ';' }, `"Serial; Number"\r\n${S.a}\r\n`],
    [{ header: 'Serial; Number' }, `Serial; Number\r\n${S.a}\r\n`],
    [{ header: 'The "serial"' }, `"The ""serial"""\r\n${S.a}\r\n`],
    [{ header: 'Serial\nNumber' }, `"Serial\nNumber"\r\n${S.a}\r\n`],
    [{ header: ' Serial ' }, `" Serial "\r\n${S.a}\r\n`],
  ])('options %j', (options, expected) => {
    expect(writeSerialCsv([S.a], options)).toBe(expected);
  });

  it('writes an empty list as a header only (or nothing)', () => {
    expect(writeSerialCsv([])).toBe('Serial Number\r\n');
    expect(writeSerialCsv([], { header: false })).toBe('');
    expect(writeSerialCsv([], { header: false, bom: true })).toBe('\ufeff');
  });

  it('accepts any iterable', () => {
    expect(writeSerialCsv(new Set([S.a]), { header: false })).toBe(`${S.a}\r\n`);
    function* gen() {
      yield S.a;
      yield S.b;
    }
    expect(writeSerialCsv(gen(), { header: false })).toBe(`${S.a}\r\n${S.b}\r\n`);
  });

  it('throws a typed error listing every invalid entry with its index (default)', () => {
    const input = [S.a, '3.5E+14', '', S.b, 'C02X-K0AA', 42 as unknown as string];
    let err: unknown;
    try {
      writeSerialCsv(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SerialCsvError);
    const e = err as SerialCsvError;
    expect(e.code).toBe('invalid-serials');
    expect(e.found.invalid?.map((x) => [x.index, x.input, x.code])).toEqual([
      [1, '3.5E+14', 'scientific-notation'],
      [2, '', 'empty'],
      [4, 'C02X-K0AA', 'invalid-characters'],
      [5, 'a number', 'not-a-string'],
    ]);
    // Entries are counted from 1, as a person reading the list counts them (issue #16).
    expect(e.message).toMatch(/^4 of the entries are not serial numbers: entry 2 "3.5E\+14" \(scientific-notation\)/);
    expect(e.message).toContain("onInvalid: 'skip'");
  });

  it("onInvalid: 'skip' leaves them out", () => {
    expect(writeSerialCsv([S.a, 'nope', S.b], { onInvalid: 'skip', header: false })).toBe(`${S.a}\r\n${S.b}\r\n`);
  });

  it.each<[string, unknown]>([
    ['header', 42],
    ['delimiter', ''],
    ['delimiter', '"'],
    ['newline', '\r'],
    ['onInvalid', 'ignore'],
  ])('rejects option %s = %j', (option, value) => {
    expect(() => writeSerialCsv([S.a], { [option]: value } as WriteSerialCsvOptions)).toThrow(InvalidArgumentError);
    expect(() => writeSerialCsv([S.a], { [option]: value } as WriteSerialCsvOptions)).toThrow(
      expect.objectContaining({ argument: `options.${option}` }),
    );
  });

  it('rejects a non-iterable, and a lone string (which would iterate its characters)', () => {
    for (const input of [null, undefined, 42, S.a]) {
      expect(() => writeSerialCsv(input as unknown as string[])).toThrow(InvalidArgumentError);
      expect(() => writeSerialCsv(input as unknown as string[])).toThrow(
        expect.objectContaining({ argument: 'serials' }),
      );
    }
  });
});

describe('prepareSerialList', () => {
  it('reports serials, invalid entries, duplicates and suspicious ones', () => {
    const r = prepareSerialList([S.a.toLowerCase(), S.a, '3.5E+14', `S${S.a}`, S.b]);
    expect(r.serials).toEqual([S.a, `S${S.a}`, S.b]);
    expect(r.duplicates).toEqual([{ index: 1, firstIndex: 0, serial: S.a }]);
    expect(r.invalid).toMatchObject([{ index: 2, input: '3.5E+14', code: 'scientific-notation' }]);
    expect(r.suspicious).toMatchObject([{ index: 3, serial: `S${S.a}`, warnings: [{ code: 'barcode-prefix' }] }]);
  });
});

describe('writeSerialCsv → readSerialCsv round trip (property)', () => {
  const serial = fc.stringMatching(/^[A-Z0-9]{8,14}$/);
  const header = fc.constantFrom<string | false>(
    'Serial Number',
    'Numéro de série',
    'N° de série',
    'Serienummer',
    'Seriennummer',
    'serial_number',
    'Serial; Number',
    false,
  );
  const delimiter = fc.constantFrom(',', ';', '\t', '|');

  it('reads back exactly the unique valid serials, in order, with any header and delimiter', () => {
    fc.assert(
      fc.property(
        fc.array(serial, { maxLength: 40 }),
        header,
        delimiter,
        fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n'),
        fc.boolean(),
        (serials, h, d, newline, bom) => {
          const csv = writeSerialCsv(serials, { header: h, delimiter: d, newline, bom });
          const unique = [...new Set(serials)];
          const back = readSerialCsv(csv, { header: h === false ? false : 'auto' });
          expect(back.serials).toEqual(unique);
          expect(back.issues.filter((i) => i.kind !== 'suspicious' && i.kind !== 'empty')).toEqual([]);
          if (unique.length > 0) expect(back.serialColumn?.header).toBe(h === false ? undefined : h);
          // The same bytes read through the byte path (what ASM receives) give the same serials.
          expect(
            readSerialCsv(new TextEncoder().encode(csv), { header: h === false ? false : 'auto' }).serials,
          ).toEqual(unique);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('also round-trips with auto-detection when the serials look like serials', () => {
    const typical = fc.stringMatching(/^[A-HJ-NP-Z][A-HJ-NP-Z0-9]{8}[0-9][A-HJ-NP-Z0-9]{0,2}$/);
    fc.assert(
      fc.property(fc.array(typical, { minLength: 1, maxLength: 30 }), header, delimiter, (serials, h, d) => {
        const back = readSerialCsv(writeSerialCsv(serials, { header: h, delimiter: d }));
        expect(back.serials).toEqual([...new Set(serials)]);
        expect(back.hasHeader).toBe(h !== false);
      }),
      { numRuns: 300 },
    );
  });
});
