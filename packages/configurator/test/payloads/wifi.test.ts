import { describe, expect, it } from 'vitest';
import { PayloadOptionError, ProfileValidationError, validatePayload, wifi } from '../../src/index.js';

function optionError(fn: () => unknown): PayloadOptionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PayloadOptionError) return e;
    throw e;
  }
  throw new Error('expected a PayloadOptionError');
}

describe('wifi()', () => {
  it('maps the friendly options to Apple’s keys', () => {
    expect(
      wifi({
        ssid: 'Schul-WLAN',
        security: 'WPA2',
        password: 'psk-secret-1',
        hidden: true,
        autoJoin: false,
        displayName: 'School',
      }),
    ).toEqual({
      PayloadType: 'com.apple.wifi.managed',
      SSID_STR: 'Schul-WLAN',
      EncryptionType: 'WPA2',
      Password: 'psk-secret-1',
      HIDDEN_NETWORK: true,
      AutoJoin: false,
      PayloadDisplayName: 'School',
    });
  });

  it.each(['WPA2', 'WPA3', 'Any', 'None', 'WEP', 'WPA'] as const)(
    'security %s becomes EncryptionType %s',
    (security) => {
      const password = security === 'None' ? undefined : security === 'WEP' ? 'abcde' : 'password-1';
      const p = wifi({ ssid: 'n', security, password });
      expect(p.EncryptionType).toBe(security);
      expect(validatePayload('com.apple.wifi.managed', p).valid).toBe(true);
    },
  );

  it('maps proxy settings', () => {
    expect(
      wifi({
        ssid: 'n',
        security: 'None',
        proxy: { type: 'Manual', server: 'proxy.example.org', port: 3128, username: 'u', password: 'proxy-secret' },
      }),
    ).toMatchObject({
      ProxyType: 'Manual',
      ProxyServer: 'proxy.example.org',
      ProxyServerPort: 3128,
      ProxyUsername: 'u',
      ProxyPassword: 'proxy-secret',
    });
    expect(
      wifi({
        ssid: 'n',
        security: 'None',
        proxy: { type: 'Auto', url: 'https://wpad.example.org/proxy.pac', pacFallbackAllowed: true },
      }),
    ).toMatchObject({
      ProxyType: 'Auto',
      ProxyPACURL: 'https://wpad.example.org/proxy.pac',
      ProxyPACFallbackAllowed: true,
    });
  });

  it('maps enterprise settings to EAPClientConfiguration', () => {
    const p = wifi({
      ssid: 'eduroam',
      security: 'WPA2',
      eap: {
        acceptEapTypes: ['PEAP', 21, 'TLS'],
        username: 'student@example.org',
        password: 'eap-secret',
        outerIdentity: 'anonymous@example.org',
        trustedServerNames: ['radius.example.org'],
        innerAuthentication: 'MSCHAPv2',
        tlsMinimumVersion: '1.2',
        keys: { TLSCertificateIsRequired: true },
      },
    });
    expect(p.EAPClientConfiguration).toEqual({
      AcceptEAPTypes: [25, 21, 13],
      UserName: 'student@example.org',
      UserPassword: 'eap-secret',
      OuterIdentity: 'anonymous@example.org',
      TLSTrustedServerNames: ['radius.example.org'],
      TTLSInnerAuthentication: 'MSCHAPv2',
      TLSMinimumVersion: '1.2',
      TLSCertificateIsRequired: true,
    });
    expect(p.Password).toBeUndefined();
  });

  it('passes raw keys through and validates them', () => {
    expect(wifi({ ssid: 'n', security: 'None', keys: { CaptiveBypass: true } }).CaptiveBypass).toBe(true);
    expect(() => wifi({ ssid: 'n', security: 'None', keys: { ProxyType: 'Sometimes' as 'None' } })).toThrow(
      ProfileValidationError,
    );
  });

  it('needs a password for personal WPA/WEP networks, unless enterprise', () => {
    const e = optionError(() => wifi({ ssid: 'n', security: 'WPA2' }));
    expect(e).toMatchObject({ builder: 'wifi', option: 'password' });
    expect(e.message).toContain('wifi(): option password is required for a WPA2 personal network');
    expect(() => wifi({ ssid: 'n', security: 'WPA3', eap: { acceptEapTypes: ['TLS'] } })).not.toThrow();
    expect(() => wifi({ ssid: 'n', security: 'Any' })).not.toThrow();
  });

  it('checks passphrase lengths (WPA 8–63 or 64 hex, WEP 5/13 or 10/26 hex) without echoing them', () => {
    const short = optionError(() => wifi({ ssid: 'n', security: 'WPA2', password: 'short7!' }));
    expect(short.message).toContain('must have 8 to 63 characters for WPA2 (it has 7)');
    expect(short.message).not.toContain('short7!');
    expect(() => wifi({ ssid: 'n', security: 'WPA2', password: 'x'.repeat(64) })).toThrow(PayloadOptionError);
    expect(() => wifi({ ssid: 'n', security: 'WPA2', password: 'a1'.repeat(32) })).not.toThrow();
    expect(() => wifi({ ssid: 'n', security: 'WPA2', password: 'Gäste 🎒 WLAN' })).not.toThrow();
    expect(() => wifi({ ssid: 'n', security: 'WEP', password: 'abcdef' })).toThrow(/not a WEP key/);
    expect(() => wifi({ ssid: 'n', security: 'WEP', password: '0123456789' })).not.toThrow();
    expect(() => wifi({ ssid: 'n', security: 'WPA3', password: 'short' })).not.toThrow();
  });

  it('refuses a password or EAP on an open network', () => {
    expect(optionError(() => wifi({ ssid: 'n', security: 'None', password: 'password-1' })).option).toBe('password');
    expect(optionError(() => wifi({ ssid: 'n', security: 'None', eap: { acceptEapTypes: ['PEAP'] } })).option).toBe(
      'eap',
    );
  });

  it('rejects unusable options with the option name', () => {
    const cases: [() => unknown, string][] = [
      [() => wifi({ ssid: '', security: 'None' }), 'ssid'],
      [() => wifi({ ssid: 'n', security: 'WPA4' as 'WPA2', password: 'password-1' }), 'security'],
      [() => wifi({ ssid: 'n', security: 'None', hidden: 'yes' as unknown as boolean }), 'hidden'],
      [() => wifi({ ssid: 'n', security: 'None', proxy: { type: 'Manual', server: 'p' } }), 'proxy.port'],
      [() => wifi({ ssid: 'n', security: 'None', proxy: { type: 'Manual', server: 'p', port: 70000 } }), 'proxy.port'],
      [
        () => wifi({ ssid: 'n', security: 'None', proxy: { type: 'Manual', server: 'p', port: 80, url: 'https://x' } }),
        'proxy.url',
      ],
      [() => wifi({ ssid: 'n', security: 'None', proxy: { type: 'Auto', url: 'not a url' } }), 'proxy.url'],
      [() => wifi({ ssid: 'n', security: 'None', proxy: { type: 'Sometimes' as 'Auto' } }), 'proxy.type'],
      [() => wifi({ ssid: 'n', security: 'WPA2', eap: { acceptEapTypes: [] } }), 'eap.acceptEapTypes'],
      [
        () => wifi({ ssid: 'n', security: 'WPA2', eap: { acceptEapTypes: ['PEAP', 'MD5' as 'TLS'] } }),
        'eap.acceptEapTypes[1]',
      ],
      [() => wifi({ ssid: 'n', security: 'WPA2', password: 12345678 as unknown as string }), 'password'],
      [() => wifi(undefined as never), '(options)'],
    ];
    for (const [fn, option] of cases) expect(optionError(fn).option).toBe(option);
  });

  it('never puts a password into an error', () => {
    for (const fn of [
      () => wifi({ ssid: 'n', security: 'WPA2', password: 'tiny' }),
      () => wifi({ ssid: 'n', security: 'None', password: 'hunter2-open' }),
      () => wifi({ ssid: 'n', security: 'None', keys: { Password: 'hunter2\u0001' } }),
    ]) {
      let text = '';
      try {
        fn();
      } catch (e) {
        text = `${String(e)} ${JSON.stringify(e)}`;
      }
      expect(text).not.toBe('');
      expect(text).not.toMatch(/tiny|hunter2/);
    }
  });
});
