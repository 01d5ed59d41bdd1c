import { describe, expect, it } from 'vitest';
import {
  getPayloadSchema,
  integer,
  PAYLOAD_SCHEMAS,
  real,
  type ValidationIssue,
  validatePayload,
} from '../../src/index.js';

const codes = (issues: readonly ValidationIssue[]) => issues.map((i) => `${i.code}@${i.path}`);

describe('validatePayload: types and constraints from the schema', () => {
  it('accepts a minimal valid Wi-Fi payload', () => {
    const r = validatePayload('com.apple.wifi.managed', {
      SSID_STR: 'Schule',
      EncryptionType: 'WPA2',
      Password: 'secret123',
    });
    expect(r).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('reports a wrong type with expected and found', () => {
    const r = validatePayload('com.apple.wifi.managed', { SSID_STR: 42, AutoJoin: 'yes' });
    expect(r.valid).toBe(false);
    // In the schema's key order.
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'type', path: 'AutoJoin', expected: 'boolean', found: 'string' }),
      expect.objectContaining({ code: 'type', path: 'SSID_STR', expected: 'string', found: 'integer' }),
    ]);
  });

  it('checks rangelists, with a case hint', () => {
    const r = validatePayload('com.apple.wifi.managed', { SSID_STR: 'x', EncryptionType: 'wpa2' });
    expect(r.errors[0]).toMatchObject({
      code: 'rangelist',
      path: 'EncryptionType',
      expected: 'one of WEP, WPA, WPA2, WPA3, Any, None',
      found: '"wpa2"',
      hint: 'values are case-sensitive: use WPA2',
    });
  });

  it('checks numeric rangelists and ranges', () => {
    expect(codes(validatePayload('com.apple.wifi.managed', { SSID_STR: 'x', ProxyServerPort: 70000 }).errors)).toEqual([
      'range@ProxyServerPort',
    ]);
    const scep = validatePayload('com.apple.security.scep', { PayloadContent: { URL: 'https://ca', Keysize: 3000 } });
    expect(scep.errors[0]).toMatchObject({
      code: 'rangelist',
      path: 'PayloadContent.Keysize',
      expected: 'one of 1024, 2048, 4096',
    });
  });

  it('checks format regexes (MDM ServerURL must be https)', () => {
    const r = validatePayload('com.apple.mdm', {
      ServerURL: 'http://mdm.example.org',
      Topic: 'com.apple.mgmt.External.x',
      IdentityCertificateUUID: '6B1AA1E5-0F4C-4A39-9A47-2D5E1D1E1E11',
    });
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'format', path: 'ServerURL', hint: 'use an https:// URL' }),
    ]);
  });

  it('checks valuetypes (web clip URL)', () => {
    const r = validatePayload('com.apple.webClip.managed', { URL: 'not a url', Label: 'x' });
    expect(codes(r.errors)).toEqual(['value-type@URL']);
  });

  it('requires required keys, including nested ones', () => {
    const r = validatePayload('com.apple.webClip.managed', { URL: 'https://x' });
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'required', path: 'Label', message: 'Label: required key Label is missing' }),
    ]);
    const eap = validatePayload('com.apple.wifi.managed', { SSID_STR: 'x', EAPClientConfiguration: {} });
    expect(codes(eap.errors)).toEqual(['required@EAPClientConfiguration.AcceptEAPTypes']);
  });

  it('does not require the common Payload* keys of a lone payload, but type-checks them', () => {
    expect(validatePayload('com.apple.webClip.managed', { URL: 'https://x', Label: 'x' }).valid).toBe(true);
    const r = validatePayload('com.apple.webClip.managed', { URL: 'https://x', Label: 'x', PayloadVersion: 2 });
    expect(codes(r.errors)).toEqual(['rangelist@PayloadVersion']);
  });

  it('checks arrays element by element and their repetition (SCEP subject pairs)', () => {
    const r = validatePayload('com.apple.security.scep', {
      PayloadContent: { URL: 'https://ca', Subject: [[['CN', 'a']], [['O']]] },
    });
    expect(codes(r.errors)).toEqual(['repetition@PayloadContent.Subject[1][0]']);
    expect(r.errors[0]).toMatchObject({ expected: 'exactly 2' });
  });

  it('writes paths of keys with spaces in brackets', () => {
    const r = validatePayload('com.apple.security.scep', {
      PayloadContent: { URL: 'https://ca', 'Key Usage': 'both' },
    });
    expect(r.errors[0]?.path).toBe('PayloadContent["Key Usage"]');
  });

  it('walks recursive structures (home screen folders in folders)', () => {
    const deep = { Type: 'Folder', DisplayName: 'A', Pages: [[{ Type: 'Folder', Pages: [[{ Type: 'Ap' }]] }]] };
    const r = validatePayload('com.apple.homescreenlayout', { Pages: [[deep]] });
    expect(codes(r.errors)).toEqual(['rangelist@Pages[0][0].Pages[0][0].Pages[0][0].Type']);
  });

  it('accepts ANY keys with their value type (ConsentText-like free-form dictionaries)', () => {
    const ok = validatePayload('com.apple.relay.managed', {
      Relays: [{ HTTP3RelayURL: 'https://r', AdditionalHTTPHeaderFields: { 'X-A': 'b' } }],
    });
    expect(ok.errors).toEqual([]);
    const bad = validatePayload('com.apple.relay.managed', {
      Relays: [{ HTTP3RelayURL: 'https://r', AdditionalHTTPHeaderFields: { 'X-A': 1 } }],
    });
    expect(codes(bad.errors)).toEqual(['type@Relays[0].AdditionalHTTPHeaderFields["X-A"]']);
  });

  it('types <real> and <integer> keys, accepting the real()/integer() wrappers', () => {
    expect(validatePayload('com.apple.applicationaccess', { safariAcceptCookies: real(1.5) }).valid).toBe(true);
    expect(validatePayload('com.apple.applicationaccess', { safariAcceptCookies: 2 }).valid).toBe(true);
    expect(validatePayload('com.apple.applicationaccess', { ratingApps: integer(300) }).valid).toBe(true);
    expect(validatePayload('com.apple.applicationaccess', { ratingApps: 300n }).valid).toBe(true);
    expect(codes(validatePayload('com.apple.applicationaccess', { ratingApps: 1.5 }).errors)).toEqual([
      'type@ratingApps',
    ]);
    // An <integer> where Apple declares <real> installs (CFNumber converts): a warning, not an error.
    const intForReal = validatePayload('com.apple.applicationaccess', { safariAcceptCookies: integer(1) });
    expect(intForReal.valid).toBe(true);
    expect(codes(intForReal.warnings)).toEqual(['integer-for-real@safariAcceptCookies']);
    expect(codes(validatePayload('com.apple.applicationaccess', { safariAcceptCookies: Number.NaN }).errors)).toEqual([
      'type@safariAcceptCookies',
    ]);
  });

  it('rejects null, invalid dates, non-plist objects and strings XML cannot carry', () => {
    const r = validatePayload('com.apple.wifi.managed', {
      SSID_STR: 'a\u0001b',
      Password: null,
      ProxyServer: new Map(),
    });
    expect(codes(r.errors)).toEqual(['invalid-string@SSID_STR', 'type@Password', 'type@ProxyServer']);
  });

  it('warns on unknown keys with a did-you-mean hint, never failing', () => {
    const r = validatePayload('com.apple.wifi.managed', { SSID_STR: 'x', AutoJion: true, BrandNewAppleKey: 1 });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'unknown-key', path: 'AutoJion', hint: 'did you mean AutoJoin?' }),
      expect.objectContaining({ code: 'unknown-key', path: 'BrandNewAppleKey' }),
    ]);
  });

  it('warns once for a payload type Apple’s schema does not know and still checks the common keys', () => {
    const r = validatePayload('com.example.custom', { Anything: { goes: [1, 'two'] }, PayloadVersion: 3 });
    expect(codes(r.warnings)).toEqual(['unknown-payload-type@']);
    expect(codes(r.errors)).toEqual(['rangelist@PayloadVersion']);
  });

  it('reports a PayloadType that contradicts the type asked for', () => {
    const r = validatePayload('com.apple.wifi.managed', { PayloadType: 'com.apple.mdm', SSID_STR: 'x' });
    expect(codes(r.errors)).toEqual(['payload-type-mismatch@PayloadType']);
  });

  it('rejects a non-object payload', () => {
    expect(codes(validatePayload('com.apple.wifi.managed', 'nope').errors)).toEqual(['type@']);
  });
});

