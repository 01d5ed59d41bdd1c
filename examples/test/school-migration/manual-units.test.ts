/**
 * The parts of the manual path (issue #13): console exports read in any language, delimiter and
 * column order, with a typed error for a file that is not one; what differs, in words; the
 * worksheet CSV (console order, formulas defused); ASM credentials present or not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchoolMdmError } from '@schoolmdm/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fromData } from '../../school-migration/src/config/load.js';
import { MigrationError } from '../../school-migration/src/errors.js';
import { asmCredentialsPresent } from '../../school-migration/src/manual/access.js';
import { isManualExecutor } from '../../school-migration/src/manual/executors.js';
import {
  ConsoleExportError,
  readConsoleExport,
  readConsoleExportFile,
  requireColumn,
} from '../../school-migration/src/manual/export-reader.js';
import { checkStep, describeDifference } from '../../school-migration/src/manual/verify.js';
import { worksheetCsv } from '../../school-migration/src/manual/worksheet.js';
import type { Device } from '../../school-migration/src/model/fleet.js';
import type { Ports } from '../../school-migration/src/ports/types.js';
import { chooseExecutors } from '../../school-migration/src/steps/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'manual-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const device = (serial: string, name: string, group: string): Device => ({
  serial,
  name,
  group,
  index: 0,
  state: 'enrolled',
  at: 'enrolled',
  updatedAt: '',
  history: [],
});

describe('console exports', () => {
  it.each([
    [
      'Mosyle, English',
      'Device Name,Serial Number,Shared Device Group\r\nESM-P1A-01,dmpaaa111bbb,P1A\r\n',
      'Device Name',
      'Shared Device Group',
    ],
    [
      'Mosyle re-saved by French Excel (BOM, sep=;)',
      "\ufeffsep=;\r\nGroupe d'appareils partagés;Numéro de série;Nom de l'appareil\r\nP1A;DMPAAA111BBB;ESM-P1A-01\r\n",
      "Nom de l'appareil",
      "Groupe d'appareils partagés",
    ],
    ['German, tabs', 'Seriennummer\tGerätename\tGruppe\nDMPAAA111BBB\tESM-P1A-01\tP1A\n', 'Gerätename', 'Gruppe'],
    [
      'Dutch',
      'Apparaatnaam;Serienummer;Gedeelde apparaatgroep\nESM-P1A-01;DMPAAA111BBB;P1A\n',
      'Apparaatnaam',
      'Gedeelde apparaatgroep',
    ],
    [
      'API column names',
      'serial_number,device_name,SharedCartName\nDMPAAA111BBB,ESM-P1A-01,P1A\n',
      'device_name',
      'SharedCartName',
    ],
    [
      'both a user "Name" and a "Device Name": the device name wins',
      'Name,Serial Number,Device Name,Group\nJeanne Dupont,DMPAAA111BBB,ESM-P1A-01,P1A\n',
      'Device Name',
      'Group',
    ],
  ])('%s', (_label, text, nameHeader, groupHeader) => {
    const exp = readConsoleExport('mosyle', text, 'export.csv');
    expect(exp.columns.name).toBe(nameHeader);
    expect(exp.columns.group).toBe(groupHeader);
    expect(exp.rows.get('DMPAAA111BBB')).toMatchObject({ name: 'ESM-P1A-01', group: 'P1A', line: expect.any(Number) });
  });

  it.each([
    ['English', 'Serial Number,Device Model,MDM Server\nDMPAAA111BBB,iPad,Mosyle\n', 'MDM Server'],
    ['French', 'Numéro de série;Modèle;Serveur MDM\nDMPAAA111BBB;iPad;Mosyle\n', 'Serveur MDM'],
    [
      'Apple Business naming',
      'Device Management Service,Serial Number\nMosyle,DMPAAA111BBB\n',
      'Device Management Service',
    ],
    ['German', 'Seriennummer;MDM-Server\nDMPAAA111BBB;Mosyle\n', 'MDM-Server'],
  ])('ASM, %s', (_label, text, header) => {
    const exp = readConsoleExport('asm', text, 'asm.csv');
    expect(exp.columns.server).toBe(header);
    expect(exp.rows.get('DMPAAA111BBB')?.server).toBe('Mosyle');
  });

  it('a bad row or a duplicate is listed with its line, never fails the file', () => {
    const exp = readConsoleExport(
      'mosyle',
      'Serial Number,Device Name\nDMPAAA111BBB,A\n3.51E+14,B\nDMPAAA111BBB,C\nDMPCCC222DDD,D\n',
      'x.csv',
    );
    expect([...exp.rows.keys()]).toEqual(['DMPAAA111BBB', 'DMPCCC222DDD']);
    expect(exp.rows.get('DMPAAA111BBB')!.name).toBe('A');
    expect(exp.issues.map((i) => i.line)).toEqual([3, 4]);
  });

  it('a file that is not a device export is a typed error saying what to export', () => {
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0x21, 0, 0x62, 0xee, 0x9d, 0x68]);
    const errors: unknown[] = [];
    for (const f of [
      () => readConsoleExport('mosyle', xlsx, 'devices.xlsx'),
      () => readConsoleExportFile('asm', join(dir, 'nope.csv')),
      () => readConsoleExport('mosyle', 'Model,OS Version\niPad,17.5\n', 'no-serial.csv'),
    ]) {
      try {
        f();
      } catch (e) {
        errors.push(e);
      }
    }
    expect(errors).toHaveLength(3);
    for (const e of errors) {
      expect(e).toBeInstanceOf(ConsoleExportError);
      expect(e).toBeInstanceOf(MigrationError);
      expect(e).toBeInstanceOf(SchoolMdmError);
    }
    expect((errors[0] as Error).message).toMatch(/^devices\.xlsx: is not a device export/);
    expect((errors[0] as SchoolMdmError).hint).toMatch(/Save it as CSV/);
    expect((errors[1] as Error).message).toMatch(/nope\.csv: does not exist/);
    expect((errors[2] as SchoolMdmError).hint).toMatch(/Management > Devices > Devices overview/);
  });

  it('an export without the column a step needs names the columns it has and the one to add', () => {
    const exp = readConsoleExport('mosyle', 'Serial Number,OS Version\nDMPAAA111BBB,17.5\n', 'devices.csv');
    expect(() => requireColumn(exp, 'group')).toThrow(ConsoleExportError);
    try {
      requireColumn(exp, 'group');
    } catch (e) {
      expect((e as Error).message).toMatch(
        /^devices\.csv: has no column for the shared device group \(columns found: Serial Number\)/,
      );
      expect((e as SchoolMdmError).hint).toMatch(/"Shared Device Group", "Shared Device Groups", "SharedCartName"/);
    }
  });
});

describe('what differs', () => {
  it.each([
    ['ESM-P1A-O1', 'ESM-P1A-01', 'character 9 is "O" where "0" was expected'],
    ['esm-p1a-01', 'ESM-P1A-01', 'differs only in upper/lower case'],
    ['ESM -P1A-01', 'ESM-P1A-01', 'differs only in spaces'],
    ['ESM-P1A-0', 'ESM-P1A-01', '1 character(s) missing at the end ("1")'],
    ['ESM-P1A-011', 'ESM-P1A-01', '1 character(s) too many at the end ("1")'],
  ])('%s for %s', (actual, expected, words) => {
    expect(describeDifference(actual, expected)).toBe(words);
  });

  it('a device listed in several groups is grouped when one is its own; no group, or another, is wrong', () => {
    const exp = readConsoleExport(
      'mosyle',
      'Serial Number,Device Name,Shared Device Group\nDMPAAA111BBB,x,"Chariot A, P1A"\nDMPCCC222DDD,y,\nDMPEEE333FFF,z,P2B\n',
      'g.csv',
    );
    expect(checkStep('group', device('DMPAAA111BBB', 'x', 'P1A'), exp, 'Mosyle').outcome).toBe('ok');
    expect(checkStep('group', device('DMPCCC222DDD', 'y', 'P1A'), exp, 'Mosyle')).toMatchObject({
      outcome: 'wrong',
      detail: 'in no shared device group (put it in "P1A")',
    });
    expect(checkStep('group', device('DMPEEE333FFF', 'z', 'P1A'), exp, 'Mosyle')).toMatchObject({
      outcome: 'wrong',
      detail: 'in "P2B", not in "P1A"',
    });
    expect(checkStep('rename', device('DMPGGG444HHH', 'w', 'P1A'), exp, 'Mosyle').outcome).toBe('missing');
  });
});

describe('worksheet CSV', () => {
  it('lists iPads by serial and defuses cells a spreadsheet would run as formulas', () => {
    const csv = worksheetCsv('mosyle', [
      { serial: 'DMPZZZ', name: '=HYPERLINK("x")', group: 'P1A', tasks: ['rename', 'group'] },
      { serial: 'DMPAAA', name: 'ESM-P1A-01', group: '+cmd', tasks: ['group'], note: 'Wrong: in "P2B", not in "P1A"' },
    ]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'serial,current name,new name,renamed (tick),shared device group,in group (tick),to check,where',
    );
    expect(lines[1]).toBe(
      `DMPAAA,,ESM-P1A-01,done,'+cmd,,"Wrong: in ""P2B"", not in ""P1A""",Management > Devices > Devices overview`,
    );
    expect(lines[2]).toMatch(/^DMPZZZ,,"'=HYPERLINK\(""x""\)",,P1A,/);
  });
});

describe('ASM credentials', () => {
  const config = (source: object) =>
    fromData(join(dir, 'config.yaml'), {
      school: { name: 'Ecole', short: 'ESM' },
      naming: '{school}-{group}-{nn}',
      inputs: { export: 'e.csv', plan: 'p.csv' },
      files: {
        mdmCertificate: 'a',
        mdmPrivateKey: 'a',
        serverToken: 'a',
        pushCertificate: 'a',
        pushPrivateKey: 'a',
        contentToken: 'a',
        enrollmentProfile: 'a',
      },
      asm: { mosyleServer: 'Mosyle', clientId: source, keyId: { env: 'ASM_KEY_ID' }, privateKey: { env: 'ASM_KEY' } },
      mosyle: { accessToken: { env: 'M1' }, email: { env: 'M2' }, password: { env: 'M3' } },
    });

  it('absent variables or files hand the ASM steps to a person; present ones keep the API', () => {
    const env = { ASM_CLIENT_ID: 'SCHOOLAPI.x', ASM_KEY_ID: 'k', ASM_KEY: 'pem' };
    expect(asmCredentialsPresent(config({ env: 'ASM_CLIENT_ID' }), env)).toEqual({ ok: true });
    expect(asmCredentialsPresent(config({ env: 'ASM_CLIENT_ID' }), { ...env, ASM_KEY_ID: '' })).toEqual({
      ok: false,
      why: 'no ASM API credentials (asm.keyId: ASM_KEY_ID is not set)',
    });
    expect(asmCredentialsPresent(config({ file: 'secrets/none' }), env)).toEqual({
      ok: false,
      why: 'no ASM API credentials (asm.clientId: secrets/none does not exist)',
    });
    writeFileSync(join(dir, 'client-id'), 'SCHOOLAPI.x', { mode: 0o600 });
    expect(asmCredentialsPresent(config({ file: 'client-id' }), env)).toEqual({ ok: true });
  });

  it('the config can hand the steps to a person: no account is asked', async () => {
    const base = config({ env: 'ASM_CLIENT_ID' });
    const cfg = fromData(base.file, {
      ...structuredClone(base.data),
      asm: { ...base.data.asm, steps: 'person' },
      mosyle: { ...base.data.mosyle, steps: 'person' },
    });
    const refuse = new Proxy({}, { get: () => () => Promise.reject(new Error('no call expected')) });
    const ports = { asm: refuse, mosyle: refuse, configurator: refuse } as unknown as Ports;
    const { executors, mosyleAccess } = await chooseExecutors(cfg, ports, {}, { env: {} });
    expect(mosyleAccess).toBeUndefined();
    for (const step of ['find-in-asm', 'assign', 'enrol', 'rename', 'group'] as const) {
      expect(isManualExecutor(executors[step]), step).toBe(true);
      expect(executors[step].who).toBe('person');
    }
    expect(executors.rename.plan([device('DMPAAA111BBB', 'x', 'P1A')])).toEqual([
      {
        service: 'person',
        call: 'by hand in Mosyle Manager > Management > Devices > Devices overview (out/worksheet-mosyle.html), checked in its export',
        count: 1,
        note: 'config mosyle.steps: person',
      },
    ]);
    // Credentials named but not set: the ASM steps go to a person, Mosyle (API on) stays the API's.
    const withMosyle = { ...ports, mosyle: { checkAccess: async () => ({ status: 'ok', message: 'ok' }) } } as Ports;
    const auto = await chooseExecutors(base, withMosyle, {}, { env: {} });
    expect(auto.mosyleAccess?.status).toBe('ok');
    expect(isManualExecutor(auto.executors.assign)).toBe(true);
    expect(auto.executors.assign.plan([device('DMPAAA111BBB', 'x', 'P1A')])[0]!.note).toBe(
      'no ASM API credentials (asm.clientId: ASM_CLIENT_ID is not set)',
    );
    expect(auto.executors.rename.who).toBe('api');
  });
});
