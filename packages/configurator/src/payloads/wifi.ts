/**
 * `wifi()`: a `com.apple.wifi.managed` payload, the profile Apple Configurator installs so a
 * freshly prepared iPad can reach its MDM.
 *
 * @module
 */
import { PayloadOptionError } from '../errors.js';
import type { WifiManagedPayload } from '../generated/payload-types.js';
import type { PayloadDefinition } from '../profile/types.js';
import type { CertificateReference } from '../schema/types.js';
import {
  booleanOption,
  compact,
  describe,
  finish,
  metadataFrom,
  optionsObject,
  PAYLOAD_OPTIONS,
  type PayloadOptions,
  stringOption,
  urlOption,
} from './common.js';

const BUILDER = 'wifi';

/**
 * The network's security, Apple's `EncryptionType`. Since iOS 16: `WPA` joins WPA/WPA2, `WPA2`
 * joins WPA2/WPA3, `WPA3` joins WPA3 only, `Any` joins all (earlier versions treat the WPA
 * values alike). For WPA2/WPA3-Enterprise, pass `eap` with `WPA2` or `WPA3`.
 */
export type WifiSecurity = 'WPA2' | 'WPA3' | 'Any' | 'None' | 'WEP' | 'WPA';

/** Proxy settings of a Wi-Fi network. */
export interface WifiProxyOptions {
  /** `ProxyType`. */
  type: 'None' | 'Manual' | 'Auto';
  /** `ProxyServer` (host name or address); required for `Manual`. */
  server?: string;
  /** `ProxyServerPort`; required for `Manual`. */
  port?: number;
  /** `ProxyUsername` for `Manual`. */
  username?: string;
  /** `ProxyPassword` for `Manual`. Never shown in errors. */
  password?: string;
  /** `ProxyPACURL` for `Auto`; without it the device uses WPAD discovery. */
  url?: string;
  /** `ProxyPACFallbackAllowed`: connect directly when the PAC file cannot be fetched. */
  pacFallbackAllowed?: boolean;
}

/** EAP method names accepted in {@link WifiEapOptions.acceptEapTypes} (with Apple's numbers). */
export const EAP_TYPES = {
  TLS: 13,
  LEAP: 17,
  'EAP-SIM': 18,
  TTLS: 21,
  'EAP-AKA': 23,
  PEAP: 25,
  'EAP-FAST': 43,
} as const;

/** An EAP method by name or by Apple's number. */
export type EapType = keyof typeof EAP_TYPES | (typeof EAP_TYPES)[keyof typeof EAP_TYPES];

/** WPA/WPA2/WPA3-Enterprise (802.1X) settings, Apple's `EAPClientConfiguration`. */
export interface WifiEapOptions {
  /** `AcceptEAPTypes`, e.g. `['PEAP']` or `['TLS']`. */
  acceptEapTypes: readonly EapType[];
  /** `UserName`. */
  username?: string;
  /** `UserPassword`. Never shown in errors. Embedded in the profile only obfuscated: prefer EAP-TLS. */
  password?: string;
  /** `OuterIdentity`: the anonymous identity sent outside the TLS tunnel (PEAP/TTLS). */
  outerIdentity?: string;
  /**
   * `PayloadCertificateAnchorUUID`: the certificates that may sign the RADIUS server's
   * certificate: `rootCertificate()` payloads of the same profile (or their UUIDs).
   */
  trustedCertificates?: readonly CertificateReference[];
  /** `TLSTrustedServerNames`: RADIUS server names accepted (wildcards allowed, e.g. `radius.*.example.org`). */
  trustedServerNames?: readonly string[];
  /** `TTLSInnerAuthentication` for TTLS. */
  innerAuthentication?: 'PAP' | 'EAP' | 'CHAP' | 'MSCHAP' | 'MSCHAPv2';
  /** `TLSMinimumVersion`. */
  tlsMinimumVersion?: '1.0' | '1.1' | '1.2' | '1.3';
  /** `TLSMaximumVersion`. */
  tlsMaximumVersion?: '1.0' | '1.1' | '1.2' | '1.3';
  /** Further `EAPClientConfiguration` keys, as Apple names them; they override the friendly ones. */
  keys?: Partial<NonNullable<WifiManagedPayload['EAPClientConfiguration']>>;
}

