/**
 * `writeSerialCsv`: the file of serial numbers only that the old owner uploads to Apple School
 * Manager to release the devices ("Upload CSV File … a comma-separated value (.csv) file that
 * contains a list of device serial numbers",
 * https://support.apple.com/en-gw/guide/apple-school-manager/asmec4d28461/web).
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { type InvalidSerialEntry, SerialCsvError } from './errors.js';
import { checkOptionKeys } from './internal/arguments.js';
import { describeValue } from './internal/describe.js';
import { type SerialWarning, type SerialWarningCode, validateSerial } from './serial.js';

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

/** Warning codes whose suggestion {@link prepareSerialList} can apply. */
export type SerialSuggestionCode = Extract<SerialWarningCode, 'barcode-prefix' | 'confusable-characters'>;

/** Options of {@link prepareSerialList}. */
export interface PrepareSerialListOptions {
  /**
   * Replace a serial by the correction its warning suggests, and report each replacement in
   * {@link SerialListReport.changes}. `true` applies `barcode-prefix` (a scanner's `S` before
   * the serial on Apple's box label) and `confusable-characters` (`O`/`I` typed for `0`/`1`);
   * pass a list to apply only some. Never applied unless asked: a serial sent to Apple in a
   * release request must be the one the caller chose.
   * @default false
   */
  applySuggestions?: boolean | readonly SerialSuggestionCode[];
}

/** One entry whose written serial differs from what was given, and why. */
export interface SerialChange {
  /** 0-based position in the input (`entry` in messages is this plus one). */
  index: number;
  /** The entry as given. */
  input: string;
  /** What is written instead. */
  serial: string;
  /**
   * `normalized`: case, spaces, invisible characters or Excel text markers (`="…"`, `'`) were
   * cleaned up (always done); `barcode-prefix` / `confusable-characters`: a suggestion applied
   * because `applySuggestions` asked for it.
   */
  reason: 'normalized' | SerialSuggestionCode;
  message: string;
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
  /** Valid entries carrying warnings (`barcode-prefix`, `confusable-characters`…) that were not corrected. */
  suspicious: SuspiciousSerialEntry[];
  /**
   * Every entry written differently from how it was given: normalised (always) or corrected
   * by a suggestion (with `applySuggestions`). Nothing changes without an entry here.
   */
  changes: SerialChange[];
}

