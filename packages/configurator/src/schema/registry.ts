/**
 * Access to the generated schema (`src/generated/payload-schemas.ts`).
 *
 * @module
 */
import {
  COMMON_PAYLOAD_KEYS_SCHEMA,
  PAYLOAD_SCHEMAS,
  SCHEMA_SOURCE,
  TOP_LEVEL_SCHEMA,
} from '../generated/payload-schemas.js';
import type { PayloadSchema } from './types.js';

export { COMMON_PAYLOAD_KEYS_SCHEMA, PAYLOAD_SCHEMAS, SCHEMA_SOURCE, TOP_LEVEL_SCHEMA };

/**
 * The runtime schema of a payload type, or `undefined` when Apple's schema (at the pinned
 * commit, see {@link SCHEMA_SOURCE}) does not describe it.
 *
 * @example
 * getPayloadSchema('com.apple.wifi.managed')?.dictionary.keys.EncryptionType?.rangelist;
 * // ['WEP', 'WPA', 'WPA2', 'WPA3', 'Any', 'None']
 */
export function getPayloadSchema(payloadType: string): PayloadSchema | undefined {
  return Object.hasOwn(PAYLOAD_SCHEMAS, payloadType) ? PAYLOAD_SCHEMAS[payloadType] : undefined;
}

/**
 * A schema that accepts any key, for payload types Apple's schema does not describe (a newer
 * Apple payload, a vendor's own): only the common `Payload*` keys get checked.
 */
export function openPayloadSchema(payloadType: string): PayloadSchema {
  return { payloadType, title: payloadType, sources: [], os: {}, dictionary: { keys: {}, anyKey: { type: 'any' } } };
}
