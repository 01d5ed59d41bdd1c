/**
 * Rules Apple's schema states only in a key's description: "either … or …, but not both",
 * "required if …", "present only if …". Not part of the public API.
 *
 * Each rule was found by searching every `content:` of the vendored YAML
 * (`schema/mdm/profiles/*.yaml`, apple/device-management at the pinned commit) for
 * "either", "not both", "required if/when", "must be present", "only if", and quotes the
 * sentence it encodes in `source`. A rule applies to every dictionary of its payload type
 * whose schema declares the rule's `keys` (that is how it finds, say, each TCC identity
 * dictionary at any depth); `conditional` lists keys the YAML marks `presence: required`
 * although the prose makes them conditional, so the generic "required key is missing" error
 * is replaced by the rule's own verdict (issue #15 item 4: TCC `Allowed` vs `Authorization`).
 *
 * Severity: `error` where Apple says a key is required or forbidden (a device refuses the
 * profile), `warning` where Apple says a key is ignored.
 */
import type { OsName } from '../types.js';

/** What a rule found wrong in one dictionary. */
export interface ProseFinding {
  /** The key the finding is about (appended to the dictionary's path). */
  key: string;
  problem: string;
  hint?: string;
}

/** Context a rule may consult. */
export interface ProseContext {
  os: OsName;
  userEnrollment: boolean | undefined;
}

/** One rule from Apple's prose. */
export interface ProseRule {
  /** Payload type whose dictionaries the rule checks. */
  payloadType: string;
  /** Keys the dictionary's schema must declare for the rule to apply. */
  keys: readonly string[];
  /** Keys marked `presence: required` in the YAML that the prose makes conditional. */
  conditional?: readonly string[];
  severity: 'error' | 'warning';
  /** `file: key — "Apple's sentence"`. */
  source: string;
  /** Returns what is wrong with the dictionary, if anything. */
  check(d: Readonly<Record<string, unknown>>, ctx: ProseContext): ProseFinding[];
}

const has = (d: Readonly<Record<string, unknown>>, k: string) => d[k] !== undefined;

/** "Every X needs to include either A or B, but not both." */
function exactlyOne(a: string, b: string, what: string): ProseRule['check'] {
  return (d) => {
    if (has(d, a) && has(d, b)) {
      return [
        { key: b, problem: `${what} has both ${a} and ${b}; Apple allows either, not both`, hint: `remove ${a}` },
      ];
    }
    if (!has(d, a) && !has(d, b)) {
      return [{ key: a, problem: `${what} needs either ${a} or ${b}`, hint: `add ${b} (or ${a})` }];
    }
    return [];
  };
}

/** "Required if K is V" (`value` undefined: "required if K is present"). */
function requiredIf(key: string, when: string, value?: unknown): ProseRule['check'] {
  return (d) => {
    const v = d[when];
    const applies = value === undefined ? v !== undefined : v === value;
    if (!applies || has(d, key)) return [];
    const cond = value === undefined ? `${when} is set` : `${when} is ${JSON.stringify(value)}`;
    return [{ key, problem: `${key} is required when ${cond}`, hint: `add ${key}, or change ${when}` }];
  };
}

/** "Present only if K is V": warn when it is present otherwise (the device ignores it). */
function onlyIf(key: string, when: string, value: unknown): ProseRule['check'] {
  return (d) =>
    has(d, key) && d[when] !== value
      ? [
          {
            key,
            problem: `${key} is used only when ${when} is ${JSON.stringify(value)}; here it is ignored`,
            hint: `remove ${key}, or set ${when} to ${JSON.stringify(value)}`,
          },
        ]
      : [];
}

const both = (...checks: ProseRule['check'][]): ProseRule['check'] => {
  return (d, ctx) => checks.flatMap((c) => c(d, ctx));
};

const TCC_SOURCE =
  "com.apple.TCC.configuration-profile-policy.yaml: Allowed — \"Every payload needs to include either 'Authorization' or 'Allowed', but not both.\"";

