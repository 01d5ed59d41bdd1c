import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSerial, type SerialValidation, validateSerial } from '../../src/serials/index.js';

describe('normalizeSerial', () => {
  it.each([
    ['DMPXK0AAHP5Q', 'DMPXK0AAHP5Q'],
    ['dmpxk0aahp5q', 'DMPXK0AAHP5Q'],
    ['  DMPXK0AAHP5Q  ', 'DMPXK0AAHP5Q'],
    ['DMPX K0AA HP5Q', 'DMPXK0AAHP5Q'],
    ['DMPXK0AAHP5Q\r', 'DMPXK0AAHP5Q'],
    ['\t DMPXK0AAHP5Q\u00a0', 'DMPXK0AAHP5Q'],
    ['DMPX\u202fK0AAHP5Q', 'DMPXK0AAHP5Q'], // narrow NBSP, the French thousands separator
    ['\ufeffDMPXK0AAHP5Q', 'DMPXK0AAHP5Q'],
    ['DMPX\u200bK0AA\u200dHP5Q\u200e', 'DMPXK0AAHP5Q'], // zero-width space/joiner, LRM
    ['DMPX\u00adK0AAHP5Q', 'DMPXK0AAHP5Q'], // soft hyphen
    ['ＤＭＰＸＫ０ＡＡＨＰ５Ｑ', 'DMPXK0AAHP5Q'], // full-width, from an IME
    ['="DMPXK0AAHP5Q"', 'DMPXK0AAHP5Q'], // Excel formula literal used to keep text
    ["'DMPXK0AAHP5Q", 'DMPXK0AAHP5Q'], // Excel text prefix
    ['"DMPXK0AAHP5Q"', 'DMPXK0AAHP5Q'], // stray quotes from a hand-edited file
    ['C02X-K0AA', 'C02X-K0AA'], // not cleaned: a dash is not invisible
    ['straße12345', 'STRAßE12345'], // ß is not folded to SS: a non-serial must not become valid
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeSerial(input)).toBe(expected);
  });

  it('returns an empty string for non-strings', () => {
    expect(normalizeSerial(42 as unknown as string)).toBe('');
    expect(normalizeSerial(undefined as unknown as string)).toBe('');
  });
});

type Case = [input: string, valid: boolean, serial: string, codes: string[]];

