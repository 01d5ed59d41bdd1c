import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/invalid-argument.js';
import {
  type ReadSerialCsvOptions,
  readSerialCsv,
  SerialCsvError,
  type SerialCsvIssue,
  type SerialCsvResult,
} from '../../src/serials/index.js';
import { concatBytes, cp1252, crlf, lf, S, utf8, utf16 } from './fixtures.js';

/** Issues reduced to what a table can state: `line kind code` (+ `→firstLine` for duplicates). */
function brief(issues: SerialCsvIssue[]): string[] {
  return issues.map((i) => `${i.line} ${i.kind} ${i.code}${i.firstLine === undefined ? '' : ` →${i.firstLine}`}`);
}

interface Fixture {
  name: string;
  input: string | Uint8Array;
  options?: ReadSerialCsvOptions;
  serials: string[];
  delimiter: string;
  column: { index: number; header: string | undefined; matchedBy: string };
  issues?: string[];
  lines?: number[];
  encoding?: string | undefined;
}

const fixtures: Fixture[] = [
  {
    name: 'Jamf Pro advanced search export (comma, LF, quoted names)',
    input: lf(
      'Mobile Device Name,Serial Number,UDID,Model,iOS Version,Asset Tag,Username,Last Inventory Update',
      `"iPad, 3B-01",${S.a},00008020-001A2B3C4D5E6F70,iPad (9th generation),17.5.1,LYC-001,,2024-05-02 10:11:12`,
      `iPad 3B-02,${S.b},00008020-001A2B3C4D5E6F71,iPad (9th generation),17.5.1,LYC-002,jdupont,2024-05-02 10:12:00`,
    ),
    serials: [S.a, S.b],
    delimiter: ',',
    column: { index: 1, header: 'Serial Number', matchedBy: 'alias' },
    issues: [],
    lines: [2, 3],
  },
  {
    name: 'Excel “CSV UTF-8” in France: BOM + ; + CRLF',
    input: utf8(crlf('Nom;Numéro de série;Modèle', `iPad 01;${S.a};iPad`, `iPad 02;${S.b};iPad`), true),
    serials: [S.a, S.b],
    delimiter: ';',
    column: { index: 1, header: 'Numéro de série', matchedBy: 'alias' },
    issues: [],
    lines: [2, 3],
    encoding: 'utf-8',
  },
  {
    name: 'sep=; first line counts as line 1',
    input: utf8(crlf('sep=;', 'N° de série;Nom', `${S.a};a`, `${S.b};b`), true),
    serials: [S.a, S.b],
    delimiter: ';',
    column: { index: 0, header: 'N° de série', matchedBy: 'alias' },
    lines: [3, 4],
  },
  {
    name: 'sep=, overrides a ; that would otherwise be detected',
    input: lf('sep=,', 'Nom;Classe,Serial Number', `Dupont;3B,${S.a}`, `Martin;3C,${S.b}`),
    serials: [S.a, S.b],
    delimiter: ',',
    column: { index: 1, header: 'Serial Number', matchedBy: 'alias' },
    issues: [],
    lines: [3, 4],
  },
  {
    name: 'a header row repeated inside the data (two exports pasted together)',
    input: crlf('Serial Number;Name', `${S.a};a`, 'Serial Number;Name', `${S.b};b`),
    serials: [S.a, S.b],
    delimiter: ';',
    column: { index: 0, header: 'Serial Number', matchedBy: 'alias' },
    issues: ['3 invalid repeated-header'],
  },
  {
    name: 'quoted fields holding delimiters, quotes and newlines: lines are where records start',
    input: crlf(
      'Serial Number;Device Name;Notes',
      `${S.a};"iPad; salle 3";"Écran ""fissuré"""`,
      `${S.b};"iPad 2";"ligne 1\nligne 2\r\nligne 3"`,
      `${S.c};iPad 3;ok`,
      `${S.a};dup;x`,
    ),
    serials: [S.a, S.b, S.c],
    delimiter: ';',
    column: { index: 0, header: 'Serial Number', matchedBy: 'alias' },
    issues: ['7 duplicate duplicate →2'],
    lines: [2, 3, 6, 7],
  },
  {
    name: 'Dutch headers, tab-delimited',
    input: lf('Apparaatnaam\tSerienummer\tModel', `iPad 1\t${S.a}\tiPad`, `iPad 2\t${S.b}\tiPad`),
    serials: [S.a, S.b],
    delimiter: '\t',
    column: { index: 1, header: 'Serienummer', matchedBy: 'alias' },
  },
  {
    name: 'German headers in Windows-1252 (Excel “CSV (Trennzeichen-getrennt)”)',
    input: cp1252(crlf('Gerätename;Seriennummer;Betriebssystemversion', `Schüler-iPad;${S.a};17.5`)),
    serials: [S.a],
    delimiter: ';',
    column: { index: 1, header: 'Seriennummer', matchedBy: 'alias' },
    encoding: 'windows-1252',
  },
  {
    name: 'French headers in Windows-1252',
    input: cp1252(crlf('Numéro de série;Nom de l’appareil', `${S.a};iPad élève`)),
    serials: [S.a],
    delimiter: ';',
    column: { index: 0, header: 'Numéro de série', matchedBy: 'alias' },
    encoding: 'windows-1252',
  },
  {
    name: 'Excel “Unicode text”: UTF-16 LE with BOM, tab-delimited',
    input: utf16(crlf('Numéro de série\tNom', `${S.a}\tiPad`, `${S.b}\tiPad`), 'le'),
    serials: [S.a, S.b],
    delimiter: '\t',
    column: { index: 0, header: 'Numéro de série', matchedBy: 'alias' },
    encoding: 'utf-16le',
  },
  {
    name: 'UTF-16 BE with BOM',
    input: utf16(crlf('Serial Number', S.a), 'be'),
    serials: [S.a],
    delimiter: ',',
    column: { index: 0, header: 'Serial Number', matchedBy: 'alias' },
    encoding: 'utf-16be',
  },
  {
    name: 'Mosyle API column names, pipe-delimited',
    input: lf('serial_number|device_name|deviceudid|osversion', `${S.a}|iPad-1|abc|17.1`),
    serials: [S.a],
    delimiter: '|',
    column: { index: 0, header: 'serial_number', matchedBy: 'alias' },
  },
  {
    name: 'Jamf School API names (camelCase)',
    input: lf('name,serialNumber,assetTag,UDID', `iPad,${S.a},A1,u`),
    serials: [S.a],
    delimiter: ',',
    column: { index: 1, header: 'serialNumber', matchedBy: 'alias' },
  },
  {
    name: 'lowercase, space-padded, invisible characters, duplicates, blank lines',
    input: crlf(
      'Serial Number',
      ` ${S.a.toLowerCase()} `,
      '',
      `\u200b${S.b}\u00a0`,
      '   ',
      S.a,
      `${S.b.slice(0, 4)} ${S.b.slice(4)}`,
      '',
    ),
    serials: [S.a, S.b],
    delimiter: ',',
    column: { index: 0, header: 'Serial Number', matchedBy: 'alias' },
    issues: ['6 duplicate duplicate →2', '7 duplicate duplicate →4'],
    lines: [2, 4, 6, 7],
  },
  {
    name: 'Excel-mangled values: scientific notation, stripped zeros, suspicious shapes',
    input: crlf(
      'Serial Number;IMEI',
      `3,5E+14;1`,
      `1234567;2`,
      `S${S.a};3`,
      `${S.a.replace('0', 'O')};4`,
      '123456789012;5',
    ),
    serials: [`S${S.a}`, S.a.replace('0', 'O'), '123456789012'],
    delimiter: ';',
    column: { index: 0, header: 'Serial Number', matchedBy: 'alias' },
    issues: [
      '2 invalid scientific-notation',
      '3 invalid too-short',
      '4 suspicious barcode-prefix',
      '5 suspicious confusable-characters',
      '6 suspicious digits-only',
    ],
  },
  {
    name: 'rows without a serial are reported as empty; blank and ;;; rows are not',
    input: crlf('Serial Number;Device Name', `${S.a};iPad 1`, ';iPad 2', ';;', '', `${S.b};`),
    serials: [S.a, S.b],
    delimiter: ';',
    column: { index: 0, header: 'Serial Number', matchedBy: 'alias' },
    issues: ['3 empty missing-serial'],
    lines: [2, 3, 6],
  },
  {
    name: 'header-less single column (the asbmutil / ASM upload format)',
    input: lf(S.a, S.b, S.c),
    serials: [S.a, S.b, S.c],
    delimiter: ',',
    column: { index: 0, header: undefined, matchedBy: 'single-column' },
    lines: [1, 2, 3],
  },
  {
    name: 'single column with an unknown header label',
    input: lf('Liste des iPads', S.a, S.b),
    serials: [S.a, S.b],
    delimiter: ',',
    column: { index: 0, header: 'Liste des iPads', matchedBy: 'single-column' },
    lines: [2, 3],
  },
  {
    name: 'single column whose first line is a truncated serial stays data',
    input: lf('C02XK', S.a),
    serials: [S.a],
    delimiter: ',',
    column: { index: 0, header: undefined, matchedBy: 'single-column' },
    issues: ['1 invalid too-short'],
  },
  {
    name: 'unknown headers: the column whose values look like serials',
    input: crlf('Appareil n°;Identifiant;Salle', `1;${S.a};B12`, `2;${S.b};B12`, `3;${S.c};B14`),
    serials: [S.a, S.b, S.c],
    delimiter: ';',
    column: { index: 1, header: 'Identifiant', matchedBy: 'content' },
  },
  {
    name: 'no header, several columns: found by content',
    input: lf(`iPad de Marie,${S.a},17.1`, `iPad de Paul,${S.b},17.1`),
    serials: [S.a, S.b],
    delimiter: ',',
    column: { index: 1, header: undefined, matchedBy: 'content' },
    lines: [1, 2],
  },
  {
    name: 'asset tag equal to the serial is not ambiguous',
    input: lf('Identifiant,Étiquette', `${S.a},${S.a}`, `${S.b},${S.b}`),
    serials: [S.a, S.b],
    delimiter: ',',
    column: { index: 0, header: 'Identifiant', matchedBy: 'content' },
  },
  {
    name: 'classic Mac Excel: CR line endings',
    input: `Serial Number\r${S.a}\r${S.b}\r`,
    serials: [S.a, S.b],
    delimiter: ',',
    column: { index: 0, header: 'Serial Number', matchedBy: 'alias' },
    lines: [2, 3],
  },
  {
    name: 'no trailing newline',
    input: `Serial Number\n${S.a}\n${S.b}`,
    serials: [S.a, S.b],
    delimiter: ',',
    column: { index: 0, header: 'Serial Number', matchedBy: 'alias' },
    lines: [2, 3],
  },
  {
    name: 'options.column by header text',
    input: lf('Serial Number,Replacement Serial', `${S.a},${S.b}`),
    options: { column: 'replacement serial' },
    serials: [S.b],
    delimiter: ',',
    column: { index: 1, header: 'Replacement Serial', matchedBy: 'option' },
  },
  {
    name: 'options.column by index on a header-less file',
    input: lf(`${S.a},${S.b}`, `${S.c},${S.d}`),
    options: { column: 1 },
    serials: [S.b, S.d],
    delimiter: ',',
    column: { index: 1, header: undefined, matchedBy: 'option' },
  },
  {
    name: 'options.delimiter and options.header: false',
    input: lf(`Serial Number:x`, `${S.a}:y`),
    options: { delimiter: ':', header: false, column: 0 },
    serials: [S.a],
    delimiter: ':',
    column: { index: 0, header: undefined, matchedBy: 'option' },
    issues: ['1 invalid repeated-header'],
  },
  {
    name: 'empty file',
    input: '',
    serials: [],
    delimiter: ',',
    column: undefined as never,
    issues: ['1 empty empty-file'],
  },
  {
    name: 'header-only file',
    input: utf8(crlf('Serial Number;Device Name'), true),
    serials: [],
    delimiter: ';',
    column: { index: 0, header: 'Serial Number', matchedBy: 'alias' },
    issues: ['1 empty no-data-rows'],
  },
  {
    name: 'header-only file after a sep line and blank lines',
    input: crlf('sep=;', '', 'Seriennummer'),
    serials: [],
    delimiter: ';',
    column: { index: 0, header: 'Seriennummer', matchedBy: 'alias' },
    issues: ['3 empty no-data-rows'],
  },
];

