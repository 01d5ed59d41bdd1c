import { chmodSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/peers.js';
import { Cfgutil } from '../../src/cfgutil/index.js';
import { CfgutilError } from '../../src/errors.js';
import { writePlist } from '../../src/plist/index.js';
import { makeFakeCfgutil } from '../fixtures/fake-cfgutil.js';

const tmp = tempDir('configurator-cfgutil-');
afterAll(() => tmp.cleanup());
const fake = makeFakeCfgutil(tmp.dir);

const E1 = '0x1A2B3C4D5E6F70';
const E2 = '0x00112233445566';
const cert = tmp.path('org.cer.der');
const key = tmp.path('org.key.der');
writeFileSync(cert, 'DER-CERT');
writeFileSync(key, 'SECRET-KEY-MATERIAL');
chmodSync(key, 0o600);
const wifi = tmp.path('bootstrap wifi.mobileconfig');
writeFileSync(
  wifi,
  writePlist({ PayloadIdentifier: 'org.example.school.bootstrap-wifi', PayloadType: 'Configuration' }),
);

const cfgutil = (extra: ConstructorParameters<typeof Cfgutil>[0] = {}) =>
  new Cfgutil({
    binary: fake.binary,
    env: fake.env,
    supervisionIdentity: { certificatePath: cert, privateKeyPath: key },
    ...extra,
  });

async function cfgutilError(p: Promise<unknown>): Promise<CfgutilError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CfgutilError);
    return e as CfgutilError;
  }
  throw new Error('expected a CfgutilError');
}

const ok = (command: string, output: Record<string, unknown>, devices = Object.keys(output)) => ({
  json: { Command: command, Type: 'CommandOutput', Devices: devices, Output: output },
});

beforeEach(() => fake.script({}));

describe('Cfgutil: list and get', () => {
  it('lists devices with --format JSON and no supervision identity', async () => {
    fake.script({
      list: ok('list', {
        [E1]: {
          ECID: E1,
          UDID: 'a0111222333444555666777888999abcdefabcde',
          deviceType: 'iPad7,5',
          locationID: 337920512,
          name: 'Cart 1 iPad 01',
        },
        [E2]: { ECID: E2, deviceType: 'iPad8,1' },
      }),
    });
    const devices = await cfgutil().list();
    expect(fake.calls()).toEqual([['--format', 'JSON', 'list']]);
    expect(devices).toEqual([
      {
        ecid: E1,
        udid: 'a0111222333444555666777888999abcdefabcde',
        deviceType: 'iPad7,5',
        locationId: 337920512,
        name: 'Cart 1 iPad 01',
        raw: expect.objectContaining({ ECID: E1 }),
      },
      { ecid: E2, deviceType: 'iPad8,1', raw: { ECID: E2, deviceType: 'iPad8,1' } },
    ]);
  });

  it('gets properties per device with one --ecid per device', async () => {
    fake.script({
      get: ok('get', {
        [E1]: { isSupervised: false, installedProfiles: [] },
        [E2]: { isSupervised: true, installedProfiles: [] },
      }),
    });
    const r = await cfgutil().get(['isSupervised', 'installedProfiles'], [E1, E2]);
    expect(fake.calls()).toEqual([
      ['--format', 'JSON', '--ecid', E1, '--ecid', E2, 'get', 'isSupervised', 'installedProfiles'],
    ]);
    expect(r.output[E2]).toEqual({ isSupervised: true, installedProfiles: [] });
    expect(r.devices).toEqual([E1, E2]);
    expect(r.error).toBeUndefined();
  });

  it('normalises a bare single-property value to { property: value }', async () => {
    fake.script({ get: ok('get', { [E1]: 'iPad 01' }) });
    expect((await cfgutil().get(['name'], [E1])).output).toEqual({ [E1]: { name: 'iPad 01' } });
  });

  it('reports a partial failure (Type Error, exit 0) without failing the devices that worked', async () => {
    fake.script({
      get: {
        json: {
          Command: 'get',
          Type: 'Error',
          Message: 'The device is not paired.',
          Code: 607,
          Domain: 'com.apple.configurator.MobileDeviceKit',
          Devices: [E1, E2],
          Output: { [E1]: { isSupervised: true } },
          AffectedDevices: [E2],
          UnaffectedDevices: [E1],
        },
      },
    });
    const r = await cfgutil().get(['isSupervised'], [E1, E2]);
    expect(r.output).toEqual({ [E1]: { isSupervised: true } });
    expect(r.error).toBeInstanceOf(CfgutilError);
    expect(r.error).toMatchObject({ code: 607, affectedDevices: [E2], unaffectedDevices: [E1], exitCode: 0 });
    expect(r.error!.message).toBe('cfgutil get: The device is not paired.');
  });

  it('rejects bad property names and ECIDs before running anything', async () => {
    expect((await cfgutilError(cfgutil().get([]))).message).toMatch(/at least one property/);
    expect((await cfgutilError(cfgutil().get(['--format'], [E1]))).message).toMatch(/not a property name/);
    const e = await cfgutilError(cfgutil().get(['name'], ['--foreach']));
    expect(e.message).toMatch(/"--foreach" is not an ECID/);
    expect(fake.calls()).toEqual([]);
  });
});

