/**
 * A person at the consoles of the simulated world (for tests and the demo): clicks in Apple
 * School Manager's Devices and Mosyle's Devices overview change the simulators' state as the
 * real consoles would, and each console's device export is written as CSV — in English or
 * French, with any column order and delimiter, with devices left out or added, as real exports
 * come. Column names are the ones `src/manual/consoles.ts` reads (UNCONFIRMED for the real
 * consoles, peers.md §1.3–1.4).
 */
import type { World } from '../../world/world.js';

/** How an export is written. */
export interface ExportStyle {
  /** Header language. @defaultValue 'en' */
  language?: 'en' | 'fr';
  /** @defaultValue ',' for English, ';' for French (Excel in Belgium and France) */
  delimiter?: ',' | ';' | '\t';
  /** Column order: as listed, reversed, or rotated by one. @defaultValue 'as-listed' */
  order?: 'as-listed' | 'reversed' | 'rotated';
  /** A UTF-8 byte-order mark first (Excel's "CSV UTF-8"). @defaultValue false */
  bom?: boolean;
  /** Serials left out (a filtered export). */
  omit?: ReadonlySet<string>;
  /** Rows added (devices of another school or site, not in the plan). */
  extra?: { serial: string; name: string; group?: string; server?: string }[];
}

const MOSYLE_HEADERS = {
  en: ['Device Name', 'Serial Number', 'Model', 'OS Version', 'Shared Device Group', 'Last Seen'],
  fr: [
    "Nom de l'appareil",
    'Numéro de série',
    'Modèle',
    "Version d'iPadOS",
    "Groupe d'appareils partagés",
    'Dernière connexion',
  ],
};
const ASM_HEADERS = {
  en: ['Serial Number', 'Device Model', 'Product Family', 'MDM Server', 'Date Added'],
  fr: ['Numéro de série', "Modèle de l'appareil", 'Famille de produits', 'Serveur MDM', "Date d'ajout"],
};

function cell(v: string, delimiter: string): string {
  return v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

function write(headers: string[], rows: string[][], style: ExportStyle): string {
  const language = style.language ?? 'en';
  const delimiter = style.delimiter ?? (language === 'fr' ? ';' : ',');
  let index = headers.map((_, i) => i);
  if (style.order === 'reversed') index = index.reverse();
  if (style.order === 'rotated') index = [...index.slice(1), index[0]!];
  const line = (r: string[]) => index.map((i) => cell(r[i] ?? '', delimiter)).join(delimiter);
  const text = [line(headers), ...rows.map(line)].join('\r\n');
  return `${style.bom ? '\ufeff' : ''}${text}\r\n`;
}

/** Mosyle's device export (Management > Devices > Devices overview), from the simulator's visible state. */
export function mosyleDeviceExport(world: World, style: ExportStyle = {}): string {
  const groupsOf = new Map<string, string[]>();
  for (const g of world.mosyle.state.sharedDeviceGroups)
    for (const u of g.udids) groupsOf.set(u, [...(groupsOf.get(u) ?? []), g.name]);
  const rows: string[][] = [];
  for (const d of world.mosyle.state.devices) {
    if (d.os !== 'ios' || !d.serialNumber || style.omit?.has(d.serialNumber)) continue;
    const seen = new Date(d.lastSeenAt).toISOString().slice(0, 16).replace('T', ' ');
    rows.push([d.name, d.serialNumber, d.modelName, d.osVersion, (groupsOf.get(d.udid) ?? []).join(', '), seen]);
  }
  for (const x of style.extra ?? []) rows.push([x.name, x.serial, 'iPad (9th generation)', '17.5', x.group ?? '', '']);
  return write(MOSYLE_HEADERS[style.language ?? 'en'], rows, style);
}

/** Apple School Manager's device export (Devices), from the simulator's state. */
export function asmDeviceExport(world: World, style: ExportStyle = {}): string {
  const rows: string[][] = [];
  for (const d of world.asm.state.devices.values()) {
    if (d.releasedFromOrgDateTime || style.omit?.has(d.serialNumber)) continue;
    const server = d.serverId ? (world.asm.state.servers.get(d.serverId)?.serverName ?? '') : '';
    rows.push([d.serialNumber, d.deviceModel ?? '', d.productFamily ?? 'iPad', server, d.addedToOrgDateTime ?? '']);
  }
  for (const x of style.extra ?? []) rows.push([x.serial, 'iPad (9th generation)', 'iPad', x.server ?? '', '']);
  return write(ASM_HEADERS[style.language ?? 'en'], rows, style);
}

/**
 * A person assigns iPads to an MDM server in ASM's Devices; an iPad assigned to the Mosyle
 * server enrols in Mosyle when it is next turned on (here: at once).
 */
export function assignInAsmConsole(world: World, serials: readonly string[], serverId = world.mosyleServerId): void {
  const at = world.clock.now();
  for (const s of serials) {
    const d = world.asm.state.devices.get(s);
    if (!d) continue;
    d.serverId = serverId;
    d.updatedAt = at;
    if (serverId === world.mosyleServerId && !world.mosyle.device(s)) {
      world.mosyle.enroll({ serialNumber: s, name: 'iPad', supervised: true, enrollmentType: 'DEP_SHARED' });
    }
  }
}

/** A person renames an iPad in Mosyle's Devices overview (the name shows at once in the console). */
export function renameInMosyleConsole(world: World, serial: string, name: string): void {
  const d = world.mosyle.device(serial);
  if (d) d.name = name;
}

/** A person puts an iPad in a shared device group (and takes it out of any other). */
export function groupInMosyleConsole(world: World, serial: string, group: string): void {
  const d = world.mosyle.device(serial);
  if (!d) return;
  for (const g of world.mosyle.state.sharedDeviceGroups) {
    g.udids = g.udids.filter((u) => u !== d.udid);
    if (g.name === group) g.udids.push(d.udid);
  }
}
