/**
 * Options and result shapes shared by `readSerialCsv` and `readSerialCsvStream`.
 */
import type { SerialCsvField } from './headers.js';
import type { SerialColumnMatch } from './internal/columns.js';
import type { SerialCsvEncoding } from './internal/decode.js';
import type { SerialProblemCode, SerialWarningCode } from './serial.js';

export type { SerialColumnMatch } from './internal/columns.js';
export type { SerialCsvEncoding } from './internal/decode.js';

/** Options of `readSerialCsv` and `readSerialCsvStream`. */
export interface ReadSerialCsvOptions {
  /**
   * The serial-number column: its header text (matched exactly, then ignoring case, accents and
   * punctuation, then by canonical field) or its index counted from 0 (the first column is 0;
   * messages name columns 1-based, as a person reading the file counts). Overrides detection.
   */
  column?: string | number;
  /**
   * Whether the first non-blank record is a header row.
   * @default 'auto' (a header when it holds a known label or reads like one)
   */
  header?: boolean | 'auto';
  /**
   * Field delimiter. Overrides both detection and a `sep=` first line.
   * @default detected among tab, `;`, `|`, `,` (a `sep=` line wins)
   */
  delimiter?: string;
  /**
   * Text encoding of byte input; ignored for string input.
   * @default 'auto' (BOM, then UTF-16 pattern, then UTF-8 falling back to Windows-1252)
   */
  encoding?: SerialCsvEncoding | 'auto';
  /**
   * Keep one {@link SerialCsvRow} per data record in `rows`. Turn off for very large inputs when
   * only `serials` and `issues` matter: memory then grows with unique serials, not with rows.
   * @default true
   */
  collectRows?: boolean;
}

/** One data record of the file. */
export interface SerialCsvRow {
  /** 1-based physical line where the record starts (a `sep=` line is line 1). */
  line: number;
  /** The normalised serial number, when the serial cell holds a valid one (also on duplicates). */
  serial: string | undefined;
  /** The serial cell as found (trimmed), when not empty; useful when `serial` is undefined. */
  rawSerial: string | undefined;
  /**
   * The other cells, trimmed, keyed by canonical field name where the header is known
   * (`deviceName`, `assetTag`, `udid`, `model`, `osVersion`, `imei`, `macAddress`, `user`,
   * `lastSeen`…), by header text otherwise, and `column<N>` (1-based) without a header.
   */
  fields: Record<string, string>;
}

/** Coarse kind of an {@link SerialCsvIssue}. */
export type SerialCsvIssueKind = 'invalid' | 'duplicate' | 'suspicious' | 'empty';

/** Fine-grained, machine-readable code of an {@link SerialCsvIssue}. */
export type SerialCsvIssueCode =
  | SerialProblemCode
  | SerialWarningCode
  | 'duplicate'
  | 'repeated-header'
  | 'missing-serial'
  | 'no-data-rows'
  | 'empty-file'
  | 'unterminated-quote'
  | 'malformed-quotes';

/**
 * A problem with one line; the reader never throws for these.
 *
 * - `invalid`: the serial cell is not a serial number (`code` says why), holds a column label
 *   (`repeated-header`: two exports pasted together), or the line's quoting is broken
 *   (`unterminated-quote`);
 * - `duplicate`: the serial already appeared; `firstLine` is the line of its first occurrence;
 * - `suspicious`: valid but worth a look (`unusual-length`, `confusable-characters`,
 *   `barcode-prefix`, `digits-only`, `text-like`, `malformed-quotes`);
 * - `empty`: a record with data but no serial (`missing-serial`), a header without data rows
 *   (`no-data-rows`), or an empty file (`empty-file`).
 */
export interface SerialCsvIssue {
  line: number;
  kind: SerialCsvIssueKind;
  code: SerialCsvIssueCode;
  message: string;
  /** The normalised serial concerned, for `duplicate` and `suspicious`. */
  serial?: string;
  /** The cell as found, for `invalid`. */
  value?: string;
  /** For `duplicate`: the line where the serial first appeared. */
  firstLine?: number;
  /** A likely correction (`barcode-prefix`, `confusable-characters`). */
  suggestion?: string;
}

/** The identified serial-number column. */
export interface SerialColumn {
  /** 0-based column index. */
  index: number;
  /** Its header text, when the file has a header row. */
  header: string | undefined;
  /** How it was found. */
  matchedBy: SerialColumnMatch;
}

/** One column of the file and the key its cells have in {@link SerialCsvRow.fields}. */
export interface SerialCsvColumn {
  index: number;
  header: string | undefined;
  /** Key in `fields` (`serialNumber` for the serial column, which is not in `fields`). */
  field: SerialCsvField | string;
}

/** What `readSerialCsv` and `readSerialCsvStream` return. */
export interface SerialCsvResult {
  /** Unique valid serial numbers, normalised, in order of first appearance. */
  serials: string[];
  /** Every non-blank data record (empty when `collectRows` is false). */
  rows: SerialCsvRow[];
  /** Every problem found, in line order. */
  issues: SerialCsvIssue[];
  /** The delimiter used. */
  delimiter: string;
  /** The serial-number column; `undefined` only for a file without any record. */
  serialColumn: SerialColumn | undefined;
  /** Whether the first non-blank record was read as a header row. */
  hasHeader: boolean;
  /** The columns, in file order. */
  columns: SerialCsvColumn[];
  /** Decoding used for byte input; `undefined` when the input was already a string. */
  encoding: SerialCsvEncoding | undefined;
  /** Whether the input started with a byte-order mark. */
  bom: boolean;
  /** Whether the file started with an Excel `sep=` line. */
  sepLine: boolean;
  /** Number of data records read (blank lines excluded, duplicates and invalid rows included). */
  recordCount: number;
}
