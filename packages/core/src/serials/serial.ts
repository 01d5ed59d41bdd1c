/**
 * Normalisation and validation of one Apple serial number.
 *
 * Rules (peers.md §1.6, §1.5):
 * - hard rule after cleanup: `^[A-Z0-9]{8,14}$`. Apple's 2021 memo: "a randomized alphanumeric
 *   string of 8–14 characters… 10 characters initially"; legacy serials have 12 characters
 *   (https://www.macrumors.com/2021/03/09/apple-randomized-serial-numbers-early-2021/);
 * - there is no checksum, so nothing beyond shape can be checked offline;
 * - everything else (unusual length, `O`/`I`, a box-barcode `S` prefix, digits only) is a
 *   warning, never a rejection, because none of it is a confirmed Apple rule.
 */
import { describeValue } from './internal/describe.js';

/** Machine-readable reason a value is not a serial number. */
export type SerialProblemCode =
  | 'not-a-string'
  | 'empty'
  | 'too-short'
  | 'too-long'
  | 'invalid-characters'
  | 'scientific-notation'
  | 'multiple-lines';

/** Machine-readable kind of a warning about a valid serial number. */
export type SerialWarningCode =
  | 'unusual-length'
  | 'confusable-characters'
  | 'barcode-prefix'
  | 'digits-only'
  | 'text-like';

/** Why a value was rejected. */
export interface SerialProblem {
  code: SerialProblemCode;
  message: string;
}

/** Something worth a second look about a serial number that passes the hard rule. */
export interface SerialWarning {
  code: SerialWarningCode;
  message: string;
  /** A likely correction, when there is one (e.g. the serial without its barcode `S`). */
  suggestion?: string;
}

/** Result of {@link validateSerial}. `valid` discriminates the union. */
export type SerialValidation =
  | {
      /** The value passes `^[A-Z0-9]{8,14}$` after cleanup. */
      valid: true;
      /** The normalised serial number (upper case, no whitespace or invisible characters). */
      serial: string;
      /** Soft findings; an empty array when there are none. */
      warnings: readonly SerialWarning[];
      error?: undefined;
    }
  | {
      valid: false;
      /** The cleaned-up value (what {@link normalizeSerial} returns), for display. */
      serial: string;
      warnings: readonly SerialWarning[];
      /** Why the value was rejected. */
      error: SerialProblem;
    };

/** Shortest and longest serial number Apple issues (2021 memo). */
export const SERIAL_MIN_LENGTH = 8;
/** @see SERIAL_MIN_LENGTH */
export const SERIAL_MAX_LENGTH = 14;

const NO_WARNINGS: readonly SerialWarning[] = Object.freeze([]);
// Fast path: the shape nearly every real cell has. Anything else goes through full cleanup.
const CLEAN_TYPICAL = /^[A-HJ-NP-Z0-9]{10,12}$/;
const HARD_RULE = /^[A-Z0-9]{8,14}$/;
// Whitespace (incl. NBSP, U+202F used as French thousands separator), control characters,
// and format characters (zero-width space/joiners, BOM, bidi marks, soft hyphen).
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
// Excel shows long numbers as `3.5E+14` (or `3,5E+14` with a comma decimal separator) and
// writes that text to CSV; the digits are gone. The sign or decimal separator is required so
// that a real serial such as `1234E567` never matches.
const SCIENTIFIC = /^[0-9]+(?:[.,][0-9]+)?E[+-][0-9]+$|^[0-9]+[.,][0-9]+E[0-9]+$/i;
const ONLY_ASCII = /^[\x00-\x7F]*$/;
const LINE_BREAK = /[\r\n\u2028\u2029\u0085]/;

/**
 * Cleans a raw cell into the canonical form of a serial number: removes whitespace (also inside
 * the value), control and invisible characters (BOM, zero-width, bidi marks), folds full-width
 * characters to ASCII (NFKC), unwraps Excel text markers (`="C02X…"`, a leading `'`) and stray
 * surrounding double quotes, and upper-cases ASCII letters. It does not validate.
 *
 * Never throws: a non-string input returns `''`.
 *
 * @example
 * ```ts
 * normalizeSerial(' dmpxk0aa hp5q\u200b'); // 'DMPXK0AAHP5Q'
 * normalizeSerial('="F9FXK0AAHP5Q"');      // 'F9FXK0AAHP5Q'
 * ```
 */