describe('validatePayload: OS applicability', () => {
  it('warns about a supervised-only payload on an unsupervised target, and not when supervision is unknown', () => {
    const keys = { Pages: [] };
    expect(validatePayload('com.apple.homescreenlayout', keys).warnings).toEqual([]);
    expect(validatePayload('com.apple.homescreenlayout', keys, { supervised: true }).warnings).toEqual([]);
    const r = validatePayload('com.apple.homescreenlayout', keys, { supervised: false });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([
      expect.objectContaining({
        code: 'supervised-only',
        path: '',
        message: '(root): com.apple.homescreenlayout works on supervised devices only',
      }),
    ]);
  });

  it('warns about supervised-only keys of an otherwise unsupervised payload', () => {
    const r = validatePayload(
      'com.apple.applicationaccess',
      { allowCamera: false, allowAirDrop: false },
      { supervised: false },
    );
    expect(codes(r.warnings)).toEqual(['supervised-only@allowAirDrop']);
  });

  it('warns about payloads and keys the target OS does not have', () => {
    expect(codes(validatePayload('com.apple.dock', {}, { os: 'iOS' }).warnings)).toEqual(['os-unsupported@']);
    expect(validatePayload('com.apple.dock', {}, { os: 'macOS' }).warnings).toEqual([]);
    const r = validatePayload(
      'com.apple.wifi.managed',
      { SSID_STR: 'x', EAPClientConfiguration: { AcceptEAPTypes: [13], TLSAllowTrustExceptions: true } },
      { os: 'visionOS' },
    );
    expect(codes(r.warnings)).toEqual(['os-unsupported@EAPClientConfiguration.TLSAllowTrustExceptions']);
  });

  it('warns about removed keys, by version when one is given', () => {
    const keys = { SSID_STR: 'x', EAPClientConfiguration: { AcceptEAPTypes: [25], TLSAllowTrustExceptions: false } };
    expect(codes(validatePayload('com.apple.wifi.managed', keys).warnings)).toEqual([
      'os-removed@EAPClientConfiguration.TLSAllowTrustExceptions',
    ]);
    expect(validatePayload('com.apple.wifi.managed', keys, { osVersion: '7.1' }).warnings).toEqual([]);
    expect(codes(validatePayload('com.apple.wifi.managed', keys, { osVersion: '17.0' }).warnings)).toEqual([
      'os-removed@EAPClientConfiguration.TLSAllowTrustExceptions',
    ]);
  });

  it('warns about keys newer than the target version', () => {
    const r = validatePayload(
      'com.apple.wifi.managed',
      { SSID_STR: 'x', DisableAssociationMACRandomization: true },
      { osVersion: '13.7' },
    );
    expect(r.warnings).toEqual([
      expect.objectContaining({
        code: 'os-version',
        path: 'DisableAssociationMACRandomization',
        expected: 'iOS 14.0+',
        found: 'iOS 13.7',
      }),
    ]);
    expect(
      validatePayload(
        'com.apple.wifi.managed',
        { SSID_STR: 'x', DisableAssociationMACRandomization: true },
        { osVersion: '14.0' },
      ).warnings,
    ).toEqual([]);
  });

  it('warns about keys User Enrollment forbids', () => {
    const r = validatePayload('com.apple.wifi.managed', { SSID_STR: 'x', ProxyType: 'None' }, { userEnrollment: true });
    expect(codes(r.warnings)).toEqual(['user-enrollment@ProxyType']);
  });
});

