/**
 * The plan: which iPads move, and the shared device group (cart or class) each joins. Read from
 * the school's CSV (the serial column found by `readSerialCsv`) and checked against the old
 * MDM's export before anything is sent anywhere.
 */
import { readFileSync } from 'node:fs';
import { readSerialCsv, type SerialCsvResult } from '@schoolmdm/core';
import { InputFileError, PlanError, type PlanProblem } from '../errors.js';
import { deviceNames } from './naming.js';

/** One device of the plan. */
export interface PlannedDevice {
  serial: string;
  group: string;
  name: string;
  /** `school` for an iPad the school bought itself (not in the old MDM's export). */
  origin: 'authority' | 'school';
  /** Line in the plan CSV. */
  line: number;
}

/** A serial of the export that will not move, and why. */
export interface ExportNote {
  serial: string | undefined;
  line: number;
  message: string;
}

/** The checked plan. */
export interface Plan {
  devices: PlannedDevice[];
  /** Export serials not in the plan, and export lines that hold no usable serial. */
  notes: ExportNote[];
  exportSerials: Set<string>;
}

const GROUP_HEADERS = [
  'group',
  'groupe',
  'shared device group',
  'shareddevicegroup',
  'cart',
  'chariot',
  'class',
  'classe',
  'klas',
  'klasse',
];
const ORIGIN_HEADERS = ['origin', 'origine', 'source', 'owner'];

function norm(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]/g, '')
    .trim();
}

function readCsv(key: string, path: string): SerialCsvResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputFileError(key, path, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`, {
      hint: `fix the path "${key}" in the config (relative paths start at the config's folder)`,
    });
  }
  return readSerialCsv(bytes);
}

/**
 * Reads the export and the plan and checks them.
 * @throws {PlanError} for unknown, duplicate or invalid serials in the plan, or a missing group.
 * @throws {InputFileError} for a file that cannot be read.
 */
export function readPlan(options: {
  exportPath: string;
  planPath: string;
  groupColumn?: string | undefined;
  school: string;
  naming: string;
}): Plan {
  const exp = readCsv('inputs.export', options.exportPath);
  const plan = readCsv('inputs.plan', options.planPath);
  const exportSerials = new Set(exp.serials);
  const problems: PlanProblem[] = [];
  const planFile = options.planPath;

  const cols = plan.columns.filter((c) => c.field !== 'serialNumber');
  const pick = (wanted: string[], explicit?: string) =>
    cols.find((c) =>
      explicit
        ? c.header === explicit || norm(c.header ?? '') === norm(explicit)
        : wanted.includes(norm(c.header ?? '')),
    );
  const groupCol = pick(GROUP_HEADERS, options.groupColumn);
  const originCol = pick(ORIGIN_HEADERS);
  if (!groupCol) {
    throw new PlanError([
      {
        file: planFile,
        line: 1,
        serial: undefined,
        message: `no group column (found: ${cols.map((c) => JSON.stringify(c.header ?? `column ${c.index + 1}`)).join(', ') || 'none'}); add a column "group" with each iPad's cart or class, or set inputs.groupColumn`,
      },
    ]);
  }

  for (const issue of plan.issues) {
    if (issue.kind === 'invalid') {
      problems.push({
        file: planFile,
        line: issue.line,
        serial: issue.value,
        message: `not a serial number: ${issue.message}`,
      });
    } else if (issue.kind === 'duplicate') {
      problems.push({
        file: planFile,
        line: issue.line,
        serial: issue.serial,
        message: `duplicate serial (first on line ${issue.firstLine}); keep one row per iPad`,
      });
    } else if (issue.kind === 'suspicious' && issue.suggestion) {
      problems.push({
        file: planFile,
        line: issue.line,
        serial: issue.serial,
        message: `${issue.message}; write ${issue.suggestion} if that is the serial on the iPad`,
      });
    } else if (issue.code === 'empty-file' || issue.code === 'no-data-rows') {
      problems.push({ file: planFile, line: issue.line, serial: undefined, message: 'the plan lists no iPad' });
    }
  }

  const seen = new Set<string>();
  const rows: { serial: string; group: string; origin: 'authority' | 'school'; line: number }[] = [];
  for (const row of plan.rows) {
    if (!row.serial || seen.has(row.serial)) continue;
    seen.add(row.serial);
    const group = (row.fields[groupCol.field] ?? '').trim();
    const originRaw = originCol ? norm(row.fields[originCol.field] ?? '') : '';
    const origin = originRaw === 'school' || originRaw === 'ecole' ? 'school' : 'authority';
    if (group === '') {
      problems.push({
        file: planFile,
        line: row.line,
        serial: row.serial,
        message: 'no group: write its cart or class',
      });
      continue;
    }
    if (origin === 'authority' && !exportSerials.has(row.serial)) {
      problems.push({
        file: planFile,
        line: row.line,
        serial: row.serial,
        message: `unknown serial: not in the old MDM's export (${options.exportPath}); check it for a typo, or write "school" in an "origin" column for an iPad the school bought itself`,
      });
      continue;
    }
    rows.push({ serial: row.serial, group, origin, line: row.line });
  }
  if (problems.length > 0) throw new PlanError(problems);

  const names = deviceNames(rows, { school: options.school, template: options.naming });
  const devices = rows.map((r, i) => ({ ...r, name: names[i]! }));
  const notes: ExportNote[] = [];
  for (const issue of exp.issues) {
    if (issue.kind === 'invalid' || issue.kind === 'duplicate' || (issue.kind === 'suspicious' && issue.suggestion)) {
      notes.push({ serial: issue.serial ?? issue.value, line: issue.line, message: issue.message });
    }
  }
  const noted = new Set(notes.map((n) => n.serial));
  for (const s of exp.serials) {
    if (!seen.has(s) && !noted.has(s))
      notes.push({
        serial: s,
        line: exp.rows.find((r) => r.serial === s)?.line ?? 0,
        message: 'in the export but not in the plan: add it with its group to move it',
      });
  }
  return { devices, notes, exportSerials };
}
