/**
 * Finds the header row and the serial-number column from a sample of the first records.
 *
 * Order (issue #3): the caller's `options.column`; a header cell in the alias table; a file with
 * a single column; the column whose values look like serial numbers. Nothing is guessed when
 * two different columns look equally like serials: that is an `ambiguous-serial-column` error,
 * because sending asset tags instead of serials in a release request is worse than asking.
 */
import { SerialCsvError } from '../errors.js';
import { cleanHeaderLabel, headerNamesSerial, matchHeaderField, normalizeHeaderLabel } from '../headers.js';
import { looksLikeText, normalizeSerial, validateSerial } from '../serial.js';

/**
 * How the serial column was identified: `option` (`options.column`), `alias` (a header in the
 * alias table), `header` (a header that names the serial, e.g. "Apple Serial", not in the
 * table), `single-column`, or `content` (the values look like serials).
 */
export type SerialColumnMatch = 'option' | 'alias' | 'header' | 'single-column' | 'content';

/** The header/column decision for a file. */
export interface ColumnPlan {
  hasHeader: boolean;
  index: number;
  header: string | undefined;
  matchedBy: SerialColumnMatch;
}

/** Caller choices that steer the plan. */
export interface ColumnOptions {
  column?: string | number | undefined;
  header?: boolean | 'auto' | undefined;
}

const COLUMN_HINT =
  'Pass options.column with the header text, or the index of the serial-number column counted from 0 (column 1 is index 0).';

/** A column as a person reading the file names it: 1-based, with its header when there is one. */
function columnName(index: number, header: string | undefined): string {
  return header === undefined ? `column ${index + 1}` : `“${header}” (column ${index + 1})`;
}

/**
 * True when a first-row cell reads like a column label rather than a value: it is a known
 * alias; or it reads like words (mixed case, or several words without a digit: "Identifiant",
 * "Liste des iPads", which would otherwise pass as serials once spaces are removed); or it is
 * not a valid serial, is not an Excel number, holds a letter, and has a lower-case letter, a
 * space between words or a non-ASCII character ("numéro"). An upper-case fragment such as
 * `C02XK` stays data, so a truncated serial on line 1 is reported as invalid instead of
 * silently becoming a header.
 */
export function isHeaderLike(cell: string | undefined): boolean {
  if (cell === undefined) return false;
  const label = cleanHeaderLabel(cell);
  if (label === '') return false;
  if (matchHeaderField(label) !== undefined || looksLikeText(label)) return true;
  const v = validateSerial(label);
  if (v.valid || v.error.code === 'scientific-notation') return false;
  if (!/\p{L}/u.test(label)) return false;
  return /\p{Ll}/u.test(label) || /\p{L}\s+\p{L}/u.test(label) || /[^\x00-\x7F]/.test(label);
}

/**
 * A cell that counts as a serial when looking for the serial column by content: valid, no
 * `text-like` or `digits-only` warning (names such as "iPad de Marie" and numeric columns
 * such as order numbers must not win).
 */
function serialLike(cell: string): { serial: boolean; clean: boolean } {
  const v = validateSerial(cell);
  if (!v.valid) return { serial: false, clean: false };
  for (const w of v.warnings)
    if (w.code === 'text-like' || w.code === 'digits-only') return { serial: false, clean: false };
  return { serial: true, clean: v.warnings.length === 0 };
}

/** Index of the header matching `name`: exact, then case-insensitive, then alias-normalised, then same canonical field. */
export function findColumnByName(labels: readonly string[], name: string): number {
  const wanted = cleanHeaderLabel(name);
  let i = labels.indexOf(wanted);
  if (i !== -1) return i;
  const lower = wanted.toLowerCase();
  i = labels.findIndex((l) => l.toLowerCase() === lower);
  if (i !== -1) return i;
  const key = normalizeHeaderLabel(wanted);
  if (key !== '') {
    i = labels.findIndex((l) => normalizeHeaderLabel(l) === key);
    if (i !== -1) return i;
  }
  const field = matchHeaderField(wanted) ?? (wanted === 'serialNumber' ? 'serialNumber' : undefined);
  return field === undefined ? -1 : labels.findIndex((l) => matchHeaderField(l) === field);
}

interface Score {
  index: number;
  valid: number;
  clean: number;
  nonEmpty: number;
}

function scoreColumns(rows: readonly string[][], width: number): Score[] {
  const scores: Score[] = [];
  for (let c = 0; c < width; c++) {
    const s: Score = { index: c, valid: 0, clean: 0, nonEmpty: 0 };
    for (const row of rows) {
      const cell = row[c];
      if (cell === undefined || cell.trim() === '') continue;
      s.nonEmpty++;
      const v = serialLike(cell);
      if (v.serial) s.valid++;
      if (v.clean) s.clean++;
    }
    scores.push(s);
  }
  return scores;
}

function sameValues(rows: readonly string[][], a: number, b: number): boolean {
  return rows.every((r) => normalizeSerial(r[a] ?? '') === normalizeSerial(r[b] ?? ''));
}

