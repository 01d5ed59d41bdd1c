/**
 * Profile-level validation, especially the rules that live only in Apple's prose: each has a
 * passing case next to its failing one, so none of them can pass vacuously.
 */
import { describe, expect, it } from 'vitest';
import { real, type ValidationIssue, validateProfile } from '../../src/index.js';

const codes = (issues: readonly ValidationIssue[]) => issues.map((i) => `${i.code}@${i.path}`);

const ROOT_UUID = '11111111-2222-5333-8444-555555555555';
const PKCS12_UUID = '22222222-2222-5333-8444-555555555555';
const SCEP_UUID = '33333333-2222-5333-8444-555555555555';

const root = { PayloadType: 'com.apple.security.root', PayloadContent: new Uint8Array([48, 0]) };
const pkcs12 = { PayloadType: 'com.apple.security.pkcs12', PayloadContent: new Uint8Array([48, 0]), Password: 'p' };
const scep = { PayloadType: 'com.apple.security.scep', PayloadContent: { URL: 'https://scep.example.org' } };
const mdm = {
  PayloadType: 'com.apple.mdm',
  ServerURL: 'https://mdm.example.org/server',
  Topic: 'com.apple.mgmt.External.0f4c9a47-2d5e-4e11-9a39-6b1aa1e5a001',
  IdentityCertificateUUID: SCEP_UUID,
  AccessRights: 8191,
};

/** A valid profile around `payloads` (each gets identifier, UUID and version unless it has them). */
function profile(payloads: Record<string, unknown>[], top: Record<string, unknown> = {}): Record<string, unknown> {
  const fixedUuids: Record<string, string> = {
    'com.apple.security.root': ROOT_UUID,
    'com.apple.security.pkcs12': PKCS12_UUID,
    'com.apple.security.scep': SCEP_UUID,
  };
  return {
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: 'org.example.test',
    PayloadUUID: 'AAAAAAAA-2222-5333-8444-555555555555',
    PayloadDisplayName: 'Test',
    PayloadContent: payloads.map((p, i) => ({
      PayloadIdentifier: `org.example.test.${i}`,
      PayloadUUID: fixedUuids[String(p.PayloadType)] ?? `BBBBBBBB-2222-5333-8444-${String(i).padStart(12, '0')}`,
      PayloadVersion: 1,
      ...p,
    })),
    ...top,
  };
}

describe('validateProfile: structure', () => {
  it('accepts a valid profile', () => {
    expect(validateProfile(profile([root, scep, mdm]))).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('requires the top-level and the common payload keys', () => {
    const r = validateProfile({
      PayloadContent: [{ PayloadType: 'com.apple.webClip.managed', URL: 'https://x', Label: 'x' }],
    });
    expect(codes(r.errors)).toEqual([
      'required@PayloadIdentifier',
      'required@PayloadUUID',
      'required@PayloadType',
      'required@PayloadVersion',
      'required@PayloadContent[0].PayloadIdentifier',
      'required@PayloadContent[0].PayloadUUID',
      'required@PayloadContent[0].PayloadVersion',
    ]);
  });

  it("checks the profile's own PayloadType and PayloadVersion", () => {
    const r = validateProfile(profile([], { PayloadType: 'com.apple.wifi.managed', PayloadVersion: 2 }));
    expect(codes(r.errors)).toEqual(['rangelist@PayloadType', 'rangelist@PayloadVersion']);
  });

  it('needs PayloadContent unless the profile is encrypted', () => {
    const { PayloadContent: _, ...bare } = profile([]);
    expect(codes(validateProfile(bare).errors)).toEqual(['required@PayloadContent']);
    expect(validateProfile({ ...bare, IsEncrypted: true, EncryptedPayloadContent: new Uint8Array([1]) }).valid).toBe(
      true,
    );
  });

  it('validates each payload by its PayloadType, with paths into PayloadContent', () => {
    const p = profile([{ PayloadType: 'com.apple.wifi.managed', SSID_STR: 'x', EncryptionType: 'WPA4' }, { Label: 1 }]);
    (p.PayloadContent as unknown[]).push('junk');
    const r = validateProfile(p);
    expect(codes(r.errors)).toEqual([
      'rangelist@PayloadContent[0].EncryptionType',
      'required@PayloadContent[1].PayloadType',
      'type@PayloadContent[2]',
    ]);
  });

  it('warns about PayloadRemovalDisallowed on an unsupervised target (Apple: requires supervision)', () => {
    const p = profile([], { PayloadRemovalDisallowed: true });
    expect(codes(validateProfile(p).warnings)).toEqual(['empty-profile@PayloadContent']);
    expect(codes(validateProfile(p, { supervised: false }).warnings)).toEqual([
      'supervised-only@PayloadRemovalDisallowed',
      'empty-profile@PayloadContent',
    ]);
  });

  it('accepts ConsentText as language → text (the schema wrapper collapsed) and rejects other shapes', () => {
    expect(validateProfile(profile([], { ConsentText: { default: 'Agree?', de: 'Zustimmen?' } })).valid).toBe(true);
    expect(codes(validateProfile(profile([], { ConsentText: { de: 1 } })).errors)).toEqual(['type@ConsentText.de']);
  });

  it('rejects a profile that is not a dictionary', () => {
    expect(codes(validateProfile([]).errors)).toEqual(['type@']);
  });
});

describe('prose rule: MDM Topic starts with com.apple.mgmt.', () => {
  it('passes with the prefix and fails without', () => {
    expect(validateProfile(profile([scep, mdm])).valid).toBe(true);
    const r = validateProfile(profile([scep, { ...mdm, Topic: 'com.example.push' }]));
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'mdm-topic', path: 'PayloadContent[1].Topic', found: '"com.example.push"' }),
    ]);
  });
});

