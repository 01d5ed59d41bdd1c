/**
 * Reading an activity's CSV log. Apple does not document its columns, so columns
 * are found by header name, leniently: any header naming the serial number, a status or
 * result, and a message or reason.
 */
import { ActivityLogError } from './errors.js';

/** One row of an activity log. */
export interface ActivityLogEntry {
  /** The serial number (upper case). */
  serial: string;
  /** The status column as written, e.g. `SUCCESS` or `FAILED`; `undefined` when the log has none. */
  status: string | undefined;
  /** `true` for a success word, `false` for a failure word, `undefined` when neither. */
  succeeded: boolean | undefined;
  /** The message or reason column, when present and not empty. */
  message: string | undefined;
  /** Every column of the row, by header as written. */
  row: Record<string, string>;
}

const SUCCESS = /^(success|successful|succeeded|completed?|ok|done|assigned|unassigned|cancell?ed|updated)\b/i;
const FAILURE = /(fail|error|reject|invalid|not[ _-]|denied|ineligible|skipped|unknown)/i;

/** Parses the CSV text of an activity log. */
export function parseActivityLog(text: string, activityId: string): ActivityLogEntry[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift();
  if (!header || header.every((h) => h.trim() === '')) return [];
  const norm = header.map((h) => h.toLowerCase().replace(/[^a-z0-9]/g, ''));
  const serialCol = norm.findIndex((h) => h.includes('serial'));
  if (serialCol === -1) {
    throw new ActivityLogError(
      activityId,
      'unrecognised-format',
      `no column names the serial number (columns: ${header.map((h) => JSON.stringify(h.slice(0, 40))).join(', ')})`,
      'Apple may have changed the log format; update @schoolmdm/asm, and verify the devices with verifyAssignment().',
    );
  }
  const statusCol = norm.findIndex((h, i) => i !== serialCol && /(status|result|outcome|state)/.test(h));
  const messageCol = norm.findIndex(
    (h, i) => i !== serialCol && i !== statusCol && /(message|reason|error|detail|description|comment)/.test(h),
  );
  const out: ActivityLogEntry[] = [];
  for (const cells of rows) {
    const serial = (cells[serialCol] ?? '').trim().toUpperCase();
    if (serial === '') continue;
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      row[h] = cells[i] ?? '';
    });
    const status = statusCol === -1 ? undefined : (cells[statusCol] ?? '').trim() || undefined;
    const message = messageCol === -1 ? undefined : (cells[messageCol] ?? '').trim() || undefined;
    out.push({ serial, status, succeeded: classify(status), message, row });
  }
  return out;
}

function classify(status: string | undefined): boolean | undefined {
  if (status === undefined) return undefined;
  if (FAILURE.test(status)) return false;
  if (SUCCESS.test(status)) return true;
  return undefined;
}

/** RFC 4180 CSV: quoted fields with commas, quotes and line breaks; `,`, `;` or tab. */
function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, Math.max(0, text.search(/\r?\n|$/)));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  const delimiter = counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
