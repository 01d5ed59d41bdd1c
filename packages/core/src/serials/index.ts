/**
 * Serial-number inventory: read the serial numbers out of a source MDM's CSV export and write
 * the serial-only file the old owner needs to release the devices from its Apple School
 * Manager (issue #3; facts and rules in peers.md §1).
 *
 * @module serials
 */
export {
  type CsvNewline,
  detectDelimiter,
  detectNewline,
  parseSepLine,
  SERIAL_CSV_DELIMITERS,
  type SepLine,
} from './delimiter.js';
export {
  type InvalidSerialEntry,
  SerialCsvError,
  type SerialCsvErrorCode,
  type SerialCsvErrorFound,
  type SerialCsvErrorOptions,
} from './errors.js';
export {
  matchHeaderField,
  normalizeHeaderLabel,
  SERIAL_CSV_HEADER_ALIASES,
  type SerialCsvField,
} from './headers.js';
export { readSerialCsv } from './reader.js';
export {
  normalizeSerial,
  SERIAL_MAX_LENGTH,
  SERIAL_MIN_LENGTH,
  type SerialProblem,
  type SerialProblemCode,
  type SerialValidation,
  type SerialWarning,
  type SerialWarningCode,
  validateSerial,
} from './serial.js';
export { readSerialCsvStream, type SerialCsvSource } from './stream.js';
export type {
  ReadSerialCsvOptions,
  SerialColumn,
  SerialColumnMatch,
  SerialCsvColumn,
  SerialCsvEncoding,
  SerialCsvIssue,
  SerialCsvIssueCode,
  SerialCsvIssueKind,
  SerialCsvResult,
  SerialCsvRow,
} from './types.js';
export {
  type DuplicateSerialEntry,
  type PrepareSerialListOptions,
  prepareSerialList,
  type SerialChange,
  type SerialListReport,
  type SerialSuggestionCode,
  type SuspiciousSerialEntry,
  type WriteSerialCsvOptions,
  writeSerialCsv,
} from './writer.js';
