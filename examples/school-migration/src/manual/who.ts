/**
 * For the report: which steps of an iPad a person did, and which console export verified them
 * (`by: 'person'` moves carry the export and line as their `ref`).
 */
import type { Device } from '../model/fleet.js';

/**
 * The steps a person did, grouped by the export that verified them, e.g.
 * `assigned verified in Apple School Manager export "asm.csv"; enrolled, renamed, grouped
 * verified in Mosyle Manager export "devices.csv"`. Empty when no step was verified by export.
 */
export function verifiedByExport(device: Device): string {
  const byExport = new Map<string, string[]>();
  for (const h of device.history) {
    if ((h.by !== 'person' && h.by !== 'reconcile') || !h.ref?.includes(' export "')) continue;
    const label = h.ref.replace(/, line \d+$/, '');
    byExport.set(label, [...(byExport.get(label) ?? []), h.to]);
  }
  return [...byExport].map(([label, states]) => `${states.join(', ')} verified in ${label}`).join('; ');
}
