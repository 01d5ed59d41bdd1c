/**
 * Validation of payloads and whole profiles against Apple's schema plus the rules Apple states
 * only in prose.
 *
 * @module
 */
import { InvalidArgumentError } from '@schoolmdm/core';
import { checkBoolean, checkOneOf, checkOptions, kindOf } from '../internal/args.js';
import type { PathSegment } from '../plist/path.js';
import { readWarningsOf } from '../plist/read-warnings.js';
import { CheckContext, checkDictionary, isPlainDict } from './check.js';
import { checkPayloadOs } from './check-os.js';
import type { ValidationOptions, ValidationResult } from './issues.js';
import { COMMON_PAYLOAD_KEYS_SCHEMA, getPayloadSchema, openPayloadSchema, TOP_LEVEL_SCHEMA } from './registry.js';
import { checkMdm } from './rules/mdm.js';
import { checkProfileService, PROFILE_SERVICE_TYPE } from './rules/profile-service.js';
import { checkReferences } from './rules/references.js';
import { checkRemoval } from './rules/removal.js';
import { checkUniqueness, type LocatedPayload } from './rules/uniqueness.js';
import { checkWifi } from './rules/wifi.js';
import { OS_NAMES } from './types.js';

/**
 * Validates one payload's keys against Apple's schema for `payloadType`.
 *
 * Checks type, `rangelist`, `range`, `format`, required keys, and OS applicability for the
 * target in `options` (keys Apple marks supervised-only warn on `supervised: false`; keys not
 * on the target OS, removed or deprecated warn). Unknown keys warn rather than fail, so a key
 * Apple added after the pinned schema never blocks a caller. The common `Payload*` keys are
 * checked when present but not required here (`createProfile` fills them in);
 * certificate references can only be resolved by {@link validateProfile}.
 *
 * @param payloadType - e.g. `com.apple.wifi.managed`; an unknown type gives one warning.
 * @param keys - the payload dictionary (builder output or a plain object).
 * @example
 * const r = validatePayload('com.apple.wifi.managed', { SSID_STR: 'Schule', EncryptionType: 'WPA4' });
 * r.valid; // false
 * r.errors[0].path; // 'EncryptionType'
 */
export function validatePayload(payloadType: string, keys: unknown, options?: ValidationOptions): ValidationResult {
  if (typeof payloadType !== 'string' || payloadType === '') {
    throw new InvalidArgumentError(
      'payloadType',
      `validatePayload() expects a payload type such as "com.apple.wifi.managed", got ${kindOf(payloadType)}`,
    );
  }
  const ctx = new CheckContext(checkValidationOptions('validatePayload()', options), true);
  if (!isPlainDict(keys)) {
    ctx.report('error', 'type', [], 'a payload must be a plain object', { expected: 'dictionary' });
    return result(ctx);
  }
  if (keys.PayloadType !== undefined && keys.PayloadType !== payloadType) {
    ctx.report('error', 'payload-type-mismatch', ['PayloadType'], `PayloadType does not match ${payloadType}`, {
      expected: payloadType,
      found: typeof keys.PayloadType === 'string' ? keys.PayloadType : typeof keys.PayloadType,
    });
  }
  checkPayload(ctx, payloadType, keys, [], false);
  return result(ctx);
}

/**
 * Validates a whole profile: the top-level dictionary (`TopLevel.yaml`), every payload of
 * `PayloadContent` by its `PayloadType`, and the profile-wide rules: unique
 * `PayloadIdentifier`s and `PayloadUUID`s, certificate references (`PayloadCertificateUUID`,
 * `IdentityCertificateUUID`, `PayloadCertificateAnchorUUID`…) that resolve to a certificate or
 * identity payload of the same profile, `DurationUntilRemoval` vs `RemovalDate`, the MDM
 * `Topic` prefix and `AccessRights` bits.
 *
 * Works on any profile dictionary, e.g. one read with `readPlist` from a downloaded
 * enrollment profile. Paths look like `PayloadContent[2].EncryptionType`.
 *
 * @example
 * const { valid, errors, warnings } = validateProfile(readPlist(bytes) as Record<string, unknown>, { supervised: false });
 */