describe('validateSerial', () => {
  const cases: Case[] = [
    // valid, typical
    ['DMPXK0AAHP5Q', true, 'DMPXK0AAHP5Q', []],
    ['F9FXK0AAHP', true, 'F9FXK0AAHP', []], // 10: the randomized format
    ['C02XK0AAHP5', true, 'C02XK0AAHP5', []], // 11
    ['  dmpxk0aahp5q ', true, 'DMPXK0AAHP5Q', []],
    // valid with warnings
    ['ABCDEFGH', true, 'ABCDEFGH', ['unusual-length']], // 8
    ['ABCDEFGH1234XY', true, 'ABCDEFGH1234XY', ['unusual-length']], // 14
    ['DMPXKOAAHP5Q', true, 'DMPXKOAAHP5Q', ['confusable-characters']], // O for 0
    ['DMPXK0AAHI5Q', true, 'DMPXK0AAHI5Q', ['confusable-characters']],
    ['SDMPXK0AAHP5Q', true, 'SDMPXK0AAHP5Q', ['barcode-prefix']], // 13 with S: scanned box label
    ['SF9FXK0AAHP', true, 'SF9FXK0AAHP', ['barcode-prefix']], // 11 with S
    ['123456789012', true, '123456789012', ['digits-only']],
    ['SO9FXK0AAHP', true, 'SO9FXK0AAHP', ['barcode-prefix', 'confusable-characters']],
    ['Serial Number', true, 'SERIALNUMBER', ['text-like', 'confusable-characters']], // a label, spaces removed
    ['liste des ipads', true, 'LISTEDESIPADS', ['text-like', 'unusual-length', 'confusable-characters']],
    ['Dmpxk0aahp5q', true, 'DMPXK0AAHP5Q', ['text-like']],
    ['dmpx k0aa hp5q', true, 'DMPXK0AAHP5Q', []], // grouped, one case, digits: a serial
    // invalid
    ['', false, '', ['empty']],
    ['   ', false, '', ['empty']],
    ['\u200b\ufeff', false, '', ['empty']],
    ['C02XK', false, 'C02XK', ['too-short']],
    ['1234567', false, '1234567', ['too-short']],
    ['ABCDEFGHIJKLMNO', false, 'ABCDEFGHIJKLMNO', ['too-long']],
    ['C02X-K0AA-HP5Q', false, 'C02X-K0AA-HP5Q', ['invalid-characters']],
    ['DMPXK0AAHP5Q;F9FXK0AAHP5Q', false, 'DMPXK0AAHP5Q;F9FXK0AAHP5Q', ['invalid-characters']],
    ['3.5E+14', false, '3.5E+14', ['scientific-notation']],
    ['3,5E+14', false, '3,5E+14', ['scientific-notation']],
    ['3.50123E+11', false, '3.50123E+11', ['scientific-notation']],
    ['1E+11', false, '1E+11', ['scientific-notation']],
    ['3.5e+14', false, '3.5E+14', ['scientific-notation']],
    ['1234E567', true, '1234E567', ['unusual-length']], // no sign, no decimal: a legal serial
    ['DMPXK0AAHP5Q\nF9FXK0AAHP5Q', false, 'DMPXK0AAHP5QF9FXK0AAHP5Q', ['multiple-lines']],
    ['DMPXK0AAHP5Q🙂', false, 'DMPXK0AAHP5Q🙂', ['invalid-characters']],
    ['DMPX\ud800K0AAHP5Q', false, 'DMPX\ud800K0AAHP5Q', ['invalid-characters']],
    ['Numéro123', false, 'NUMéRO123', ['invalid-characters']],
  ];

  it.each(cases)('%j → valid=%s %j %j', (input, valid, serial, codes) => {
    const v = validateSerial(input);
    expect(v.valid).toBe(valid);
    expect(v.serial).toBe(serial);
    const got = v.valid ? v.warnings.map((w) => w.code) : [v.error.code];
    expect(got).toEqual(codes);
  });

  it('gives actionable messages', () => {
    expect(validateSerial('3.5E+14').error?.message).toMatch(/scientific notation.*Text/);
    expect(validateSerial('1234567').error?.message).toMatch(/leading zeros/);
    expect(validateSerial('C02X-K0AA').error?.message).toContain('“-” (U+002D)');
    expect(validateSerial('DMPX\ud800K0AA').error?.message).toContain('U+D800 (a broken character)');
    const barcode = validateSerial('SDMPXK0AAHP5Q');
    expect(barcode.warnings[0]).toMatchObject({ code: 'barcode-prefix', suggestion: 'DMPXK0AAHP5Q' });
    const oi = validateSerial('DMPXKOAAHI5Q');
    expect(oi.warnings[0]).toMatchObject({ code: 'confusable-characters', suggestion: 'DMPXK0AAH15Q' });
    expect(oi.warnings[0]?.message).toContain('O and I');
  });

  it('rejects non-strings without throwing', () => {
    for (const v of [undefined, null, 42, {}, [], Symbol('x')]) {
      const r = validateSerial(v as unknown as string);
      expect(r).toMatchObject({ valid: false, error: { code: 'not-a-string' } });
    }
  });

  it('never throws, and its result is consistent, for any string (incl. lone surrogates)', () => {
    const loneSurrogates = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 30 })
      .map((codes) => String.fromCharCode(...codes));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), loneSurrogates, fc.string()), (input) => {
        const v: SerialValidation = validateSerial(input);
        if (v.valid) {
          expect(v.serial).toMatch(/^[A-Z0-9]{8,14}$/);
          expect(v.serial).toBe(normalizeSerial(input));
        } else {
          expect(v.error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every cleaned-up form of any valid serial', () => {
    const serial = fc.stringMatching(/^[A-Z0-9]{8,14}$/);
    fc.assert(
      fc.property(
        serial,
        fc.constantFrom('', ' ', '\t', '\u00a0', '\u200b', '\ufeff'),
        fc.boolean(),
        (s, pad, lower) => {
          const input = `${pad}${lower ? s.toLowerCase() : s}${pad}`;
          const v = validateSerial(input);
          expect(v.valid).toBe(true);
          expect(v.serial).toBe(s);
        },
      ),
    );
  });
});