/** Options of {@link wifi}. */
export interface WifiOptions extends PayloadOptions {
  /** `SSID_STR`: the network name, exactly as broadcast (case-sensitive). */
  ssid: string;
  /** `EncryptionType`. */
  security: WifiSecurity;
  /**
   * `Password`: the pre-shared key. Required for `WPA`/`WPA2`/`WPA3`/`WEP` unless `eap` or
   * `identityCertificate` is given. Never shown in errors, `toJSON` or `inspect` of a profile.
   */
  password?: string;
  /** `HIDDEN_NETWORK`: the network does not broadcast its SSID. @default false */
  hidden?: boolean;
  /** `AutoJoin`. @default true */
  autoJoin?: boolean;
  /** Proxy settings (`ProxyType`, `ProxyServer`, `ProxyServerPort`, `ProxyPACURL`…). */
  proxy?: WifiProxyOptions;
  /** Enterprise (802.1X) settings, `EAPClientConfiguration`. */
  eap?: WifiEapOptions;
  /** `PayloadCertificateUUID`: the client identity for EAP-TLS, a `pkcs12Identity()`/`scep()` payload of the profile. */
  identityCertificate?: CertificateReference;
  /** Further `com.apple.wifi.managed` keys, as Apple names them; they override the friendly ones. */
  keys?: Partial<WifiManagedPayload>;
}

const SECURITIES: readonly WifiSecurity[] = ['WPA2', 'WPA3', 'Any', 'None', 'WEP', 'WPA'];

/**
 * A Wi-Fi network payload (`com.apple.wifi.managed`).
 *
 * @throws {PayloadOptionError} for unusable options: no password for a personal WPA/WEP
 *   network, a WPA passphrase outside 8–63 characters, a password on an open network…
 * @throws {ProfileValidationError} when the resulting keys break Apple's schema.
 * @example
 * wifi({ ssid: 'Schul-WLAN', security: 'WPA2', password: process.env.WIFI_PSK! });
 * @example
 * const ca = rootCertificate({ certificate: radiusCaPem });
 * wifi({ ssid: 'eduroam', security: 'WPA2', eap: { acceptEapTypes: ['PEAP'], username, password, trustedCertificates: [ca] } });
 */
export function wifi(options: WifiOptions): PayloadDefinition<'com.apple.wifi.managed'> {
  const o = optionsObject(BUILDER, options, [
    ...PAYLOAD_OPTIONS,
    ...['ssid', 'security', 'password', 'hidden', 'autoJoin', 'proxy', 'eap', 'identityCertificate', 'keys'],
  ]);
  const ssid = stringOption(BUILDER, 'ssid', o.ssid);
  if (!SECURITIES.includes(o.security)) {
    throw new PayloadOptionError(BUILDER, 'security', `must be one of ${SECURITIES.join(', ')}`, {
      hint: "use 'WPA2' for a WPA2/WPA3 personal or enterprise network",
    });
  }
  const enterprise = o.eap !== undefined || o.identityCertificate !== undefined;
  checkPassword(o.security, o.password, enterprise);
  if (o.security === 'None' && enterprise) {
    throw new PayloadOptionError(BUILDER, 'eap', "needs an encrypted network, but security is 'None'", {
      hint: "set security to 'WPA2' (or 'WPA3') for an enterprise network",
    });
  }
  const keys: Record<string, unknown> = {
    SSID_STR: ssid,
    EncryptionType: o.security,
    Password: o.password,
    HIDDEN_NETWORK: booleanOption(BUILDER, 'hidden', o.hidden),
    AutoJoin: booleanOption(BUILDER, 'autoJoin', o.autoJoin),
    PayloadCertificateUUID: o.identityCertificate,
    ...(o.proxy !== undefined ? proxyKeys(o.proxy) : {}),
    ...(o.eap !== undefined ? { EAPClientConfiguration: eapKeys(o.eap) } : {}),
    ...o.keys,
  };
  return finish(BUILDER, 'com.apple.wifi.managed', keys, metadataFrom(BUILDER, o));
}

function checkPassword(security: WifiSecurity, password: unknown, enterprise: boolean): void {
  if (password === undefined) {
    if (!enterprise && (security === 'WPA' || security === 'WPA2' || security === 'WPA3' || security === 'WEP')) {
      throw new PayloadOptionError(BUILDER, 'password', `is required for a ${security} personal network`, {
        hint: "pass the network's pre-shared key, or eap for an enterprise network",
      });
    }
    return;
  }
  if (typeof password !== 'string') {
    throw new PayloadOptionError(BUILDER, 'password', `must be a string, got ${describe(password)}`);
  }
  if (security === 'None') {
    throw new PayloadOptionError(BUILDER, 'password', "is set, but security is 'None' (an open network)", {
      hint: "set security to 'WPA2' (or 'WPA3'), or drop the password",
    });
  }
  const length = [...password].length;
  // IEEE 802.11i: a WPA passphrase is 8–63 characters, or the PSK itself as 64 hex digits.
  // (WPA3-SAE passwords have no such limit; 'Any' may also mean WEP.)
  if (
    (security === 'WPA' || security === 'WPA2') &&
    !(length >= 8 && length <= 63) &&
    !/^[0-9A-Fa-f]{64}$/.test(password)
  ) {
    throw new PayloadOptionError(
      BUILDER,
      'password',
      `must have 8 to 63 characters for ${security} (it has ${length})`,
      {
        hint: 'WPA/WPA2 passphrases are 8–63 characters, or the 64-hex-digit key itself',
      },
    );
  }
  // WEP keys: 5 or 13 characters, or 10 or 26 hex digits.
  if (security === 'WEP' && ![5, 13].includes(length) && !/^([0-9A-Fa-f]{10}|[0-9A-Fa-f]{26})$/.test(password)) {
    throw new PayloadOptionError(BUILDER, 'password', `is not a WEP key (it has ${length} characters)`, {
      hint: 'WEP keys have 5 or 13 characters, or 10 or 26 hex digits',
    });
  }
  if (length === 0) throw new PayloadOptionError(BUILDER, 'password', 'must not be empty');
}

