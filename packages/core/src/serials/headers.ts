/**
 * Header alias table: maps the column labels real exports use (Jamf Pro, Jamf School, Mosyle,
 * Apple School Manager, Apple Configurator, hand-made Excel sheets in English, French, Dutch
 * and German) to canonical field names.
 *
 * Exact export headers of most tools are UNCONFIRMED (peers.md §1.1–1.4), so matching is by a
 * normalised key rather than fixed strings: case, accents, punctuation, camelCase/snake_case
 * and the many spellings of "number" (`N°`, `Nº`, `No.`, `Nr.`, `#`, `numéro`, `nummer`) all
 * fold together, and word order does not matter.
 */

import { requireString } from './internal/arguments.js';

/** Canonical names of the columns the reader recognises. Unknown columns keep their header text. */
export type SerialCsvField =
  | 'serialNumber'
  | 'deviceName'
  | 'assetTag'
  | 'udid'
  | 'model'
  | 'modelIdentifier'
  | 'osVersion'
  | 'imei'
  | 'macAddress'
  | 'bluetoothMacAddress'
  | 'user'
  | 'email'
  | 'lastSeen'
  | 'group'
  | 'location'
  | 'enrollmentType'
  | 'supervised'
  | 'managed'
  | 'status'
  | 'capacity'
  | 'orderNumber'
  | 'barcode'
  | 'tags'
  | 'notes'
  | 'id';

/**
 * The alias table. Labels come from each vendor's export or data model, with the source named
 * next to the entries it added (issue #15, item 9):
 *
 * - **Jamf Mass Update Tool (MUT)** templates: `Computer Serial`, `Mobile Device Serial`,
 *   `Display Name`, `Asset Tag`, `Barcode 1`, `Barcode 2`, `Username`, `Real Name`,
 *   `Email Address`, `Building`, `Room` (jamf/mut, `The MUT/CSVFunctions.swift`,
 *   `mobileDeviceCSV` / `computerCSV`; MIT).
 * - **Jamf Pro** Classic API / database fields: `serial_number`, `display_name`, `asset_tag`,
 *   `udid`, `wifi_mac_address`, `model_identifier`, `username` (peers.md §1.1; gist
 *   macnotes/fb45930c3c8dbdc85a0efa7780eceb54); UI labels `Serial Number`, `Mobile Device Name`.
 * - **Jamf School** device model: `serialNumber`, `name`, `assetTag`, `UDID`, `locationId`,
 *   `enrollType`, `lastCheckin` (clo4/deno_jamf_school `src/schemas/GET_devices.ts`, peers.md §1.2).
 * - **Mosyle** `listdevices` columns: `serial_number`, `device_name`, `deviceudid`,
 *   `device_model`, `model_name`, `osversion`, `asset_tag`, `useremail`, `date_last_beat`
 *   (peers.md §1.3).
 * - **Apple School Manager** device attributes: `serialNumber`, `deviceModel`, `productType`,
 *   `deviceCapacity`, `orderNumber`, `partNumber`, `color`, `status`
 *   (https://developer.apple.com/documentation/appleschoolmanagerapi/get-org-devices).
 * - **Apple Configurator "Export Info"**: its CSV headers are UNCONFIRMED (peers.md §1.4); it
 *   shows `Name`, `Serial Number`, `UDID`, `ECID` in its info pane, all covered here.
 * - **Microsoft Intune** device export / Graph `managedDevice`: `Serial number`, `Device name`,
 *   `Primary user UPN`, `serialNumber`, `deviceName`, `userPrincipalName`, `imei`,
 *   `wiFiMacAddress` (https://learn.microsoft.com/graph/api/resources/intune-devices-manageddevice;
 *   corporate identifiers by `Serial number`,
 *   https://learn.microsoft.com/intune/enrollment/corporate-identifiers-add).
 * - **Kandji** device list: `serial_number`, `device_name`, `asset_tag`, `blueprint_name`,
 *   `os_version`, `last_check_in` (kandji-inc/support `api-tools/devices-report`;
 *   lyft/cartography `docs/root/modules/kandji/schema.md`).
 * - **Google Admin** (Admin SDK Directory `chromeosdevices` / `mobiledevices`): `serialNumber`,
 *   `annotatedAssetId` (UI "Asset ID"), `annotatedUser`, `annotatedLocation`
 *   (https://admin.googleapis.com/$discovery/rest?version=directory_v1).
 *
 * plus UI labels in the four languages schools in Belgium and France use.
 *
 * Every label is folded by {@link normalizeHeaderLabel}, so listing one spelling covers its
 * case, accent, punctuation and word-order variants.
 */
