/**
 * The `AccessRights` bitmask of the MDM payload (`com.apple.mdm`): decode it into named
 * rights and check it against the rules Apple states only in prose.
 *
 * Source: `mdm/profiles/com.apple.mdm.yaml` in `apple/device-management` (MIT), key
 * `AccessRights`: "Logical OR of the following bit flags … Don't set to '0'. Specify '1' if
 * you specify '2'. Specify '64' if you specify '128'." Also: "When updating the payload, the
 * addition of any access right is an error, and the update rejected."
 */
import { InvalidArgumentError } from '@schoolmdm/core';
import { kindOf } from '../internal/args.js';
import type { PlistInteger } from '../plist/types.js';
import { closest } from '../schema/suggest.js';

/** Every access right, with its bit, in Apple's order. */
export const ACCESS_RIGHTS = {
  /** 1: inspect installed configuration profiles. */
  inspectProfiles: 1,
  /** 2: install and remove configuration profiles (requires `inspectProfiles`). */
  installRemoveProfiles: 2,
  /** 4: device lock and passcode removal. */
  lockAndRemovePasscode: 4,
  /** 8: device erase. */
  erase: 8,
  /** 16: query device information (capacity, serial number). */
  queryDeviceInformation: 16,
  /** 32: query network information (phone/SIM numbers, MAC addresses). */
  queryNetworkInformation: 32,
  /** 64: inspect installed provisioning profiles. */
  inspectProvisioningProfiles: 64,
  /** 128: install and remove provisioning profiles (requires `inspectProvisioningProfiles`). */
  installRemoveProvisioningProfiles: 128,
  /** 256: inspect installed applications. */
  inspectApplications: 256,
  /** 512: restriction-related queries. */
  restrictionQueries: 512,
  /** 1024: security-related queries. */
  securityQueries: 1024,
  /** 2048: manipulate settings. */
  manipulateSettings: 2048,
  /** 4096: app management. */
  appManagement: 4096,
} as const;

/** The name of one access right. */
export type AccessRight = keyof typeof ACCESS_RIGHTS;

/** Every right at once: 8191, the largest valid value. */
export const ALL_ACCESS_RIGHTS = 8191;

/** One broken rule of an `AccessRights` value. */
export interface AccessRightsProblem {
  code:
    | 'not-an-integer'
    | 'zero'
    | 'out-of-range'
    | 'install-profiles-without-inspect'
    | 'install-provisioning-profiles-without-inspect';
  message: string;
}

/** What an `AccessRights` value may be given as. */
export type AccessRightsInput = number | bigint | PlistInteger;

const ENTRIES = Object.entries(ACCESS_RIGHTS) as [AccessRight, number][];

function toNumber(value: AccessRightsInput): number {
  const v = typeof value === 'object' && value !== null ? value.value : value;
  return typeof v === 'bigint' ? (v >= 0n && v <= 0xffffffffn ? Number(v) : Number.NaN) : Number(v);
}

/**
 * The named rights set in `value`, in bit order. Bits Apple does not define (above 4096)
 * are ignored here; {@link checkAccessRights} reports them.
 *
 * @example decodeAccessRights(8191).length // 13
 * @example decodeAccessRights(3) // ['inspectProfiles', 'installRemoveProfiles']
 */
export function decodeAccessRights(value: AccessRightsInput): AccessRight[] {
  const n = toNumber(value);
  if (!Number.isInteger(n) || n < 0) return [];
  return ENTRIES.filter(([, bit]) => (n & bit) !== 0).map(([name]) => name);
}

/**
 * The bitmask for a list of rights.
 *
 * @example encodeAccessRights(['inspectProfiles', 'installRemoveProfiles']) // 3
 */
export function encodeAccessRights(rights: Iterable<AccessRight>): number {
  if (
    typeof rights !== 'object' ||
    rights === null ||
    typeof (rights as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new InvalidArgumentError(
      'rights',
      `encodeAccessRights() expects an array of access right names, got ${kindOf(rights)}`,
    );
  }
  let n = 0;
  for (const r of rights) {
    const bit = typeof r === 'string' && Object.hasOwn(ACCESS_RIGHTS, r) ? ACCESS_RIGHTS[r] : undefined;
    if (bit === undefined) {
      const guess = typeof r === 'string' ? closest(r, Object.keys(ACCESS_RIGHTS)) : undefined;
      throw new InvalidArgumentError(
        'rights',
        `unknown access right ${typeof r === 'string' ? JSON.stringify(r.slice(0, 40)) : kindOf(r)}${guess ? `; did you mean "${guess}"?` : ''}`,
      );
    }
    n |= bit;
  }
  return n;
}

/**
 * Checks an `AccessRights` value against Apple's rules: an integer from 1 to 8191 (no bits
 * Apple does not define), `2` only with `1`, `128` only with `64`. Returns every broken
 * rule; an empty list means the value is valid.
 *
 * @example checkAccessRights(2) // [{ code: 'install-profiles-without-inspect', … }]
 */
export function checkAccessRights(value: AccessRightsInput): AccessRightsProblem[] {
  const n = toNumber(value);
  if (!Number.isInteger(n)) {
    return [{ code: 'not-an-integer', message: `AccessRights must be an integer, got ${String(value)}` }];
  }
  if (n === 0) {
    return [
      {
        code: 'zero',
        message: "AccessRights must not be 0 (Apple: \"Don't set to '0'\"); omit the key or grant at least one right",
      },
    ];
  }
  const problems: AccessRightsProblem[] = [];
  if (n < 0 || n > ALL_ACCESS_RIGHTS) {
    problems.push({
      code: 'out-of-range',
      message: `AccessRights ${n} is outside 1–${ALL_ACCESS_RIGHTS}; only the 13 bits 1…4096 are defined`,
    });
    if (n < 0) return problems;
  }
  if (n & 2 && !(n & 1)) {
    problems.push({
      code: 'install-profiles-without-inspect',
      message:
        "AccessRights sets 2 (install/remove profiles) without 1 (inspect profiles); Apple: \"Specify '1' if you specify '2'\"",
    });
  }
  if (n & 128 && !(n & 64)) {
    problems.push({
      code: 'install-provisioning-profiles-without-inspect',
      message:
        "AccessRights sets 128 (install/remove provisioning profiles) without 64 (inspect provisioning profiles); Apple: \"Specify '64' if you specify '128'\"",
    });
  }
  return problems;
}
