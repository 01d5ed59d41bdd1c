import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createProfile,
  lockScreenMessage,
  PayloadOptionError,
  PlistInteger,
  PlistReal,
  Profile,
  ProfileValidationError,
  payload,
  payloadUuid,
  profileUuid,
  readPlist,
  rootCertificate,
  wifi,
} from '../../src/index.js';
import { everyBuilder, HOSTILE, testPki } from '../payloads/fixtures.js';

const base = { identifier: 'org.example.school.wifi', displayName: 'School Wi-Fi' };
const net = () => wifi({ ssid: 'Schul-WLAN', security: 'WPA2', password: 'psk-secret-1' });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('createProfile: shape', () => {
  it('writes the top-level keys Apple requires, with TargetDeviceType 1 by default', () => {
    const p = createProfile({
      ...base,
      organization: 'Example School',
      description: 'Joins the school network',
      payloads: [net()],
    });
    const model = p.toPlistValue();
    expect(model).toMatchObject({
      PayloadType: 'Configuration',
      PayloadIdentifier: 'org.example.school.wifi',
      PayloadDisplayName: 'School Wi-Fi',
      PayloadOrganization: 'Example School',
      PayloadDescription: 'Joins the school network',
      PayloadUUID: profileUuid('org.example.school.wifi'),
    });
    expect(model.PayloadVersion).toEqual(new PlistInteger(1));
    expect(model.TargetDeviceType).toEqual(new PlistInteger(1));
    expect(p).toBeInstanceOf(Profile);
    expect(p.identifier).toBe('org.example.school.wifi');
    expect(p.organization).toBe('Example School');
  });

  it('derives payload identifiers <identifier>.<kind>[.n] and UUIDs from them', () => {
    const p = createProfile({
      ...base,
      payloads: [
        net(),
        wifi({ ssid: 'Gäste', security: 'None' }),
        rootCertificate({ certificate: testPki().root.certPem }),
      ],
    });
    expect(p.payloads.map((x) => x.identifier)).toEqual([
      'org.example.school.wifi.wifi',
      'org.example.school.wifi.wifi.2',
      'org.example.school.wifi.security.root',
    ]);
    expect(p.payloads[0]?.uuid).toBe(payloadUuid('org.example.school.wifi', 'org.example.school.wifi.wifi'));
    expect(
      p.payloads.every((x) => /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/.test(x.uuid)),
    ).toBe(true);
  });

  it('keeps explicit identifiers and UUIDs and derives around them', () => {
    const explicit = wifi({
      ssid: 'A',
      security: 'None',
      identifier: 'org.example.school.wifi.wifi',
      uuid: '0E6A2D6C-3C5B-4E8A-9F1D-2B7C4D5E6F70',
    });
    const p = createProfile({ ...base, payloads: [net(), explicit] });
    expect(p.payloads.map((x) => [x.identifier, x.uuid])).toEqual([
      ['org.example.school.wifi.wifi.2', payloadUuid('org.example.school.wifi', 'org.example.school.wifi.wifi.2')],
      ['org.example.school.wifi.wifi', '0E6A2D6C-3C5B-4E8A-9F1D-2B7C4D5E6F70'],
    ]);
  });

  it('is deterministic: the same input gives byte-identical XML across builds', () => {
    const a = createProfile({ ...base, payloads: everyBuilder() });
    const b = createProfile({ ...base, payloads: everyBuilder() });
    expect(a.toXml()).toBe(b.toXml());
    expect(Buffer.from(a.toBytes()).equals(Buffer.from(b.toBytes()))).toBe(true);
    expect(a.uuid).toBe(b.uuid);
  });

  it('keeps UUIDs stable when payloads are added after the first of a kind (reinstall replaces)', () => {
    const one = createProfile({ ...base, payloads: [net()] });
    const two = createProfile({ ...base, payloads: [net(), wifi({ ssid: 'Second', security: 'None' })] });
    expect(two.uuid).toBe(one.uuid);
    expect(two.payloads[0]?.uuid).toBe(one.payloads[0]?.uuid);
  });

  it('sorts keys in the XML, so key order in the input does not matter', () => {
    const xml = createProfile({ ...base, payloads: [net()] }).toXml();
    const keys = [...xml.matchAll(/^\t<key>(.*)<\/key>$/gm)].map((m) => m[1]);
    expect(keys).toEqual([...keys].sort());
  });

  it('returns fresh copies from toBytes() and toPlistValue()', () => {
    const p = createProfile({ ...base, payloads: [net()] });
    const bytes = p.toBytes();
    bytes[0] = 0;
    expect(p.toBytes()[0]).toBe('<'.charCodeAt(0));
    const model = p.toPlistValue();
    model.PayloadDisplayName = 'changed';
    expect(p.toPlistValue().PayloadDisplayName).toBe('School Wi-Fi');
  });

  it('copies its input: changing a payload object afterwards does not change the profile', () => {
    const n = net() as { SSID_STR?: string };
    const icon = new Uint8Array([1, 2, 3]);
    const clip = payload('com.apple.webClip.managed', { URL: 'https://x.example', Label: 'X', Icon: icon });
    const p = createProfile({ ...base, payloads: [n as ReturnType<typeof net>, clip] });
    const before = p.toXml();
    n.SSID_STR = 'changed';
    icon[0] = 99;
    expect(createProfile({ ...base, payloads: [net(), clip] }).toXml()).not.toBe(before);
    expect(p.toXml()).toBe(before);
  });
});

