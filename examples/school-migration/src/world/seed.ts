/**
 * A realistic school for the simulated world: iPads in carts and classes, most of them the
 * authority's (released by it and waiting to be prepared), a few already moved by hand, a few
 * the school bought itself (already in its ASM), one the authority never released, and an old
 * MDM export with the mistakes real exports have (a barcode prefix, an Excel-mangled serial, a
 * duplicate, an empty cell).
 */
import { deviceNames } from '../plan/naming.js';

/** How a simulated iPad starts. */
export type WorldDeviceKind = 'authority' | 'already-moved' | 'school-bought' | 'not-released';

/** One simulated iPad. */
export interface WorldDevice {
  serial: string;
  ecid: string;
  group: string;
  name: string;
  kind: WorldDeviceKind;
}

/** The seeded school. */
export interface SeededSchool {
  devices: WorldDevice[];
  groups: string[];
  /** The old MDM's export (Jamf School, French Excel: BOM, `sep=;`). */
  exportCsv: string;
  /** The school's plan (serial; group; origin). */
  planCsv: string;
}

/** A small seeded PRNG (mulberry32), so a seed always gives the same school. */
export function prng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERIAL_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const CARTS = ['Chariot A', 'Chariot B', 'Chariot C'];
const CLASSES = ['P1A', 'P1B', 'P2A', 'P2B', 'P3', 'P4', 'P5', 'P6'];

/** Seeds a school of `count` iPads. */
export function seedSchool(options: { devices: number; seed: number; short: string; naming: string }): SeededSchool {
  const rand = prng(options.seed);
  const n = Math.max(12, options.devices);
  const used = new Set<string>();
  const serial = () => {
    for (;;) {
      let s = 'DMP';
      for (let i = 0; i < 9; i++) s += SERIAL_CHARS[Math.floor(rand() * SERIAL_CHARS.length)];
      // Not all digits after the prefix, no confusable O/I: valid, typical serials.
      if (!used.has(s)) {
        used.add(s);
        return s;
      }
    }
  };
  const groups = n >= 200 ? [...CARTS, ...CLASSES] : [...CARTS, ...CLASSES.slice(0, 3)];
  const cartSize = Math.round(n * 0.1);
  const rows: { serial: string; group: string }[] = [];
  for (let i = 0; i < n; i++) {
    const g =
      i < cartSize * CARTS.length
        ? CARTS[Math.floor(i / cartSize)]!
        : groups[CARTS.length + ((i - cartSize * CARTS.length) % (groups.length - CARTS.length))]!;
    rows.push({ serial: serial(), group: g });
  }
  rows.sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group));
  const names = deviceNames(rows, { school: options.short, template: options.naming });
  const alreadyMoved = Math.max(2, Math.round(n * 0.02));
  const schoolBought = Math.max(2, Math.round(n * 0.013));
  // Spread the special cases over the groups, at fixed positions for a given seed.
  const positions = [...rows.keys()].sort(() => rand() - 0.5);
  const kind = new Map<number, WorldDeviceKind>();
  for (const i of positions.slice(0, alreadyMoved)) kind.set(i, 'already-moved');
  for (const i of positions.slice(alreadyMoved, alreadyMoved + schoolBought)) kind.set(i, 'school-bought');
  kind.set(positions[alreadyMoved + schoolBought]!, 'not-released');
  const devices: WorldDevice[] = rows.map((r, i) => ({
    serial: r.serial,
    ecid: `0x${(0x1a2b000000000 + i * 7919).toString(16).toUpperCase()}`,
    group: r.group,
    name: names[i]!,
    kind: kind.get(i) ?? 'authority',
  }));

  // The old MDM export: the authority's iPads, with the mistakes of real exports.
  const exp = devices.filter((d) => d.kind !== 'school-bought');
  const lines = ['sep=;', "Nom de l'appareil;Numéro de série;Modèle;Numéro d'inventaire;Dernière connexion"];
  exp.forEach((d, i) => {
    lines.push(
      `iPad-${String(i + 1).padStart(3, '0')};${d.serial};iPad (9th generation);INV-${String(i + 1).padStart(4, '0')};2026-11-${String(10 + (i % 18)).padStart(2, '0')}`,
    );
  });
  lines.push(`iPad-${exp.length + 1};S${serial()};iPad (9th generation);INV-9001;2026-10-02`);
  lines.push(`iPad-${exp.length + 2};3.51E+14;iPad (9th generation);INV-9002;2026-09-30`);
  lines.push(`iPad-001 (copie);${exp[0]!.serial};iPad (9th generation);INV-0001;2026-11-10`);
  lines.push(`iPad-${exp.length + 3};;iPad (9th generation);INV-9003;`);
  const exportCsv = `\ufeff${lines.join('\r\n')}\r\n`;

  const plan = ['Numéro de série;Groupe;Origine'];
  for (const d of devices) plan.push(`${d.serial};${d.group};${d.kind === 'school-bought' ? 'école' : 'autorité'}`);
  const planCsv = `\ufeff${plan.join('\r\n')}\r\n`;
  return { devices, groups, exportCsv, planCsv };
}
