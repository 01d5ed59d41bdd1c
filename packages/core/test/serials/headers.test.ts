import { describe, expect, it } from 'vitest';
import {
  matchHeaderField,
  normalizeHeaderLabel,
  SERIAL_CSV_HEADER_ALIASES,
  type SerialCsvField,
} from '../../src/serials/index.js';

describe('normalizeHeaderLabel', () => {
  it.each([
    ['Serial Number', 'number serial'],
    ['serialNumber', 'number serial'],
    ['serial_number', 'number serial'],
    ['SERIAL-NUMBER', 'number serial'],
    ['  Serial   Number ', 'number serial'],
    ['\ufeffSerial Number', 'number serial'],
    ['Serial\u200bNumber', 'number serial'],
    ['Serial No.', 'number serial'],
    ['Serial #', 'number serial'],
    ['Numéro de série', 'number serie'],
    ['N° de série', 'number serie'],
    ['Nº de série', 'number serie'],
    ['N°série', 'number serie'],
    ['NUMERO DE SERIE', 'number serie'],
    ['Serie nummer', 'number serie'],
    ['Serien-Nr.', 'number serien'],
    ["Nom de l'appareil", 'appareil nom'],
    ['Nom de l’appareil', 'appareil nom'],
    ['WiFiMAC', 'fi mac wi'],
    ['', ''],
  ])('%j → %j', (label, key) => {
    expect(normalizeHeaderLabel(label)).toBe(key);
  });
});

describe('matchHeaderField', () => {
  it.each<[string, SerialCsvField]>([
    // serial number: English, API names, French, Dutch, German
    ['Serial Number', 'serialNumber'],
    ['Serial', 'serialNumber'],
    ['serial_number', 'serialNumber'],
    ['serialNumber', 'serialNumber'],
    ['serialnumber', 'serialNumber'],
    ['S/N', 'serialNumber'],
    ['Numéro de série', 'serialNumber'],
    ['N° de série', 'serialNumber'],
    ['No de série', 'serialNumber'],
    ['Num. série', 'serialNumber'],
    ['numero de serie', 'serialNumber'],
    ['Número de serie', 'serialNumber'],
    ['Serienummer', 'serialNumber'],
    ['Serie-nummer', 'serialNumber'],
    ['Serienr.', 'serialNumber'],
    ['Seriennummer', 'serialNumber'],
    ['Serien-Nr.', 'serialNumber'],
    ['Serien Nummer', 'serialNumber'],
    // other fields
    ['Mobile Device Name', 'deviceName'],
    ['Display Name', 'deviceName'],
    ['device_name', 'deviceName'],
    ["Nom de l'appareil", 'deviceName'],
    ['Apparaatnaam', 'deviceName'],
    ['Gerätename', 'deviceName'],
    ['Asset Tag', 'assetTag'],
    ['asset_tag', 'assetTag'],
    ["N° d'inventaire", 'assetTag'],
    ['Inventarisnummer', 'assetTag'],
    ['Inventarnummer', 'assetTag'],
    ['UDID', 'udid'],
    ['deviceudid', 'udid'],
    ['Model', 'model'],
    ['Modèle', 'model'],
    ['Model Identifier', 'modelIdentifier'],
    ['iOS Version', 'osVersion'],
    ['osversion', 'osVersion'],
    ['IMEI', 'imei'],
    ['Wi-Fi MAC Address', 'macAddress'],
    ['wifi_mac_address', 'macAddress'],
    ['WiFiMAC', 'macAddress'],
    ['Adresse MAC', 'macAddress'],
    ['Username', 'user'],
    ['Utilisateur', 'user'],
    ['Gebruiker', 'user'],
    ['Benutzer', 'user'],
    ['Last Inventory Update', 'lastSeen'],
    ['lastCheckin', 'lastSeen'],
    ['date_last_beat', 'lastSeen'],
    ['Dernière connexion', 'lastSeen'],
    ['Order Number', 'orderNumber'],
  ])('%j → %s', (label, field) => {
    expect(matchHeaderField(label)).toBe(field);
  });

  it.each(['Colour', 'Prix', '', 'N°', 'Serial Number 2'])('%j is not an alias', (label) => {
    expect(matchHeaderField(label)).toBeUndefined();
  });

  it('never maps one normalised key to two fields', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const [field, labels] of Object.entries(SERIAL_CSV_HEADER_ALIASES)) {
      for (const label of labels) {
        const key = normalizeHeaderLabel(label);
        expect(key, `${field}: ${label}`).not.toBe('');
        const other = owner.get(key);
        if (other !== undefined && other !== field) clashes.push(`${label} (${field}) vs ${other}`);
        owner.set(key, field);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('maps every listed alias back to its own field', () => {
    for (const [field, labels] of Object.entries(SERIAL_CSV_HEADER_ALIASES)) {
      for (const label of labels) expect(matchHeaderField(label), label).toBe(field);
    }
  });
});
