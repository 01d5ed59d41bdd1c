/**
 * Issue #15 (items 9, 10, 13, 17) and issue #16 (1-based indexes) for the serial module.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/invalid-argument.js';
import {
  matchHeaderField,
  normalizeHeaderLabel,
  prepareSerialList,
  readSerialCsv,
  SerialCsvError,
  writeSerialCsv,
} from '../../src/index.js';
import { S } from './fixtures.js';

const lf = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('a header that names the serial outranks a column that merely looks like serials (item 9)', () => {
  // jamf/mut `The MUT/CSVFunctions.swift`: the computer and mobile-device templates.
  const computerTemplate =
    'Computer Serial,Display Name,Asset Tag,Barcode 1,Barcode 2,Username,Real Name,Email Address,Position,Phone Number,Department,Building,Room,PO Number,Vendor,PO Date,Warranty Expires,Lease Expires';
  const mobileTemplate =
    'Mobile Device Serial,Display Name,Asset Tag,Username,Real Name,Email Address,Position,Phone Number,Department,Building,Room,PO Number,Vendor,PO Date,Warranty Expires,Lease Expires';

  it('reads a MUT computer template whose Barcode 1 holds S + serial', () => {
    const row = (serial: string, name: string) => `${serial},${name},A-1,S${serial},,jdoe,Jo Doe,,,,,,,,,,,`;
    const r = readSerialCsv(lf(computerTemplate, row(S.a, 'Mac 1'), row(S.b, 'Mac 2')));
    expect(r.serialColumn).toEqual({ index: 0, header: 'Computer Serial', matchedBy: 'alias' });
    expect(r.serials).toEqual([S.a, S.b]);
    expect(r.rows[0]?.fields).toMatchObject({ deviceName: 'Mac 1', assetTag: 'A-1', barcode: `S${S.a}`, user: 'jdoe' });
  });

  it('reads a MUT mobile-device template', () => {
    const r = readSerialCsv(lf(mobileTemplate, `${S.c},iPad 1,,,,,,,,,,,,,,`));
    expect(r.serialColumn?.header).toBe('Mobile Device Serial');
    expect(r.serials).toEqual([S.c]);
  });

  it('before the fix the same file without a serial header is still refused as ambiguous', () => {
    // The control: with a header that does not name the serial, both columns look alike.
    const e = (() => {
      try {
        readSerialCsv(lf('Identifier,Barcode 1', `${S.a},S${S.a}`, `${S.b},S${S.b}`, `${S.c},S${S.c}`));
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(SerialCsvError);
    expect((e as SerialCsvError).code).toBe('ambiguous-serial-column');
    // Columns are named 1-based, as a person reading the file counts them (issue #16).
    expect((e as Error).message).toMatch(/“Identifier” \(column 1\), “Barcode 1” \(column 2\)/);
  });

  it('a header that names the serial but is not in the table wins over content ("Apple Serial")', () => {
    const r = readSerialCsv(lf('Tag,Apple Serial', `S${S.a},${S.a}`, `S${S.b},${S.b}`));
    expect(r.serialColumn).toEqual({ index: 1, header: 'Apple Serial', matchedBy: 'header' });
    expect(r.serials).toEqual([S.a, S.b]);
  });

  it.each([
    // Jamf Pro / Jamf School / Mosyle / Kandji / ASM / Intune / Google Admin vocabularies.
    ['Computer Serial', 'serialNumber'],
    ['Mobile Device Serial', 'serialNumber'],
    ['serial_number', 'serialNumber'],
    ['serialNumber', 'serialNumber'],
    ['Serial number', 'serialNumber'],
    ['Barcode 1', 'barcode'],
    ['Barcode 2', 'barcode'],
    ['Real Name', 'user'],
    ['Primary user UPN', 'user'],
    ['userPrincipalName', 'user'],
    ['annotatedAssetId', 'assetTag'],
    ['Asset ID', 'assetTag'],
    ['blueprint_name', 'group'],
    ['device_name', 'deviceName'],
    ['deviceModel', 'model'],
  ])('%s is %s', (label, field) => {
    expect(matchHeaderField(label)).toBe(field);
  });
});

describe('prepareSerialList({ applySuggestions }) (item 10)', () => {
  it('keeps an S-prefixed serial unless asked, and reports the warning', () => {
    const r = prepareSerialList([`S${S.a}`]);
    expect(r.serials).toEqual([`S${S.a}`]);
    expect(r.suspicious[0]?.warnings.map((w) => w.code)).toContain('barcode-prefix');
    expect(r.changes).toEqual([]);
  });

  it('applies the barcode-prefix correction on request and reports it', () => {
    const r = prepareSerialList([`S${S.a}`, S.b], { applySuggestions: true });
    expect(r.serials).toEqual([S.a, S.b]);
    expect(r.suspicious).toEqual([]);
    expect(r.changes).toEqual([
      expect.objectContaining({
        index: 0,
        input: `S${S.a}`,
        serial: S.a,
        reason: 'barcode-prefix',
        message: expect.stringMatching(/^Entry 1: /),
      }),
    ]);
    expect(writeSerialCsv(r.serials, { header: false })).toBe(`${S.a}\r\n${S.b}\r\n`);
  });

  it('a corrected serial that repeats another is a duplicate of it', () => {
    const r = prepareSerialList([S.a, `S${S.a}`], { applySuggestions: ['barcode-prefix'] });
    expect(r.serials).toEqual([S.a]);
    expect(r.duplicates).toEqual([{ index: 1, firstIndex: 0, serial: S.a }]);
    expect(r.changes.map((c) => c.reason)).toEqual(['barcode-prefix']);
  });

  it('applies only the codes listed', () => {
    const r = prepareSerialList(['DMPXKOAAHP5Q'], { applySuggestions: ['barcode-prefix'] });
    expect(r.serials).toEqual(['DMPXKOAAHP5Q']);
    const all = prepareSerialList(['DMPXKOAAHP5Q'], { applySuggestions: true });
    expect(all.serials).toEqual(['DMPXK0AAHP5Q']);
    expect(all.changes[0]).toMatchObject({ reason: 'confusable-characters', serial: 'DMPXK0AAHP5Q' });
  });

  it('reports normalisation as a change, so nothing is ever written differently without a word', () => {
    const r = prepareSerialList([' dmpxk0aahp5q ', '="F9FXK0AAHP5Q"']);
    expect(r.changes.map((c) => [c.index, c.serial, c.reason])).toEqual([
      [0, S.a, 'normalized'],
      [1, S.b, 'normalized'],
    ]);
  });

  it('never corrects an Excel-mangled value whose digits are lost; it stays invalid', () => {
    const r = prepareSerialList(['3.5E+14'], { applySuggestions: true });
    expect(r.serials).toEqual([]);
    expect(r.invalid[0]).toMatchObject({
      index: 0,
      code: 'scientific-notation',
      message: expect.stringMatching(/^Entry 1: /),
    });
  });

  it('refuses bad options with InvalidArgumentError and a did-you-mean', () => {
    expect(() => prepareSerialList([], { applySuggestion: true } as never)).toThrow(InvalidArgumentError);
    expect(() => prepareSerialList([], { applySuggestion: true } as never)).toThrow(/did you mean "applySuggestions"/);
    expect(() => prepareSerialList([], { applySuggestions: ['digits-only'] } as never)).toThrow(
      /Invalid options.applySuggestions: expected true, false or a list of 'barcode-prefix', 'confusable-characters'/,
    );
  });

  it('property: every written serial is valid, and every difference from the input is reported', () => {
    const serialish = fc.oneof(
      fc.constantFrom(S.a, S.b, S.c, `S${S.a}`, 'DMPXKOAAHP5Q', ' dmpxk0aahp5q ', '3.5E+14', ''),
      fc.stringMatching(/^[A-Za-z0-9 ]{0,16}$/),
    );
    fc.assert(
      fc.property(fc.array(serialish, { maxLength: 20 }), fc.boolean(), (list, apply) => {
        const r = prepareSerialList(list, { applySuggestions: apply });
        const changed = new Map(r.changes.map((c) => [c.index, c]));
        for (const s of r.serials) expect(s).toMatch(/^[A-Z0-9]{8,14}$/);
        list.forEach((input, index) => {
          const kept = r.serials.includes(input.trim());
          const invalid = r.invalid.some((x) => x.index === index);
          const duplicate = r.duplicates.some((x) => x.index === index);
          if (!invalid && !duplicate && !kept) expect(changed.has(index)).toBe(true);
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the header-label normaliser is linear (item 13)', () => {
  it('splits camelCase the way the old regex did', () => {
    expect(normalizeHeaderLabel('serialNumber')).toBe('number serial');
    expect(normalizeHeaderLabel('UDIDValue')).toBe('udid value');
    expect(normalizeHeaderLabel('wiFiMacAddress')).toBe('address fi mac wi');
    expect(normalizeHeaderLabel('HTTPSProxyURL')).toBe('https proxy url');
  });

  it('property: agrees with the old (quadratic) regex on short labels', () => {
    const old = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 _]{0,24}$/), (label) => {
        // Every split the old regex made is made by the new splitter too.
        expect(normalizeHeaderLabel(label)).toBe(normalizeHeaderLabel(old(label)));
        // And it splits no more than the old one: upper-case runs stay whole.
        expect(normalizeHeaderLabel(label).split(' ').length).toBeLessThanOrEqual(
          normalizeHeaderLabel(old(label)).split(' ').length,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a file whose header is a 1 MB upper-case cell (the input that took minutes)', () => {
    const r = readSerialCsv(`${'A'.repeat(1_000_000)}b,Serial\n${S.a},${S.b}\n`);
    expect(r.serialColumn?.header).toBe('Serial');
  });

  it('refuses a non-string label with InvalidArgumentError', () => {
    expect(() => normalizeHeaderLabel(undefined as unknown as string)).toThrow(
      /^Invalid label: expected a string, got undefined/,
    );
    expect(() => matchHeaderField(42 as unknown as string)).toThrow(InvalidArgumentError);
  });
});