export function validateProfile(profile: unknown, options?: ValidationOptions): ValidationResult {
  const ctx = new CheckContext(checkValidationOptions('validateProfile()', options), false);
  if (!isPlainDict(profile)) {
    ctx.report('error', 'type', [], 'a profile must be a dictionary', { expected: 'dictionary' });
    return result(ctx);
  }
  for (const w of readWarningsOf(profile)) {
    ctx.report('warning', 'duplicate-key', parsePathForReport(w.path), w.message.slice(w.path.length + 2), {
      hint: `${w.line !== undefined ? `line ${w.line}: ` : ''}remove one of the two; readPlist(…, { duplicateKeys: 'error' }) refuses such files`,
    });
  }
  if (profile.PayloadType === PROFILE_SERVICE_TYPE) {
    checkProfileService(ctx, profile);
    return result(ctx);
  }
  checkDictionary(ctx, TOP_LEVEL_SCHEMA, profile, TOP_LEVEL_SCHEMA.dictionary, TOP_LEVEL_SCHEMA.os, [], {
    skip: new Set(['PayloadContent']),
  });
  const located: LocatedPayload[] = [];
  const content = profile.PayloadContent;
  if (content === undefined) {
    // TopLevel.yaml: "If 'IsEncrypted' is 'true', this array isn't needed."
    if (profile.IsEncrypted !== true) {
      ctx.report('error', 'required', ['PayloadContent'], 'required key PayloadContent is missing', {
        expected: 'array',
        hint: 'add the payloads (an empty array is allowed)',
      });
    }
  } else if (!Array.isArray(content)) {
    ctx.report('error', 'type', ['PayloadContent'], 'expected array', { expected: 'array', found: typeof content });
  } else {
    if (content.length === 0 && profile.IsEncrypted !== true) {
      ctx.report('warning', 'empty-profile', ['PayloadContent'], 'the profile has no payload', {
        hint: 'a device installs it, but it changes nothing; add payloads or drop the profile',
      });
    }
    content.forEach((item: unknown, i) => {
      const path: PathSegment[] = ['PayloadContent', i];
      if (!isPlainDict(item)) {
        ctx.report('error', 'type', path, 'a payload must be a dictionary', { expected: 'dictionary' });
        return;
      }
      located.push({ dict: item, path });
      if (typeof item.PayloadType !== 'string') {
        ctx.report('error', 'required', [...path, 'PayloadType'], 'required key PayloadType is missing', {
          expected: 'string',
          hint: "set the payload's type, e.g. com.apple.wifi.managed",
        });
        return;
      }
      checkPayload(ctx, item.PayloadType, item, path, true);
    });
  }
  checkRemoval(ctx, profile);
  checkUniqueness(ctx, profile, located);
  const uuids = new Map<string, string>();
  for (const { dict } of located) {
    if (typeof dict.PayloadUUID === 'string' && typeof dict.PayloadType === 'string') {
      uuids.set(dict.PayloadUUID.toUpperCase(), dict.PayloadType);
    }
  }
  checkReferences(ctx, uuids);
  return result(ctx);
}

function checkPayload(
  ctx: CheckContext,
  payloadType: string,
  dict: Record<string, unknown>,
  path: PathSegment[],
  inProfile: boolean,
): void {
  const known = getPayloadSchema(payloadType);
  if (!known) {
    ctx.report('warning', 'unknown-payload-type', path, `${payloadType} is not a payload type in Apple's schema`, {
      hint: 'its own keys are not checked; check the spelling, or ignore this if Apple added the type after the schema this SDK was generated from',
    });
  } else {
    checkPayloadOs(ctx, known.os, path, payloadType);
  }
  const schema = known ?? openPayloadSchema(payloadType);
  checkDictionary(ctx, schema, dict, schema.dictionary, schema.os, [...path], {
    extraKeys: COMMON_PAYLOAD_KEYS_SCHEMA.dictionary,
    requireExtra: inProfile,
  });
  if (payloadType === 'com.apple.mdm') checkMdm(ctx, dict, path);
  if (payloadType === 'com.apple.wifi.managed') checkWifi(ctx, dict, path);
}

function result(ctx: CheckContext): ValidationResult {
  return { valid: ctx.errors.length === 0, errors: ctx.errors, warnings: ctx.warnings };
}

const VALIDATION_OPTIONS = ['os', 'osVersion', 'supervised', 'userEnrollment', 'sharedIpad'] as const;

/** Checks {@link ValidationOptions} (issue #15 item 17: `{ osVersion: 17 }` used to throw a TypeError). */
export function checkValidationOptions(fn: string, options: ValidationOptions | undefined): ValidationOptions {
  const o = checkOptions(fn, options, VALIDATION_OPTIONS);
  checkOneOf(fn, 'options.os', o.os, OS_NAMES);
  if (o.osVersion !== undefined && (typeof o.osVersion !== 'string' || !/^\d+(\.\d+){0,2}$/.test(o.osVersion))) {
    throw new InvalidArgumentError(
      'options.osVersion',
      `${fn} expects a version string such as "17.4", got ${typeof o.osVersion === 'number' ? `the number ${o.osVersion}` : kindOf(o.osVersion)}`,
      { hint: 'pass the version as a string: "17" or "17.4"' },
    );
  }
  checkBoolean(fn, 'options.supervised', o.supervised);
  checkBoolean(fn, 'options.userEnrollment', o.userEnrollment);
  checkBoolean(fn, 'options.sharedIpad', o.sharedIpad);
  return o;
}

/** Turns a formatted path back into segments for `report` (which formats it again). */
function parsePathForReport(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  const re = /([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]!) as string);
  }
  return out;
}
