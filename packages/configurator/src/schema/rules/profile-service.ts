/**
 * Profile Service documents: the first step of over-the-air enrollment and of UDID
 * collection. Not part of the public API; see `validateProfile`.
 *
 * Apple's schema (`mdm/profiles/TopLevel.yaml`) describes only `PayloadType` `Configuration`,
 * but iOS also installs a top-level `PayloadType` `Profile Service` whose `PayloadContent` is
 * a dictionary: `URL` (where the device posts its signed attributes), `DeviceAttributes` (which
 * attributes to send) and an optional `Challenge`. Source: Apple's "Over-the-Air Profile
 * Delivery and Configuration" (2010–2018, developer.apple.com archive), "Phase 1 – Profile
 * Service Payload"; MDM vendors still serve it for enrollment (issue #15 item 5).
 */
import type { PathSegment } from '../../plist/path.js';
import { type CheckContext, checkDictionary, isPlainDict } from '../check.js';
import { describeValue } from '../sensitive.js';
import type { DictionarySchema, PayloadSchema } from '../types.js';

/** `PayloadType` of a Profile Service document. */
export const PROFILE_SERVICE_TYPE = 'Profile Service';

/** Device attributes Apple's OTA document lists (plus those devices are known to return). */
export const PROFILE_SERVICE_ATTRIBUTES: readonly string[] = [
  'UDID',
  'VERSION',
  'PRODUCT',
  'SERIAL',
  'MAC_ADDRESS_EN0',
  'DEVICE_NAME',
  'IMEI',
  'MEID',
  'ICCID',
  'COMPROMISED',
  'DeviceID',
  'SPIRIT',
];

const TOP: DictionarySchema = {
  keys: {
    PayloadType: { type: 'string', required: true, rangelist: [PROFILE_SERVICE_TYPE] },
    PayloadVersion: { type: 'integer', required: true, rangelist: [1] },
    PayloadIdentifier: { type: 'string', required: true },
    PayloadUUID: { type: 'string', required: true },
    PayloadDisplayName: { type: 'string' },
    PayloadDescription: { type: 'string' },
    PayloadOrganization: { type: 'string' },
  },
};

const CONTENT: DictionarySchema = {
  keys: {
    URL: { type: 'string', required: true, valueType: 'url' },
    DeviceAttributes: { type: 'array', required: true, items: { type: 'string' } },
    Challenge: { type: 'string' },
  },
};

const SCHEMA: PayloadSchema = {
  payloadType: PROFILE_SERVICE_TYPE,
  title: 'Profile Service',
  sources: [],
  os: {},
  dictionary: TOP,
};

/** Validates a Profile Service document (the caller has checked `PayloadType`). */
export function checkProfileService(ctx: CheckContext, doc: Record<string, unknown>): void {
  checkDictionary(ctx, SCHEMA, doc, TOP, {}, [], { skip: new Set(['PayloadContent']) });
  const content = doc.PayloadContent;
  const path: PathSegment[] = ['PayloadContent'];
  if (!isPlainDict(content)) {
    ctx.report(
      'error',
      content === undefined ? 'required' : 'type',
      path,
      'a Profile Service needs a PayloadContent dictionary',
      {
        expected: 'dictionary with URL and DeviceAttributes',
      },
    );
    return;
  }
  checkDictionary(ctx, SCHEMA, content, CONTENT, {}, path);
  const url = content.URL;
  if (typeof url === 'string' && !url.startsWith('https://')) {
    ctx.report(
      'error',
      'format',
      [...path, 'URL'],
      'the device posts its attributes here, which must be an https:// URL',
      {
        expected: 'an https:// URL',
        found: describeValue(url, [...path, 'URL']),
      },
    );
  }
  const attrs = content.DeviceAttributes;
  if (Array.isArray(attrs)) {
    if (attrs.length === 0) {
      ctx.report('error', 'repetition', [...path, 'DeviceAttributes'], 'DeviceAttributes is empty', {
        expected: 'at least one attribute, e.g. UDID',
      });
    }
    attrs.forEach((a, i) => {
      if (typeof a === 'string' && !PROFILE_SERVICE_ATTRIBUTES.includes(a)) {
        ctx.report(
          'warning',
          'unknown-key',
          [...path, 'DeviceAttributes', i],
          `${JSON.stringify(a.slice(0, 40))} is not a device attribute Apple documents`,
          {
            hint: `known: ${PROFILE_SERVICE_ATTRIBUTES.join(', ')}`,
          },
        );
      }
    });
  }
}
