/**
 * `writeSerialCsv`: the file of serial numbers only that the old owner uploads to Apple School
 * Manager to release the devices ("Upload CSV File … a comma-separated value (.csv) file that
 * contains a list of device serial numbers",
 * https://support.apple.com/en-gw/guide/apple-school-manager/asmec4d28461/web).
 */
import { type InvalidSerialEntry, SerialCsvError } from './errors.js';
import { describeValue } from './internal/describe.js';
import { type SerialWarning, validateSerial } from './serial.js';

/** Options of {@link writeSerialCsv}. */
export interface WriteSerialCsvOptions {
  /**
   * Header cell of the single column, or `false` for no header row.
   * @default 'Serial Number'
   */
  header?: string | false;
  /**
   * Delimiter the consumer splits on. The file has one column, so this only decides whether the
   * header must be quoted (RFC 4180 quotes a field holding the delimiter).
   * @default ','
   */
  delimiter?: string;
  /**
   * Line ending; RFC 4180 and Excel use CRLF.
   * @default '\r\n'
   */
  newline?: '\r\n' | '\n';
  /**
   * Prepend a UTF-8 byte-order mark (U+FEFF), which makes old Excel versions read a non-ASCII
   * header correctly. Serials are ASCII, so it is rarely needed.
   * @default false
   */
  bom?: boolean;
  /**
   * What to do with entries that are not valid serial numbers: `'throw'` a
   * {@link SerialCsvError} (`invalid-serials`) listing each one with its index, or `'skip'`
   * them (call {@link prepareSerialList} to get the list).
   * @default 'throw'
   */
  onInvalid?: 'throw' | 'skip';
}

/** A valid entry that repeats an earlier one; written once. */
export interface DuplicateSerialEntry {
  /** 0-based position of the repeat. */
  index: number;
  /** 0-based position of the first occurrence. */
  firstIndex: number;
  serial: string;
}

/** A valid entry with warnings (written, but worth a look). */
export interface SuspiciousSerialEntry {
  index: number;
  serial: string;
  warnings: readonly SerialWarning[];
}

/** What {@link prepareSerialList} found. */
export interface SerialListReport {
  /** Unique valid serial numbers, normalised, in input order: what `writeSerialCsv` writes. */
  serials: string[];
  /** Entries that are not serial numbers, with their index and reason. */
  invalid: InvalidSerialEntry[];
  /** Repeated entries (after normalisation), with the index of the first occurrence. */
  duplicates: DuplicateSerialEntry[];
  /** Valid entries carrying warnings (`barcode-prefix`, `confusable-characters`…). */
  suspicious: SuspiciousSerialEntry[];
}

/**
 * Normalises and validates a list of serial numbers the way {@link writeSerialCsv} does,
 * without writing anything: use it to show the user what would be skipped before writing with
 * `onInvalid: 'skip'`. Never throws for any entry (non-strings are reported as invalid).
 *
 * @example
 * ```ts
 * const report = prepareSerialList(['dmpxk0aahp5q', 'DMPXK0AAHP5Q', '3.5E+14']);
 * report.serials;    // ['DMPXK0AAHP5Q']
 * report.duplicates; // [{ index: 1, firstIndex: 0, serial: 'DMPXK0AAHP5Q' }]
 * report.invalid;    // [{ index: 2, input: '3.5E+14', code: 'scientific-notation', message: … }]
 * ```
 */
