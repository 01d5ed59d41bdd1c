import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ACCESS_RIGHTS,
  ALL_ACCESS_RIGHTS,
  checkAccessRights,
  decodeAccessRights,
  encodeAccessRights,
} from '../../src/mdm/access-rights.js';
import { integer } from '../../src/plist/index.js';

describe('decodeAccessRights / encodeAccessRights', () => {
  it('decodes bits in Apple order and encodes them back', () => {
    expect(decodeAccessRights(3)).toEqual(['inspectProfiles', 'installRemoveProfiles']);
    expect(decodeAccessRights(ALL_ACCESS_RIGHTS)).toEqual(Object.keys(ACCESS_RIGHTS));
    expect(decodeAccessRights(0)).toEqual([]);
    expect(decodeAccessRights(8192 | 8)).toEqual(['erase']);
    expect(decodeAccessRights(integer(4096))).toEqual(['appManagement']);
    expect(decodeAccessRights(5n)).toEqual(['inspectProfiles', 'lockAndRemovePasscode']);
    expect(decodeAccessRights(-1)).toEqual([]);
    expect(decodeAccessRights(1.5)).toEqual([]);
    for (let n = 0; n <= ALL_ACCESS_RIGHTS; n++) expect(encodeAccessRights(decodeAccessRights(n))).toBe(n);
    expect(() => encodeAccessRights(['nope' as never])).toThrow(/unknown access right "nope"/);
  });

  it('matches the bit list in the vendored Apple com.apple.mdm.yaml', () => {
    const yaml = readFileSync(
      fileURLToPath(new URL('../../schema/mdm/profiles/com.apple.mdm.yaml', import.meta.url)),
      'utf8',
    );
    const bits = [...yaml.matchAll(/\* '(\d+)': Allow/g)].map((m) => Number(m[1]));
    expect(bits).toEqual(Object.values(ACCESS_RIGHTS));
  });
});

describe('checkAccessRights', () => {
  it('accepts exactly the values Apple’s rules allow (exhaustive over 0…8192)', () => {
    for (let n = 0; n <= ALL_ACCESS_RIGHTS + 1; n++) {
      const valid = n >= 1 && n <= ALL_ACCESS_RIGHTS && (!(n & 2) || n & 1) && (!(n & 128) || n & 64);
      expect(checkAccessRights(n).length === 0, `value ${n}`).toBe(Boolean(valid));
    }
  });

  it('names each broken rule', () => {
    expect(checkAccessRights(0).map((p) => p.code)).toEqual(['zero']);
    expect(checkAccessRights(2).map((p) => p.code)).toEqual(['install-profiles-without-inspect']);
    expect(checkAccessRights(128 | 2).map((p) => p.code)).toEqual([
      'install-profiles-without-inspect',
      'install-provisioning-profiles-without-inspect',
    ]);
    expect(checkAccessRights(8192).map((p) => p.code)).toEqual(['out-of-range']);
    expect(checkAccessRights(-4).map((p) => p.code)).toEqual(['out-of-range']);
    expect(checkAccessRights(1.5).map((p) => p.code)).toEqual(['not-an-integer']);
    expect(checkAccessRights(2n ** 40n).map((p) => p.code)).toEqual(['not-an-integer']);
    expect(checkAccessRights(integer(8191))).toEqual([]);
    expect(checkAccessRights(2)[0]!.message).toMatch(/Specify '1' if you specify '2'/);
  });
});