export const SERIAL_CSV_HEADER_ALIASES: Readonly<Record<SerialCsvField, readonly string[]>> = Object.freeze({
  serialNumber: [
    'Serial Number',
    'Serial',
    'Serials',
    'Serial No',
    'Serial #',
    'serial_number',
    'serialNumber',
    'serialnumber',
    'Serial Numbers',
    'Device Serial Number',
    // Jamf MUT templates (jamf/mut CSVFunctions.swift): a header that names the serial outranks
    // a "Barcode 1" column holding S+serial.
    'Computer Serial',
    'Mobile Device Serial',
    'Computer Serial Number',
    'Mobile Device Serial Number',
    'Device Serial',
    'Hardware Serial',
    'Hardware Serial Number',
    'SN',
    'S/N',
    // French (also covers Spanish "Número de serie"): "N° de série", "No de série", "Numéro série"…
    'Numéro de série',
    'Série',
    'Numéros de série',
    // Dutch
    'Serienummer',
    'Serienummers',
    'Serienr',
    // German
    'Seriennummer',
    'Seriennummern',
    'Serien-Nr.',
    'Seriennr',
    // Italian
    'Numero di serie',
    'Matricola',
  ],
  deviceName: [
    'Device Name',
    'Name',
    'Mobile Device Name',
    'Display Name',
    'Computer Name',
    'device_name',
    'Device',
    'display_name',
    'deviceName',
    'iPad Name',
    'Nom',
    "Nom de l'appareil",
    'Nom du périphérique',
    "Nom de l'iPad",
    'Appareil',
    'Apparaatnaam',
    'Naam',
    'Toestelnaam',
    'Naam van het apparaat',
    'Gerätename',
    'Name des Geräts',
    'Gerät',
  ],
  assetTag: [
    'Asset Tag',
    'asset_tag',
    'assetTag',
    // Google Admin: annotatedAssetId, shown as "Asset ID".
    'Asset ID',
    'annotatedAssetId',
    'Asset Number',
    'Asset',
    'Inventory Number',
    'Inventory Tag',
    "Numéro d'inventaire",
    "Étiquette d'inventaire",
    'Étiquette',
    'Inventaire',
    'Code inventaire',
    'Inventarisnummer',
    'Inventaris',
    'Inventarnummer',
    'Anlagennummer',
  ],
  udid: ['UDID', 'Device UDID', 'deviceudid', 'Identifiant UDID'],
  model: [
    'Model',
    'Model Name',
    'Device Model',
    'device_model',
    'model_name',
    'deviceModel',
    'Product',
    'Modèle',
    "Modèle d'appareil",
    'Modell',
    'Type',
  ],
  modelIdentifier: ['Model Identifier', 'model_identifier', 'Product Type', 'productType', 'Identifiant du modèle'],
  osVersion: [
    'OS Version',
    'osversion',
    'iOS Version',
    'iPadOS Version',
    'OS',
    'Software Version',
    'os_version',
    'Version',
    "Version d'iOS",
    "Version d'iPadOS",
    'Version du système',
    'Version OS',
    'Besturingssysteem',
    'Besturingssysteemversie',
    'Softwareversie',
    'Betriebssystem',
    'Betriebssystemversion',
    'Softwareversion',
  ],
  imei: ['IMEI', 'IMEI / MEID', 'imei_number', 'Numéro IMEI', 'IMEI-nummer', 'IMEI-Nummer'],
  macAddress: [
    'Wi-Fi MAC Address',
    'WiFi MAC Address',
    'wifi_mac_address',
    'wifiMacAddress',
    'WiFiMAC',
    'MAC Address',
    'Wi-Fi Address',
    'Adresse MAC',
    'Adresse MAC Wi-Fi',
    'Adresse Wi-Fi',
    'MAC-adres',
    'Wifi-adres',
    'MAC-Adresse',
    'WLAN-MAC-Adresse',
    'WLAN-Adresse',
  ],
  bluetoothMacAddress: [
    'Bluetooth MAC Address',
    'bluetooth_mac_address',
    'Bluetooth Address',
    'Adresse Bluetooth',
    'Bluetooth-adres',
    'Bluetooth-Adresse',
  ],
  user: [
    'User',
    // MUT "Real Name"; Intune "Primary user UPN" / userPrincipalName; Google annotatedUser.
    'Real Name',
    'Primary user UPN',
    'Primary User',
    'userPrincipalName',
    'UPN',
    'annotatedUser',
    'Username',
    'User Name',
    'Full Name',
    'Owner',
    'Assigned User',
    'userid',
    'username',
    'Utilisateur',
    "Nom d'utilisateur",
    'Propriétaire',
    'Élève',
    'Gebruiker',
    'Gebruikersnaam',
    'Eigenaar',
    'Leerling',
    'Benutzer',
    'Benutzername',
    'Besitzer',
  ],
  email: ['Email', 'E-mail', 'Email Address', 'useremail', 'User Email', 'Adresse e-mail', 'Courriel', 'E-mailadres'],
  lastSeen: [
    'Last Seen',
    'Last Check-in',
    'Last Checkin',
    'lastCheckin',
    'Last Inventory Update',
    'Last Contact',
    'date_last_beat',
    'Dernière connexion',
    'Dernier contact',
    'Dernière activité',
    'Laatst gezien',
    'Laatste check-in',
    'Laatste contact',
    'Zuletzt gesehen',
    'Letzte Verbindung',
    'Letzter Kontakt',
  ],
  group: [
    'Group',
    'Groups',
    'Device Group',
    'Blueprint',
    'blueprint_name',
    'Groupe',
    'Groupes',
    'Groep',
    'Groepen',
    'Gruppe',
    'Gruppen',
  ],
  location: [
    'Location',
    'Site',
    'Building',
    'Room',
    'locationId',
    'Emplacement',
    'Site scolaire',
    'Salle',
    'Locatie',
    'Lokaal',
    'Standort',
    'Raum',
  ],
  enrollmentType: [
    'Enrollment Type',
    'enrollment_type',
    'enrollType',
    'Enrollment Method',
    "Type d'inscription",
    "Méthode d'inscription",
    'Inschrijvingstype',
    'Registrierungstyp',
  ],
  supervised: ['Supervised', 'is_supervised', 'isSupervised', 'Supervisé', 'Gesuperviseerd', 'Betreut', 'Überwacht'],
  managed: ['Managed', 'isManaged', 'is_managed', 'Géré', 'Beheerd', 'Verwaltet'],
  status: ['Status', 'Statut', 'État', 'Etat', 'Zustand'],
  capacity: ['Capacity', 'Device Capacity', 'deviceCapacity', 'Storage', 'Capacité', 'Capaciteit', 'Kapazität'],
  orderNumber: ['Order Number', 'orderNumber', 'Numéro de commande', 'Bestelnummer', 'Bestellnummer'],
  // Jamf's inventory barcodes (MUT "Barcode 1"/"Barcode 2"); schools scan the box label into them.
  barcode: [
    'Barcode',
    'Barcode 1',
    'Barcode 2',
    'barcode_1',
    'barcode_2',
    'Code-barres',
    'Streepjescode',
    'Strichcode',
  ],
  tags: ['Tags', 'Étiquettes', 'Labels'],
  notes: ['Notes', 'Note', 'Comments', 'Remarques', 'Commentaire', 'Opmerkingen', 'Notizen', 'Bemerkungen'],
  id: ['ID', 'JSS ID', 'Device ID', 'Jamf ID', 'Mosyle ID'],
});

