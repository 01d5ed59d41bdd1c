/**
 * What every payload builder shares: the metadata options, option checks that throw
 * {@link PayloadOptionError}, and the final validation against Apple's schema.
 * Not part of the public API apart from {@link PayloadOptions}.
 */
import { PayloadOptionError, ProfileValidationError } from '../errors.js';
import type { PayloadType } from '../generated/payload-types.js';
import { checkOptions } from '../internal/args.js';
import type { PayloadDefinition, PayloadMetadata } from '../profile/types.js';
import { isPlainDict } from '../schema/check.js';
import { validatePayload } from '../schema/validate.js';

/** Options every builder accepts, mapped to the common payload keys. */
export interface PayloadOptions {
  /**
   * `PayloadIdentifier`. Leave it out to get `<profile identifier>.<kind>` from `createProfile`.
   * Set it when the same payload must keep its identity across differently named profiles.
   */
  identifier?: string;
  /** `PayloadUUID`. Leave it out: `createProfile` derives a stable one. */
  uuid?: string;
  /** `PayloadDisplayName`, shown in the profile's details on the device. */
  displayName?: string;
  /** `PayloadDescription`. */
  description?: string;
  /** `PayloadOrganization`. */
  organization?: string;
}

/** Names of {@link PayloadOptions}, which builders with open-ended options must not treat as keys. */
export const PAYLOAD_OPTION_NAMES: ReadonlySet<string> = new Set([
  'identifier',
  'uuid',
  'displayName',
  'description',
  'organization',
]);

/** The common keys set by {@link PayloadOptions}. */
export function metadataFrom(builder: string, options: PayloadOptions): PayloadMetadata {
  const out: PayloadMetadata = {};
  const map = [
    ['identifier', 'PayloadIdentifier'],
    ['uuid', 'PayloadUUID'],
    ['displayName', 'PayloadDisplayName'],
    ['description', 'PayloadDescription'],
    ['organization', 'PayloadOrganization'],
  ] as const;
  for (const [option, key] of map) {
    const v = options[option];
    if (v === undefined) continue;
    out[key] = stringOption(builder, option, v);
  }
  return out;
}

/**
 * Throws unless `options` is a plain object; returns it typed. With `known`, a key that is
 * not an option is refused with a did-you-mean (`wifi({ autojoin: true })` → `autoJoin`):
 * a misspelt option used to be silently ignored (issue #15 item 17).
 */
export function optionsObject<T extends object>(
  builder: string,
  options: T | undefined,
  known?: readonly string[],
  argument = 'options',
): T {
  if (!isPlainDict(options)) {
    throw new PayloadOptionError(builder, '(options)', 'must be an object', {
      hint: `call ${builder}({ … }) with an options object`,
    });
  }
  if (known) checkOptions(`${builder}()`, options, known, argument);
  return options;
}

/** The option names of {@link PayloadOptions}, for {@link optionsObject}'s `known`. */
export const PAYLOAD_OPTIONS: readonly string[] = ['identifier', 'uuid', 'displayName', 'description', 'organization'];

/** A string option; `nonEmpty` also rejects `''` and whitespace. */
export function stringOption(builder: string, option: string, value: unknown, nonEmpty = true): string {
  if (typeof value !== 'string') {
    throw new PayloadOptionError(builder, option, `must be a string, got ${describe(value)}`);
  }
  if (nonEmpty && value.trim() === '') throw new PayloadOptionError(builder, option, 'must not be empty');
  return value;
}

/** An optional boolean option. */
export function booleanOption(builder: string, option: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new PayloadOptionError(builder, option, `must be true or false, got ${describe(value)}`);
  }
  return value;
}

/** A URL option (absolute, one of `protocols`). */
export function urlOption(builder: string, option: string, value: unknown, protocols: readonly string[]): string {
  const s = stringOption(builder, option, value);
  let url: URL;
  try {
    url = new URL(s);
  } catch (cause) {
    throw new PayloadOptionError(builder, option, 'is not an absolute URL', {
      cause,
      hint: `write it like ${protocols[0]}//host/path`,
    });
  }
  if (!protocols.includes(url.protocol)) {
    throw new PayloadOptionError(builder, option, `must use ${protocols.join(' or ')}, not ${url.protocol}`);
  }
  return s;
}

/** A `Uint8Array` option. */
export function bytesOption(builder: string, option: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new PayloadOptionError(builder, option, `must be a Uint8Array (or Buffer), got ${describe(value)}`);
  }
  if (value.length === 0) throw new PayloadOptionError(builder, option, 'is empty');
  return value;
}

/** Copies `keys` without its `undefined` values. */
export function compact<T extends Record<string, unknown>>(keys: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(keys)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Builds the definition and validates it against Apple's schema (no target OS warnings: the
 * builder does not know the device; `createProfile` re-validates with it).
 *
 * @throws {ProfileValidationError} when the keys break the schema.
 */
export function finish<T extends PayloadType>(
  builder: string,
  payloadType: T,
  keys: Record<string, unknown>,
  metadata: PayloadMetadata,
): PayloadDefinition<T> {
  const definition = { PayloadType: payloadType, ...compact(keys), ...compact({ ...metadata }) };
  const result = validatePayload(payloadType, definition);
  if (!result.valid) {
    throw new ProfileValidationError(`${builder}()`, result.errors, result.warnings, {
      hint: `check the ${builder}() options (paths are ${payloadType} keys)`,
    });
  }
  return definition as unknown as PayloadDefinition<T>;
}

/** The type of a value for messages; never the value itself (options may be secrets). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value === 'object' ? 'an object' : typeof value;
}
