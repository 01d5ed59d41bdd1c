/**
 * Independent peer: CPython's `csv` module (RFC 4180-style dialects, Excel's quoting rules) and
 * its codecs (`utf-8-sig`, `cp1252`, `utf-16`).
 *
 * 1. Python writes exports in many dialects and encodings, with device names holding
 *    delimiters, quotes and line breaks; our reader must find the same serials, the same cell
 *    values, and the same record start lines as `csv.reader`'s `line_num` (Python counts CR,
 *    LF and CRLF as one line each, as we do).
 * 2. Our writer's release-request file must read back in Python as the header plus the serials.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peers, runPeer } from '../../../../test/support/peers.js';
import { readSerialCsv, type WriteSerialCsvOptions, writeSerialCsv } from '../../src/serials/index.js';

const WRITE_AND_READ = `
import base64, csv, io, json, sys
cases = json.load(sys.stdin)
out = []
for c in cases:
    quoting = {'minimal': csv.QUOTE_MINIMAL, 'all': csv.QUOTE_ALL, 'nonnumeric': csv.QUOTE_NONNUMERIC}[c['quoting']]
    text = io.StringIO(newline='')
    w = csv.writer(text, delimiter=c['delimiter'], quoting=quoting, lineterminator=c['newline'])
    if c['sep']:
        text.write('sep=' + c['delimiter'] + c['newline'])
    for row in c['rows']:
        w.writerow(row)
    data = text.getvalue().encode(c['encoding'])
    # Read it back with Python's own reader to get each record's start line.
    r = csv.reader(io.StringIO(data.decode(c['encoding']), newline=''), delimiter=c['delimiter'])
    records = []
    prev = 0
    if c['sep']:
        next(r)
        prev = r.line_num
    for rec in r:
        records.append({'line': prev + 1, 'cells': rec})
        prev = r.line_num
    out.append({'bytes': base64.b64encode(data).decode(), 'records': records})
json.dump(out, sys.stdout)
`;

const READ = `
import base64, csv, io, json, sys
files = json.load(sys.stdin)
json.dump([list(csv.reader(io.StringIO(base64.b64decode(f).decode('utf-8-sig'), newline=''))) for f in files], sys.stdout)
`;

interface Case {
  rows: string[][];
  delimiter: string;
  quoting: 'minimal' | 'all' | 'nonnumeric';
  newline: string;
  encoding: string;
  sep: boolean;
}

// Warning-free serials (no O/I, no leading S), so every issue would be a reading error.
const serial = fc.stringMatching(/^[A-HJ-NP-RT-Z][A-HJ-NP-Z0-9]{8}[0-9][A-HJ-NP-Z0-9]{0,2}$/);
const nameText = fc
  .array(fc.constantFrom('iPad', ' ', 'é', 'ü', ',', ';', '\t', '|', '"', '\n', '\r\n', '3B', "l'élève", 'Zoë'), {
    minLength: 1,
    maxLength: 8,
  })
  .map((p) => p.join(''))
  .filter((s) => s.trim() !== '');
const header = fc.constantFrom('Serial Number', 'Numéro de série', 'Serienummer', 'Seriennummer', 'serial_number');

const cases = fc.record({
  body: fc.uniqueArray(fc.tuple(serial, nameText), { minLength: 1, maxLength: 12, selector: ([s]) => s }),
  header,
  serialFirst: fc.boolean(),
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  quoting: fc.constantFrom<Case['quoting']>('minimal', 'all', 'nonnumeric'),
  newline: fc.constantFrom('\r\n', '\n', '\r'),
  encoding: fc.constantFrom('utf-8', 'utf-8-sig', 'cp1252', 'utf-16'),
  sep: fc.boolean(),
});

describe.skipIf(!peers.python3)('python3 csv module as a peer', () => {
  it('reads what Python writes: same serials, cells and record start lines', () => {
    const generated = fc.sample(cases, { numRuns: 150, seed: 20240502 });
    const input: Case[] = generated.map((g) => ({
      rows: [
        g.serialFirst ? [g.header, 'Device Name'] : ['Device Name', g.header],
        ...g.body.map(([s, n]) => (g.serialFirst ? [s, n] : [n, s])),
      ],
      delimiter: g.delimiter,
      // With a CR line terminator, QUOTE_MINIMAL leaves a bare LF unquoted, and Python's own
      // reader then splits that record in two; quote everything so both sides agree.
      quoting: g.newline === '\r' ? 'all' : g.quoting,
      newline: g.newline,
      encoding: g.encoding,
      sep: g.sep,
    }));
    const output = JSON.parse(
      runPeer('python3', ['-c', WRITE_AND_READ], { input: JSON.stringify(input) }).toString(),
    ) as Array<{
      bytes: string;
      records: Array<{ line: number; cells: string[] }>;
    }>;
    expect(output).toHaveLength(input.length);
    output.forEach((py, k) => {
      const g = generated[k];
      const c = input[k];
      if (!g || !c) throw new Error('missing case');
      expect(py.records.length, 'Python reads back what it wrote').toBe(c.rows.length);
      const bytes = Buffer.from(py.bytes, 'base64');
      const r = readSerialCsv(bytes);
      const label = `case ${k}: ${JSON.stringify({ ...c, rows: c.rows.length })}`;
      expect(r.serials, label).toEqual(g.body.map(([s]) => s));
      expect(r.delimiter, label).toBe(c.delimiter);
      expect(r.serialColumn?.header, label).toBe(g.header);
      // Python's record start lines (header excluded) are ours.
      expect(
        r.rows.map((row) => row.line),
        label,
      ).toEqual(py.records.slice(1).map((rec) => rec.line));
      // Cell values survive quoting, delimiters, quotes and line breaks (trimmed, as we trim).
      expect(
        r.rows.map((row) => row.fields.deviceName),
        label,
      ).toEqual(py.records.slice(1).map((rec) => (g.serialFirst ? rec.cells[1] : rec.cells[0])?.trim()));
      expect(r.issues, label).toEqual([]);
    });
  });

  it('Python reads our release request back as the header plus the serials', () => {
    const lists = fc.sample(fc.uniqueArray(serial, { maxLength: 30 }), { numRuns: 20, seed: 7 });
    const variants: Array<{ options: WriteSerialCsvOptions; header: string }> = [
      { options: {}, header: 'Serial Number' },
      { options: { bom: true }, header: 'Serial Number' },
      { options: { header: 'Numéro de série', newline: '\n' }, header: 'Numéro de série' },
    ];
    const files: string[] = [];
    const expected: string[][][] = [];
    for (const serials of lists) {
      for (const { options, header } of variants) {
        files.push(Buffer.from(writeSerialCsv(serials, options), 'utf8').toString('base64'));
        expected.push([[header], ...serials.map((s) => [s])]);
      }
    }
    const rows = JSON.parse(
      runPeer('python3', ['-c', READ], { input: JSON.stringify(files) }).toString(),
    ) as string[][][];
    expect(rows).toEqual(expected);
  });
});
