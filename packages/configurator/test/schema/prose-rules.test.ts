/**
 * The rules Apple states only in a key's description (issue #15 item 4), Profile Service
 * documents (item 5), numbers devices convert (items 6, 7) and duplicate keys (item 2).
 */
import { describe, expect, it } from 'vitest';
import {
  integer,
  PAYLOAD_SCHEMAS,
  readPlist,
  real,
  validatePayload,
  validateProfile,
  writePlist,
} from '../../src/index.js';
import { resolveDictionary } from '../../src/schema/resolve.js';
import { PROSE_RULES } from '../../src/schema/rules/prose.js';
import type { DictionarySchema, KeySchema, PayloadSchema } from '../../src/schema/types.js';

const codes = (issues: readonly { code: string; path: string }[]) => issues.map((i) => `${i.code}@${i.path}`);

/** Every dictionary schema of a payload type, nested ones included. */
function dictionaries(schema: PayloadSchema): DictionarySchema[] {
  const out: DictionarySchema[] = [];
  const seen = new Set<object>();
  const visit = (d: DictionarySchema) => {
    if (seen.has(d)) return;
    seen.add(d);
    out.push(d);
    for (const k of Object.values(d.keys)) visitKey(k);
    if (d.anyKey) visitKey(d.anyKey);
  };
  const visitKey = (k: KeySchema) => {
    const d = k.dictionary ? resolveDictionary(schema, k.dictionary) : undefined;
    if (d) visit(d);
    if (k.items) {
      const items = 'ref' in k.items ? schema.defs?.items?.[(k.items as { ref: string }).ref] : (k.items as KeySchema);
      if (items && !seen.has(items)) {
        seen.add(items);
        visitKey(items);
      }
    }
  };
  visit(schema.dictionary);
  return out;
}

describe('every prose rule applies to a dictionary of the vendored schema', () => {
  it.each(PROSE_RULES.map((r) => [`${r.payloadType}: ${r.keys.join(', ')}`, r]))('%s', (_name, rule) => {
    const schema = PAYLOAD_SCHEMAS[rule.payloadType];
    expect(schema, rule.payloadType).toBeDefined();
    const match = dictionaries(schema!).some((d) => rule.keys.every((k) => Object.hasOwn(d.keys, k)));
    expect(match).toBe(true);
    for (const k of rule.conditional ?? []) {
      const d = dictionaries(schema!).find((x) => rule.keys.every((key) => Object.hasOwn(x.keys, key)));
      expect(d?.keys[k]?.required, `${k} is marked required in the YAML`).toBe(true);
    }
  });
});

const TCC = 'com.apple.TCC.configuration-profile-policy';
const entry = (extra: Record<string, unknown>) => ({
  Services: {
    SystemPolicyAllFiles: [
      { Identifier: 'com.microsoft.wdav', IdentifierType: 'bundleID', CodeRequirement: 'identifier x', ...extra },
    ],
  },
});

describe('TCC: either Authorization or Allowed, not both (Apple; kandji-inc/support#33)', () => {
  it('accepts Allowed alone and Authorization alone', () => {
    expect(validatePayload(TCC, entry({ Allowed: true })).errors).toEqual([]);
    expect(validatePayload(TCC, entry({ Authorization: 'AllowStandardUserToSetSystemService' })).errors).toEqual([]);
  });
  it('refuses both and neither', () => {
    expect(codes(validatePayload(TCC, entry({ Allowed: true, Authorization: 'Allow' })).errors)).toEqual([
      'conditional-key@Services.SystemPolicyAllFiles[0].Authorization',
    ]);
    expect(codes(validatePayload(TCC, entry({})).errors)).toEqual([
      'conditional-key@Services.SystemPolicyAllFiles[0].Allowed',
    ]);
  });
  it('warns (with a fix-it) about 0/1 integers for Allowed and StaticCode, as Microsoft Defender profiles write them', () => {
    const r = validatePayload(TCC, entry({ Allowed: 1, StaticCode: integer(0) }), { os: 'macOS' });
    expect(r.errors).toEqual([]);
    expect(codes(r.warnings).sort()).toEqual([
      'integer-for-boolean@Services.SystemPolicyAllFiles[0].Allowed',
      'integer-for-boolean@Services.SystemPolicyAllFiles[0].StaticCode',
    ]);
    expect(r.warnings.find((w) => w.path.endsWith('Allowed'))!.hint).toMatch(/write <true\/>/);
    // Other integers are not booleans.
    expect(codes(validatePayload(TCC, entry({ Allowed: 2 })).errors)).toEqual([
      'type@Services.SystemPolicyAllFiles[0].Allowed',
    ]);
  });
});

describe('required-if rules', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['com.apple.airplay.security', { SecurityType: 'PASSWORD', AccessType: 'ANY' }, ['conditional-key@Password']],
    ['com.apple.airplay.security', { SecurityType: 'PASSWORD', AccessType: 'ANY', Password: 'x' }, []],
    [
      'com.apple.proxy.http.global',
      { ProxyType: 'Manual' },
      ['conditional-key@ProxyServer', 'conditional-key@ProxyServerPort'],
    ],
    ['com.apple.proxy.http.global', { ProxyType: 'Auto' }, []],
    [
      'com.apple.webcontent-filter',
      { FilterType: 'Plugin' },
      ['conditional-key@UserDefinedName', 'conditional-key@PluginBundleID'],
    ],
    ['com.apple.relay.managed', { Relays: [{}] }, ['conditional-key@Relays[0].HTTP2RelayURL']],
    ['com.apple.relay.managed', { Relays: [{ HTTP3RelayURL: 'https://r.example' }] }, []],
    [
      'com.apple.security.acme',
      { HardwareBound: true, KeyType: 'RSA', KeySize: 2048 },
      ['conditional-key@KeyType', 'conditional-key@KeySize'],
    ],
  ];
  it.each(cases)('%s %j', (type, keys, expected) => {
    const r = validatePayload(type, keys);
    expect(codes(r.errors).filter((c) => c.startsWith('conditional-key'))).toEqual(expected);
  });
});