describe('Cfgutil: installProfile', () => {
  it('installs with the supervision identity and an absolute path', async () => {
    fake.script({ 'install-profile': ok('install-profile', {}, [E1]) });
    const r = await cfgutil().installProfile(E1, wifi);
    expect(fake.calls()).toEqual([['--format', 'JSON', '-C', cert, '-K', key, '--ecid', E1, 'install-profile', wifi]]);
    expect(r).toEqual({ ecid: E1, profileIdentifier: 'org.example.school.bootstrap-wifi', confirmedBy: 'exit-status' });
  });

  it.each([
    ['identifiers as strings', ['com.apple.configurator.usbrestrictedmode', 'org.example.school.bootstrap-wifi']],
    ['identifiers inside dictionaries', [{ identifier: 'org.example.school.bootstrap-wifi', displayName: 'Wi-Fi' }]],
  ])(
    'does not believe the known false failure when installedProfiles lists the profile (%s)',
    async (_n, installed) => {
      fake.script({
        'install-profile': {
          json: {
            Command: 'install-profile',
            Type: 'Error',
            Message: 'The profile could not be installed.',
            Code: 4001,
          },
          exitCode: 1,
        },
        get: ok('get', { [E1]: { installedProfiles: installed } }),
      });
      const r = await cfgutil().installProfile(E1, wifi, { supervisionIdentity: null });
      expect(r.confirmedBy).toBe('installed-profiles');
      expect(r.reportedFailure).toMatchObject({ code: 4001, exitCode: 1 });
      expect(fake.calls()).toEqual([
        ['--format', 'JSON', '--ecid', E1, 'install-profile', wifi],
        ['--format', 'JSON', '--ecid', E1, 'get', 'installedProfiles'],
      ]);
    },
  );

  it('also checks when the failure comes as Type Error with exit 0', async () => {
    fake.script({
      'install-profile': {
        json: { Command: 'install-profile', Type: 'Error', Message: 'failed', AffectedDevices: [E1] },
      },
      get: ok('get', { [E1]: { installedProfiles: ['org.example.school.bootstrap-wifi'] } }),
    });
    expect((await cfgutil().installProfile(E1, wifi)).confirmedBy).toBe('installed-profiles');
  });

  it('throws when the profile really is not installed', async () => {
    fake.script({
      'install-profile': {
        json: { Command: 'install-profile', Type: 'Error', Message: 'The profile could not be installed.' },
        exitCode: 1,
      },
      get: ok('get', { [E1]: { installedProfiles: [{ identifier: 'com.other' }] } }),
    });
    const e = await cfgutilError(cfgutil().installProfile(E1, wifi));
    expect(e.message).toMatch(
      /^cfgutil install-profile: The profile could not be installed\.; installedProfiles does not list "org\.example\.school\.bootstrap-wifi" — /,
    );
    expect(e.exitCode).toBe(1);
    expect(e.hint).toMatch(/supervised/);
  });

  it('throws the reported failure when the installedProfiles check fails too', async () => {
    fake.script({
      'install-profile': { json: { Command: 'install-profile', Type: 'Error', Message: 'failed' }, exitCode: 1 },
      get: { stderr: 'no device', exitCode: 1 },
    });
    const e = await cfgutilError(cfgutil().installProfile(E1, wifi));
    expect(e.message).toMatch(/failed; checking installedProfiles also failed/);
    expect(e.cause).toBeInstanceOf(CfgutilError);
  });

  it('refuses a file that is missing or has no PayloadIdentifier, without running cfgutil', async () => {
    expect((await cfgutilError(cfgutil().installProfile(E1, tmp.path('missing.mobileconfig')))).message).toMatch(
      /cannot read/,
    );
    const noId = tmp.path('noid.mobileconfig');
    writeFileSync(noId, writePlist({ PayloadType: 'Configuration' }));
    expect((await cfgutilError(cfgutil().installProfile(E1, noId))).message).toMatch(/no top-level PayloadIdentifier/);
    const junk = tmp.path('junk.mobileconfig');
    writeFileSync(junk, 'not a plist');
    expect((await cfgutilError(cfgutil().installProfile(E1, junk))).message).toMatch(/not a readable profile/);
    expect(fake.calls()).toEqual([]);
  });
});

