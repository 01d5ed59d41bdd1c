/**
 * Python's plistlib as an independent reader: every profile we write must parse there and
 * give the same model, type for type (int vs float, bytes, strings), hostile strings included.
 */
import { describe, expect, it } from 'vitest';
import { peers } from '../../../../test/support/peers.js';
import { createProfile, lockScreenMessage, type PlistValue, payload, webClip, wifi } from '../../src/index.js';
import { normalize, pythonLoads, tag } from '../fixtures/tagged.js';
import { everyBuilder, HOSTILE } from '../payloads/fixtures.js';

const base = { identifier: 'org.example.school.all', displayName: 'Everything' };

function refersToPayload(values: unknown[]): boolean {
  return values.some(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      !(v instanceof Uint8Array) &&
      ('PayloadType' in v || refersToPayload(Object.values(v))),
  );
}

describe.skipIf(!peers.python3)('python3 plistlib reads what we write', () => {
  it('parses a profile of every builder (each alone and all together) into the same model', () => {
    const all = everyBuilder();
    // Payloads that point at another payload need it in the same profile; the rest also go alone.
    const standalone = all.filter((p) => !refersToPayload(Object.values(p)));
    expect(standalone.length).toBe(all.length - 2);
    const profiles = [
      createProfile({ ...base, durationUntilRemoval: 86400, consentText: { default: 'OK?' }, payloads: all }),
      ...standalone.map((p, i) =>
        createProfile({ identifier: `org.example.single.${i}`, displayName: `Single ${i}`, payloads: [p] }),
      ),
    ];
    const loaded = pythonLoads(profiles.map((p) => p.toBytes()));
    profiles.forEach((p, i) => {
      expect(loaded[i]).toEqual(normalize(tag(p.toPlistValue() as PlistValue)));
    });
  });

  it('gets floats for <real> keys even when the value is integral', () => {
    const [loaded] = pythonLoads([createProfile({ ...base, durationUntilRemoval: 3600, payloads: [] }).toBytes()]);
    const entry = loaded && 'dict' in loaded ? loaded.dict.find(([k]) => k === 'DurationUntilRemoval') : undefined;
    expect(entry?.[1]).toEqual({ real: 3600 });
  });

  it('round-trips hostile strings in names, SSIDs, passwords, labels and messages', () => {
    const profiles = HOSTILE.map((s, i) =>
      createProfile({
        identifier: `org.example.hostile.${i}`,
        displayName: s,
        organization: s,
        description: s,
        payloads: [
          wifi({ ssid: s, security: 'WPA3', password: s, displayName: s }),
          webClip({ url: 'https://example.org/?q=%3C%26%3E', label: s }),
          lockScreenMessage({ footnote: s, ifLostReturnTo: s, assetTag: s }),
          payload('com.apple.wifi.managed', {
            SSID_STR: `${s}-2`,
            EncryptionType: 'None',
            ProxyType: 'Manual',
            ProxyServer: 'p',
            ProxyServerPort: 8080,
            ProxyUsername: s,
          }),
        ],
      }),
    );
    const loaded = pythonLoads(profiles.map((p) => p.toBytes()));
    profiles.forEach((p, i) => {
      expect(loaded[i]).toEqual(normalize(tag(p.toPlistValue() as PlistValue)));
      expect(JSON.stringify(loaded[i])).toContain(JSON.stringify({ str: HOSTILE[i] }).slice(1, -1));
    });
  });
});