describe('numbers devices convert are warnings, whatever the number mode (item 6)', () => {
  const base = {
    PayloadIdentifier: 'org.example.p',
    PayloadType: 'Configuration',
    PayloadUUID: '2B7E1F4C-4B8A-4F4B-9C55-2D1A1F1C1E10',
    PayloadVersion: 1,
    PayloadContent: [
      {
        PayloadType: 'com.apple.applicationaccess',
        PayloadIdentifier: 'org.example.p.r',
        PayloadUUID: '3B7E1F4C-4B8A-4F4B-9C55-2D1A1F1C1E10',
        PayloadVersion: 1,
        safariAcceptCookies: integer(0),
      },
    ],
  };
  const xml = writePlist(base);
  it.each(['lossless', 'wrapped', 'plain'] as const)('<integer>0</integer> for a <real> key, read %s', (numbers) => {
    const r = validateProfile(readPlist(xml, { numbers }));
    expect(r.valid).toBe(true);
    expect(codes(r.warnings)).toEqual(['integer-for-real@PayloadContent[0].safariAcceptCookies']);
  });
  it('<real>2.0</real> for an <integer> key warns, <real>2.5</real> is an error', () => {
    expect(codes(validatePayload('com.apple.applicationaccess', { ratingApps: real(200) }).warnings)).toEqual([
      'real-for-integer@ratingApps',
    ]);
    expect(codes(validatePayload('com.apple.applicationaccess', { ratingApps: real(2.5) }).errors)).toEqual([
      'type@ratingApps',
    ]);
  });
});

describe('duplicate keys (item 2)', () => {
  it("reports a duplicate key read from a file as a warning with path and line (SAP Privileges' LimitToUser)", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadType</key><string>corp.sap.privileges</string>
      <key>PayloadIdentifier</key><string>org.example.p.sap</string>
      <key>PayloadUUID</key><string>3B7E1F4C-4B8A-4F4B-9C55-2D1A1F1C1E10</string>
      <key>PayloadVersion</key><integer>1</integer>
      <key>LimitToUser</key><string>alice</string>
      <key>LimitToUser</key><string>bob</string>
    </dict>
  </array>
  <key>PayloadIdentifier</key><string>org.example.p</string>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadUUID</key><string>2B7E1F4C-4B8A-4F4B-9C55-2D1A1F1C1E10</string>
  <key>PayloadVersion</key><integer>1</integer>
</dict>
</plist>`;
    const p = readPlist(xml) as Record<string, unknown>;
    expect((p.PayloadContent as Record<string, unknown>[])[0]!.LimitToUser).toBe('bob');
    const r = validateProfile(p);
    expect(r.valid).toBe(true);
    const dup = r.warnings.find((w) => w.code === 'duplicate-key');
    expect(dup?.path).toBe('PayloadContent[0].LimitToUser');
    expect(dup?.hint).toMatch(/^line 12: /);
    expect(() => readPlist(xml, { duplicateKeys: 'error' })).toThrow(/duplicate key "LimitToUser"/);
  });
});

describe('Profile Service documents (item 5)', () => {
  const doc = (content: unknown) => ({
    PayloadType: 'Profile Service',
    PayloadVersion: 1,
    PayloadIdentifier: 'org.example.enroll',
    PayloadUUID: '4B7E1F4C-4B8A-4F4B-9C55-2D1A1F1C1E10',
    PayloadDisplayName: 'Enrollment',
    PayloadContent: content,
  });
  it('accepts the form Apple documents', () => {
    const r = validateProfile(
      doc({
        URL: 'https://mdm.example.org/profile',
        DeviceAttributes: ['UDID', 'IMEI', 'ICCID', 'VERSION', 'PRODUCT'],
        Challenge: 'c',
      }),
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
  });
  it('refuses a missing URL, an http URL, empty attributes and a non-dictionary content', () => {
    expect(codes(validateProfile(doc({ DeviceAttributes: ['UDID'] })).errors)).toEqual(['required@PayloadContent.URL']);
    expect(codes(validateProfile(doc({ URL: 'http://x.example', DeviceAttributes: ['UDID'] })).errors)).toEqual([
      'format@PayloadContent.URL',
    ]);
    expect(codes(validateProfile(doc({ URL: 'https://x.example', DeviceAttributes: [] })).errors)).toEqual([
      'repetition@PayloadContent.DeviceAttributes',
    ]);
    expect(codes(validateProfile(doc([])).errors)).toEqual(['type@PayloadContent']);
    expect(
      codes(validateProfile(doc({ URL: 'https://x.example', DeviceAttributes: ['UDID', 'SHOE_SIZE'] })).warnings),
    ).toEqual(['unknown-key@PayloadContent.DeviceAttributes[1]']);
  });
});