describe('createProfile: hostile strings', () => {
  it('round-trip through the XML (our reader) unchanged, CR and emoji included', () => {
    for (const s of HOSTILE) {
      const p = createProfile({
        identifier: 'org.example.hostile',
        displayName: s,
        payloads: [wifi({ ssid: s, security: 'WPA3', password: s }), lockScreenMessage({ footnote: s })],
      });
      expect(readPlist(p.toBytes(), { preserveNumberTypes: true })).toEqual(p.toPlistValue());
      expect(p.toXml()).not.toContain(']]>');
    }
  });
});

describe('createProfile: numbers typed by the schema', () => {
  it('writes a <real> key as <real> even when integral, and <integer> keys as <integer>', () => {
    const p = createProfile({
      ...base,
      durationUntilRemoval: 3600,
      payloads: [payload('com.apple.applicationaccess', { safariAcceptCookies: 2, ratingApps: 300 })],
    });
    const xml = p.toXml();
    expect(xml).toContain('<key>DurationUntilRemoval</key>\n\t<real>3600.0</real>');
    expect(xml).toContain('<key>safariAcceptCookies</key>\n\t\t\t<real>2.0</real>');
    expect(xml).toContain('<key>ratingApps</key>\n\t\t\t<integer>300</integer>');
    expect(p.toPlistValue().DurationUntilRemoval).toBeInstanceOf(PlistReal);
    // …and our own reader agrees.
    const back = readPlist(p.toBytes(), { preserveNumberTypes: true }) as Record<string, unknown>;
    expect(back.DurationUntilRemoval).toBeInstanceOf(PlistReal);
  });

  it('leaves numbers under <any> keys to the writer’s rule', () => {
    const p = createProfile({ ...base, payloads: [payload('com.example.vendor', { Level: 3, Ratio: 0.5 })] });
    expect(p.toXml()).toContain('<integer>3</integer>');
    expect(p.toXml()).toContain('<real>0.5</real>');
    expect(p.warnings.map((w) => w.code)).toEqual(['unknown-payload-type']);
  });
});

describe('createProfile: certificate references by payload object', () => {
  it('replaces payload objects with the UUIDs it assigns', () => {
    const ca = rootCertificate({ certificate: testPki().root.certPem });
    const eap = wifi({
      ssid: 'eduroam',
      security: 'WPA2',
      eap: { acceptEapTypes: ['PEAP'], username: 'u', password: 'pw-secret', trustedCertificates: [ca] },
    });
    const p = createProfile({ ...base, payloads: [ca, eap] });
    const content = p.toPlistValue().PayloadContent as Record<string, Record<string, unknown>>[];
    expect(content[1]?.EAPClientConfiguration?.PayloadCertificateAnchorUUID).toEqual([p.payloads[0]?.uuid]);
  });

  it('fails when the referenced payload is not in the profile', () => {
    const ca = rootCertificate({ certificate: testPki().root.certPem });
    const eap = wifi({
      ssid: 'eduroam',
      security: 'WPA2',
      eap: { acceptEapTypes: ['PEAP'], trustedCertificates: [ca] },
    });
    const e = thrown(() => createProfile({ ...base, payloads: [eap] })) as ProfileValidationError;
    expect(e).toBeInstanceOf(ProfileValidationError);
    expect(e.errors).toEqual([
      expect.objectContaining({
        code: 'certificate-reference',
        path: 'PayloadContent[0].EAPClientConfiguration.PayloadCertificateAnchorUUID[0]',
      }),
    ]);
  });
});

