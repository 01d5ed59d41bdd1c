import { createReadStream, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/peers.js';
import { InvalidArgumentError } from '../../src/errors/invalid-argument.js';
import {
  type ReadSerialCsvOptions,
  readSerialCsv,
  readSerialCsvStream,
  SerialCsvError,
  type SerialCsvResult,
} from '../../src/serials/index.js';
import { chunk, concatBytes, cp1252, crlf, iterate, lf, S, utf8, utf16 } from './fixtures.js';

/** Result of the in-memory reader, or the code of its typed error. */
function memory(input: Uint8Array | string, options?: ReadSerialCsvOptions): SerialCsvResult | string {
  try {
    return readSerialCsv(input, options);
  } catch (e) {
    if (e instanceof SerialCsvError) return e.code;
    throw e;
  }
}

async function streamed<T extends Uint8Array | string>(
  chunks: T[],
  options?: ReadSerialCsvOptions,
): Promise<SerialCsvResult | string> {
  try {
    return await readSerialCsvStream(iterate(chunks), options);
  } catch (e) {
    if (e instanceof SerialCsvError) return e.code;
    throw e;
  }
}

const inputs: Array<[string, Uint8Array]> = [
  [
    'Excel FR: BOM, sep=;, CRLF',
    utf8(crlf('sep=;', 'Nom;N° de série', `iPad;${S.a}`, `"multi\nline";${S.b}`, `x;${S.a}`), true),
  ],
  ['Windows-1252', cp1252(crlf('Numéro de série;Élève', `${S.a};Zoë`, `3,5E+14;Chloé`, `;André`))],
  ['UTF-16 LE', utf16(crlf('Seriennummer\tGerätename', `${S.a}\tiPad`, `${S.c}\tiPad`))],
  ['UTF-16 BE', utf16(lf('Serial', S.a, S.b), 'be')],
  ['CR line endings', utf8(`Serial Number\r${S.a}\r\r${S.b}\r`)],
  ['unclosed quote', utf8(lf('Serial,Name', `${S.a},"oops`, `${S.b},x`))],
  ['header-less', utf8(lf(S.a, S.b.toLowerCase(), ` ${S.c} `))],
  ['empty', new Uint8Array(0)],
  ['header only', utf8('Serial Number\r\n')],
  ['xlsx', Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 1, 2, 3)],
  ['no serial column', utf8(lf('Nom,Classe', 'a,b'))],
];