describe('readSerialCsv fixtures', () => {
  it.each(fixtures)('$name', (f) => {
    const r = readSerialCsv(f.input, f.options);
    expect(r.serials).toEqual(f.serials);
    expect(r.delimiter).toBe(f.delimiter);
    if (f.name === 'empty file') expect(r.serialColumn).toBeUndefined();
    else expect(r.serialColumn).toEqual(f.column);
    if (f.issues) expect(brief(r.issues)).toEqual(f.issues);
    if (f.lines) expect(r.rows.map((row) => row.line)).toEqual(f.lines);
    if ('encoding' in f) expect(r.encoding).toBe(f.encoding);
    // Every serial in `serials` is in `rows`, and duplicates point back to a real first line.
    for (const s of r.serials) expect(r.rows.some((row) => row.serial === s)).toBe(true);
    for (const i of r.issues.filter((x) => x.kind === 'duplicate')) {
      expect(r.rows.find((row) => row.line === i.firstLine)?.serial).toBe(i.serial);
    }
  });
});

describe('readSerialCsv rows and fields', () => {
  it('keeps the other columns under canonical names, unknown ones under their header', () => {
    const r = readSerialCsv(
      crlf(
        'Mobile Device Name;Serial Number;UDID;Model;iOS Version;IMEI;Wi-Fi MAC Address;Username;Last Inventory Update;Couleur;;Couleur',
        `iPad 1;${S.a};u1;iPad Air;17.5;35 123456 789012 3;a4:b1:c2:d3:e4:f5;jdupont;2024-05-01;gris;x;bleu`,
      ),
    );
    // Strict: `fields` is a plain object (prototype, constructor) like the literal.
    expect(r.rows[0]).toStrictEqual({
      line: 2,
      serial: S.a,
      rawSerial: S.a,
      fields: {
        deviceName: 'iPad 1',
        udid: 'u1',
        model: 'iPad Air',
        osVersion: '17.5',
        imei: '35 123456 789012 3',
        macAddress: 'a4:b1:c2:d3:e4:f5',
        user: 'jdupont',
        lastSeen: '2024-05-01',
        Couleur: 'gris',
        column11: 'x',
        Couleur_2: 'bleu',
      },
    });
    expect(Object.getPrototypeOf(r.rows[0]?.fields)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(r.rows[0]))).toEqual(r.rows[0]);
    expect(r.columns.map((c) => c.field)).toEqual([
      'deviceName',
      'serialNumber',
      'udid',
      'model',
      'osVersion',
      'imei',
      'macAddress',
      'user',
      'lastSeen',
      'Couleur',
      'column11',
      'Couleur_2',
    ]);
    expect(r.hasHeader).toBe(true);
  });

  it('names columns column<N> without a header, and extra cells beyond the header too', () => {
    const r = readSerialCsv(lf('Serial,Name', `${S.a},iPad,extra`));
    expect(r.rows[0]?.fields).toEqual({ deviceName: 'iPad', column3: 'extra' });
    const h = readSerialCsv(lf(`iPad 1,${S.a}`, `iPad 2,${S.b}`));
    expect(h.rows[1]?.fields).toEqual({ column1: 'iPad 2' });
    expect(h.hasHeader).toBe(false);
  });

  it('a second serial-like header keeps its own name', () => {
    const r = readSerialCsv(lf('Serial Number,serial_number', `${S.a},${S.b}`));
    expect(r.serials).toEqual([S.a]);
    expect(r.rows[0]?.fields).toEqual({ serial_number: S.b });
  });

  it('reports the raw cell of invalid rows and the device of rows without serial', () => {
    const r = readSerialCsv(crlf('Device Name;Serial Number', 'iPad 7;', 'iPad 8; c02x-k0aa '));
    expect(r.rows.map((row) => [row.serial, row.rawSerial])).toEqual([
      [undefined, undefined],
      [undefined, 'c02x-k0aa'],
    ]);
    expect(r.issues[0]?.message).toBe('No serial number on this line (device “iPad 7”).');
    expect(r.issues[1]).toMatchObject({ line: 3, kind: 'invalid', code: 'invalid-characters', value: 'c02x-k0aa' });
  });

  it('names the first line of each duplicate in its message', () => {
    const r = readSerialCsv(lf('Serial', S.a, S.b, S.a.toLowerCase(), S.a));
    expect(r.issues.map((i) => i.message)).toEqual([
      `${S.a} already appears on line 2.`,
      `${S.a} already appears on line 2.`,
    ]);
    expect(r.rows.map((row) => row.serial)).toEqual([S.a, S.b, S.a, S.a]);
    expect(r.recordCount).toBe(4);
  });

  it('collectRows: false keeps serials and issues only', () => {
    const r = readSerialCsv(lf('Serial;Name', `${S.a};x`, `;y`, `${S.a};z`), { collectRows: false });
    expect(r.rows).toEqual([]);
    expect(r.serials).toEqual([S.a]);
    expect(brief(r.issues)).toEqual(['3 empty missing-serial', '4 duplicate duplicate →2']);
  });

  it('accepts an ArrayBuffer and a Buffer', () => {
    const bytes = utf8(lf('Serial', S.a));
    expect(readSerialCsv(bytes.buffer.slice(0) as ArrayBuffer).serials).toEqual([S.a]);
    expect(readSerialCsv(Buffer.from(bytes)).serials).toEqual([S.a]);
  });

  it('reports BOM and sep line', () => {
    const r = readSerialCsv(`\ufeffsep=;\r\nSerial\r\n${S.a}\r\n`);
    expect(r).toMatchObject({ bom: true, sepLine: true, encoding: undefined, delimiter: ';' });
  });
});