describe('Cfgutil: prepare and erase', () => {
  it('prepares with ADE and the confirmed skip flags only', async () => {
    fake.script({ prepare: ok('prepare', { [E1]: {}, [E2]: {} }) });
    const r = await cfgutil().prepare({ ecids: [E1, E2], dep: true, skipLanguage: true, skipRegion: true });
    expect(fake.calls()).toEqual([
      [
        '--format',
        'JSON',
        '-C',
        cert,
        '-K',
        key,
        '--ecid',
        E1,
        '--ecid',
        E2,
        'prepare',
        '--dep',
        '--skip-language',
        '--skip-region',
      ],
    ]);
    expect(r.devices).toEqual([E1, E2]);
  });

  it('passes extra flags only when `cfgutil help prepare` lists them, asking help once', async () => {
    fake.script({
      help: {
        stdout:
          'Usage: cfgutil prepare [--dep] [--skip-language] [--skip-region] [--skip-siri]\n  --skip-siri   Skip Siri\n',
      },
      prepare: ok('prepare', { [E1]: {} }),
    });
    const c = cfgutil();
    await c.prepare({ ecids: [E1], dep: true, extraArgs: ['--skip-siri'] });
    const e = await cfgutilError(c.prepare({ ecids: [E1], dep: true, extraArgs: ['--host-cert-path', '/x'] }));
    expect(e.message).toMatch(/does not list --host-cert-path/);
    expect(e.hint).toMatch(/--skip-siri/);
    expect(fake.calls()).toEqual([
      ['help', 'prepare'],
      ['--format', 'JSON', '-C', cert, '-K', key, '--ecid', E1, 'prepare', '--dep', '--skip-siri'],
    ]);
  });

  it('refuses a prepare without a mode or without devices', async () => {
    expect((await cfgutilError(cfgutil().prepare({ ecids: [E1] }))).hint).toMatch(
      /only ADE prepare \(--dep\) is confirmed/,
    );
    expect((await cfgutilError(cfgutil().prepare({ ecids: [], dep: true }))).message).toMatch(/at least one ECID/);
    expect(fake.calls()).toEqual([]);
  });

  it('turns a fatal failure into a CfgutilError with cfgutil’s details', async () => {
    fake.script({
      prepare: {
        json: {
          Command: 'prepare',
          Type: 'Error',
          Message: 'A cloud configuration is already present on this device.',
          Code: 33001,
          Domain: 'MCCloudConfigErrorDomain',
          FailureReason: 'The device must be erased first.',
          AffectedDevices: [E1],
        },
        exitCode: 1,
      },
    });
    const e = await cfgutilError(cfgutil().prepare({ ecids: [E1], dep: true }));
    expect(e).toMatchObject({
      command: 'prepare',
      exitCode: 1,
      code: 33001,
      domain: 'MCCloudConfigErrorDomain',
      detail: 'The device must be erased first.',
      affectedDevices: [E1],
    });
    expect(e.message).toBe('cfgutil prepare: A cloud configuration is already present on this device.');
  });

  it('reports a partial prepare failure in the result', async () => {
    fake.script({
      prepare: {
        json: {
          Command: 'prepare',
          Type: 'Error',
          Message: 'failed on one',
          Devices: [E1, E2],
          Output: {},
          AffectedDevices: [E2],
        },
      },
    });
    const r = await cfgutil().prepare({ ecids: [E1, E2], dep: true });
    expect(r.error?.affectedDevices).toEqual([E2]);
  });

  it('erases one device, with the identity from the constructor or per call', async () => {
    fake.script({ erase: ok('erase', { [E1]: {} }) });
    await cfgutil().erase(E1);
    await cfgutil().erase(E1, { supervisionIdentity: null });
    const other = { certificatePath: key, privateKeyPath: key };
    await new Cfgutil({ binary: fake.binary, env: fake.env }).erase(E1, { supervisionIdentity: other });
    expect(fake.calls()).toEqual([
      ['--format', 'JSON', '-C', cert, '-K', key, '--ecid', E1, 'erase'],
      ['--format', 'JSON', '--ecid', E1, 'erase'],
      ['--format', 'JSON', '-C', key, '-K', key, '--ecid', E1, 'erase'],
    ]);
  });
});

