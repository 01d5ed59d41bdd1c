/**
 * Recognises inputs that are not CSV text, so the reader can say *what* it got instead of
 * producing garbage rows. The most common mistake is sending the `.xlsx` workbook itself
 * (a ZIP archive starting with `PK\x03\x04`).
 */
import { SerialCsvError } from '../errors.js';

const EXPORT_HINT =
  'Open it in Excel (or Numbers) and save it as “CSV UTF-8 (comma delimited)” or “CSV (semicolon delimited)”, then read that file.';

interface Signature {
  bytes: number[];
  format: string;
  what: string;
  hint: string;
}

// File signatures (magic numbers): https://en.wikipedia.org/wiki/List_of_file_signatures
const SIGNATURES: Signature[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    format: 'zip',
    what: 'a ZIP archive: most likely an Excel workbook (.xlsx) or a Numbers file, not a CSV export',
    hint: EXPORT_HINT,
  },
  {
    bytes: [0x50, 0x4b, 0x05, 0x06],
    format: 'zip',
    what: 'an empty ZIP archive, not a CSV export',
    hint: EXPORT_HINT,
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    format: 'xls',
    what: 'a legacy Excel workbook (.xls, OLE2 compound file), not a CSV export',
    hint: EXPORT_HINT,
  },
  {
    bytes: [0x25, 0x50, 0x44, 0x46, 0x2d],
    format: 'pdf',
    what: 'a PDF document, not a CSV export',
    hint: 'Export the device list from the MDM as CSV instead of printing it.',
  },
  {
    bytes: [0x1f, 0x8b],
    format: 'gzip',
    what: 'a gzip-compressed file',
    hint: 'Decompress it first (gunzip), then read the CSV inside.',
  },
  {
    bytes: [0x89, 0x50, 0x4e, 0x47],
    format: 'png',
    what: 'a PNG image, not a CSV export',
    hint: 'Export the device list from the MDM as CSV.',
  },
  {
    bytes: [0xff, 0xd8, 0xff],
    format: 'jpeg',
    what: 'a JPEG image, not a CSV export',
    hint: 'Export the device list from the MDM as CSV.',
  },
  {
    bytes: [0x62, 0x70, 0x6c, 0x69, 0x73, 0x74, 0x30, 0x30],
    format: 'bplist',
    what: 'a binary property list, not a CSV export',
    hint: 'Export the device list as CSV.',
  },
  {
    bytes: [0xff, 0xfe, 0x00, 0x00],
    format: 'utf-32',
    what: 'UTF-32 text, which this reader does not decode',
    hint: 'Save the file as “CSV UTF-8” or as UTF-16 (“Unicode text”) instead.',
  },
  {
    bytes: [0x00, 0x00, 0xfe, 0xff],
    format: 'utf-32',
    what: 'UTF-32 text, which this reader does not decode',
    hint: 'Save the file as “CSV UTF-8” or as UTF-16 (“Unicode text”) instead.',
  },
];

/** Hex dump of the first bytes, for error details. */
export function hexHead(bytes: ArrayLike<number>, max = 16): string {
  const out: string[] = [];
  for (let i = 0; i < Math.min(max, bytes.length); i++) out.push((bytes[i] ?? 0).toString(16).padStart(2, '0'));
  return out.join(' ');
}

/** Throws `binary` when the leading bytes (or leading char codes of a string) match a known non-CSV signature. */
export function checkSignature(head: ArrayLike<number>): void {
  for (const sig of SIGNATURES) {
    if (head.length < sig.bytes.length) continue;
    if (sig.bytes.every((b, i) => head[i] === b)) {
      throw new SerialCsvError('binary', `This is not a CSV file: it looks like ${sig.what}.`, {
        found: { format: sig.format, leadingBytes: hexHead(head) },
        hint: sig.hint,
      });
    }
  }
}

/** Leading char codes of a string, for {@link checkSignature} on text input (a `.xlsx` read as a string keeps `PK\x03\x04`). */
export function charCodes(text: string, max = 16): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(max, text.length); i++) out.push(text.charCodeAt(i));
  return out;
}

/** Share of control characters above which text is treated as binary. */
const CONTROL_RATIO_LIMIT = 0.05;

/**
 * Throws `binary` when decoded text contains NUL characters or too many control characters /
 * replacement characters (the mark of binary bytes decoded as text), and `not-csv` when it is
 * an XML, HTML or RTF document. Only the head of the input is inspected, so the streaming and
 * in-memory readers make the same decision.
 */
export function checkText(head: string): void {
  const nul = head.indexOf('\0');
  if (nul !== -1) {
    throw new SerialCsvError(
      'binary',
      `This is not a CSV file: it contains NUL characters (first at offset ${nul}), which only binary data or UTF-16/UTF-32 text without a byte-order mark has.`,
      { found: { format: 'nul-bytes', offset: nul, leadingBytes: hexHead(charCodes(head)) }, hint: EXPORT_HINT },
    );
  }
  let bad = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    // C0 controls except TAB, LF, VT, FF, CR; DEL; C1 controls; U+FFFD (undecodable bytes).
    if ((c < 32 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd)
      bad++;
  }
  const ratio = head.length === 0 ? 0 : bad / head.length;
  if (ratio > CONTROL_RATIO_LIMIT) {
    throw new SerialCsvError(
      'binary',
      `This is not a CSV file: ${Math.round(ratio * 100)}% of its first ${head.length} characters are control or undecodable characters, the mark of binary data.`,
      {
        found: { format: 'control-characters', controlRatio: ratio, leadingBytes: hexHead(charCodes(head)) },
        hint: EXPORT_HINT,
      },
    );
  }
  const start = head.trimStart().slice(0, 64).toLowerCase();
  const doc = start.startsWith('<?xml')
    ? { format: 'xml', what: 'an XML document (an Excel “XML Spreadsheet” or an XML export)' }
    : start.startsWith('<!doctype html') || start.startsWith('<html')
      ? { format: 'html', what: 'an HTML page (perhaps a login or error page saved instead of the export)' }
      : start.startsWith('{\\rtf')
        ? { format: 'rtf', what: 'an RTF document (a text editor saved it as rich text)' }
        : undefined;
  if (doc) {
    throw new SerialCsvError('not-csv', `This is not a CSV file: it looks like ${doc.what}.`, {
      found: { format: doc.format },
      hint: 'Export the device list from the MDM as CSV, or save the sheet as “CSV UTF-8” from Excel.',
    });
  }
}