describe('readSerialCsvStream agrees with readSerialCsv', () => {
  it.each(inputs)('%s, for any chunking', async (_name, bytes) => {
    const expected = memory(bytes);
    for (const sizes of [[1], [2], [3, 5], [7], [64], [bytes.length || 1]]) {
      expect(await streamed(chunk(bytes, sizes))).toEqual(expected);
    }
  });

  it('on text chunks (a stream with setEncoding)', async () => {
    const text = crlf('sep=;', 'Serial;Notes', `${S.a};"a\r\nb"`, `${S.b};c`);
    for (const sizes of [[1], [4], [100]]) {
      expect(await streamed(chunk(text, sizes))).toEqual(memory(text));
    }
  });

  it('for random CSV-like text, encodings and chunkings (property)', async () => {
    const piece = fc.constantFrom(
      S.a,
      S.b,
      S.c.toLowerCase(),
      ` ${S.d} `,
      'Serial Number',
      'Numéro de série',
      'Nom',
      'iPad, 3B',
      '"q;u,o\r\nted"',
      '"',
      ';',
      ',',
      '\t',
      '\r\n',
      '\n',
      '\r',
      '',
      'sep=;',
      '3.5E+14',
      'é',
      '\ufeff',
    );
    const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
    const encoded = fc
      .tuple(text, fc.constantFrom('utf8', 'utf8bom', 'utf16le', 'utf16be', 'cp1252'))
      .map(([t, enc]) => {
        switch (enc) {
          case 'utf8':
            return utf8(t);
          case 'utf8bom':
            return utf8(t, true);
          case 'utf16le':
            return utf16(t, 'le');
          case 'utf16be':
            return utf16(t, 'be');
          default:
            return cp1252(t.replace(/\ufeff/g, ''));
        }
      });
    await fc.assert(
      fc.asyncProperty(
        encoded,
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 4 }),
        async (bytes, sizes) => {
          expect(await streamed(chunk(bytes, sizes))).toEqual(memory(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['CRLF', '\r\n'],
    ['LF', '\n'],
    ['CR', '\r'],
  ])('past the 64 KiB head and across many parse batches (%s), with records cut anywhere', async (_name, nl) => {
    const lines = ['Mobile Device Name;Serial Number;Notes'];
    for (let i = 0; i < 30_000; i++) {
      const serial = serialAt(i);
      // Every 11th record spans two lines, so some batch cuts fall inside a quoted field.
      lines.push(i % 11 === 0 ? `"iPad; n°${i}";${serial};"note${nl}${i}"` : `iPad ${i};${serial};`);
    }
    lines.push(`dup;${serialAt(5)};`);
    const bytes = utf8(`${lines.join(nl)}${nl}`, true);
    const expected = memory(bytes) as SerialCsvResult;
    expect(expected.serials.length).toBe(30_000);
    expect(expected.issues.map((i) => `${i.line} ${i.code} ${i.firstLine}`)).toEqual([
      `${lines.length + 2728} duplicate 8`,
    ]);
    expect(expected.rows[1]?.line).toBe(4);
    for (const sizes of [[65_537], [1_000_003], [4093, 17]]) {
      expect(await streamed(chunk(bytes, sizes))).toEqual(expected);
    }
  });
});

/** A valid, warning-free 12-character serial for row `i` (base 34 without I and O). */
function serialAt(i: number): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  let n = i;
  let s = '';
  for (let k = 0; k < 9; k++) {
    s = alphabet[n % 34] + s;
    n = Math.floor(n / 34);
  }
  return `DM${s}Q`;
}

describe('readSerialCsvStream with an unclosed quote early in a large file', () => {
  it('does not hold the rest of the file, and agrees with readSerialCsv', async () => {
    const lines = ['Serial;Name', `${S.a};"oops`];
    for (let i = 0; i < 120_000; i++) lines.push(`${serialAt(i)};iPad ${i}`);
    const bytes = utf8(`${lines.join('\r\n')}\r\n`);
    const expected = memory(bytes, { collectRows: false }) as SerialCsvResult;
    // The stray quote is reported once; every later line is still read.
    expect(expected.issues.map((i) => `${i.line} ${i.code}`)).toEqual(['2 unterminated-quote']);
    expect(expected.recordCount).toBe(120_001);
    for (const sizes of [[8191], [100_003]]) {
      expect(await streamed(chunk(bytes, sizes), { collectRows: false })).toEqual(expected);
    }
  });
});

describe('readSerialCsvStream on 1,000,000 rows', () => {
  it('reads a generated Jamf-style stream chunk by chunk', async () => {
    const ROWS = 1_000_000;
    // Generated on the fly: the source text never exists in full.
    async function* source(): AsyncGenerator<Uint8Array> {
      const encoder = new TextEncoder();
      yield encoder.encode('\ufeffMobile Device Name;Serial Number;Asset Tag\r\n');
      let batch: string[] = [];
      for (let i = 0; i < ROWS; i++) {
        if (i === 500_000) batch.push(`iPad dup;${serialAt(10)};x`);
        else if (i === 750_000) batch.push('iPad bad;3,5E+14;x');
        else batch.push(`iPad ${i};${serialAt(i)};LYC-${i}`);
        if (batch.length === 5000) {
          yield encoder.encode(`${batch.join('\r\n')}\r\n`);
          batch = [];
        }
      }
      if (batch.length > 0) yield encoder.encode(`${batch.join('\r\n')}\r\n`);
    }
    const r = await readSerialCsvStream(source(), { collectRows: false });
    expect(r.recordCount).toBe(ROWS);
    expect(r.serials.length).toBe(ROWS - 2);
    expect(r.serials[0]).toBe(serialAt(0));
    expect(r.serials.at(-1)).toBe(serialAt(ROWS - 1));
    expect(r.issues).toMatchObject([
      { line: 500_002, kind: 'duplicate', firstLine: 12 },
      { line: 750_002, kind: 'invalid', code: 'scientific-notation' },
    ]);
    expect(r).toMatchObject({ delimiter: ';', encoding: 'utf-8', bom: true, rows: [] });
  });
});

describe('readSerialCsvStream sources', () => {
  const tmp = tempDir('serials-stream-');
  afterAll(() => tmp.cleanup());

  it('reads a real file through fs.createReadStream', async () => {
    const bytes = cp1252(crlf('sep=;', 'Numéro de série;Nom', `${S.a};élève`, `${S.b};prof`));
    const file = tmp.path('export.csv');
    writeFileSync(file, bytes);
    const r = await readSerialCsvStream(createReadStream(file, { highWaterMark: 7 }));
    expect(r).toEqual(readSerialCsv(bytes));
    expect(r.rows[0]?.fields).toEqual({ deviceName: 'élève' });
  });

  it('reads a Readable in text mode', async () => {
    const text = lf('Serial', S.a, S.b);
    const r = await readSerialCsvStream(Readable.from([text.slice(0, 5), text.slice(5)]));
    expect(r).toEqual(readSerialCsv(text));
  });

  it('reads a web ReadableStream', async () => {
    const bytes = utf8(lf('Serial', S.a));
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 3));
        controller.enqueue(bytes.slice(3));
        controller.close();
      },
    });
    expect((await readSerialCsvStream(web as unknown as AsyncIterable<Uint8Array>)).serials).toEqual([S.a]);
  });

  it('wraps a failing source in read-failed with the cause, and stops it', async () => {
    const boom = new Error('EIO: disk gone');
    const source = new Readable({
      read() {
        this.push(utf8(lf('Serial', S.a)));
        this.destroy(boom);
      },
    });
    const err = await readSerialCsvStream(source).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerialCsvError);
    expect(err).toMatchObject({ code: 'read-failed', cause: boom });
    expect((err as Error).message).toContain('EIO: disk gone');
  });

  it('destroys the source when the content is rejected', async () => {
    const source = Readable.from(
      (function* () {
        yield Buffer.from([0x50, 0x4b, 0x03, 0x04]);
        yield Buffer.alloc(70_000, 1);
        yield Buffer.alloc(70_000, 2);
      })(),
    );
    const err = await readSerialCsvStream(source).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'binary', found: { format: 'zip' } });
    expect(source.destroyed).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an object chunk', iterate([{ a: 1 }])],
    ['bytes then text', iterate([utf8('Serial\n'), 'x'])],
    ['text then bytes', iterate(['Serial\n', utf8('x')])],
  ])('rejects %s as InvalidArgumentError naming the source', async (_name, source) => {
    const err = await readSerialCsvStream(source as AsyncIterable<Uint8Array>).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({
      argument: 'source',
      message: expect.stringMatching(/^Invalid source: chunk [12] of the stream/),
    });
  });

  it.each([undefined, null, 'Serial\n', utf8('Serial\n'), 42])('rejects a non-stream source %#', async (source) => {
    const err = await readSerialCsvStream(source as unknown as AsyncIterable<Uint8Array>).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ argument: 'source' });
  });

  it('validates options before reading', async () => {
    const err = await readSerialCsvStream(iterate([utf8('x')]), { column: -2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ argument: 'options.column' });
  });

  it('an empty stream is an empty file', async () => {
    const r = await readSerialCsvStream(iterate<Uint8Array>([]));
    expect(r.issues).toMatchObject([{ line: 1, kind: 'empty', code: 'empty-file' }]);
    expect(r.serialColumn).toBeUndefined();
  });

  it('reads the same with a 64 KiB head of blank lines before the header', async () => {
    const bytes = concatBytes(utf8('\n'.repeat(70_000)), utf8(lf('Serial', S.a)));
    const r = await streamed(chunk(bytes, [9999]));
    expect(r).toEqual(memory(bytes));
    expect((r as SerialCsvResult).rows[0]?.line).toBe(70_002);
  });
});