describe('readSerialCsv broken quoting', () => {
  it('recovers after an unclosed quote and keeps reporting the following lines', () => {
    const r = readSerialCsv(lf('Serial,Name', `${S.a},"iPad 10.2`, `${S.b},iPad`, `${S.c},iPad`));
    expect(r.serials).toEqual([S.a, S.b, S.c]);
    expect(brief(r.issues)).toEqual(['2 invalid unterminated-quote']);
    expect(r.rows.map((row) => row.line)).toEqual([2, 3, 4]);
    expect(r.rows[0]?.fields.deviceName).toBe('"iPad 10.2');
  });

  it('recovers from an unclosed quote near the top of a 300,000-line file', () => {
    const lines = ['Serial;Name', `${S.a};"oops`];
    for (let i = 0; i < 300_000; i++) lines.push(`SN${String(i).padStart(10, '0')};iPad ${i}`);
    const r = readSerialCsv(`${lines.join('\r\n')}\r\n`, { collectRows: false });
    expect(r.serials.length).toBe(300_001);
    expect(brief(r.issues)).toEqual(['2 invalid unterminated-quote']);
    expect(r.recordCount).toBe(300_001);
  });

  it('says when a stray quote pairs with a later one and merges lines', () => {
    const r = readSerialCsv(lf('Serial;Name', `${S.a};"oops`, `${S.b};"iPad 2"`, `${S.c};iPad 3`));
    expect(r.serials).toEqual([S.a, S.c]);
    expect(brief(r.issues)).toEqual(['2 suspicious malformed-quotes']);
    expect(r.issues[0]?.message).toContain('spanning lines 2–3');
    expect(r.rows.map((row) => row.line)).toEqual([2, 4]);
  });

  it('a record longer than 1 MiB without a line break is not a device export', () => {
    const e = thrown(() => readSerialCsv(`Serial;Notes\n${S.a};${'x'.repeat(1_200_000)}\n${S.b};y\n`));
    expect(e).toMatchObject({ code: 'not-csv', found: { format: 'oversized-record' } });
    expect(e.message).toContain('line 2');
  });

  it('flags a quoted field followed by stray characters', () => {
    const r = readSerialCsv(lf('Serial,Name', `${S.a},"iPad" 2,x`, `${S.b},y`));
    expect(r.issues.map((i) => i.code)).toContain('malformed-quotes');
    expect(r.issues.find((i) => i.code === 'malformed-quotes')?.line).toBe(2);
  });
});

