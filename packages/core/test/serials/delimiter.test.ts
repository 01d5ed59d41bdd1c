import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectNewline, parseSepLine } from '../../src/serials/index.js';

describe('parseSepLine', () => {
  it.each([
    ['sep=;\r\nSerial\r\n', { delimiter: ';', length: 7 }],
    ['sep=,\nSerial\n', { delimiter: ',', length: 6 }],
    ['SEP=|\rSerial\r', { delimiter: '|', length: 6 }],
    ['sep=\t\nSerial', { delimiter: '\t', length: 6 }],
    ['"sep=;"\r\nSerial', { delimiter: ';', length: 9 }],
    ['sep=;;;\r\nSerial', { delimiter: ';', length: 9 }], // padded by an Excel round trip
    ['sep=;', { delimiter: ';', length: 5 }],
  ])('%j → %j', (text, expected) => {
    expect(parseSepLine(text)).toEqual(expected);
  });

  it.each(['Serial;Name\r\n', 'sep=;x\r\n', ' sep=;\r\n', 'sep=\r\n', 'separator=;\n'])(
    '%j is not a sep line',
    (text) => {
      expect(parseSepLine(text)).toBeUndefined();
    },
  );
});

describe('detectNewline', () => {
  it.each([
    ['a,b\r\nc,d\r\n', '\r\n'],
    ['a,b\nc,d\n', '\n'],
    ['a,b\rc,d\r', '\r'], // classic Mac Excel
    ['"multi\nline",b\r\nc,d\r\n', '\r\n'], // in-cell LF inside quotes in a CRLF file
    ['"unbalanced,b\nc,d\n', '\n'],
    ['single line', '\n'],
  ])('%j → %j', (text, expected) => {
    expect(detectNewline(text)).toBe(expected);
  });

  it('looks past a cut head to tell CR from CRLF', () => {
    expect(detectNewline('a,b\r', '\n')).toBe('\r\n');
    expect(detectNewline('a,b\r', 'c')).toBe('\r');
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['Serial Number,Name\nDMPXK0AAHP5Q,iPad 1\n', ','],
    ['Serial Number;Name\r\nDMPXK0AAHP5Q;iPad 1\r\n', ';'],
    ['Serial Number\tName\nDMPXK0AAHP5Q\tiPad 1\n', '\t'],
    ['Serial Number|Name\nDMPXK0AAHP5Q|iPad 1\n', '|'],
    // commas inside values of a ; file: both split in two, ; wins the tie
    ['Nom, prénom;Serial\nDupont, Jean;DMPXK0AAHP5Q\n', ';'],
    // commas in some values only: , is inconsistent
    ['Serial;Name\nDMPXK0AAHP5Q;Dupont, Jean\nF9FXK0AAHP5Q;Lee\nC02XK0AAHP5Q;Ng\n', ';'],
    // a quoted ; inside a comma file does not count
    ['Serial,Name\nDMPXK0AAHP5Q,"a;b"\nF9FXK0AAHP5Q,"c;d"\n', ','],
    // single column: nothing splits
    ['Serial Number\nDMPXK0AAHP5Q\n', ','],
    // a delimiter inside the header of a one-column file splits one record of two
    ['Serial; Number\nDMPXK0AAHP5Q\n', ','],
  ])('%j → %j', (text, expected) => {
    expect(detectDelimiter(text, '\n', true)).toBe(expected);
  });
});
