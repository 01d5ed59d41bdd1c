/**
 * The reading engine shared by `readSerialCsv` (string or bytes in memory) and
 * `readSerialCsvStream`: text goes in chunk by chunk, a {@link SerialCsvResult} comes out.
 *
 * - The first {@link HEAD_CHARS} characters are buffered to make every decision (binary check,
 *   `sep=` line, line ending, delimiter, header row, serial column) once, on the same text
 *   whatever the chunking, so the streaming and in-memory readers agree exactly.
 * - Records are parsed by papaparse's `Parser` on 64 KiB batches of text; the incomplete last record
 *   of a batch is carried to the next one (as papaparse's own ChunkStreamer does), so memory
 *   holds one batch plus the result, never the whole source.
 * - Line numbers are physical lines: a record starts on the line after the previous record's
 *   line breaks, counting LF, CRLF and lone CR (also inside quoted fields) as one break each.
 */
import {
  type CsvNewline,
  detectDelimiter,
  detectNewline,
  isBlankRecord,
  parseSepLine,
  sampleRecords,
} from '../delimiter.js';
import { SerialCsvError } from '../errors.js';
import { cleanHeaderLabel, matchHeaderField } from '../headers.js';
import { isTypicalSerial, validateSerial } from '../serial.js';
import type { SerialCsvColumn, SerialCsvIssue, SerialCsvResult, SerialCsvRow } from '../types.js';
import { charCodes, checkSignature, checkText } from './binary.js';
import { type ColumnPlan, planColumns } from './columns.js';
import type { SerialCsvEncoding } from './decode.js';
import { loadPapa } from './papa.js';

/** Characters inspected before any decision. */
export const HEAD_CHARS = 64 * 1024;
/** Text parsed per papaparse call once the head is decided. */
const BATCH_CHARS = 64 * 1024;
/** Longest record accepted; longer means an unclosed quote (or not a device export). */
const MAX_RECORD_CHARS = 1024 * 1024;
/** Records sampled to find the header row and the serial column. */
const SAMPLE_RECORDS = 100;
const LEADING_INVISIBLE = /^[\uFEFF\u200B-\u200D\u2060]+/;

interface PapaResult {
  data: string[][];
  errors: Array<{ code: string; row?: number; index?: number }>;
  meta: { cursor: number };
}

interface PapaParser {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): PapaResult;
}

/** Options the engine needs (already validated). */
export interface EngineOptions {
  column?: string | number | undefined;
  header?: boolean | 'auto' | undefined;
  delimiter?: string | undefined;
  collectRows: boolean;
}

/** Counts `needle` in `text` before `end`. */
function countChar(text: string, needle: string, end: number): number {
  let n = 0;
  let i = text.indexOf(needle);
  while (i !== -1 && i < end) {
    n++;
    i = text.indexOf(needle, i + 1);
  }
  return n;
}

/** Line breaks in a string: CRLF, LF and lone CR each count once. */
function lineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (s.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

function recordLineBreaks(record: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < record.length; i++) {
    const f = record[i] as string;
    if (f.indexOf('\n') !== -1 || f.indexOf('\r') !== -1) n += lineBreaks(f);
  }
  return n;
}

/** papaparse's quote errors for completed records: an unclosed quote (final parse only) and malformed closing quotes. */
function quoteErrors(result: PapaResult): {
  missing: { row: number; index: number } | undefined;
  malformed: Set<number> | undefined;
} {
  let missing: { row: number; index: number } | undefined;
  let malformed: Set<number> | undefined;
  for (const e of result.errors) {
    if (e.row === undefined || e.row >= result.data.length) continue;
    if (e.code === 'MissingQuotes' && e.index !== undefined) missing = { row: e.row, index: e.index };
    else if (e.code === 'InvalidQuotes') (malformed ??= new Set()).add(e.row);
  }
  return { missing, malformed };
}