function thrown(fn: () => unknown): SerialCsvError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SerialCsvError);
    return e as SerialCsvError;
  }
  throw new Error('expected a SerialCsvError');
}

describe('readSerialCsv typed errors', () => {
  it('an .xlsx sent instead of a CSV: says so and how to fix it', () => {
    const zip = concatBytes(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0), utf8('[Content_Types].xml'));
    const e = thrown(() => readSerialCsv(zip));
    expect(e.code).toBe('binary');
    expect(e.found).toMatchObject({ format: 'zip', leadingBytes: '50 4b 03 04 14 00 06 00 5b 43 6f 6e 74 65 6e 74' });
    expect(e.message).toMatch(/ZIP archive.*Excel workbook \(\.xlsx\).*save it as “CSV UTF-8/);
    // Also when the caller read the workbook as a string.
    expect(thrown(() => readSerialCsv(new TextDecoder().decode(zip))).found.format).toBe('zip');
  });

  it.each([
    ['random binary', Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 256), 'binary'],
    ['NUL bytes in text', utf8('Serial\n\0\0\0\n'), 'binary'],
    ['control characters', utf8(`Serial\n${'\x01\x02\x03\x04'.repeat(10)}\n`), 'binary'],
    ['a string with NUL characters', 'Serial\n\0ABC\n', 'binary'],
    ['an XML spreadsheet', utf8('<?xml version="1.0"?>\n<Workbook>'), 'not-csv'],
    ['an HTML login page', '<!DOCTYPE html><html><body>Sign in</body></html>', 'not-csv'],
    ['an RTF document', '{\\rtf1\\ansi Serial Number\\par DMPXK0AAHP5Q}', 'not-csv'],
  ])('%s → %s', (_name, input, code) => {
    expect(thrown(() => readSerialCsv(input)).code).toBe(code);
  });

  it('no column that could hold serials: lists the headers and suggests options.column', () => {
    const e = thrown(() => readSerialCsv(crlf('Nom;Classe;Remarque', 'iPad 1;3B;ok', 'iPad 2;3B;cassé')));
    expect(e.code).toBe('no-serial-column');
    expect(e.found.headers).toEqual(['Nom', 'Classe', 'Remarque']);
    expect(e.message).toContain('Headers found: “Nom”, “Classe”, “Remarque”');
    expect(e.message).toContain('options.column');
  });

  it('no header and no serial-like values: shows the first row', () => {
    const e = thrown(() => readSerialCsv(lf('1,2,3', '4,5,6')));
    expect(e.code).toBe('no-serial-column');
    expect(e.found.firstRow).toEqual(['1', '2', '3']);
  });

  it('a header-only file without a serial column', () => {
    expect(thrown(() => readSerialCsv('Name;Model\r\n')).code).toBe('no-serial-column');
  });

  it('two different serial-like columns and no header saying which', () => {
    const e = thrown(() => readSerialCsv(lf('Ancien,Nouveau', `${S.a},${S.b}`, `${S.c},${S.d}`)));
    expect(e.code).toBe('ambiguous-serial-column');
    expect(e.found.candidates).toEqual([
      { index: 0, header: 'Ancien' },
      { index: 1, header: 'Nouveau' },
    ]);
    // …which options.column resolves.
    expect(readSerialCsv(lf('Ancien,Nouveau', `${S.a},${S.b}`), { column: 'Nouveau' }).serials).toEqual([S.b]);
  });

  it.each<[ReadSerialCsvOptions, RegExp]>([
    [{ column: 'Serial' }, /No column is named “Serial”. Headers found: “Name”, “UDID”/],
    [{ column: 5 }, /Column index 5 \(column 6\) does not exist: the file has 2 columns/],
    [{ column: 'Name', header: false }, /options.header is false/],
  ])('options.column that does not exist: %j', (options, message) => {
    const e = thrown(() => readSerialCsv(lf('Name,UDID', 'a,b'), options));
    expect(e.code).toBe('unknown-column');
    expect(e.message).toMatch(message);
  });

  it.each<[unknown, string]>([
    [{ column: -1 }, 'column'],
    [{ column: 1.5 }, 'column'],
    [{ header: 'yes' }, 'header'],
    [{ delimiter: '"' }, 'delimiter'],
    [{ delimiter: '' }, 'delimiter'],
    [{ encoding: 'latin9' }, 'encoding'],
    [{ collectRows: 1 }, 'collectRows'],
  ])('invalid option %j', (options, option) => {
    expect(() => readSerialCsv('Serial\n', options as ReadSerialCsvOptions)).toThrow(InvalidArgumentError);
    expect(() => readSerialCsv('Serial\n', options as ReadSerialCsvOptions)).toThrow(
      expect.objectContaining({ argument: `options.${option}` }),
    );
  });

  it('refuses an unknown option with a did-you-mean', () => {
    expect(() => readSerialCsv('Serial\n', { colum: 0 } as ReadSerialCsvOptions)).toThrow(
      /^Invalid options.colum: unknown option; did you mean "column"\?/,
    );
    expect(() => readSerialCsv('Serial\n', { collect_rows: false } as ReadSerialCsvOptions)).toThrow(
      /did you mean "collectRows"/,
    );
    expect(() => readSerialCsv('Serial\n', null as unknown as ReadSerialCsvOptions)).toThrow(
      /Invalid options: expected an options object, got null/,
    );
  });

  it('invalid input type', () => {
    for (const input of [undefined, null, 42, {}, [1, 2]]) {
      expect(() => readSerialCsv(input as unknown as string)).toThrow(InvalidArgumentError);
      expect(() => readSerialCsv(input as unknown as string)).toThrow(/^Invalid input: expected CSV text or bytes/);
    }
  });

  it('errors are SchoolMdmErrors with a JSON form', async () => {
    const { SchoolMdmError } = await import('../../src/errors/base.js');
    const e = thrown(() => readSerialCsv(Uint8Array.of(0x50, 0x4b, 0x03, 0x04)));
    expect(e).toBeInstanceOf(SchoolMdmError);
    expect(e.name).toBe('SerialCsvError');
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({
      name: 'SerialCsvError',
      code: 'binary',
      found: { format: 'zip' },
    });
  });
});

