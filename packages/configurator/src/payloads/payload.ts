/**
 * `payload(type, keys)`: any of Apple's payload types by its own key names, typed by the
 * generated `PayloadTypeMap` and validated like the friendly builders.
 *
 * @module
 */
import { PayloadOptionError, ProfileValidationError } from '../errors.js';
import type { PayloadType, PayloadTypeMap } from '../generated/payload-types.js';
import type { PlistValue } from '../plist/index.js';
import type { PayloadDefinition, PayloadInput, PayloadMetadata } from '../profile/types.js';
import { isPlainDict } from '../schema/check.js';
import { validatePayload } from '../schema/validate.js';
import { compact } from './common.js';

/**
 * A payload of one of Apple's types, given by Apple's key names.
 *
 * The second signature takes a type Apple's schema (at the pinned commit) does not know, e.g.
 * a payload Apple added later or a vendor's own; its keys are then only checked for being
 * plist values, and `createProfile` warns about the unknown type.
 *
 * @throws {ProfileValidationError} when the keys break Apple's schema for `type`.
 * @example
 * payload('com.apple.mdm', { IdentityCertificateUUID: scepPayload, Topic, ServerURL, AccessRights: 8191 });
 * @example
 * payload('com.apple.education', { OrganizationUUID, OrganizationName: 'Example School', Groups: [], Users: [], UserIdentifier: '' });
 */
export function payload<T extends PayloadType>(
  type: T,
  keys: PayloadTypeMap[T] & PayloadMetadata,
): PayloadDefinition<T>;
export function payload<T extends string>(
  type: T extends PayloadType ? never : T,
  keys: { readonly [key: string]: PlistValue } & PayloadMetadata,
): PayloadInput;
export function payload(type: string, keys: object): PayloadInput {
  if (typeof type !== 'string' || type === '' || type === 'Configuration') {
    throw new PayloadOptionError('payload', 'type', 'must be a payload type such as com.apple.wifi.managed', {
      hint: "'Configuration' is the profile's own type; build profiles with createProfile()",
    });
  }
  if (!isPlainDict(keys)) throw new PayloadOptionError('payload', 'keys', 'must be a plain object of payload keys');
  // A PayloadType inside keys that differs from type is reported by validatePayload.
  const definition = { PayloadType: type, ...compact(keys as Record<string, unknown>) };
  const result = validatePayload(type, definition);
  if (!result.valid) {
    throw new ProfileValidationError(`payload(${JSON.stringify(type)})`, result.errors, result.warnings, {
      hint: `check the keys against Apple's schema for ${type}`,
    });
  }
  return definition as PayloadInput;
}