describe('Cfgutil: failures', () => {
  it('says how to install cfgutil when the binary is not found', async () => {
    const e = await cfgutilError(new Cfgutil({ binary: tmp.path('no-such-cfgutil') }).list());
    expect(e.message).toMatch(/cfgutil was not found at/);
    expect(e.hint).toMatch(/Apple Configurator's Automation Tools/);
    expect(e.exitCode).toBeNull();
  });

  it('refuses a world-readable or missing supervision key, naming only its path', async () => {
    const loose = tmp.path('loose.key.der');
    writeFileSync(loose, 'SECRET-KEY-MATERIAL');
    chmodSync(loose, 0o644);
    const e = await cfgutilError(
      cfgutil({ supervisionIdentity: { certificatePath: cert, privateKeyPath: loose } }).erase(E1),
    );
    expect(e.message).toMatch(/readable by group or others/);
    expect(e.hint).toBe(`restrict it: chmod 600 "${loose}"`);
    const missing = await cfgutilError(
      cfgutil({ supervisionIdentity: { certificatePath: tmp.path('nope.der'), privateKeyPath: key } }).erase(E1),
    );
    expect(missing.message).toMatch(/certificate file .* does not exist/);
    expect(fake.calls()).toEqual([]);
  });

  it('never puts key contents in errors (paths only)', async () => {
    fake.script({ erase: { json: { Command: 'erase', Type: 'Error', Message: 'Erase failed' }, exitCode: 1 } });
    const e = await cfgutilError(cfgutil().erase(E1));
    expect(e.argv).toContain(key);
    for (const text of [e.message, JSON.stringify(e.toJSON()), inspect(e)])
      expect(text).not.toContain('SECRET-KEY-MATERIAL');
  });

  it('handles output that is missing, not JSON or of the wrong shape', async () => {
    fake.script({ list: { stdout: '' } });
    expect((await cfgutilError(cfgutil().list())).message).toMatch(/printed no JSON output/);
    fake.script({ list: { stdout: 'Device list:\n  iPad' } });
    expect((await cfgutilError(cfgutil().list())).message).toMatch(/not JSON/);
    fake.script({ list: { json: { Output: [] } } });
    expect((await cfgutilError(cfgutil().list())).message).toMatch(/unexpected shape/);
    fake.script({ list: { json: { Output: { [E1]: { locationID: 'x' } } } } });
    expect((await cfgutilError(cfgutil().list())).message).toMatch(/unexpected device entry/);
    fake.script({ list: { stderr: 'cfgutil: error: unknown option', exitCode: 2 } });
    const e = await cfgutilError(cfgutil().list());
    expect(e.message).toBe('cfgutil list: cfgutil: error: unknown option');
    expect(e.exitCode).toBe(2);
  });

  it('times out a hung cfgutil', async () => {
    fake.script({ list: { json: {}, delaySeconds: 5 } });
    const e = await cfgutilError(cfgutil({ timeoutMs: 300 }).list());
    expect(e.message).toMatch(/timed out after 300 ms/);
  });
});
