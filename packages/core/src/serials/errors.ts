/**
 * The one typed error of the serial-number CSV module. Bad *rows* never throw (they become
 * `issues`); {@link SerialCsvError} is thrown only when the whole input cannot be used: it is
 * not CSV text, no column can hold serial numbers, the caller named a column that does not
 * exist, or `writeSerialCsv` was handed invalid serial numbers.
 */
import { SchoolMdmError } from '../errors/base.js';

/**
 * Why a {@link SerialCsvError} was thrown.
 *
 * - `binary`: the bytes are not text (a ZIP/XLSX, legacy XLS, PDF, image, NUL bytes, mostly
 *   control characters, UTF-32…).
 * - `not-csv`: text, but a different document format (XML, HTML, RTF).
 * - `no-serial-column`: no header alias matched and no column holds values that look like
 *   serial numbers.
 * - `ambiguous-serial-column`: several columns hold different serial-like values and no header
 *   names the serial number (a header such as "Computer Serial" or "Apple Serial" decides).
 * - `unknown-column`: `options.column` names a header or index the file does not have.
 * - `invalid-serials`: `writeSerialCsv` was given entries that are not valid serial numbers.
 * - `invalid-input`: no longer thrown: a wrong argument or option is core's `InvalidArgumentError`
 *   (naming the argument) since issue #15; kept in the union so existing `switch`es compile.
 * - `read-failed`: the stream handed to `readSerialCsvStream` failed while being read.
 * - `parse-failed`: the CSV parser itself failed unexpectedly; the cause is attached.
 */
export type SerialCsvErrorCode =
  | 'binary'
  | 'not-csv'
  | 'no-serial-column'
  | 'ambiguous-serial-column'
  | 'unknown-column'
  | 'invalid-serials'
  | 'invalid-input'
  | 'read-failed'
  | 'parse-failed';

/** One entry `writeSerialCsv` refused, with its position in the input. */
export interface InvalidSerialEntry {
  /** 0-based position of the entry in the iterable handed to the writer. */
  index: number;
  /** The entry as given (stringified when it was not a string). */
  input: string;
  /** Machine-readable reason, from {@link SerialProblemCode}. */
  code: string;
  /** Human-readable reason. */
  message: string;
}

/** What the reader or writer found, so a caller can show it or act on it without parsing the message. */
export interface SerialCsvErrorFound {
  /** Detected file format for `binary` / `not-csv`, e.g. `zip`, `xls`, `pdf`, `nul-bytes`, `xml`. */
  format?: string;
  /** Hex dump of the first bytes (at most 16) for `binary`. */
  leadingBytes?: string;
  /** Offset (bytes, or characters for string input) of the first offending byte. */
  offset?: number;
  /** Share of control characters in the inspected head, for `format: 'control-characters'`. */
  controlRatio?: number;
  /** The header row as found, for column errors. */
  headers?: string[];
  /** The first record when the file has no header row, for column errors. */
  firstRow?: string[];
  /** Columns that all look like serial numbers, for `ambiguous-serial-column`. */
  candidates?: Array<{ index: number; header: string | undefined }>;
  /** The `options.column` value that did not match. */
  column?: string | number;
  /** Every invalid entry, for `invalid-serials`. */
  invalid?: InvalidSerialEntry[];
  /** The offending option or input name, for `invalid-input`. */
  option?: string;
}

/** Options of {@link SerialCsvError}. */
export interface SerialCsvErrorOptions {
  /** What was found. */
  found?: SerialCsvErrorFound;
  /** How to fix it, appended to the message. */
  hint?: string;
  /** Underlying error (e.g. the stream's own error for `read-failed`). */
  cause?: unknown;
}

/**
 * Thrown by `readSerialCsv`, `readSerialCsvStream` and `writeSerialCsv` when the input as a
 * whole is unusable. A wrong argument or option (a programming error) is core's
 * `InvalidArgumentError` instead. The message says what was found and the `hint` how to fix it; `code` and
 * `found` carry the same facts for programs.
 *
 * @example
 * ```ts
 * try {
 *   readSerialCsv(bytes);
 * } catch (err) {
 *   if (err instanceof SerialCsvError && err.code === 'binary' && err.found.format === 'zip') {
 *     console.error('That is an Excel workbook: save it as CSV first.');
 *   } else throw err;
 * }
 * ```
 */
export class SerialCsvError extends SchoolMdmError {
  /** Why the input was rejected. */
  readonly code: SerialCsvErrorCode;
  /** What was found (format, headers, candidate columns, invalid entries…). */
  readonly found: SerialCsvErrorFound;

  constructor(code: SerialCsvErrorCode, message: string, options: SerialCsvErrorOptions = {}) {
    super(message, { hint: options.hint, cause: options.cause });
    this.code = code;
    this.found = options.found ?? {};
  }
}
