import { describe, expect, it } from 'vitest';
import { peers, runPeer } from '../../../../test/support/peers.js';
import {
  ConfiguratorError,
  PROFILE_UUID_NAMESPACE,
  payloadUuid,
  profileUuid,
  UUID_NAMESPACE_DNS,
  UUID_NAMESPACE_URL,
  uuidV5,
} from '../../src/index.js';

describe('uuidV5 (RFC 9562 §5.5)', () => {
  it('matches the RFC test vector (DNS namespace, www.example.com)', () => {
    // RFC 9562, Appendix A.4
    expect(uuidV5('www.example.com', UUID_NAMESPACE_DNS)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('sets version 5 and the RFC variant', () => {
    for (const name of ['', 'a', 'org.example.school', '🎒']) {
      expect(uuidV5(name, UUID_NAMESPACE_URL)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('hashes strings as UTF-8 and accepts bytes', () => {
    expect(uuidV5(new TextEncoder().encode('Gäste'), UUID_NAMESPACE_DNS)).toBe(uuidV5('Gäste', UUID_NAMESPACE_DNS));
    expect(uuidV5('A', UUID_NAMESPACE_DNS.toUpperCase())).toBe(uuidV5('A', UUID_NAMESPACE_DNS));
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(ConfiguratorError);
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/namespace is not a UUID/);
  });

  it('derives the SDK namespace as documented, and profile/payload UUIDs from identifiers', () => {
    expect(uuidV5('urn:schoolmdm:configuration-profile', UUID_NAMESPACE_URL)).toBe(PROFILE_UUID_NAMESPACE);
    expect(profileUuid('org.example.wifi')).toBe(uuidV5('org.example.wifi', PROFILE_UUID_NAMESPACE).toUpperCase());
    expect(payloadUuid('org.example.wifi', 'org.example.wifi.wifi')).toBe(
      uuidV5('org.example.wifi/org.example.wifi.wifi', PROFILE_UUID_NAMESPACE).toUpperCase(),
    );
    // Pinned: a change here would make every device install duplicates of every profile.
    expect(profileUuid('org.example.wifi')).toBe('B9FA07FD-BA3C-5896-A0AD-0977792A39B5');
  });
});

describe.skipIf(!peers.python3)('uuidV5 against Python uuid.uuid5', () => {
  it('agrees on many names, including non-ASCII ones', () => {
    const names = ['www.example.com', 'org.example.school.wifi', 'Gäste 🎒', '', 'a/b/c', 'x'.repeat(500)];
    const script = [
      'import json, sys, uuid',
      'names = json.load(sys.stdin)',
      'ns = [uuid.NAMESPACE_DNS, uuid.NAMESPACE_URL, uuid.UUID(sys.argv[1])]',
      'print(json.dumps([[str(uuid.uuid5(n, s)) for n in ns] for s in names]))',
    ].join('\n');
    const python = JSON.parse(
      runPeer('python3', ['-c', script, PROFILE_UUID_NAMESPACE], { input: JSON.stringify(names) }).toString(),
    ) as string[][];
    const ours = names.map((n) =>
      [UUID_NAMESPACE_DNS, UUID_NAMESPACE_URL, PROFILE_UUID_NAMESPACE].map((ns) => uuidV5(n, ns)),
    );
    expect(ours).toEqual(python);
  });
});