// Tokens that all mean "number"; folded so `N° de série` and `Numéro de série` are one key.
const NUMBER_TOKENS = new Set([
  'no',
  'nr',
  'num',
  'nums',
  'numero',
  'numeros',
  'number',
  'numbers',
  'nummer',
  'n',
  '#',
]);
// Articles and prepositions in the four languages: "Nom de l'appareil" = "appareil nom".
const STOPWORDS = new Set([
  'de',
  'du',
  'des',
  'd',
  'l',
  'la',
  'le',
  'les',
  'of',
  'the',
  'van',
  'het',
  'der',
  'die',
  'das',
  'von',
  'di',
  'del',
  'da',
]);
const INVISIBLE_EDGES = /^[\s\uFEFF\u200B-\u200D\u2060]+|[\s\uFEFF\u200B-\u200D\u2060]+$/g;

/**
 * Folds a header label into the key used for alias matching: strips BOM and zero-width
 * characters, splits camelCase and snake_case, removes accents, lower-cases, maps every
 * spelling of "number" (`N°`, `Nº`, `No.`, `Nr.`, `#`, `numéro`, `nummer`) to `number`, drops
 * articles (`de`, `l'`, `van`, `der`…) and sorts the words.
 *
 * @example
 * ```ts
 * normalizeHeaderLabel('N° de série') === normalizeHeaderLabel('Numéro de série'); // true
 * normalizeHeaderLabel('serialNumber'); // 'number serial'
 * ```
 */