/**
 * Replaces the record that swallowed the rest of the text (from `row` on) with the literal
 * re-read: its cells before the quote, then the re-read records. No spread into call arguments:
 * the re-read can hold the rest of a million-line file.
 */
function spliceRecovered(data: string[][], row: number, reread: string[][]): string[][] {
  const out = data.slice(0, row);
  out.push((data[row] as string[]).slice(0, -1).concat(reread[0] ?? []));
  for (let i = 1; i < reread.length; i++) out.push(reread[i] as string[]);
  return out;
}

/**
 * Constructor of `fields` objects. Its `prototype` is `Object.prototype`, so instances are plain
 * objects to every observer (prototype, `constructor`, spread, JSON, deep equality), while V8's
 * in-object slack tracking for constructed objects keeps all their properties inside the object:
 * one allocation per row instead of two, which shows when a million rows are kept.
 */
function FieldsObject(): void {}
FieldsObject.prototype = Object.prototype;
const newFields = FieldsObject as unknown as new () => Record<string, string>;

/** Push text, then call {@link SerialCsvEngine.end}. */
export class SerialCsvEngine {
  private readonly options: EngineOptions;
  private head: string[] = [];
  private headLength = 0;
  private started = false;
  private planned = false;
  private pending: string[] = [];
  private pendingLength = 0;
  private partial = '';
  private parser: PapaParser | undefined;
  private newline: CsvNewline = '\n';
  private delimiter = ',';
  private sepLine = false;
  private plan: ColumnPlan | undefined;
  private line = 1;

  private headerDone = false;
  private headerLine = 0;
  private keys: string[] = [];
  private labels: string[] | undefined;
  private width = 0;
  private recordCount = 0;
  private nonBlank = 0;

  private readonly serials: string[] = [];
  private readonly rows: SerialCsvRow[] = [];
  private readonly issues: SerialCsvIssue[] = [];
  private readonly seen = new Map<string, number>();

  constructor(options: EngineOptions) {
    this.options = options;
  }

