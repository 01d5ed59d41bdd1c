/**
 * Delimiter, line-ending and `sep=` detection for CSV exports.
 *
 * European Excel writes `;` because `,` is the decimal separator there, and the Windows "List
 * separator" setting decides the delimiter (peers.md §1.5: ryancramerdesign/ImportPagesCSV#9,
 * mui/mui-x#1656). Excel also honours, and some tools write, a first line `sep=;` naming the
 * delimiter. A `;` file read as `,` silently becomes one column (iOfficeAI/OfficeCLI#352),
 * which is why detection compares parsed field counts instead of counting characters.
 */

import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { requireString } from './internal/arguments.js';
import { describeValue } from './internal/describe.js';
import { loadPapa } from './internal/papa.js';

/** Delimiters the reader detects on its own; any other single character can be forced. */
export const SERIAL_CSV_DELIMITERS = ['\t', ';', '|', ','] as const;

/** A line ending papaparse can split records on. */
export type CsvNewline = '\r\n' | '\n' | '\r';

/** A parsed `sep=X` first line. */
export interface SepLine {
  /** The delimiter it names. */
  delimiter: string;
  /** Characters the line occupies, including its line ending. */
  length: number;
}

const SEP_LINE = /^"?sep=([^\r\n"])"?([^\r\n]*)(\r\n|\n|\r|$)/i;

/**
 * Recognises Excel's `sep=;` first line (also quoted, or padded with delimiters by a round trip
 * through Excel). Returns `undefined` when the text does not start with one.
 *
 * @example
 * ```ts
 * parseSepLine('sep=;\r\nSerial Number\r\n'); // { delimiter: ';', length: 7 }
 * ```
 */
export function parseSepLine(text: string): SepLine | undefined {
  requireString('text', text);
  const m = SEP_LINE.exec(text);
  if (!m) return undefined;
  const delimiter = m[1] as string;
  const trailing = m[2] ?? '';
  for (const ch of trailing) if (ch !== delimiter && ch !== ' ' && ch !== '\t') return undefined;
  return { delimiter, length: m[0].length };
}

/**
 * The line ending of the first record: the first line break outside double quotes (Excel
 * writes in-cell line breaks as a bare LF inside quotes even in CRLF files), falling back to
 * the first line break anywhere when quotes do not balance. `next` is the character after
 * `text`, when the text was cut, so a CR at the very end can be told from a CRLF.
 *
 * @default '\n' when the text holds no line break.
 */
export function detectNewline(text: string, next?: string): CsvNewline {
  requireString('text', text);
  if (next !== undefined) requireString('next', next);
  const at = (i: number): number => (i < text.length ? text.charCodeAt(i) : next ? next.charCodeAt(0) : -1);
  const classify = (i: number): CsvNewline => (text.charCodeAt(i) === 10 ? '\n' : at(i + 1) === 10 ? '\r\n' : '\r');
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes && (c === 10 || c === 13)) return classify(i);
  }
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (lf === -1 && cr === -1) return '\n';
  return classify(lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr));
}

/** True when every cell of a record is empty or whitespace (blank lines, Excel's `;;;` rows). */
export function isBlankRecord(record: readonly string[]): boolean {
  for (let i = 0; i < record.length; i++) if ((record[i] as string).trim() !== '') return false;
  return true;
}

/**
 * Parses the first non-blank records of `text` with a given delimiter. `complete` says whether
 * `text` is the whole input; if not, the last (possibly cut) record is left out.
 */
export function sampleRecords(
  text: string,
  delimiter: string,
  newline: CsvNewline,
  complete: boolean,
  limit: number,
): string[][] {
  const parser = new (loadPapa().Parser)({ delimiter, newline, quoteChar: '"', preview: limit * 2 });
  const result = parser.parse(text, 0, !complete) as { data: string[][] };
  const out: string[][] = [];
  for (const record of result.data) {
    if (isBlankRecord(record)) continue;
    out.push(record);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Picks the delimiter among tab, `;`, `|` and `,` whose parse of the sample gives the most
 * consistent field count above one (share of records having the most common count, which must
 * be more than half of them). Ties go
 * to the earlier delimiter in that order, because an unquoted comma inside a value
 * ("Dupont, Jean") is far more common than an unquoted semicolon or tab. A file where no
 * candidate splits anything (a single column) reports `,`.
 *
 * @example
 * ```ts
 * detectDelimiter('Serial Number;Name\r\nDMPXK0AAHP5Q;Dupont, Jean\r\n', '\r\n', true); // ';'
 * ```
 */
export function detectDelimiter(text: string, newline: CsvNewline, complete: boolean): string {
  requireString('text', text);
  if (newline !== '\n' && newline !== '\r\n' && newline !== '\r') {
    throw new InvalidArgumentError('newline', `expected '\\n', '\\r\\n' or '\\r', got ${describeValue(newline)}`);
  }
  if (typeof complete !== 'boolean') {
    throw new InvalidArgumentError('complete', `expected true or false, got ${describeValue(complete)}`);
  }
  let best = ',';
  let bestScore = 0;
  for (const delimiter of SERIAL_CSV_DELIMITERS) {
    if (text.indexOf(delimiter) === -1) continue;
    const records = sampleRecords(text, delimiter, newline, complete, 50);
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let modal = 0;
    let modalFreq = 0;
    for (const [count, freq] of counts) {
      if (freq > modalFreq || (freq === modalFreq && count > modal)) {
        modal = count;
        modalFreq = freq;
      }
    }
    // It must split most records the same way: a `;` in the header cell of a one-column file
    // ("Serial; Number") splits one record only.
    const score = modalFreq / records.length;
    if (modal < 2 || score <= 0.5) continue;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}
