/**
 * `createProfile`: payload definitions in, a validated {@link Profile} with stable UUIDs out.
 *
 * @module
 */

import { InvalidArgumentError } from '@schoolmdm/core';
import { PayloadOptionError, ProfileValidationError } from '../errors.js';
import { checkOptions } from '../internal/args.js';
import { integer, type PlistDict, type PlistValue } from '../plist/index.js';
import type { PathSegment } from '../plist/path.js';
import { formatPath } from '../plist/path.js';
import { isPlainDict } from '../schema/check.js';
import type { ValidationIssue, ValidationOptions } from '../schema/issues.js';
import {
  COMMON_PAYLOAD_KEYS_SCHEMA,
  getPayloadSchema,
  openPayloadSchema,
  TOP_LEVEL_SCHEMA,
} from '../schema/registry.js';
import type { OsName } from '../schema/types.js';
import { validateProfile } from '../schema/validate.js';
import { assignIdentifiers } from './identifiers.js';
import { convertDictionary, type ModelContext } from './model.js';
import { Profile } from './profile.js';
import type { CreateProfileOptions, PayloadInput, ProfilePayloadSummary, TargetDeviceType } from './types.js';
import { payloadUuid, profileUuid } from './uuid.js';

/** `TargetDeviceType` → the OS whose rules apply (HomePod runs a tvOS derivative). */
const OS_OF_TARGET: Record<TargetDeviceType, OsName> = {
  0: 'iOS',
  1: 'iOS',
  2: 'watchOS',
  3: 'tvOS',
  4: 'tvOS',
  5: 'macOS',
  6: 'visionOS',
};

const CREATE_PROFILE_OPTIONS = [
  'identifier',
  'displayName',
  'organization',
  'description',
  'payloads',
  'removalDisallowed',
  'targetDeviceType',
  'removalDate',
  'durationUntilRemoval',
  'expirationDate',
  'consentText',
  'uuid',
  'validation',
] as const;

/**
 * Builds a configuration profile.
 *
 * - Payload identifiers default to `<identifier>.<kind>` (`org.example.wifi.wifi`,
 *   `org.example.wifi.security.root`, then `.2`, `.3`… for more of a kind).
 * - UUIDs are UUIDv5 of the identifiers (profile: `identifier`; payload:
 *   `identifier + '/' + payloadIdentifier`), so rebuilding gives the same UUIDs and
 *   reinstalling replaces the profile instead of duplicating it.
 * - A payload object passed to a certificate key (`PayloadCertificateUUID`,
 *   `IdentityCertificateUUID`, `PayloadCertificateAnchorUUID` items…) becomes that payload's UUID.
 * - Numbers are typed by Apple's schema (`DurationUntilRemoval: 3600` → `<real>3600.0</real>`).
 * - Everything is validated ({@link validateProfile}); warnings land on `profile.warnings`.
 *
 * @throws {ProfileValidationError} listing every error with its path; secret values never appear.
 * @throws {PayloadOptionError} when `identifier`, `displayName` or `payloads` is not usable at all.
 * @throws {InvalidArgumentError} when `options` is missing or names an option that does not exist.
 * An empty `payloads` array is allowed but warned about (`empty-profile` in `profile.warnings`).
 * @example
 * const profile = createProfile({
 *   identifier: 'org.example.school.bootstrap-wifi',
 *   displayName: 'School Wi-Fi (setup)',
 *   payloads: [wifi({ ssid: 'Schul-WLAN', security: 'WPA2', password })],
 * });
 * await writeFile('wifi.mobileconfig', profile.toBytes());
 */
