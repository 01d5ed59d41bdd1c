import * as core from '@schoolmdm/core';
import { describe, expect, it } from 'vitest';

describe('@schoolmdm/core public API (serials)', () => {
  it('exports the issue #3 contract from the package entry point', () => {
    for (const name of [
      'normalizeSerial',
      'validateSerial',
      'readSerialCsv',
      'readSerialCsvStream',
      'writeSerialCsv',
      'prepareSerialList',
      'SerialCsvError',
      'matchHeaderField',
      'normalizeHeaderLabel',
      'detectDelimiter',
      'parseSepLine',
    ]) {
      expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(Object.keys(core.SERIAL_CSV_HEADER_ALIASES)).toContain('serialNumber');
    expect(new core.SerialCsvError('binary', 'x')).toBeInstanceOf(core.SchoolMdmError);
  });

  it('works end to end: Excel FR export in, release request out', () => {
    const exported =
      '\ufeffsep=;\r\nNom;N° de série\r\niPad 1; dmpxk0aahp5q\r\niPad 2;F9FXK0AAHP5Q\r\niPad 3;DMPXK0AAHP5Q\r\n';
    const { serials, issues } = core.readSerialCsv(exported);
    expect(issues).toMatchObject([{ line: 5, kind: 'duplicate', firstLine: 3 }]);
    expect(core.writeSerialCsv(serials)).toBe('Serial Number\r\nDMPXK0AAHP5Q\r\nF9FXK0AAHP5Q\r\n');
  });
});
