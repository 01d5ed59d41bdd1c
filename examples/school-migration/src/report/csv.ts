/**
 * The report's CSVs: every device, and the failed ones (the list a re-run starts from). Cells
 * that a spreadsheet would run as a formula are prefixed with `'`.
 */
import type { Device } from '../model/fleet.js';
import { STATE_LABELS } from '../model/states.js';

/** One CSV cell, quoted when needed and defused against formula injection. */
export function csvCell(value: string | number | undefined): string {
  let v = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\n\r;]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** The columns of both CSVs. */
export const REPORT_COLUMNS = [
  'serial',
  'group',
  'name',
  'state',
  'state (words)',
  'stopped at',
  'reason',
  'by',
  'ref',
  'udid',
  'updated',
] as const;

/** A CSV of these devices (CRLF, as Excel writes). */
export function devicesCsv(devices: readonly Device[]): string {
  const lines = [REPORT_COLUMNS.join(',')];
  for (const d of devices) {
    lines.push(
      [d.serial, d.group, d.name, d.state, STATE_LABELS[d.state], d.at, d.reason, d.by, d.ref, d.udid, d.updatedAt]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