describe('prose rule: AccessRights bits (via checkAccessRights)', () => {
  it.each([
    [3, []],
    [8191, []],
    [0, ['access-rights@PayloadContent[1].AccessRights']],
    [2, ['access-rights@PayloadContent[1].AccessRights']],
    [128 + 1, ['access-rights@PayloadContent[1].AccessRights']],
    [16384, ['access-rights@PayloadContent[1].AccessRights']],
  ])('AccessRights %i → %j', (rights, expected) => {
    expect(codes(validateProfile(profile([scep, { ...mdm, AccessRights: rights }])).errors)).toEqual(expected);
  });

  it('reports a non-integer once, as a type error', () => {
    expect(codes(validateProfile(profile([scep, { ...mdm, AccessRights: 1.5 }])).errors)).toEqual([
      'type@PayloadContent[1].AccessRights',
    ]);
  });
});

describe('prose rule: DurationUntilRemoval vs RemovalDate', () => {
  it('accepts either alone', () => {
    expect(validateProfile(profile([], { DurationUntilRemoval: real(3600) })).valid).toBe(true);
    expect(validateProfile(profile([], { RemovalDate: new Date('2030-01-01T00:00:00Z') })).valid).toBe(true);
  });

  it('rejects both together', () => {
    const r = validateProfile(
      profile([], { DurationUntilRemoval: 3600, RemovalDate: new Date('2030-01-01T00:00:00Z') }),
    );
    expect(codes(r.errors)).toEqual(['removal-conflict@']);
  });

  it.each([0, -5, real(0)])('rejects a duration of %s', (d) => {
    expect(codes(validateProfile(profile([], { DurationUntilRemoval: d })).errors)).toEqual([
      'removal-duration@DurationUntilRemoval',
    ]);
  });
});