/** Every prose rule this SDK encodes. Exported for the test that checks each against the schema. */
export const PROSE_RULES: readonly ProseRule[] = [
  {
    payloadType: 'com.apple.TCC.configuration-profile-policy',
    keys: ['Allowed', 'Authorization'],
    conditional: ['Allowed'],
    severity: 'error',
    source: TCC_SOURCE,
    check: exactlyOne('Allowed', 'Authorization', 'a privacy (TCC) entry'),
  },
  {
    payloadType: 'com.apple.relay.managed',
    keys: ['HTTP2RelayURL', 'HTTP3RelayURL'],
    severity: 'error',
    source:
      "com.apple.relay.managed.yaml: Relays — \"Each relay needs to include either 'HTTP2RelayURL' or 'HTTP3RelayURL', or it can include both.\"",
    check: (d) =>
      has(d, 'HTTP2RelayURL') || has(d, 'HTTP3RelayURL')
        ? []
        : [{ key: 'HTTP2RelayURL', problem: 'a relay needs HTTP2RelayURL or HTTP3RelayURL (or both)' }],
  },
  {
    payloadType: 'com.apple.airplay.security',
    keys: ['Password', 'SecurityType'],
    severity: 'error',
    source: "com.apple.airplay.security.yaml: Password — \"required if 'SecurityType' is 'PASSWORD'.\"",
    check: requiredIf('Password', 'SecurityType', 'PASSWORD'),
  },
  {
    payloadType: 'com.apple.configurationprofile.identification',
    keys: ['Password', 'AuthMethod'],
    conditional: ['Password'],
    severity: 'error',
    source:
      "com.apple.configurationprofile.identification.yaml: Password — \"Required when the 'AuthMethod' is 'Password'.\"",
    check: requiredIf('Password', 'AuthMethod', 'Password'),
  },
  {
    payloadType: 'com.apple.dnsSettings.managed',
    keys: ['ServerURL', 'ServerName', 'DNSProtocol'],
    severity: 'error',
    source:
      "com.apple.dnsSettings.managed.yaml: ServerURL — \"Required if 'DNSProtocol' is 'HTTPS'.\"; ServerName — \"must be present only if the DNSProtocol is 'TLS'.\"",
    check: both(requiredIf('ServerURL', 'DNSProtocol', 'HTTPS'), requiredIf('ServerName', 'DNSProtocol', 'TLS')),
  },
  {
    payloadType: 'com.apple.dnsSettings.managed',
    keys: ['ServerName', 'DNSProtocol'],
    severity: 'warning',
    source: 'com.apple.dnsSettings.managed.yaml: ServerName — "must be present only if the DNSProtocol is \'TLS\'."',
    check: onlyIf('ServerName', 'DNSProtocol', 'TLS'),
  },
  {
    payloadType: 'com.apple.vpn.managed',
    keys: ['ServerURL', 'ServerName', 'DNSProtocol'],
    severity: 'error',
    source:
      "com.apple.vpn.managed.yaml: DNS.ServerURL — \"required if the 'DNSProtocol' is 'HTTPS'\"; DNS.ServerName — \"required if the 'DNSProtocol' is 'TLS'.\"",
    check: both(requiredIf('ServerURL', 'DNSProtocol', 'HTTPS'), requiredIf('ServerName', 'DNSProtocol', 'TLS')),
  },
  {
    payloadType: 'com.apple.vpn.managed',
    keys: ['HTTPPort', 'HTTPProxy', 'HTTPSPort', 'HTTPSProxy'],
    severity: 'error',
    source:
      'com.apple.vpn.managed.yaml: Proxies.HTTPPort — "required if \'HTTPProxy\' is specified."; HTTPSPort — "required if \'HTTPSProxy\' is specified."',
    check: both(requiredIf('HTTPPort', 'HTTPProxy'), requiredIf('HTTPSPort', 'HTTPSProxy')),
  },
  {
    payloadType: 'com.apple.vpn.managed',
    keys: ['ServerCertificateIssuerCommonName', 'CertificateType', 'ExtendedAuthEnabled'],
    severity: 'error',
    source:
      "com.apple.vpn.managed.yaml: IKEv2.ServerCertificateIssuerCommonName — \"required if the 'CertificateType' key is included and the 'ExtendedAuthEnabled' key is '1'.\"",
    check: (d) =>
      has(d, 'CertificateType') && Number(d.ExtendedAuthEnabled) === 1 && !has(d, 'ServerCertificateIssuerCommonName')
        ? [
            {
              key: 'ServerCertificateIssuerCommonName',
              problem:
                'ServerCertificateIssuerCommonName is required when CertificateType is set and ExtendedAuthEnabled is 1',
            },
          ]
        : [],
  },
  {
    payloadType: 'com.apple.vpn.managed',
    keys: ['LocalIdentifierType', 'AuthenticationMethod'],
    severity: 'warning',
    source:
      "com.apple.vpn.managed.yaml: IPSec.LocalIdentifierType — \"Present only if 'AuthenticationMethod' is 'SharedSecret'.\"",
    check: onlyIf('LocalIdentifierType', 'AuthenticationMethod', 'SharedSecret'),
  },
  {
    payloadType: 'com.apple.familycontrols.contentfilter',
    keys: ['siteWhitelist'],
    severity: 'error',
    source:
      "com.apple.familycontrols.contentfilter.yaml: siteWhitelist — \"required if 'whiteListEnabled' is 'true'.\"",
    check: requiredIf('siteWhitelist', 'whiteListEnabled', true),
  },
  {
    payloadType: 'com.apple.homescreenlayout',
    keys: ['Type', 'BundleID', 'URL'],
    severity: 'error',
    source:
      "com.apple.homescreenlayout.yaml: BundleID — \"required if the type is 'Application'\"; URL — \"required if 'type' is 'WebClip'.\"",
    check: both(requiredIf('BundleID', 'Type', 'Application'), requiredIf('URL', 'Type', 'WebClip')),
  },
  {
    payloadType: 'com.apple.proxy.http.global',
    keys: ['ProxyServer', 'ProxyServerPort', 'ProxyType'],
    severity: 'error',
    source:
      'com.apple.proxy.http.global.yaml: ProxyServer, ProxyServerPort — "required if the ProxyType is set to Manual"',
    check: both(requiredIf('ProxyServer', 'ProxyType', 'Manual'), requiredIf('ProxyServerPort', 'ProxyType', 'Manual')),
  },
  {
    payloadType: 'com.apple.webcontent-filter',
    keys: ['UserDefinedName', 'PluginBundleID', 'FilterType'],
    severity: 'error',
    source:
      "com.apple.webcontent-filter.yaml: UserDefinedName, PluginBundleID — \"Required when 'FilterType' is 'Plugin'.\"",
    check: both(
      requiredIf('UserDefinedName', 'FilterType', 'Plugin'),
      requiredIf('PluginBundleID', 'FilterType', 'Plugin'),
    ),
  },
  {
    payloadType: 'com.apple.webcontent-filter',
    keys: [
      'FilterSockets',
      'FilterDataProviderBundleIdentifier',
      'FilterDataProviderDesignatedRequirement',
      'FilterPackets',
      'FilterPacketProviderBundleIdentifier',
      'FilterPacketProviderDesignatedRequirement',
    ],
    severity: 'error',
    source:
      "com.apple.webcontent-filter.yaml: FilterDataProvider* — \"Required if 'FilterSockets' is 'true'.\"; FilterPacketProvider* — \"Required if 'FilterPackets' is 'true'.\"",
    check: both(
      requiredIf('FilterDataProviderBundleIdentifier', 'FilterSockets', true),
      requiredIf('FilterDataProviderDesignatedRequirement', 'FilterSockets', true),
      requiredIf('FilterPacketProviderBundleIdentifier', 'FilterPackets', true),
      requiredIf('FilterPacketProviderDesignatedRequirement', 'FilterPackets', true),
    ),
  },
  {
    payloadType: 'com.apple.extensiblesso',
    keys: ['EnableCreateUserAtLogin', 'UseSharedDeviceKeys'],
    severity: 'error',
    source:
      "com.apple.extensiblesso.yaml: PlatformSSO.EnableCreateUserAtLogin — \"Requires that 'UseSharedDeviceKeys' is 'true'.\"",
    check: (d) =>
      d.EnableCreateUserAtLogin === true && d.UseSharedDeviceKeys !== true
        ? [
            {
              key: 'EnableCreateUserAtLogin',
              problem: 'EnableCreateUserAtLogin requires UseSharedDeviceKeys to be true',
            },
          ]
        : [],
  },
  {
    payloadType: 'com.apple.extensiblesso',
    keys: ['OfflineGracePeriod', 'AuthenticationGracePeriod', 'FileVaultPolicy', 'LoginPolicy', 'UnlockPolicy'],
    severity: 'error',
    source:
      'com.apple.extensiblesso.yaml: PlatformSSO.OfflineGracePeriod — "Required when \'AllowOfflineGracePeriod\' is set."; AuthenticationGracePeriod — "Required when \'AllowAuthenticationGracePeriod\' is set."',
    check: (d) => {
      const policies = ['FileVaultPolicy', 'LoginPolicy', 'UnlockPolicy'].flatMap((k) =>
        Array.isArray(d[k]) ? (d[k] as unknown[]) : [],
      );
      const out: ProseFinding[] = [];
      for (const [flag, key] of [
        ['AllowOfflineGracePeriod', 'OfflineGracePeriod'],
        ['AllowAuthenticationGracePeriod', 'AuthenticationGracePeriod'],
      ] as const) {
        if (policies.includes(flag) && !has(d, key)) {
          out.push({ key, problem: `${key} is required when a policy sets ${flag}` });
        }
      }
      return out;
    },
  },
  {
    payloadType: 'com.apple.extensiblesso',
    keys: ['TeamIdentifier'],
    severity: 'error',
    source: 'com.apple.extensiblesso.yaml: TeamIdentifier — "This key is required on macOS and ignored elsewhere."',
    check: (d, ctx) =>
      ctx.os === 'macOS' && !has(d, 'TeamIdentifier')
        ? [{ key: 'TeamIdentifier', problem: 'TeamIdentifier is required on macOS' }]
        : [],
  },
  {
    payloadType: 'com.apple.xsan',
    keys: ['sharedSecret', 'sanAuthMethod'],
    conditional: ['sharedSecret'],
    severity: 'error',
    source: 'com.apple.xsan.yaml: sharedSecret — "This key is required when the \'sanAuthMethod\' key is present."',
    check: requiredIf('sharedSecret', 'sanAuthMethod'),
  },
  {
    payloadType: 'com.apple.wifi.managed',
    keys: ['OuterIdentity', 'TLSMinimumVersion'],
    severity: 'error',
    source:
      "com.apple.wifi.managed.yaml: EAPClientConfiguration.OuterIdentity — \"This field is required if 'TLSMinimumVersion' is '1.3'.\"",
    check: requiredIf('OuterIdentity', 'TLSMinimumVersion', '1.3'),
  },
  {
    payloadType: 'com.apple.security.acme',
    keys: ['HardwareBound', 'KeyType', 'KeySize'],
    severity: 'error',
    source:
      "com.apple.security.acme.yaml: HardwareBound — \"If 'true', 'KeyType' must be 'ECSECPrimeRandom' and 'KeySize' must be 256 or 384.\"",
    check: (d) => {
      if (d.HardwareBound !== true) return [];
      const out: ProseFinding[] = [];
      if (d.KeyType !== 'ECSECPrimeRandom') {
        out.push({ key: 'KeyType', problem: 'a hardware-bound ACME key must have KeyType ECSECPrimeRandom' });
      }
      const size = Number(d.KeySize);
      if (size !== 256 && size !== 384) {
        out.push({ key: 'KeySize', problem: 'a hardware-bound ACME key must have KeySize 256 or 384' });
      }
      return out;
    },
  },
  {
    payloadType: 'com.apple.ShareKitHelper',
    keys: ['SHKAllowedShareServices', 'SHKDeniedShareServices'],
    severity: 'warning',
    source:
      'com.apple.ShareKitHelper.yaml: SHKDeniedShareServices — "This key is used only if there is no \'SHKAllowedShareServices\' key."',
    check: (d) =>
      has(d, 'SHKAllowedShareServices') && has(d, 'SHKDeniedShareServices')
        ? [
            {
              key: 'SHKDeniedShareServices',
              problem: 'SHKDeniedShareServices is ignored when SHKAllowedShareServices is set',
            },
          ]
        : [],
  },
  {
    payloadType: 'com.apple.relay.managed',
    keys: ['RelayUUID', 'Relays'],
    severity: 'error',
    source: 'com.apple.relay.managed.yaml: RelayUUID — "This key is required for user enrollments."',
    check: (d, ctx) =>
      ctx.userEnrollment === true && !has(d, 'RelayUUID')
        ? [{ key: 'RelayUUID', problem: 'RelayUUID is required for User Enrollment' }]
        : [],
  },
  {
    payloadType: 'com.apple.dnsProxy.managed',
    keys: ['DNSProxyUUID'],
    severity: 'error',
    source: 'com.apple.dnsProxy.managed.yaml: DNSProxyUUID — "This key is required for user enrollments."',
    check: (d, ctx) =>
      ctx.userEnrollment === true && !has(d, 'DNSProxyUUID')
        ? [{ key: 'DNSProxyUUID', problem: 'DNSProxyUUID is required for User Enrollment' }]
        : [],
  },
];

const byType = new Map<string, ProseRule[]>();
for (const r of PROSE_RULES) {
  const list = byType.get(r.payloadType) ?? [];
  list.push(r);
  byType.set(r.payloadType, list);
}

/** The rules that apply to a dictionary of `payloadType` whose schema declares `declared`. */
export function proseRulesFor(payloadType: string, declared: Readonly<Record<string, unknown>>): ProseRule[] {
  const rules = byType.get(payloadType);
  if (!rules) return [];
  return rules.filter((r) => r.keys.every((k) => Object.hasOwn(declared, k)));
}
