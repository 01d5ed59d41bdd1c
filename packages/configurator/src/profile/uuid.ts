/**
 * Name-based UUIDs (version 5, SHA-1), so the same profile always gets the same `PayloadUUID`s.
 *
 * Why: "During a profile replacement, the system updates payloads with the same
 * 'PayloadIdentifier' and 'PayloadUUID' in the old and new profiles"
 * (`mdm/profiles/CommonPayloadKeys.yaml`). Random UUIDs would make every rebuild of a profile
 * a different payload set; derived ones make reinstalling replace rather than duplicate, and
 * keep rebuilt files byte-identical (so their signatures are stable too).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9562#section-5.5 RFC 9562 §5.5 (UUID version 5)
 * @module
 */

import { createHash } from 'node:crypto';
import { ConfiguratorError } from '../errors.js';
import { checkString } from '../internal/args.js';

/** RFC 9562 namespace for DNS names. */
export const UUID_NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
/** RFC 9562 namespace for URLs. */
export const UUID_NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * The namespace of every UUID `createProfile` derives:
 * `uuidV5('urn:schoolmdm:configuration-profile', UUID_NAMESPACE_URL)`. Fixed forever: changing
 * it would change every profile's UUIDs and make devices install duplicates.
 */
export const PROFILE_UUID_NAMESPACE = '4a7b2e63-b00d-5393-b940-59dc18952d26';

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A version-5 UUID of `name` in `namespace` (RFC 9562 §5.5), lower-case.
 *
 * @param name - UTF-8 encoded when a string.
 * @param namespace - a UUID in its 36-character text form.
 * @throws {ConfiguratorError} when `namespace` is not a UUID.
 * @example
 * uuidV5('www.example.com', UUID_NAMESPACE_DNS); // '2ed6657d-e927-568b-95e1-2665a8aea6a2'
 */
export function uuidV5(name: string | Uint8Array, namespace: string): string {
  if (typeof namespace !== 'string' || !UUID_TEXT.test(namespace)) {
    throw new ConfiguratorError('uuidV5: the namespace is not a UUID', {
      hint: 'pass a UUID such as UUID_NAMESPACE_DNS or PROFILE_UUID_NAMESPACE',
    });
  }
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(typeof name === 'string' ? Buffer.from(name, 'utf8') : name)
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80; // variant 10 (RFC 9562)
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The `PayloadUUID` `createProfile` gives a profile: the v5 UUID of its identifier in
 * {@link PROFILE_UUID_NAMESPACE}, upper-cased like the UUIDs Apple's tools write.
 */
export function profileUuid(profileIdentifier: string): string {
  checkString('profileUuid()', 'profileIdentifier', profileIdentifier);
  return uuidV5(profileIdentifier, PROFILE_UUID_NAMESPACE).toUpperCase();
}

/**
 * The `PayloadUUID` `createProfile` gives a payload: the v5 UUID of
 * `profileIdentifier + '/' + payloadIdentifier`, upper-cased.
 */
export function payloadUuid(profileIdentifier: string, payloadIdentifier: string): string {
  checkString('payloadUuid()', 'profileIdentifier', profileIdentifier);
  checkString('payloadUuid()', 'payloadIdentifier', payloadIdentifier);
  return uuidV5(`${profileIdentifier}/${payloadIdentifier}`, PROFILE_UUID_NAMESPACE).toUpperCase();
}