export function normalizeHeaderLabel(label: string): string {
  requireString('label', label);
  let s = label.replace(/[\uFEFF\u200B-\u200D\u2060]/g, '');
  s = s.replace(/[°º]/g, 'o ').replace(/#/g, ' # ');
  s = splitCamelCase(s);
  s = s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const words: string[] = [];
  for (const raw of s.split(/[^a-z0-9#]+/)) {
    if (raw === '' || STOPWORDS.has(raw)) continue;
    words.push(NUMBER_TOKENS.has(raw) ? 'number' : raw);
  }
  return words.sort().join(' ');
}

/**
 * Inserts a space at camelCase boundaries: `serialNumber` → `serial Number`, `UDIDValue` →
 * `UDID Value`. One pass over the characters: the regex it replaces
 * (`/([A-Z]+)([A-Z][a-z])/g`) backtracked on long upper-case cells, so 100 KB took 5 s and
 * 1 MB over two minutes (issue #15, item 13).
 */
function splitCamelCase(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) continue; // only an upper-case ASCII letter starts a word
    const prev = s.charCodeAt(i - 1);
    const lowerOrDigitBefore = (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57);
    const next = s.charCodeAt(i + 1);
    const upperBefore = prev >= 65 && prev <= 90;
    const lowerAfter = next >= 97 && next <= 122;
    if (lowerOrDigitBefore || (upperBefore && lowerAfter)) {
      out += `${s.slice(from, i)} `;
      from = i;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

/** Words that mean "serial" in the languages of the alias table (after {@link normalizeHeaderLabel}). */
const SERIAL_WORDS = new Set([
  'serial',
  'serials',
  'serie',
  'series',
  'sn',
  'serienummer',
  'serienummers',
  'serienr',
  'seriennummer',
  'seriennummern',
  'seriennr',
  'matricola',
]);
// A label naming another identifier that may contain the word ("IMEI serial", "Barcode serial").
const NOT_SERIAL_WORDS = new Set(['barcode', 'imei', 'meid', 'iccid', 'eid', 'ecid', 'battery', 'display', 'sim']);

/**
 * True when a header label names the serial number without being an exact alias ("Apple
 * Serial", "Serial (iPad)", "Numéro de série Apple"). Such a header outranks a column that
 * merely holds serial-like values, e.g. a barcode column of `S` + serial.
 */
export function headerNamesSerial(label: string): boolean {
  const words = normalizeHeaderLabel(label).split(' ');
  return words.some((w) => SERIAL_WORDS.has(w)) && !words.some((w) => NOT_SERIAL_WORDS.has(w));
}

/** Strips BOM/zero-width characters and surrounding whitespace from a header cell. */
export function cleanHeaderLabel(label: string): string {
  return label.replace(INVISIBLE_EDGES, '');
}

let aliasIndex: Map<string, SerialCsvField> | undefined;

function index(): Map<string, SerialCsvField> {
  if (aliasIndex) return aliasIndex;
  const map = new Map<string, SerialCsvField>();
  for (const [field, labels] of Object.entries(SERIAL_CSV_HEADER_ALIASES) as Array<[SerialCsvField, string[]]>) {
    for (const label of labels) {
      const key = normalizeHeaderLabel(label);
      const taken = map.get(key);
      // The table is curated so that no key is shared; first entry wins if one ever is.
      if (taken === undefined) map.set(key, field);
    }
  }
  aliasIndex = map;
  return map;
}

/**
 * The canonical field a header label stands for, or `undefined` when it is not in
 * {@link SERIAL_CSV_HEADER_ALIASES}.
 *
 * @example
 * ```ts
 * matchHeaderField('Numéro de série'); // 'serialNumber'
 * matchHeaderField('Nom de l’appareil'); // 'deviceName'
 * matchHeaderField('Colour');           // undefined
 * ```
 */
export function matchHeaderField(label: string): SerialCsvField | undefined {
  requireString('label', label);
  const key = normalizeHeaderLabel(label);
  return key === '' ? undefined : index().get(key);
}
