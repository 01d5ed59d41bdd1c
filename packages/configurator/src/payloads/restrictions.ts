/**
 * `restrictions()`: a `com.apple.applicationaccess` payload with friendly names for Apple's
 * `allow…` booleans (`camera: false` → `allowCamera: false`); any other key of the payload
 * (`forceEncryptedBackup`, `ratingApps`…) can be given under Apple's name.
 *
 * Many restrictions work on supervised devices only (104 of 188 on iOS in the pinned schema);
 * `createProfile` warns about those when told the target is unsupervised.
 *
 * @module
 */
import { PayloadOptionError } from '../errors.js';
import type { ApplicationaccessPayload } from '../generated/payload-types.js';
import { RESTRICTION_KEYS, type RestrictionName } from '../generated/restrictions.js';
import type { PayloadDefinition } from '../profile/types.js';
import { getPayloadSchema } from '../schema/registry.js';
import { closest } from '../schema/suggest.js';
import { describe, finish, metadataFrom, optionsObject, PAYLOAD_OPTION_NAMES, type PayloadOptions } from './common.js';

const BUILDER = 'restrictions';

/** The friendly names: `false` forbids, `true` allows (Apple's default for almost all). */
export type FriendlyRestrictions = { [K in RestrictionName]?: boolean };

/** Options of {@link restrictions}: friendly names, Apple's own keys, and the common payload options. */
export type RestrictionsOptions = FriendlyRestrictions & Partial<ApplicationaccessPayload> & PayloadOptions;

/**
 * A restrictions payload (`com.apple.applicationaccess`).
 *
 * @throws {PayloadOptionError} for an unknown name (with a suggestion), a non-boolean friendly
 *   value, or a friendly name and its Apple key set to different values.
 * @example
 * restrictions({ eraseContentAndSettings: false, airDrop: false, forceEncryptedBackup: true, ratingApps: 600 });
 */
export function restrictions(options: RestrictionsOptions): PayloadDefinition<'com.apple.applicationaccess'> {
  const o = optionsObject(BUILDER, options) as Record<string, unknown>;
  const schemaKeys = getPayloadSchema('com.apple.applicationaccess')?.dictionary.keys ?? {};
  const keys: Record<string, unknown> = {};
  const fromFriendly = new Map<string, string>();
  for (const [name, value] of Object.entries(o)) {
    if (value === undefined || PAYLOAD_OPTION_NAMES.has(name)) continue;
    if (Object.hasOwn(RESTRICTION_KEYS, name)) {
      if (typeof value !== 'boolean') {
        throw new PayloadOptionError(BUILDER, name, `must be true or false, got ${describe(value)}`);
      }
      const key = RESTRICTION_KEYS[name as RestrictionName];
      setKey(keys, key, value, name, fromFriendly);
    } else if (Object.hasOwn(schemaKeys, name)) {
      setKey(keys, name, value, name, fromFriendly);
    } else {
      const guess = closest(name, [...Object.keys(RESTRICTION_KEYS), ...Object.keys(schemaKeys)]);
      throw new PayloadOptionError(BUILDER, name, 'is not a restriction in Apple’s schema', {
        hint: guess
          ? `did you mean ${guess}?`
          : "for a key newer than this SDK's schema, use payload('com.apple.applicationaccess', { … })",
      });
    }
  }
  return finish(BUILDER, 'com.apple.applicationaccess', keys, metadataFrom(BUILDER, o));
}

function setKey(
  keys: Record<string, unknown>,
  key: string,
  value: unknown,
  option: string,
  fromFriendly: Map<string, string>,
): void {
  if (Object.hasOwn(keys, key) && keys[key] !== value) {
    throw new PayloadOptionError(BUILDER, option, `conflicts with ${fromFriendly.get(key) ?? key} (both set ${key})`, {
      hint: 'set each restriction once',
    });
  }
  keys[key] = value;
  fromFriendly.set(key, option);
}
