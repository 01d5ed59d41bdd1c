import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSerialCsv, SerialCsvError, type SerialCsvErrorCode } from '../../src/serials/index.js';
import { concatBytes, S, utf8 } from './fixtures.js';

// The only errors bad *content* may produce; `invalid-input`, `read-failed` and above all
// `parse-failed` (an unexpected parser failure) would be bugs here.
const CONTENT_ERRORS: SerialCsvErrorCode[] = ['binary', 'not-csv', 'no-serial-column', 'ambiguous-serial-column'];

function readOrTypedError(input: string | Uint8Array): void {
  try {
    const r = readSerialCsv(input);
    // A result is always coherent.
    expect(new Set(r.serials).size).toBe(r.serials.length);
    for (const s of r.serials) expect(s).toMatch(/^[A-Z0-9]{8,14}$/);
    for (const i of r.issues) expect(i.line).toBeGreaterThanOrEqual(1);
  } catch (e) {
    expect(e).toBeInstanceOf(SerialCsvError);
    expect(CONTENT_ERRORS).toContain((e as SerialCsvError).code);
  }
}

describe('readSerialCsv never raises anything but its typed error', () => {
  it('for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => readOrTypedError(bytes)),
      { numRuns: 1500 },
    );
  });

  it('for random strings, lone surrogates included', () => {
    const anyUnits = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 300 })
      .map((units) => String.fromCharCode(...units));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), anyUnits), (text) => readOrTypedError(text)),
      { numRuns: 1500 },
    );
  });

  it('for random bytes glued to a valid export (corrupted tail or head)', () => {
    const valid = utf8(`Serial Number;Name\r\n${S.a};x\r\n${S.b};y\r\n`);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), fc.boolean(), (noise, before) =>
        readOrTypedError(before ? concatBytes(noise, valid) : concatBytes(valid, noise)),
      ),
      { numRuns: 800 },
    );
  });

  it('for CSV-shaped noise (quotes, delimiters, line breaks in any order)', () => {
    const token = fc.constantFrom(
      '"',
      '""',
      ';',
      ',',
      '\t',
      '|',
      '\r',
      '\n',
      '\r\n',
      'sep=',
      S.a,
      'Serial',
      ' ',
      'é',
      '\ufeff',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), (tokens) => readOrTypedError(tokens.join(''))),
      { numRuns: 1500 },
    );
  });
});