  /** Feeds decoded text. */
  push(text: string): void {
    if (!this.started) {
      // BOM and zero-width characters before the first header are Excel/copy-paste noise;
      // dropping them before buffering keeps the head identical however the text is chunked.
      text = text.replace(LEADING_INVISIBLE, '');
      if (text.length === 0) return;
      this.started = true;
    }
    if (text.length === 0) return;
    if (!this.planned) {
      this.head.push(text);
      this.headLength += text.length;
      // One character past the head lets a CR at its end be told from a CRLF.
      if (this.headLength > HEAD_CHARS) this.start(false);
      return;
    }
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= BATCH_CHARS) this.flushPending(false);
  }

  /** Ends the input and returns the result. */
  end(encoding: SerialCsvEncoding | undefined, bom: boolean): SerialCsvResult {
    if (!this.planned) this.start(true);
    this.flushPending(true);
    if (this.nonBlank === 0) {
      this.issues.push({
        line: 1,
        kind: 'empty',
        code: 'empty-file',
        message: 'The file holds no data: no header and no serial numbers.',
      });
    } else if (this.plan?.hasHeader && this.recordCount === 0) {
      this.issues.push({
        line: this.headerLine,
        kind: 'empty',
        code: 'no-data-rows',
        message: 'The file has a header row but no data rows: no serial numbers.',
      });
    }
    const plan = this.plan;
    return {
      serials: this.serials,
      rows: this.rows,
      issues: this.issues,
      delimiter: this.delimiter,
      serialColumn: plan && { index: plan.index, header: plan.header, matchedBy: plan.matchedBy },
      hasHeader: plan?.hasHeader ?? false,
      columns: this.columns(),
      encoding,
      bom,
      sepLine: this.sepLine,
      recordCount: this.recordCount,
    };
  }

  private start(complete: boolean): void {
    this.planned = true;
    const text = this.head.join('');
    this.head = [];
    const head = text.slice(0, HEAD_CHARS);
    const next = text.length > HEAD_CHARS ? text.charAt(HEAD_CHARS) : undefined;
    checkSignature(charCodes(head));
    checkText(head);

    let body = text;
    const sep = parseSepLine(head);
    if (sep) {
      this.sepLine = true;
      this.line = 2;
      body = text.slice(sep.length);
    }
    const bodyHead = sep ? head.slice(sep.length) : head;
    const headComplete = complete && text.length <= HEAD_CHARS;
    this.newline = detectNewline(bodyHead, next);
    this.delimiter = this.options.delimiter ?? sep?.delimiter ?? detectDelimiter(bodyHead, this.newline, headComplete);
    const sample = sampleRecords(bodyHead, this.delimiter, this.newline, headComplete, SAMPLE_RECORDS);
    this.plan = planColumns(sample, { column: this.options.column, header: this.options.header });
    this.parser = new (loadPapa().Parser)({
      delimiter: this.delimiter,
      newline: this.newline,
      quoteChar: '"',
    }) as PapaParser;
    this.pending.push(body);
    this.pendingLength += body.length;
    if (!complete) this.flushPending(false);
  }

  /**
   * Parses the pending text in batches of about {@link BATCH_CHARS}, each cut just after the
   * last line break before that size. Cutting on a line break means a batch rarely leaves an
   * incomplete record to prepend to the next one, so the batch is a slice of the text rather
   * than a concatenated copy (about a quarter of the parse time on a 100k-row export). The cut
   * points depend only on the text, so the in-memory and streaming readers cut at the same
   * places. Batches are small enough that papaparse's per-batch arrays die young.
   */
  private flushPending(final: boolean): void {
    const text = this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join('');
    const lineEnd = this.newline === '\r' ? '\r' : '\n';
    let at = 0;
    while (text.length - at >= BATCH_CHARS) {
      let end = at + BATCH_CHARS;
      const nl = text.lastIndexOf(lineEnd, end - 1);
      if (nl >= at) end = nl + 1;
      this.parseBatch(text.slice(at, end), false);
      at = end;
    }
    const rest = at === 0 ? text : text.slice(at);
    if (final) {
      this.pending = [];
      this.pendingLength = 0;
      this.parseBatch(rest, true);
    } else {
      this.pending = rest === '' ? [] : [rest];
      this.pendingLength = rest.length;
    }
  }

  private parse(parser: PapaParser, input: string, final: boolean): PapaResult {
    try {
      return parser.parse(input, 0, !final);
    } catch (cause) {
      throw new SerialCsvError('parse-failed', `The CSV parser failed near line ${this.line}.`, { cause });
    }
  }

  private literalParser(): PapaParser {
    // fastMode splits on delimiters and line endings only: quote characters are plain text.
    return new (loadPapa().Parser)({ delimiter: this.delimiter, newline: this.newline, fastMode: true }) as PapaParser;
  }

  private parseBatch(text: string, final: boolean): void {
    const input = this.partial === '' ? text : this.partial + text;
    if (input.length === 0) return;
    const result = this.parse(this.parser as PapaParser, input, final);
    let data = result.data;
    const consumed = final ? input.length : result.meta.cursor;
    this.partial = final ? '' : input.slice(consumed);
    const { missing, malformed } = quoteErrors(result);
    if (missing) {
      // Only a final parse reports an unclosed quote: papaparse read the rest of the input as
      // one field. Re-read from that quote with quotes taken literally, so the following lines
      // are still reported row by row.
      const reread = this.parse(this.literalParser(), input.slice(missing.index - 1), true).data;
      data = spliceRecovered(data, missing.row, reread);
    }
    this.emit(input, consumed, data, final, missing?.row, malformed);
    if (!final && this.partial.length > MAX_RECORD_CHARS) this.cutOversized();
  }

  /**
   * A record still incomplete after {@link MAX_RECORD_CHARS} characters is, in a device export,
   * an unclosed quote. Waiting for the end of the input would hold the rest of the file in memory
   * and re-scan it on every batch, so the text so far is re-read from that quote with quotes taken
   * literally, and parsing goes on normally from the last complete line.
   */
  private cutOversized(): void {
    const input = this.partial;
    const result = this.parse(this.parser as PapaParser, input, true);
    const { missing, malformed } = quoteErrors(result);
    const literal = missing && this.parse(this.literalParser(), input.slice(missing.index - 1), false);
    if (!missing || !literal || literal.data.length === 0) {
      throw new SerialCsvError(
        'not-csv',
        `This is not a device export: the record starting on line ${this.line} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MiB without a line break.`,
        {
          found: { format: 'oversized-record' },
          hint: 'Check that the file is a CSV export and not another kind of text file.',
        },
      );
    }
    const data = spliceRecovered(result.data, missing.row, literal.data);
    const consumed = missing.index - 1 + literal.meta.cursor;
    this.partial = input.slice(consumed);
    this.emit(input, consumed, data, false, missing.row, malformed);
  }

  /** Reports quote problems, counts lines and hands each record to {@link record}. */
  private emit(
    input: string,
    consumed: number,
    data: string[][],
    final: boolean,
    unterminatedRow: number | undefined,
    malformed: Set<number> | undefined,
  ): void {
    // Fast line accounting: when the consumed text holds exactly one line break per record, no
    // record spans lines and each record is one line.
    const ending = final ? Math.max(0, data.length - 1) : data.length;
    const simple = this.oneBreakPerRecord(input, consumed, ending);
    for (let r = 0; r < data.length; r++) {
      const record = data[r] as string[];
      const line = this.line;
      this.line += simple ? 1 : 1 + recordLineBreaks(record);
      if (malformed?.has(r)) {
        const last = this.line - 1;
        this.issues.push({
          line,
          kind: 'suspicious',
          code: 'malformed-quotes',
          message:
            last > line
              ? `A quote character does not close its field properly, and the record reads as spanning lines ${line}–${last}: a stray " may have merged those lines into one record. Check the quotes on line ${line}.`
              : 'A quoted field is followed by other characters before the delimiter; check the quotes on this line.',
        });
      }
      if (r === unterminatedRow) {
        this.issues.push({
          line,
          kind: 'invalid',
          code: 'unterminated-quote',
          message: `A quoted field in the record starting on line ${line} is never closed. The text after it was read with quote characters taken literally; fix the stray " on this line.`,
        });
      }
      this.record(record, line);
    }
  }

  private oneBreakPerRecord(input: string, end: number, ending: number): boolean {
    const lf = countChar(input, '\n', end);
    if (this.newline === '\n') return lf === ending && countChar(input, '\r', end) === 0;
    const cr = countChar(input, '\r', end);
    if (this.newline === '\r\n') return lf === ending && cr === ending;
    return cr === ending && lf === 0;
  }

  private record(record: string[], line: number): void {
    if (isBlankRecord(record)) return;
    this.nonBlank++;
    // The head held no complete record (a first record longer than the head): decide from this one.
    this.plan ??= planColumns([record], { column: this.options.column, header: this.options.header });
    const plan = this.plan as ColumnPlan;
    if (!this.headerDone) {
      this.headerDone = true;
      if (plan.hasHeader) {
        this.headerLine = line;
        this.setColumns(record.map(cleanHeaderLabel));
        return;
      }
      this.setColumns(undefined);
    }
    this.recordCount++;
    if (record.length > this.width) this.extendKeys(record.length);

    const col = plan.index;
    const cell = record[col];
    const raw = cell === undefined ? '' : cell.trim();
    let fields: Record<string, string> | undefined;
    if (this.options.collectRows) {
      fields = new newFields();
      const keys = this.keys;
      for (let i = 0; i < record.length; i++) {
        if (i !== col) fields[keys[i] as string] = (record[i] as string).trim();
      }
    }

    let serial: string | undefined;
    if (raw === '') {
      const name =
        fields?.deviceName ?? (this.keys.includes('deviceName') ? record[this.keys.indexOf('deviceName')]?.trim() : '');
      this.issues.push({
        line,
        kind: 'empty',
        code: 'missing-serial',
        message: `No serial number on this line${name ? ` (device “${name}”)` : ''}.`,
      });
    } else if (isTypicalSerial(raw)) {
      serial = raw;
      const firstLine = this.seen.get(serial);
      if (firstLine === undefined) {
        this.seen.set(serial, line);
        this.serials.push(serial);
      } else this.duplicate(serial, line, firstLine);
    } else {
      const v = validateSerial(raw);
      if ((!v.valid || v.warnings.length > 0) && matchHeaderField(raw) !== undefined) {
        // "Serial Number" in the serial column: a second export pasted under the first one.
        this.issues.push({
          line,
          kind: 'invalid',
          code: 'repeated-header',
          message: `“${raw}” is a column label, not a serial number: a header row is repeated inside the data (were two exports pasted together?).`,
          value: raw,
        });
      } else if (!v.valid) {
        this.issues.push({ line, kind: 'invalid', code: v.error.code, message: v.error.message, value: raw });
      } else {
        serial = v.serial;
        const firstLine = this.seen.get(serial);
        if (firstLine !== undefined) this.duplicate(serial, line, firstLine);
        else {
          this.seen.set(serial, line);
          this.serials.push(serial);
          for (const w of v.warnings) {
            const issue: SerialCsvIssue = { line, kind: 'suspicious', code: w.code, message: w.message, serial };
            if (w.suggestion !== undefined) issue.suggestion = w.suggestion;
            this.issues.push(issue);
          }
        }
      }
    }
    if (fields) this.rows.push({ line, serial, rawSerial: raw === '' ? undefined : raw, fields });
  }

  private duplicate(serial: string, line: number, firstLine: number): void {
    this.issues.push({
      line,
      kind: 'duplicate',
      code: 'duplicate',
      message: `${serial} already appears on line ${firstLine}.`,
      serial,
      firstLine,
    });
  }

  private setColumns(labels: string[] | undefined): void {
    this.labels = labels;
    this.keys = [];
    this.width = 0;
    const used = new Set<string>(['serialNumber']);
    const col = (this.plan as ColumnPlan).index;
    const width = labels?.length ?? 0;
    for (let i = 0; i < width; i++) {
      if (i === col) {
        this.keys.push('serialNumber');
        continue;
      }
      const label = (labels as string[])[i] as string;
      const canonical = matchHeaderField(label);
      let key = canonical !== undefined && !used.has(canonical) ? canonical : label === '' ? `column${i + 1}` : label;
      if (used.has(key)) {
        let n = 2;
        while (used.has(`${key}_${n}`)) n++;
        key = `${key}_${n}`;
      }
      used.add(key);
      this.keys.push(key);
    }
    this.width = width;
  }

  private extendKeys(width: number): void {
    const used = new Set(this.keys);
    const col = (this.plan as ColumnPlan).index;
    for (let i = this.width; i < width; i++) {
      let key = i === col ? 'serialNumber' : `column${i + 1}`;
      if (i !== col && used.has(key)) {
        let n = 2;
        while (used.has(`${key}_${n}`)) n++;
        key = `${key}_${n}`;
      }
      used.add(key);
      this.keys.push(key);
    }
    this.width = width;
  }

  private columns(): SerialCsvColumn[] {
    const out: SerialCsvColumn[] = [];
    for (let i = 0; i < this.width; i++) {
      out.push({ index: i, header: this.labels?.[i], field: this.keys[i] as string });
    }
    return out;
  }
}