export function normalizeSerial(input: string): string {
  if (typeof input !== 'string') return '';
  if (HARD_RULE.test(input)) return input;
  let s = input.replace(INVISIBLE, '');
  if (!ONLY_ASCII.test(s)) s = s.normalize('NFKC').replace(INVISIBLE, '');
  // Excel text markers: a formula literal ="…" and the apostrophe text prefix; then quotes left
  // over from a hand-edited CSV. None of these characters can be part of a serial.
  const formula = /^="(.*)"$/s.exec(s);
  if (formula) s = formula[1] ?? '';
  else if (s.startsWith("'")) s = s.slice(1);
  s = trimQuotes(s);
  return upperAscii(s);
}

/**
 * Normalises `input` with {@link normalizeSerial} and checks it against the hard rule
 * `^[A-Z0-9]{8,14}$`, with warnings for shapes that are legal but worth a second look:
 *
 * - `unusual-length`: not 10, 11 or 12 characters (Apple issues 8–14, but 10 and 12 are what
 *   devices actually carry);
 * - `confusable-characters`: contains `O` or `I`, which are often typed for `0`/`1`;
 * - `barcode-prefix`: 11 or 13 characters starting with `S`, as read by a scanner from the
 *   box label (`S` + serial); the suggestion drops the `S`;
 * - `digits-only`: no letter at all, typical of an IMEI/order-number column or of a value
 *   Excel turned into a number (which also drops leading zeros);
 * - `text-like`: the input mixes upper- and lower-case letters, or is several words without a
 *   digit (`Serial Number`, `Liste des iPads`): removing the spaces made a label look like a
 *   serial. Serial numbers are printed in one case.
 *
 * Rejections (`valid: false`) carry `error.code`: `empty`, `too-short`, `too-long`,
 * `invalid-characters`, `scientific-notation` (Excel's `3.5E+14`: the digits are lost, re-export
 * with the column formatted as Text), `multiple-lines`, `not-a-string`.
 *
 * Never throws, whatever the input (empty string, emoji, lone surrogates, non-strings).
 *
 * @example
 * ```ts
 * validateSerial('dmpxk0aahp5q');
 * // { valid: true, serial: 'DMPXK0AAHP5Q', warnings: [] }
 * validateSerial('3.5E+14').error?.code; // 'scientific-notation'
 * ```
 */
export function validateSerial(input: string): SerialValidation {
  if (typeof input !== 'string') {
    return invalid('', 'not-a-string', `Expected a serial number as text, got ${describeValue(input)}.`);
  }
  // Fast path for the overwhelmingly common clean cell: no allocation beyond the result.
  if (isTypicalSerial(input)) return { valid: true, serial: input, warnings: NO_WARNINGS };
  const serial = normalizeSerial(input);
  const shown = quote(input.trim() === '' ? input : input.trim());
  if (serial === '') {
    return invalid(serial, 'empty', input === '' ? 'The serial number is empty.' : `${shown} holds no characters.`);
  }
  if (SCIENTIFIC.test(serial)) {
    return invalid(
      serial,
      'scientific-notation',
      `${shown} is a number Excel rewrote in scientific notation; the original digits are lost. ` +
        'Re-export from the MDM, or format the column as Text before saving from Excel.',
    );
  }
  if (LINE_BREAK.test(input.trim())) {
    return invalid(
      serial,
      'multiple-lines',
      `${shown} spans several lines: the cell holds more than one value, or the file mixes line endings.`,
    );
  }
  const bad = badCharacters(serial);
  if (bad.length > 0) {
    return invalid(
      serial,
      'invalid-characters',
      `${shown} contains ${bad.join(', ')}: a serial number holds only letters A–Z and digits.`,
    );
  }
  if (serial.length < SERIAL_MIN_LENGTH) {
    const zeros = /^[0-9]+$/.test(serial) ? ' If Excel opened this file, it may have dropped leading zeros.' : '';
    return invalid(
      serial,
      'too-short',
      `${shown} has ${serial.length} characters; a serial number has ${SERIAL_MIN_LENGTH} to ${SERIAL_MAX_LENGTH} (usually 10 or 12).${zeros}`,
    );
  }
  if (serial.length > SERIAL_MAX_LENGTH) {
    return invalid(
      serial,
      'too-long',
      `${shown} has ${serial.length} characters; a serial number has ${SERIAL_MIN_LENGTH} to ${SERIAL_MAX_LENGTH} (usually 10 or 12).`,
    );
  }
  return withWarnings(serial, looksLikeText(input) ? input.trim() : undefined);
}