describe('readSerialCsv line numbers', () => {
  it('counts CRLF, LF and lone CR inside quoted fields as one line each', () => {
    const text = ['Serial;Notes', `${S.a};"a\r\nb\nc\rd"`, `${S.b};x`, '', `${S.c};"\n\n"`, `${S.d};y`].join('\r\n');
    const r: SerialCsvResult = readSerialCsv(text);
    expect(r.rows.map((row) => row.line)).toEqual([2, 6, 8, 11]);
  });

  it('line numbers do not depend on the 64 KiB batch boundaries', () => {
    // Enough multi-line records to cross several parse batches.
    const lines = ['Serial,Notes'];
    const expected: number[] = [];
    let line = 2;
    for (let i = 0; i < 40_000; i++) {
      const serial = `SN${String(i).padStart(10, '0')}`;
      const multi = i % 7 === 0;
      lines.push(multi ? `${serial},"x\ny ${'z'.repeat(i % 50)}"` : `${serial},${'w'.repeat(i % 40)}`);
      expected.push(line);
      line += multi ? 2 : 1;
    }
    const r = readSerialCsv(lines.join('\r\n'), { collectRows: true });
    expect(r.rows.map((row) => row.line)).toEqual(expected);
    expect(r.serials.length).toBe(40_000);
  });
});