describe('prose rule: certificate UUIDs resolve inside the profile', () => {
  const wifi = (extra: Record<string, unknown>) => ({
    PayloadType: 'com.apple.wifi.managed',
    SSID_STR: 'net',
    EncryptionType: 'WPA2',
    ...extra,
  });

  it('resolves an identity and anchors of the right kinds (case-insensitively)', () => {
    const r = validateProfile(
      profile([
        root,
        pkcs12,
        wifi({
          PayloadCertificateUUID: PKCS12_UUID.toLowerCase(),
          EAPClientConfiguration: { AcceptEAPTypes: [13], PayloadCertificateAnchorUUID: [ROOT_UUID] },
        }),
      ]),
    );
    expect(r).toMatchObject({ valid: true, errors: [] });
  });

  it('rejects a UUID no payload has', () => {
    const r = validateProfile(
      profile([
        root,
        wifi({
          EAPClientConfiguration: { AcceptEAPTypes: [25], PayloadCertificateAnchorUUID: [ROOT_UUID, PKCS12_UUID] },
        }),
      ]),
    );
    expect(r.errors).toEqual([
      expect.objectContaining({
        code: 'certificate-reference',
        path: 'PayloadContent[1].EAPClientConfiguration.PayloadCertificateAnchorUUID[1]',
      }),
    ]);
  });

  it('rejects a reference to the wrong kind of payload', () => {
    const r = validateProfile(profile([root, scep, { ...mdm, IdentityCertificateUUID: ROOT_UUID }]));
    expect(r.errors).toEqual([
      expect.objectContaining({
        code: 'certificate-reference-kind',
        path: 'PayloadContent[2].IdentityCertificateUUID',
        found: 'com.apple.security.root',
      }),
    ]);
    const anchors = validateProfile(
      profile([
        pkcs12,
        wifi({ EAPClientConfiguration: { AcceptEAPTypes: [25], PayloadCertificateAnchorUUID: [PKCS12_UUID] } }),
      ]),
    );
    expect(codes(anchors.errors)).toEqual([
      'certificate-reference-kind@PayloadContent[1].EAPClientConfiguration.PayloadCertificateAnchorUUID[0]',
    ]);
  });

  it('accepts an MDM identity from a SCEP payload (Apple: "It may also point to a SCEP payload")', () => {
    expect(validateProfile(profile([scep, mdm])).valid).toBe(true);
  });

  it('resolves pinning certificate arrays too', () => {
    const r = validateProfile(
      profile([root, scep, { ...mdm, ServerURLPinningCertificateUUIDs: [ROOT_UUID, SCEP_UUID] }]),
    );
    expect(codes(r.errors)).toEqual([
      'certificate-reference-kind@PayloadContent[2].ServerURLPinningCertificateUUIDs[1]',
    ]);
  });
});

describe('uniqueness', () => {
  it('rejects duplicate PayloadIdentifiers', () => {
    const p = profile([root, root]);
    (p.PayloadContent as Record<string, unknown>[])[1]!.PayloadIdentifier = 'org.example.test.0';
    (p.PayloadContent as Record<string, unknown>[])[1]!.PayloadUUID = 'CCCCCCCC-2222-5333-8444-555555555555';
    const r = validateProfile(p);
    expect(r.errors).toEqual([
      expect.objectContaining({
        code: 'duplicate-identifier',
        path: 'PayloadContent[1].PayloadIdentifier',
        message: expect.stringContaining('PayloadContent[0] has the same'),
      }),
    ]);
  });

  it('rejects duplicate PayloadUUIDs, also against the profile’s own', () => {
    const p = profile([
      root,
      { ...root, PayloadUUID: ROOT_UUID.toLowerCase() },
      { ...root, PayloadUUID: 'AAAAAAAA-2222-5333-8444-555555555555' },
    ]);
    expect(codes(validateProfile(p).errors)).toEqual([
      'duplicate-uuid@PayloadContent[1].PayloadUUID',
      'duplicate-uuid@PayloadContent[2].PayloadUUID',
    ]);
  });

  it('warns when a payload Apple allows once per device appears twice', () => {
    const r = validateProfile(profile([scep, mdm, { ...mdm, PayloadUUID: 'DDDDDDDD-2222-5333-8444-555555555555' }]));
    expect(codes(r.warnings)).toEqual(['multiple-payloads@PayloadContent[2]']);
  });
});

describe('prose rules: Wi-Fi', () => {
  it('needs SSID_STR or DomainName', () => {
    expect(
      codes(validateProfile(profile([{ PayloadType: 'com.apple.wifi.managed', EncryptionType: 'None' }])).errors),
    ).toEqual(['wifi-ssid@PayloadContent[0].SSID_STR']);
    expect(
      validateProfile(
        profile([{ PayloadType: 'com.apple.wifi.managed', IsHotspot: true, DomainName: 'hotspot.example.org' }]),
      ).valid,
    ).toBe(true);
  });

  it('warns about a password on an open network', () => {
    const r = validateProfile(
      profile([{ PayloadType: 'com.apple.wifi.managed', SSID_STR: 'open', EncryptionType: 'None', Password: 'x' }]),
    );
    expect(r.valid).toBe(true);
    expect(codes(r.warnings)).toEqual(['wifi-password-unused@PayloadContent[0].Password']);
  });
});
