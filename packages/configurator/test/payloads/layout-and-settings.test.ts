import { describe, expect, it } from 'vitest';
import {
  homeScreenLayout,
  lockScreenMessage,
  PayloadOptionError,
  ProfileValidationError,
  payload,
  RESTRICTION_KEYS,
  restrictions,
  validatePayload,
  webClip,
} from '../../src/index.js';

function optionError(fn: () => unknown): PayloadOptionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PayloadOptionError) return e;
    throw e;
  }
  throw new Error('expected a PayloadOptionError');
}

describe('webClip()', () => {
  it('maps its options', () => {
    const icon = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    expect(
      webClip({
        url: 'https://portal.example.org',
        label: 'Portal',
        icon,
        removable: false,
        fullScreen: true,
        precomposed: true,
        ignoreManifestScope: true,
        targetApplicationBundleIdentifier: 'com.apple.mobilesafari',
      }),
    ).toEqual({
      PayloadType: 'com.apple.webClip.managed',
      URL: 'https://portal.example.org',
      Label: 'Portal',
      Icon: icon,
      IsRemovable: false,
      FullScreen: true,
      Precomposed: true,
      IgnoreManifestScope: true,
      TargetApplicationBundleIdentifier: 'com.apple.mobilesafari',
    });
  });

  it('rejects a missing label, a non-http URL and a non-byte icon', () => {
    expect(optionError(() => webClip({ url: 'https://x', label: '' })).option).toBe('label');
    expect(optionError(() => webClip({ url: 'javascript:alert(1)', label: 'x' })).option).toBe('url');
    expect(optionError(() => webClip({ url: 'https://x', label: 'x', icon: 'png' as never })).option).toBe('icon');
  });
});

describe('homeScreenLayout()', () => {
  it('turns bundle IDs, folders and web clips into Apple’s icon dictionaries, recursively', () => {
    const p = homeScreenLayout({
      dock: ['com.apple.mobilesafari', { app: 'com.apple.camera' }],
      pages: [
        [
          { folder: 'Schule', pages: [['com.apple.Pages'], [{ folder: 'Mehr', pages: [['com.apple.Numbers']] }]] },
          { webClip: 'https://portal.example.org' },
          { Type: 'App', BundleID: 'com.apple.Keynote' },
        ],
        [],
      ],
    });
    expect(p).toEqual({
      PayloadType: 'com.apple.homescreenlayout',
      Dock: [
        { Type: 'App', BundleID: 'com.apple.mobilesafari' },
        { Type: 'App', BundleID: 'com.apple.camera' },
      ],
      Pages: [
        [
          {
            Type: 'Folder',
            DisplayName: 'Schule',
            Pages: [
              [{ Type: 'App', BundleID: 'com.apple.Pages' }],
              [{ Type: 'Folder', DisplayName: 'Mehr', Pages: [[{ Type: 'App', BundleID: 'com.apple.Numbers' }]] }],
            ],
          },
          { Type: 'WebClip', URL: 'https://portal.example.org' },
          { Type: 'App', BundleID: 'com.apple.Keynote' },
        ],
        [],
      ],
    });
  });

  it('names the offending icon', () => {
    expect(optionError(() => homeScreenLayout({ pages: [['a', 42 as never]] })).option).toBe('pages[0][1]');
    expect(optionError(() => homeScreenLayout({ pages: [[{ folder: 'F', pages: ['x' as never] }]] })).option).toBe(
      'pages[0][0].pages[0]',
    );
    expect(optionError(() => homeScreenLayout({ pages: 'x' as never })).option).toBe('pages');
    expect(optionError(() => homeScreenLayout({ dock: 'x' as never, pages: [] })).option).toBe('dock');
  });

  it('validates raw icon dictionaries against the schema', () => {
    expect(() => homeScreenLayout({ pages: [[{ Type: 'Widget' as 'App' }]] })).toThrow(ProfileValidationError);
  });
});