describe('validatePayload never echoes secrets', () => {
  it('hides values under secret keys in found and message', () => {
    const secret = 'hunter2-\u0001-sekret';
    const r = validatePayload('com.apple.wifi.managed', {
      SSID_STR: 'x',
      Password: secret,
      EAPClientConfiguration: { AcceptEAPTypes: [25], UserPassword: 12345 },
    });
    const text = JSON.stringify(r);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('12345');
    expect(r.errors.map((e) => e.path)).toEqual(['Password', 'EAPClientConfiguration.UserPassword']);
  });

  it('hides a wrong SCEP challenge shape and rangelist misses under secret keys', () => {
    const r = validatePayload('com.apple.security.scep', {
      PayloadContent: { URL: 'https://ca', Challenge: ['topsecret'] },
    });
    expect(JSON.stringify(r)).not.toContain('topsecret');
  });

  it('describes data by length only', () => {
    const r = validatePayload('com.apple.security.root', { PayloadContent: 'AAAA-not-bytes' });
    expect(r.errors[0]).toMatchObject({ code: 'type', expected: 'data', found: 'string' });
  });
});

describe('schema registry', () => {
  it('getPayloadSchema ignores prototype keys', () => {
    expect(getPayloadSchema('constructor')).toBeUndefined();
    expect(getPayloadSchema('toString')).toBeUndefined();
    expect(getPayloadSchema('com.apple.wifi.managed')?.title).toBe('Wi-Fi');
    expect(Object.keys(PAYLOAD_SCHEMAS).length).toBeGreaterThan(100);
  });
});