function proxyKeys(proxy: WifiProxyOptions): Record<string, unknown> {
  const p = optionsObject(
    `${BUILDER}`,
    proxy,
    ['type', 'server', 'port', 'username', 'password', 'url', 'pacFallbackAllowed'],
    'options.proxy',
  );
  if (!['None', 'Manual', 'Auto'].includes(p.type)) {
    throw new PayloadOptionError(BUILDER, 'proxy.type', "must be 'None', 'Manual' or 'Auto'");
  }
  if (p.type === 'Manual') {
    if (p.server === undefined || p.port === undefined) {
      throw new PayloadOptionError(
        BUILDER,
        p.server === undefined ? 'proxy.server' : 'proxy.port',
        "is required for a 'Manual' proxy",
        {
          hint: "give the proxy's host and port, e.g. { type: 'Manual', server: 'proxy.example.org', port: 3128 }",
        },
      );
    }
    if (!Number.isInteger(p.port) || p.port < 0 || p.port > 65535) {
      throw new PayloadOptionError(BUILDER, 'proxy.port', 'must be an integer from 0 to 65535');
    }
  }
  if (p.url !== undefined && p.type !== 'Auto') {
    throw new PayloadOptionError(BUILDER, 'proxy.url', "is only used with type 'Auto'");
  }
  return {
    ProxyType: p.type,
    ProxyServer: p.server === undefined ? undefined : stringOption(BUILDER, 'proxy.server', p.server),
    ProxyServerPort: p.port,
    ProxyUsername: p.username,
    ProxyPassword: p.password,
    ProxyPACURL: p.url === undefined ? undefined : urlOption(BUILDER, 'proxy.url', p.url, ['http:', 'https:']),
    ProxyPACFallbackAllowed: booleanOption(BUILDER, 'proxy.pacFallbackAllowed', p.pacFallbackAllowed),
  };
}

function eapKeys(eap: WifiEapOptions): Record<string, unknown> {
  const e = optionsObject(
    BUILDER,
    eap,
    [
      'acceptEapTypes',
      'username',
      'password',
      'outerIdentity',
      'trustedCertificates',
      'trustedServerNames',
      'innerAuthentication',
      'tlsMinimumVersion',
      'tlsMaximumVersion',
      'keys',
    ],
    'options.eap',
  );
  if (!Array.isArray(e.acceptEapTypes) || e.acceptEapTypes.length === 0) {
    throw new PayloadOptionError(BUILDER, 'eap.acceptEapTypes', 'must list at least one EAP method', {
      hint: "e.g. ['PEAP'] for user name + password, ['TLS'] for a client certificate",
    });
  }
  const numbers = Object.values(EAP_TYPES) as number[];
  const types = e.acceptEapTypes.map((t, i) => {
    if (typeof t === 'number' && numbers.includes(t)) return t;
    if (typeof t === 'string' && Object.hasOwn(EAP_TYPES, t)) return EAP_TYPES[t as keyof typeof EAP_TYPES];
    throw new PayloadOptionError(BUILDER, `eap.acceptEapTypes[${i}]`, 'is not an EAP method Apple supports', {
      hint: `use one of ${Object.keys(EAP_TYPES).join(', ')}`,
    });
  });
  if (e.trustedCertificates !== undefined && !Array.isArray(e.trustedCertificates)) {
    throw new PayloadOptionError(
      BUILDER,
      'eap.trustedCertificates',
      'must be an array of certificate payloads or UUIDs',
    );
  }
  if (e.trustedServerNames !== undefined && !Array.isArray(e.trustedServerNames)) {
    throw new PayloadOptionError(BUILDER, 'eap.trustedServerNames', 'must be an array of host names');
  }
  return compact({
    AcceptEAPTypes: types,
    UserName: e.username,
    UserPassword: e.password,
    OuterIdentity: e.outerIdentity,
    PayloadCertificateAnchorUUID: e.trustedCertificates ? [...e.trustedCertificates] : undefined,
    TLSTrustedServerNames: e.trustedServerNames ? [...e.trustedServerNames] : undefined,
    TTLSInnerAuthentication: e.innerAuthentication,
    TLSMinimumVersion: e.tlsMinimumVersion,
    TLSMaximumVersion: e.tlsMaximumVersion,
    ...e.keys,
  });
}