const SUGGESTION_CODES: readonly SerialSuggestionCode[] = ['barcode-prefix', 'confusable-characters'];

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
 * report.invalid;    // [{ index: 2, input: '3.5E+14', code: 'scientific-notation', message: 'Entry 3: …' }]
 *
 * // A scanned box label (S + serial), corrected on request and reported:
 * const fixed = prepareSerialList(['SDMPXK0AAHP5Q'], { applySuggestions: true });
 * fixed.serials; // ['DMPXK0AAHP5Q']
 * fixed.changes; // [{ index: 0, input: 'SDMPXK0AAHP5Q', serial: 'DMPXK0AAHP5Q', reason: 'barcode-prefix', … }]
 * writeSerialCsv(fixed.serials); // the release request carries the corrected serial
 * ```
 */
export function prepareSerialList(serials: Iterable<unknown>, options?: PrepareSerialListOptions): SerialListReport {
  if (
    serials === null ||
    typeof serials !== 'object' ||
    typeof (serials as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new InvalidArgumentError('serials', `expected an iterable of serial numbers, got ${describeValue(serials)}`, {
      hint: 'Pass an array of strings, e.g. readSerialCsv(file).serials.',
    });
  }
  const apply = suggestionsToApply(options);
  const report: SerialListReport = { serials: [], invalid: [], duplicates: [], suspicious: [], changes: [] };
  const first = new Map<string, number>();
  let index = 0;
  for (const entry of serials) {
    const v = validateSerial(entry as string);
    if (!v.valid) {
      report.invalid.push({
        index,
        input: typeof entry === 'string' ? entry : describeValue(entry),
        code: v.error.code,
        message: `Entry ${index + 1}: ${v.error.message}`,
      });
      index++;
      continue;
    }
    let serial = v.serial;
    let warnings = v.warnings;
    const input = entry as string;
    if (serial !== input.trim()) {
      report.changes.push({
        index,
        input,
        serial,
        reason: 'normalized',
        message: `Entry ${index + 1}: “${clip(input)}” is written ${serial} (case, spaces or Excel text markers cleaned up).`,
      });
    }
    // Apply at most one suggestion per pass, re-validating after each, so a corrected serial is
    // judged (and de-duplicated) like any other.
    for (let pass = 0; pass < SUGGESTION_CODES.length; pass++) {
      const w = warnings.find((x) => x.suggestion !== undefined && apply.has(x.code as SerialSuggestionCode));
      if (!w) break;
      const corrected = validateSerial(w.suggestion as string);
      if (!corrected.valid) break;
      report.changes.push({
        index,
        input,
        serial: corrected.serial,
        reason: w.code as SerialSuggestionCode,
        message: `Entry ${index + 1}: ${serial} corrected to ${corrected.serial} (${w.code}): ${w.message}`,
      });
      serial = corrected.serial;
      warnings = corrected.warnings;
    }
    const seen = first.get(serial);
    if (seen !== undefined) report.duplicates.push({ index, firstIndex: seen, serial });
    else {
      first.set(serial, index);
      report.serials.push(serial);
      if (warnings.length > 0) report.suspicious.push({ index, serial, warnings });
    }
    index++;
  }
  return report;
}

function suggestionsToApply(options: PrepareSerialListOptions | undefined): Set<SerialSuggestionCode> {
  checkOptionKeys('options', options, ['applySuggestions'], 'Pass { applySuggestions: true } or nothing.');
  const value: unknown = options?.applySuggestions;
  if (value === undefined || value === false) return new Set();
  if (value === true) return new Set(SUGGESTION_CODES);
  if (Array.isArray(value) && value.every((c) => SUGGESTION_CODES.includes(c))) return new Set(value);
  throw new InvalidArgumentError(
    'options.applySuggestions',
    `expected true, false or a list of ${SUGGESTION_CODES.map((c) => `'${c}'`).join(', ')}, got ${describeValue(value)}`,
  );
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
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
  checkOptionKeys(
    'options',
    options,
    ['header', 'delimiter', 'newline', 'bom', 'onInvalid'],
    'See WriteSerialCsvOptions for the accepted values.',
  );
  const { header = 'Serial Number', delimiter = ',', newline = '\r\n', bom = false, onInvalid = 'throw' } = options;
  if (header !== false && typeof header !== 'string') throw badOption('header', 'a string or false');
  if (typeof delimiter !== 'string' || delimiter === '' || /["\r\n]/.test(delimiter)) {
    throw badOption('delimiter', 'a non-empty string without quotes or line breaks');
  }
  if (newline !== '\r\n' && newline !== '\n') throw badOption('newline', "'\\r\\n' or '\\n'");
  if (typeof bom !== 'boolean') throw badOption('bom', 'true or false');
  if (onInvalid !== 'throw' && onInvalid !== 'skip') throw badOption('onInvalid', "'throw' or 'skip'");

  const report = prepareSerialList(serials);
  if (report.invalid.length > 0 && onInvalid === 'throw') {
    const shown = report.invalid
      .slice(0, 10)
      .map(
        (e) =>
          `entry ${e.index + 1} ${JSON.stringify(e.input.length > 40 ? `${e.input.slice(0, 40)}…` : e.input)} (${e.code})`,
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

function badOption(name: string, expected: string): InvalidArgumentError {
  return new InvalidArgumentError(`options.${name}`, `expected ${expected}`, {
    hint: 'See WriteSerialCsvOptions for the accepted values.',
  });
}