/**
 * True when `raw` reads like words rather than a serial: it mixes lower- and upper-case ASCII
 * letters, or has letters separated by whitespace and no digit. Serial numbers are printed in
 * a single case, and grouped serials (`DMPX K0AA HP5Q`) contain digits.
 */
export function looksLikeText(raw: string): boolean {
  let lower = false;
  let upper = false;
  let digit = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
  }
  if (lower && upper) return true;
  return !digit && /\p{L}\s+\p{L}/u.test(raw);
}

function withWarnings(serial: string, text?: string): SerialValidation {
  const warnings: SerialWarning[] = [];
  if (text !== undefined) {
    warnings.push({
      code: 'text-like',
      message: `${quote(text)} reads like text (mixed case or several words), not like a serial number.`,
    });
  }
  const len = serial.length;
  const barcode = (len === 11 || len === 13) && serial.charCodeAt(0) === 83; /* S */
  if (barcode) {
    const rest = serial.slice(1);
    warnings.push({
      code: 'barcode-prefix',
      message: `${serial} starts with S and has ${len} characters: a scanner reading Apple's box label adds an S before the serial. If it was scanned, the serial is ${rest}.`,
      suggestion: rest,
    });
  } else if (len < 10 || len > 12) {
    warnings.push({
      code: 'unusual-length',
      message: `${serial} has ${len} characters; Apple serial numbers usually have 10 or 12.`,
    });
  }
  if (/[OI]/.test(serial)) {
    warnings.push({
      code: 'confusable-characters',
      message: `${serial} contains the letter ${/O/.test(serial) && /I/.test(serial) ? 'O and I' : /O/.test(serial) ? 'O' : 'I'}; check it was not meant as ${/O/.test(serial) && /I/.test(serial) ? '0 and 1' : /O/.test(serial) ? 'the digit 0' : 'the digit 1'}.`,
      suggestion: serial.replace(/O/g, '0').replace(/I/g, '1'),
    });
  }
  if (digitsOnly(serial)) {
    warnings.push({
      code: 'digits-only',
      message: `${serial} has no letters: check the column is the serial number and not an IMEI or order number, and that Excel did not turn it into a number (which drops leading zeros).`,
    });
  }
  return { valid: true, serial, warnings: warnings.length === 0 ? NO_WARNINGS : warnings };
}

/**
 * True for an already-normalised serial that `validateSerial` would accept without any warning
 * (10–12 of `A–Z 0–9` without `O`/`I`, not an `S`-prefixed 11, not digits only). Lets the
 * reader skip allocating a validation result for the common row.
 */
export function isTypicalSerial(s: string): boolean {
  return CLEAN_TYPICAL.test(s) && !(s.length === 11 && s.charCodeAt(0) === 83) && !digitsOnly(s);
}

function digitsOnly(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Strips leading and trailing `"` with two index scans. The regex `/^"+|"+$/g` tried `"+$` from
 * every quote of a long run not at the end: quadratic on a cell of many quotes.
 */
function trimQuotes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 34) start++;
  while (end > start && s.charCodeAt(end - 1) === 34) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function invalid(serial: string, code: SerialProblemCode, message: string): SerialValidation {
  return { valid: false, serial, warnings: NO_WARNINGS, error: { code, message } };
}

function upperAscii(s: string): string {
  if (ONLY_ASCII.test(s)) return s.toUpperCase();
  // `toUpperCase` would turn `ß` into `SS` and make a non-serial look valid: fold ASCII only.
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** Distinct offending characters, printable ones quoted and the others as U+XXXX. */
function badCharacters(s: string): string[] {
  const seen = new Set<string>();
  for (const ch of s) {
    if (/[A-Z0-9]/.test(ch)) continue;
    seen.add(ch);
    if (seen.size > 5) break;
  }
  return [...seen].map((ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    return cp >= 0xd800 && cp <= 0xdfff ? `${hex} (a broken character)` : `“${ch}” (${hex})`;
  });
}

function quote(s: string): string {
  const cut = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return `“${cut}”`;
}