export function createProfile(options: CreateProfileOptions): Profile {
  if (options === undefined || options === null) {
    throw new InvalidArgumentError('options', 'createProfile() needs { identifier, displayName, payloads }');
  }
  checkOptions('createProfile()', options, CREATE_PROFILE_OPTIONS);
  const { identifier, displayName } = options;
  if (typeof identifier !== 'string' || identifier.trim() === '') {
    throw new PayloadOptionError('createProfile', 'identifier', 'must be a non-empty string', {
      hint: "use a reverse-DNS name such as 'org.example.school.wifi'",
    });
  }
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw new PayloadOptionError('createProfile', 'displayName', 'must be a non-empty string', {
      hint: 'name the profile as users should see it on the device',
    });
  }
  const payloads = checkPayloadList(options.payloads);
  const identifiers = assignIdentifiers(identifier, payloads);
  const uuids = payloads.map((p, i) =>
    typeof p.PayloadUUID === 'string' ? p.PayloadUUID : payloadUuid(identifier, identifiers[i] ?? ''),
  );
  const references = new Map<object, string>(payloads.map((p, i) => [p, uuids[i] ?? '']));
  const ctx: ModelContext = { references, problems: [] };

  const content: PlistDict[] = payloads.map((p, i) => {
    const schema = getPayloadSchema(p.PayloadType) ?? openPayloadSchema(p.PayloadType);
    const dict = convertDictionary(
      ctx,
      schema,
      p as unknown as Record<string, unknown>,
      schema.dictionary,
      ['PayloadContent', i],
      new Set(),
      COMMON_PAYLOAD_KEYS_SCHEMA.dictionary,
    );
    return {
      ...dict,
      PayloadIdentifier: identifiers[i] ?? '',
      PayloadUUID: uuids[i] ?? '',
      PayloadVersion: (dict.PayloadVersion as PlistValue | undefined) ?? integer(1),
    };
  });

  const top: Record<string, unknown> = {
    PayloadContent: content,
    PayloadDisplayName: displayName,
    PayloadIdentifier: identifier,
    PayloadType: 'Configuration',
    PayloadUUID: options.uuid ?? profileUuid(identifier),
    PayloadVersion: 1,
    PayloadOrganization: options.organization,
    PayloadDescription: options.description,
    PayloadRemovalDisallowed: options.removalDisallowed,
    TargetDeviceType: options.targetDeviceType ?? 1,
    RemovalDate: options.removalDate,
    DurationUntilRemoval: options.durationUntilRemoval,
    PayloadExpirationDate: options.expirationDate,
    ConsentText: options.consentText,
  };
  const model = convertDictionary(ctx, TOP_LEVEL_SCHEMA, top, TOP_LEVEL_SCHEMA.dictionary, [], new Set());
  model.PayloadContent = content; // already converted, with their own payload schemas

  const validation: ValidationOptions = {
    os: OS_OF_TARGET[(options.targetDeviceType ?? 1) as TargetDeviceType] ?? 'iOS',
    ...options.validation,
  };
  const result = validateProfile(model, validation);
  // A value that could not be converted is reported once, not again by the validator.
  const problemPaths = new Set(ctx.problems.map((p) => formatPath(p.path)));
  const errors: ValidationIssue[] = [
    ...ctx.problems.map(problemIssue),
    ...result.errors.filter((e) => !problemPaths.has(e.path)),
  ];
  if (errors.length) {
    throw new ProfileValidationError(`profile ${identifier}`, errors, result.warnings, {
      hint: 'fix the listed keys; each path points into the profile (PayloadContent[i] is the i-th payload)',
    });
  }
  const summaries: ProfilePayloadSummary[] = content.map((d) => ({
    type: String(d.PayloadType),
    identifier: String(d.PayloadIdentifier),
    uuid: String(d.PayloadUUID),
    ...(typeof d.PayloadDisplayName === 'string' ? { displayName: d.PayloadDisplayName } : {}),
  }));
  return new Profile(model, summaries, result.warnings);
}

function checkPayloadList(payloads: unknown): PayloadInput[] {
  if (!Array.isArray(payloads)) {
    throw new PayloadOptionError('createProfile', 'payloads', 'must be an array of payloads', {
      hint: 'build payloads with wifi(), rootCertificate(), payload(type, keys)…',
    });
  }
  payloads.forEach((p: unknown, i) => {
    if (!isPlainDict(p) || typeof p.PayloadType !== 'string' || p.PayloadType === '') {
      throw new PayloadOptionError(
        'createProfile',
        `payloads[${i}]`,
        'is not a payload (an object with a PayloadType)',
        {
          hint: 'build payloads with wifi(), rootCertificate(), payload(type, keys)…',
        },
      );
    }
  });
  const seen = new Set<unknown>();
  payloads.forEach((p: unknown, i) => {
    if (seen.has(p)) {
      throw new PayloadOptionError('createProfile', `payloads[${i}]`, 'is the same object as an earlier payload', {
        hint: 'build a second payload (with its own identifier) instead of listing one twice',
      });
    }
    seen.add(p);
  });
  return payloads as PayloadInput[];
}

function problemIssue(p: { path: PathSegment[]; kind: 'unresolved-reference' | 'circular' }): ValidationIssue {
  const path = formatPath(p.path);
  return p.kind === 'unresolved-reference'
    ? {
        severity: 'error',
        code: 'certificate-reference',
        path,
        message: `${path}: the referenced payload object is not in this profile's payloads`,
        hint: 'add that certificate or identity payload to payloads as well',
      }
    : {
        severity: 'error',
        code: 'cycle',
        path,
        message: `${path}: the value contains itself (a circular reference)`,
        hint: 'plists are trees; copy the shared part instead of nesting an object in itself',
      };
}