describe('restrictions()', () => {
  it('maps friendly names to allow… keys and passes Apple’s own keys', () => {
    expect(
      restrictions({
        camera: false,
        airDrop: false,
        vpnCreation: false,
        forceEncryptedBackup: true,
        ratingApps: 600,
        displayName: 'Schule',
      }),
    ).toEqual({
      PayloadType: 'com.apple.applicationaccess',
      allowCamera: false,
      allowAirDrop: false,
      allowVPNCreation: false,
      forceEncryptedBackup: true,
      ratingApps: 600,
      PayloadDisplayName: 'Schule',
    });
  });

  it('has a friendly name for every allow… boolean of the schema', () => {
    expect(Object.keys(RESTRICTION_KEYS).length).toBeGreaterThan(130);
    expect(RESTRICTION_KEYS.eraseContentAndSettings).toBe('allowEraseContentAndSettings');
    expect(Object.values(RESTRICTION_KEYS).every((k) => k.startsWith('allow'))).toBe(true);
  });

  it('accepts a friendly name and its Apple key when they agree, and refuses when they do not', () => {
    expect(restrictions({ camera: false, allowCamera: false }).allowCamera).toBe(false);
    expect(optionError(() => restrictions({ camera: false, allowCamera: true })).message).toContain(
      'conflicts with camera',
    );
  });

  it('suggests a name for a typo and refuses non-boolean friendly values', () => {
    const typo = optionError(() => restrictions({ camra: false } as never));
    expect(typo).toMatchObject({ option: 'camra', hint: 'did you mean camera?' });
    expect(optionError(() => restrictions({ camera: 'no' } as never)).message).toContain('must be true or false');
    expect(optionError(() => restrictions({ somethingAppleAddsIn2030: true } as never)).hint).toContain(
      "payload('com.apple.applicationaccess'",
    );
  });

  it('validates raw keys against the schema', () => {
    expect(() => restrictions({ ratingApps: 5000 })).toThrow(/ratingApps/);
  });
});

describe('lockScreenMessage()', () => {
  it('maps its options', () => {
    expect(lockScreenMessage({ footnote: 'Schule', ifLostReturnTo: 'Sekretariat', assetTag: 'INV-1' })).toEqual({
      PayloadType: 'com.apple.shareddeviceconfiguration',
      LockScreenFootnote: 'Schule',
      IfLostReturnToMessage: 'Sekretariat',
      AssetTagInformation: 'INV-1',
    });
  });

  it('writes the deprecated IfLostReturnToMessage when asked, and validation warns about it', () => {
    const p = lockScreenMessage({ ifLostReturnTo: 'Sekretariat' });
    expect(validatePayload(p.PayloadType, p).warnings.map((w) => `${w.code}@${w.path}`)).toEqual([
      'os-deprecated@IfLostReturnToMessage',
    ]);
  });

  it('needs at least one message', () => {
    expect(optionError(() => lockScreenMessage({})).message).toContain('is required');
    expect(optionError(() => lockScreenMessage({ footnote: 3 as never })).option).toBe('footnote');
  });
});

describe('payload()', () => {
  it('builds any schema payload by Apple’s key names', () => {
    const p = payload('com.apple.education', {
      OrganizationUUID: 'f6f9e1c6-3f63-4a0b-9e2e-1d3b7a1c2d3e',
      OrganizationName: 'Example School',
      UserIdentifier: '',
      Groups: [],
      Users: [],
    });
    expect(p.PayloadType).toBe('com.apple.education');
  });

  it('throws ProfileValidationError with paths for schema violations', () => {
    try {
      payload('com.apple.webClip.managed', { URL: 'https://x', Label: 5 as unknown as string });
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ProfileValidationError);
      expect((e as ProfileValidationError).errors.map((x) => x.path)).toEqual(['Label']);
      expect((e as Error).message).toContain('payload("com.apple.webClip.managed") is invalid (1 error)');
    }
  });

  it('accepts a type the schema does not know (typed loosely)', () => {
    expect(payload('com.example.vendor.settings', { Level: 3 })).toEqual({
      PayloadType: 'com.example.vendor.settings',
      Level: 3,
    });
  });

  it('rejects a missing type, the profile type, non-object keys and a contradicting PayloadType', () => {
    expect(optionError(() => payload('' as never, {})).option).toBe('type');
    expect(optionError(() => payload('Configuration' as never, {})).option).toBe('type');
    expect(optionError(() => payload('com.apple.dock', [] as never)).option).toBe('keys');
    expect(() => payload('com.apple.dock', { PayloadType: 'com.apple.mdm' } as never)).toThrow(
      /PayloadType does not match/,
    );
  });
});
