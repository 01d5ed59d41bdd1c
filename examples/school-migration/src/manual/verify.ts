/**
 * Verifies a person's work from a console export: for each iPad, whether the export shows the
 * step done (`ok`), done differently (`wrong`, with what differs: a typo in the name, another
 * group or MDM server), or not at all (`missing`: not in the export).
 */
import type { Device } from '../model/fleet.js';
import type { ConsoleExport } from './export-reader.js';

/** The steps a console export can verify. */
export type ManualStep = 'find-in-asm' | 'assign' | 'enrol' | 'rename' | 'group';

/** What the export shows for one iPad and one step. */
export type CheckResult =
  | { outcome: 'ok'; line: number }
  | { outcome: 'wrong'; line: number; detail: string }
  | { outcome: 'missing'; detail: string };

const fold = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** Says how `actual` differs from `expected`, so that a person can see the typo. */
export function describeDifference(actual: string, expected: string): string {
  if (actual.toLowerCase() === expected.toLowerCase()) return 'differs only in upper/lower case';
  if (actual.replace(/\s+/g, '') === expected.replace(/\s+/g, '')) return 'differs only in spaces';
  const a = [...actual];
  const e = [...expected];
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  if (i >= a.length) return `${e.length - a.length} character(s) missing at the end ("${e.slice(i).join('')}")`;
  if (i >= e.length) return `${a.length - e.length} character(s) too many at the end ("${a.slice(i).join('')}")`;
  return `character ${i + 1} is "${a[i]}" where "${e[i]}" was expected`;
}

/** Checks one iPad's step against an export. `server` is the Mosyle MDM server's name in ASM. */
export function checkStep(step: ManualStep, device: Device, exp: ConsoleExport, server: string): CheckResult {
  const row = exp.rows.get(device.serial);
  if (!row) {
    const where =
      step === 'find-in-asm' || step === 'assign'
        ? "not in the school's Apple School Manager export: prepare it with Apple Configurator, or export all devices"
        : 'not in the Mosyle export: turn the iPad on with Wi-Fi so that it enrols, or export all devices';
    return { outcome: 'missing', detail: where };
  }
  switch (step) {
    case 'find-in-asm':
    case 'enrol':
      return { outcome: 'ok', line: row.line };
    case 'assign': {
      const s = row.server ?? '';
      if (fold(s).toLowerCase() === fold(server).toLowerCase()) return { outcome: 'ok', line: row.line };
      return {
        outcome: 'wrong',
        line: row.line,
        detail:
          s === ''
            ? `not assigned to any MDM server (assign it to "${server}")`
            : `assigned to "${s}", not "${server}"`,
      };
    }
    case 'rename': {
      const n = row.name ?? '';
      if (fold(n) === fold(device.name)) return { outcome: 'ok', line: row.line };
      return {
        outcome: 'wrong',
        line: row.line,
        detail:
          n === ''
            ? `has no name in the export (expected "${device.name}")`
            : `named "${n}", not "${device.name}": ${describeDifference(fold(n), fold(device.name))}`,
      };
    }
    case 'group': {
      const cell = row.group ?? '';
      // A device may be listed with several groups ("Chariot A, P1A").
      const groups = cell
        .split(/\s*[,;|]\s*/)
        .map(fold)
        .filter((g) => g !== '');
      const want = fold(device.group).toLowerCase();
      if (groups.some((g) => g.toLowerCase() === want)) return { outcome: 'ok', line: row.line };
      return {
        outcome: 'wrong',
        line: row.line,
        detail:
          groups.length === 0
            ? `in no shared device group (put it in "${device.group}")`
            : `in "${groups.join(', ')}", not in "${device.group}"`,
      };
    }
  }
}
