import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SerialCsvError } from '../../src/serials/index.js';
import { ByteDecoder, decodeCp1252, firstInvalidUtf8, HEAD_BYTES } from '../../src/serials/internal/decode.js';
import { chunk, concatBytes, cp1252, utf8, utf16 } from './fixtures.js';

function decode(bytes: Uint8Array, sizes?: number[], encoding?: 'auto' | 'utf-8' | 'windows-1252') {
  const d = new ByteDecoder({ encoding });
  let text = '';
  for (const c of sizes ? chunk(bytes, sizes) : [bytes]) text += d.push(c);
  text += d.end();
  return { text, encoding: d.encoding, bom: d.bom };
}

describe('ByteDecoder', () => {
  const french = 'Numéro de série;Nom de l’élève\r\nDMPXK0AAHP5Q;Zoë\r\n';

  it.each([
    ['UTF-8', utf8(french), 'utf-8', false],
    ['UTF-8 with BOM', utf8(french, true), 'utf-8', true],
    ['UTF-16 LE with BOM', utf16(french, 'le'), 'utf-16le', true],
    ['UTF-16 BE with BOM', utf16(french, 'be'), 'utf-16be', true],
    ['UTF-16 LE without BOM', utf16(french, 'le', false), 'utf-16le', false],
    ['UTF-16 BE without BOM', utf16(french, 'be', false), 'utf-16be', false],
    ['Windows-1252', cp1252(french), 'windows-1252', false],
  ] as const)('decodes %s', (_name, bytes, encoding, bom) => {
    for (const sizes of [undefined, [1], [2, 3], [7]]) {
      expect(decode(bytes, sizes)).toEqual({ text: french, encoding, bom });
    }
  });

  it('decodes Windows-1252 as the WHATWG index does (Node’s own decoder treats it as Latin-1)', () => {
    // https://encoding.spec.whatwg.org/index-windows-1252.txt, bytes 0x80–0x9F.
    const high = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const expected = Array.from(all, (b) => (b >= 0x80 && b <= 0x9f ? high[b - 0x80] : String.fromCharCode(b))).join(
      '',
    );
    expect(decodeCp1252(all)).toBe(expected);
    expect(decodeCp1252(cp1252('Numéro de série – œuvre’s €'))).toBe('Numéro de série – œuvre’s €');
  });

  it('switches from UTF-8 to Windows-1252 at the first invalid byte, whatever the chunking', () => {
    // UTF-8 "é" in the header, then a Windows-1252 "é" further down.
    const bytes = concatBytes(utf8('Numéro de série\n'), cp1252('élève\n'));
    for (const sizes of [undefined, [1], [5], [16], [17], [18]]) {
      expect(decode(bytes, sizes)).toEqual({
        text: 'Numéro de série\nélève\n',
        encoding: 'windows-1252',
        bom: false,
      });
    }
  });

  it('treats a UTF-8 sequence cut by the end of input as Windows-1252', () => {
    expect(decode(Uint8Array.of(0x41, 0xc3))).toEqual({ text: 'AÃ', encoding: 'windows-1252', bom: false });
  });

  it('keeps forced UTF-8 lenient (replacement characters) and drops only a matching BOM', () => {
    expect(decode(cp1252('é\n'), undefined, 'utf-8')).toMatchObject({ text: '\ufffd\n', encoding: 'utf-8' });
    expect(decode(utf8('é', true), undefined, 'windows-1252')).toMatchObject({ text: 'ï»¿Ã©', bom: false });
  });

  it('decodes the same text for any chunking of any bytes (or rejects them the same way)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 100 }).map((s) => utf8(s)),
          fc.string({ unit: 'binary', maxLength: 100 }).map((s) => utf16(s, 'be')),
        ),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        (bytes, sizes) => {
          const run = (s?: number[]) => {
            try {
              return decode(bytes, s);
            } catch (e) {
              expect(e).toBeInstanceOf(SerialCsvError);
              return (e as SerialCsvError).code;
            }
          };
          expect(run(sizes)).toEqual(run());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with the WHATWG UTF-8 decoder on validity', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let valid = true;
        try {
          fatal.decode(bytes);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8(bytes) === bytes.length).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['ZIP / XLSX', Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00), 'zip', /ZIP archive.*\.xlsx/],
    ['legacy XLS', Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0), 'xls', /legacy Excel/],
    ['PDF', utf8('%PDF-1.7\n'), 'pdf', /PDF/],
    ['UTF-32', Uint8Array.of(0xff, 0xfe, 0, 0, 0x41, 0, 0, 0), 'utf-32', /UTF-32/],
    ['NUL bytes', utf8('Serial\nDMPX\0K0AAHP5Q\n'), 'nul-bytes', /NUL bytes \(first at byte 11\)/],
  ])('rejects %s with a typed error', (_name, bytes, format, message) => {
    let err: unknown;
    try {
      decode(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SerialCsvError);
    expect(err).toMatchObject({ code: 'binary', found: { format } });
    expect((err as Error).message).toMatch(message);
  });

  it('tells the user how to fix an .xlsx', () => {
    expect(() => decode(Uint8Array.of(0x50, 0x4b, 0x03, 0x04))).toThrow(/save it as “CSV UTF-8/);
  });

  it('only inspects the head for NUL bytes', () => {
    const bytes = concatBytes(utf8('a'.repeat(HEAD_BYTES)), Uint8Array.of(0));
    expect(decode(bytes).text.endsWith('\0')).toBe(true);
  });
});
