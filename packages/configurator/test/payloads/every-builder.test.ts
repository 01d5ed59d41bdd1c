/** The rule: every builder's output validates, alone and inside a profile. */
import { describe, expect, it } from 'vitest';
import { createProfile, validatePayload, validateProfile } from '../../src/index.js';
import { everyBuilder } from './fixtures.js';

describe('every builder', () => {
  const payloads = everyBuilder();

  it('covers each builder of the issue', () => {
    expect(payloads.map((p) => p.PayloadType)).toEqual([
      'com.apple.security.root',
      'com.apple.security.pkcs12',
      'com.apple.security.scep',
      'com.apple.wifi.managed',
      'com.apple.wifi.managed',
      'com.apple.webClip.managed',
      'com.apple.homescreenlayout',
      'com.apple.applicationaccess',
      'com.apple.shareddeviceconfiguration',
      'com.apple.mdm',
    ]);
  });

  it.each(everyBuilder().map((p, i) => [i, p.PayloadType, p] as const))('#%i %s validates alone', (_i, type, p) => {
    expect(validatePayload(type, p)).toMatchObject({ valid: true, errors: [] });
  });

  it('validates as one profile, for a supervised iPad without warnings', () => {
    const profile = createProfile({
      identifier: 'org.example.school.everything',
      displayName: 'Everything',
      payloads,
      validation: { os: 'iOS', supervised: true, osVersion: '18.1' },
    });
    expect(profile.warnings).toEqual([]);
    expect(validateProfile(profile.toPlistValue(), { supervised: true })).toMatchObject({ valid: true, errors: [] });
  });

  it('warns, without failing, when the same profile targets an unsupervised iPad', () => {
    const profile = createProfile({
      identifier: 'org.example.school.everything',
      displayName: 'Everything',
      payloads,
      validation: { supervised: false },
    });
    expect(profile.warnings.map((w) => `${w.code}@${w.path}`)).toEqual([
      'supervised-only@PayloadContent[6]',
      'supervised-only@PayloadContent[7].allowAirDrop',
      'supervised-only@PayloadContent[7].allowEraseContentAndSettings',
      'supervised-only@PayloadContent[8]',
    ]);
  });
});
