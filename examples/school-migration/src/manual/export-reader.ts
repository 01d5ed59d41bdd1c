/**
 * Reads a console's device export (Mosyle's Devices overview, Apple School Manager's Devices):
 * the serial column is found as `readSerialCsv` finds it (BOM, `;`/tab delimiters, `sep=`
 * lines, UTF-16, headers in several languages); the name, shared device group and MDM server
 * columns by the console's alias table, in any order. A bad row never fails the file: it is
 * listed in `issues`; only a file that cannot be read as a device export is an error.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isSchoolMdmError, normalizeHeaderLabel, readSerialCsv, type SerialCsvResult } from '@schoolmdm/core';
import { MigrationError } from '../errors.js';
import { CONSOLES, type ConsoleName, type ExportRole } from './consoles.js';

/** A console export could not be used; says which file, what is wrong and what to export instead. */
export class ConsoleExportError extends MigrationError {
  /** The export file. */
  readonly file: string;
  constructor(file: string, message: string, hint: string) {
    super(`${file}: ${message}`, { hint });
    this.name = 'ConsoleExportError';
    this.file = file;
  }
}

/** One device row of an export. */
export interface ExportRow {
  /** 1-based line in the file. */
  line: number;
  /** The cells this program reads, trimmed. */
  name?: string;
  group?: string;
  server?: string;
}

/** A console export, read. */
export interface ConsoleExport {
  console: ConsoleName;
  /** The file's path, and the name the journal and report show. */
  file: string;
  label: string;
  /** Header of each column found (`serial` and the console's roles). */
  columns: Partial<Record<ExportRole | 'serial', string>>;
  /** Devices by normalised serial (first row of a serial wins). */
  rows: Map<string, ExportRow>;
  /** Rows that are not a device (bad serial, duplicate…), with the line and why. */
  issues: { line: number; message: string }[];
}

/**
 * Reads a console's device export from a file.
 * @throws {ConsoleExportError} when the file cannot be read or has no serial column.
 */
export function readConsoleExportFile(console: ConsoleName, file: string): ConsoleExport {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConsoleExportError(
      file,
      code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`,
      `${CONSOLES[console].exportHowTo} Then pass the file's path.`,
    );
  }
  return readConsoleExport(console, bytes, file);
}

/**
 * Reads a console's device export from its bytes or text.
 * @throws {ConsoleExportError} when it is not a CSV with a serial-number column.
 */
export function readConsoleExport(console: ConsoleName, input: string | Uint8Array, file: string): ConsoleExport {
  const info = CONSOLES[console];
  let csv: SerialCsvResult;
  try {
    csv = readSerialCsv(input);
  } catch (e) {
    throw new ConsoleExportError(
      file,
      `is not a device export this program can read (${isSchoolMdmError(e) ? e.message.split('\n')[0] : String(e)})`,
      `${info.exportHowTo} Save it as CSV (not .xlsx).`,
    );
  }
  if (!csv.serialColumn || !csv.hasHeader) {
    throw new ConsoleExportError(
      file,
      csv.serialColumn ? 'has no header row' : 'has no serial-number column',
      `export the device list from ${info.title} (${info.path}) with its header row and the Serial Number column`,
    );
  }
  // Each role: the first alias (in the table's order of preference) that a column carries.
  const byKey = new Map<string, { header: string; field: string }>();
  for (const c of csv.columns) {
    if (c.header === undefined || c.index === csv.serialColumn.index) continue;
    const key = normalizeHeaderLabel(c.header);
    if (key && !byKey.has(key)) byKey.set(key, { header: c.header, field: String(c.field) });
  }
  const columns: ConsoleExport['columns'] = {
    serial: csv.serialColumn.header ?? `column ${csv.serialColumn.index + 1}`,
  };
  const fieldOf: Partial<Record<ExportRole, string>> = {};
  const taken = new Set<string>();
  for (const [role, aliases] of Object.entries(info.columns) as [ExportRole, readonly string[]][]) {
    for (const alias of aliases) {
      const hit = byKey.get(normalizeHeaderLabel(alias));
      if (hit && !taken.has(hit.field)) {
        taken.add(hit.field);
        columns[role] = hit.header;
        fieldOf[role] = hit.field;
        break;
      }
    }
  }
  const rows = new Map<string, ExportRow>();
  const issues: ConsoleExport['issues'] = [];
  for (const i of csv.issues) {
    if (i.kind === 'invalid' || i.kind === 'duplicate' || (i.kind === 'empty' && i.code === 'missing-serial'))
      issues.push({ line: i.line, message: i.message });
  }
  for (const r of csv.rows) {
    if (!r.serial || rows.has(r.serial)) continue;
    const row: ExportRow = { line: r.line };
    for (const [role, field] of Object.entries(fieldOf) as [ExportRole, string][]) {
      const v = r.fields[field]?.trim();
      if (v !== undefined) row[role] = v;
    }
    rows.set(r.serial, row);
  }
  return { console, file, label: `${info.title} export "${basename(file)}"`, columns, rows, issues };
}

/**
 * The header of a column the verification needs.
 * @throws {ConsoleExportError} naming the headers found and the column to add.
 */
export function requireColumn(exp: ConsoleExport, role: ExportRole): string {
  const header = exp.columns[role];
  if (header !== undefined) return header;
  const what = { name: 'the device name', group: 'the shared device group', server: 'the MDM server' }[role];
  const expected = CONSOLES[exp.console].columns[role]?.slice(0, 3).join('", "') ?? role;
  throw new ConsoleExportError(
    exp.file,
    `has no column for ${what} (columns found: ${Object.values(exp.columns).join(', ')})`,
    `export it again with the "${expected}" column, or rename that column's header to one of these`,
  );
}