export function prepareSerialList(serials: Iterable<unknown>): SerialListReport {
  if (
    serials === null ||
    typeof serials !== 'object' ||
    typeof (serials as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new SerialCsvError(
      'invalid-input',
      `Expected an iterable of serial numbers, got ${describeValue(serials)}.`,
      {
        found: { option: 'serials' },
      },
    );
  }
  const report: SerialListReport = { serials: [], invalid: [], duplicates: [], suspicious: [] };
  const first = new Map<string, number>();
  let index = 0;
  for (const entry of serials) {
    const v = validateSerial(entry as string);
    if (!v.valid) {
      report.invalid.push({
        index,
        input: typeof entry === 'string' ? entry : describeValue(entry),
        code: v.error.code,
        message: v.error.message,
      });
    } else {
      const seen = first.get(v.serial);
      if (seen !== undefined) report.duplicates.push({ index, firstIndex: seen, serial: v.serial });
      else {
        first.set(v.serial, index);
        report.serials.push(v.serial);
        if (v.warnings.length > 0) report.suspicious.push({ index, serial: v.serial, warnings: v.warnings });
      }
    }
    index++;
  }
  return report;
}

/** RFC 4180 §2.6–2.7: quote a field holding the delimiter, a quote or a line break; double inner quotes. */
function csvField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) || /^\s|\s$/.test(value)
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/**
 * Writes the release-request CSV: a `Serial Number` header (configurable, or none), then one
 * normalised serial per line, each once, CRLF line endings, RFC 4180 quoting
 * (https://www.rfc-editor.org/rfc/rfc4180), no BOM unless asked. Input is normalised first
 * (`' dmpxk0aahp5q '` is written `DMPXK0AAHP5Q`).
 *
 * Invalid entries are never written silently: by default the call throws
 * {@link SerialCsvError} with code `invalid-serials` and `found.invalid` listing every bad
 * entry with its 0-based index; with `onInvalid: 'skip'` they are left out (see
 * {@link prepareSerialList} for the list).
 *
 * @returns the file content as a string; write it with UTF-8 encoding.
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { readSerialCsv, writeSerialCsv } from '@schoolmdm/core';
 *
 * const { serials } = readSerialCsv(readFileSync('jamf-export.csv'));
 * writeFileSync('release-request.csv', writeSerialCsv(serials));
 * // "Serial Number\r\nDMPXK0AAHP5Q\r\nF9FXK0AAHP5Q\r\n"
 * ```
 */
export function writeSerialCsv(serials: Iterable<string>, options: WriteSerialCsvOptions = {}): string {
  const { header = 'Serial Number', delimiter = ',', newline = '\r\n', bom = false, onInvalid = 'throw' } = options;
  if (header !== false && typeof header !== 'string') throw badOption('header', 'a string or false');
  if (typeof delimiter !== 'string' || delimiter === '' || /["\r\n]/.test(delimiter)) {
    throw badOption('delimiter', 'a non-empty string without quotes or line breaks');
  }
  if (newline !== '\r\n' && newline !== '\n') throw badOption('newline', "'\\r\\n' or '\\n'");
  if (onInvalid !== 'throw' && onInvalid !== 'skip') throw badOption('onInvalid', "'throw' or 'skip'");

  const report = prepareSerialList(serials);
  if (report.invalid.length > 0 && onInvalid === 'throw') {
    const shown = report.invalid
      .slice(0, 10)
      .map(
        (e) => `#${e.index} ${JSON.stringify(e.input.length > 40 ? `${e.input.slice(0, 40)}…` : e.input)} (${e.code})`,
      )
      .join(', ');
    const more = report.invalid.length > 10 ? ` and ${report.invalid.length - 10} more` : '';
    throw new SerialCsvError(
      'invalid-serials',
      `${report.invalid.length} of the entries ${report.invalid.length === 1 ? 'is not a serial number' : 'are not serial numbers'}: ${shown}${more}.`,
      {
        found: { invalid: report.invalid },
        hint: "Fix them, or pass { onInvalid: 'skip' } to leave them out (prepareSerialList lists them).",
      },
    );
  }
  const lines: string[] = [];
  if (header !== false) lines.push(csvField(header, delimiter));
  for (const s of report.serials) lines.push(s);
  const body = lines.length === 0 ? '' : lines.join(newline) + newline;
  return bom ? `\uFEFF${body}` : body;
}

function badOption(name: string, expected: string): SerialCsvError {
  return new SerialCsvError('invalid-input', `Invalid option ${name}: expected ${expected}.`, {
    found: { option: name },
  });
}