/**
 * Decides whether the file has a header row and which column holds serial numbers, from the
 * first non-blank records. Returns `undefined` for a file without records. Throws
 * `unknown-column`, `no-serial-column` or `ambiguous-serial-column`.
 */
export function planColumns(sample: readonly string[][], options: ColumnOptions): ColumnPlan | undefined {
  const first = sample[0];
  if (first === undefined) return undefined;
  const rest = sample.slice(1);
  const labels = first.map(cleanHeaderLabel);
  const fields = labels.map(matchHeaderField);
  const anyAlias = fields.some((f) => f !== undefined);
  const headerOption = options.header ?? 'auto';
  const width = sample.reduce((w, r) => Math.max(w, r.length), 0);
  const found = () => (anyAlias || labels.some(isHeaderLike) ? { headers: labels } : { firstRow: labels });

  if (typeof options.column === 'string') {
    if (headerOption === false) {
      throw new SerialCsvError(
        'unknown-column',
        `Column “${options.column}” cannot be found by name because options.header is false (no header row).`,
        { found: { column: options.column, firstRow: labels }, hint: 'Pass the 0-based column index instead.' },
      );
    }
    const index = findColumnByName(labels, options.column);
    if (index === -1) {
      throw new SerialCsvError(
        'unknown-column',
        `No column is named “${options.column}”. Headers found: ${list(labels)}.`,
        { found: { column: options.column, headers: labels }, hint: COLUMN_HINT },
      );
    }
    return { hasHeader: true, index, header: labels[index], matchedBy: 'option' };
  }

  if (typeof options.column === 'number') {
    const index = options.column;
    if (index >= width) {
      throw new SerialCsvError(
        'unknown-column',
        `Column index ${index} (column ${index + 1}) does not exist: the file has ${width} column${width === 1 ? '' : 's'}. First row: ${list(labels)}.`,
        { found: { column: index, ...found() }, hint: COLUMN_HINT },
      );
    }
    const hasHeader = headerOption === 'auto' ? anyAlias || isHeaderLike(first[index]) : headerOption;
    return { hasHeader, index, header: hasHeader ? labels[index] : undefined, matchedBy: 'option' };
  }

  const aliasIndex = fields.indexOf('serialNumber');
  if (aliasIndex !== -1 && headerOption !== false) {
    return { hasHeader: true, index: aliasIndex, header: labels[aliasIndex], matchedBy: 'alias' };
  }

  // A header that names the serial without being an exact alias ("Apple Serial") outranks columns
  // that merely hold serial-like values, such as a barcode column of S + serial.
  if (headerOption !== false) {
    const named = labels.flatMap((l, i) => (fields[i] === undefined && headerNamesSerial(l) ? [i] : []));
    if (named.length === 1) {
      const index = named[0] as number;
      return { hasHeader: true, index, header: labels[index], matchedBy: 'header' };
    }
  }

  if (width === 1) {
    const hasHeader = headerOption === 'auto' ? anyAlias || isHeaderLike(first[0]) : headerOption;
    return { hasHeader, index: 0, header: hasHeader ? labels[0] : undefined, matchedBy: 'single-column' };
  }

  const knownHeader = headerOption === 'auto' ? (anyAlias ? true : undefined) : headerOption;
  const data = knownHeader === true ? rest : knownHeader === false || rest.length === 0 ? sample : rest;
  const scores = scoreColumns(data, width)
    .filter((s) => s.valid > 0 && s.valid * 2 >= s.nonEmpty)
    .sort((a, b) => b.valid - a.valid || b.clean - a.clean || a.index - b.index);
  const best = scores[0];
  if (best === undefined) {
    const what = found();
    throw new SerialCsvError(
      'no-serial-column',
      what.headers
        ? `No column holds serial numbers: no header is a known serial-number label and no column's values look like serial numbers. Headers found: ${list(labels)}.`
        : `No column holds serial numbers: none of the ${width} columns has values that look like serial numbers. First row: ${list(labels)}.`,
      { found: what, hint: COLUMN_HINT },
    );
  }
  const rivals = scores.slice(1).filter((s) => s.valid >= best.valid * 0.8 && !sameValues(data, best.index, s.index));
  if (rivals.length > 0) {
    const hasHeader = knownHeader ?? labels.some(isHeaderLike);
    const candidates = [best, ...rivals].map((s) => ({
      index: s.index,
      header: hasHeader ? labels[s.index] : undefined,
    }));
    throw new SerialCsvError(
      'ambiguous-serial-column',
      `Several columns hold values that look like serial numbers: ${candidates
        .map((c) => columnName(c.index, c.header))
        .join(', ')}. No header says which one is the serial number.`,
      { found: { candidates, ...found() }, hint: COLUMN_HINT },
    );
  }
  const hasHeader = knownHeader ?? isHeaderLike(first[best.index]);
  return { hasHeader, index: best.index, header: hasHeader ? labels[best.index] : undefined, matchedBy: 'content' };
}

function list(labels: readonly string[]): string {
  const shown = labels.slice(0, 20).map((l) => `“${l.length > 40 ? `${l.slice(0, 40)}…` : l}”`);
  return (labels.length > 20 ? [...shown, `and ${labels.length - 20} more`] : shown).join(', ') || '(none)';
}