describe('createProfile: errors and warnings', () => {
  it('lists every error with its path, and keeps warnings on the profile', () => {
    const e = thrown(() =>
      createProfile({
        ...base,
        durationUntilRemoval: 60,
        removalDate: new Date('2030-01-01T00:00:00Z'),
        payloads: [
          { PayloadType: 'com.apple.webClip.managed', URL: 'https://x', Label: 'x', IsRemovable: 'no' },
          net(),
        ],
      }),
    ) as ProfileValidationError;
    expect(e.errors.map((x) => `${x.code}@${x.path}`)).toEqual([
      'type@PayloadContent[0].IsRemovable',
      'removal-conflict@',
    ]);
    expect(e.message).toContain('profile org.example.school.wifi is invalid (2 errors)');
    expect(e.message).toContain('- PayloadContent[0].IsRemovable: expected boolean, found string');

    const p = createProfile({ ...base, removalDisallowed: true, payloads: [net()], validation: { supervised: false } });
    expect(p.warnings.map((w) => `${w.code}@${w.path}`)).toEqual(['supervised-only@PayloadRemovalDisallowed']);
  });

  it('takes the validation OS from targetDeviceType', () => {
    const dock = payload('com.apple.dock', {});
    expect(createProfile({ ...base, targetDeviceType: 5, payloads: [dock] }).warnings).toEqual([]);
    expect(createProfile({ ...base, payloads: [dock] }).warnings.map((w) => w.code)).toEqual(['os-unsupported']);
  });

  it('rejects unusable options with PayloadOptionError', () => {
    expect(() => createProfile({ ...base, identifier: ' ', payloads: [] })).toThrow(PayloadOptionError);
    expect(() => createProfile({ ...base, displayName: '', payloads: [] })).toThrow(
      /displayName must be a non-empty string/,
    );
    expect(() => createProfile({ ...base, payloads: 'x' as never })).toThrow(/payloads must be an array/);
    expect(() => createProfile({ ...base, payloads: [{ SSID_STR: 'x' } as never] })).toThrow(
      /payloads\[0\] is not a payload/,
    );
    const n = net();
    expect(() => createProfile({ ...base, payloads: [n, n] })).toThrow(/payloads\[1\] is the same object/);
  });

  it('reports a payload that contains itself instead of overflowing the stack', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    const e = thrown(() =>
      createProfile({ ...base, payloads: [payload('com.example.vendor', { loop } as never)] }),
    ) as ProfileValidationError;
    // payload() validates its keys first and reports the cycle where it closes.
    expect(e.errors.map((x) => `${x.code}@${x.path}`)).toEqual(['cycle@loop.self']);
  });
});

describe('Profile never reveals secrets', () => {
  const secrets = ['psk-secret-1', 'p12-secret', 'scep-secret', 'pw-secret'];

  it('toJSON, inspect and toString show identifiers and warnings only', () => {
    const payloads = everyBuilder();
    payloads.push(
      wifi({ ssid: 'peap', security: 'WPA2', eap: { acceptEapTypes: ['PEAP'], username: 'u', password: 'pw-secret' } }),
    );
    const p = createProfile({ ...base, payloads });
    const outputs = [JSON.stringify(p), inspect(p, { depth: 10, showHidden: true }), String(p), `${p}`];
    for (const out of outputs) for (const s of secrets) expect(out).not.toContain(s);
    expect(inspect(p)).toContain('org.example.school.wifi.wifi');
    expect(String(p)).toBe(`Profile(org.example.school.wifi, ${payloads.length} payloads)`);
    // The PKCS#12 bytes do not show either.
    expect(JSON.stringify(p)).not.toContain('MII');
    // …while the content itself carries them.
    for (const s of secrets) expect(p.toXml()).toContain(s);
  });

  it('ProfileValidationError names the secret key, never its value', () => {
    const bad = { ...net(), Password: 'hunter2\u0001' };
    const e = thrown(() => createProfile({ ...base, payloads: [bad] })) as ProfileValidationError;
    expect(e.errors.map((x) => x.path)).toEqual(['PayloadContent[0].Password']);
    for (const out of [e.message, JSON.stringify(e), inspect(e)]) expect(out).not.toContain('hunter2');
  });
});
