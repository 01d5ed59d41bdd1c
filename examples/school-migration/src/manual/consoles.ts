/**
 * The two consoles a person works in when a service has no API for the school: Mosyle Manager
 * (the free tier has no API, mosyle.md §7) and Apple School Manager (a school without an API
 * account). Console paths are the seed's own words (seed.md, step 7); the column aliases of
 * each console's device export are UNCONFIRMED (peers.md §1.3–1.4), so headers are matched by
 * a folded key (case, accents, punctuation and word order ignored, as `readSerialCsv` does) in
 * English and in the languages of the schools (French, Dutch, German, Spanish, Italian), with
 * the API's own column names for exports made by scripts.
 */

/** The console a worksheet sends a person to, and whose export verifies the work. */
export type ConsoleName = 'mosyle' | 'asm';

/** A column of a console's device export. */
export type ExportRole = 'name' | 'group' | 'server';

/** What a person needs to know about a console. */
export interface ConsoleInfo {
  /** The console's name, as a school says it. */
  title: string;
  /** Where to click, in the seed's words. */
  path: string;
  /** What to do there, step by step. */
  howTo: string[];
  /** How to get the device export that verifies the work. */
  exportHowTo: string;
  /** The export's columns this program reads besides the serial, with their aliases (first match wins). */
  columns: Partial<Record<ExportRole, readonly string[]>>;
}

/** The Mosyle console: rename and put in the shared device group. */
export const MOSYLE_CONSOLE: ConsoleInfo = {
  title: 'Mosyle Manager',
  path: 'Management > Devices > Devices overview',
  howTo: [
    'In Mosyle, open Management > Devices > Devices overview.',
    'Search the serial number, open the iPad.',
    'Give it the name in the "New name" column, exactly as written.',
    'Put it in the shared device group of the "Group" column (My School > Hierarchy > Shared Device Groups lists them).',
    'Tick the boxes as you go.',
  ],
  exportHowTo:
    'When done: Management > Devices > Devices overview, export the device list (CSV), then run `school-migration verify --mosyle-export <file>`.',
  columns: {
    name: [
      'Device Name',
      'device_name',
      'Name',
      'iPad Name',
      "Nom de l'appareil",
      'Nom du périphérique',
      "Nom de l'iPad",
      'Nom',
      'Apparaatnaam',
      'Naam van het apparaat',
      'Naam',
      'Gerätename',
      'Name des Geräts',
      'Nombre del dispositivo',
      'Nombre',
      'Nome del dispositivo',
      'Nome',
    ],
    group: [
      'Shared Device Group',
      'Shared Device Groups',
      'SharedCartName',
      'Shared Cart',
      'Shared Group',
      'Cart',
      'Device Group',
      'Group',
      'Groups',
      "Groupe d'appareils partagés",
      'Groupe partagé',
      'Chariot',
      'Groupe',
      'Gedeelde apparaatgroep',
      'Groep',
      'Geteilte Gerätegruppe',
      'Gruppe',
      'Grupo de dispositivos compartidos',
      'Grupo',
      'Gruppo di dispositivi condivisi',
      'Gruppo',
    ],
  },
};

/** Apple School Manager: assign to the Mosyle MDM server. */
export const ASM_CONSOLE: ConsoleInfo = {
  title: 'Apple School Manager',
  path: 'Devices (school.apple.com)',
  howTo: [
    'In Apple School Manager (school.apple.com), open Devices.',
    'Select the iPads of this sheet (search by serial number; several can be selected at once).',
    'At the top of the page, choose to assign them to another MDM server: the one in the "Server" column.',
    'Tick the boxes as you go.',
  ],
  exportHowTo:
    'When done: in Devices, export the device list (CSV) with its MDM server column, then run `school-migration verify --asm-export <file>`.',
  columns: {
    server: [
      'MDM Server',
      'Assigned MDM Server',
      'Assigned Server',
      'Device Management Service',
      'Assigned Device Management Service',
      'assignedServer',
      'serverName',
      'Server',
      'Serveur MDM',
      'Serveur MDM attribué',
      'Service de gestion des appareils',
      'Serveur',
      'MDM-server',
      'Toegewezen MDM-server',
      'Server',
      'MDM-Server',
      'Zugewiesener MDM-Server',
      'Servidor MDM',
      'Servidor MDM asignado',
      'Server MDM',
      'Server MDM assegnato',
    ],
  },
};

/** The console of each name. */
export const CONSOLES: Record<ConsoleName, ConsoleInfo> = { mosyle: MOSYLE_CONSOLE, asm: ASM_CONSOLE };
