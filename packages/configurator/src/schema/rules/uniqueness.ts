/**
 * Identifier and UUID uniqueness inside a profile (`mdm/profiles/CommonPayloadKeys.yaml`):
 * a payload's `PayloadIdentifier` "must be unique within the profile", and "during a profile
 * replacement, the system updates payloads with the same 'PayloadIdentifier' and 'PayloadUUID'",
 * so two payloads sharing either would overwrite each other. Also: payload types Apple marks
 * `multiple: false` for the target OS may appear once.
 */
import { formatPath, type PathSegment } from '../../plist/path.js';
import type { CheckContext } from '../check.js';
import { getPayloadSchema } from '../registry.js';

/** One payload dictionary of a profile with its path. */
export interface LocatedPayload {
  dict: Record<string, unknown>;
  path: PathSegment[];
}

/** Checks identifiers, UUIDs and `multiple: false` across the payloads of one profile. */
export function checkUniqueness(ctx: CheckContext, top: Record<string, unknown>, payloads: LocatedPayload[]): void {
  const identifiers = new Map<string, string>();
  const uuids = new Map<string, string>();
  if (typeof top.PayloadUUID === 'string') uuids.set(top.PayloadUUID.toUpperCase(), 'the profile itself');
  const typeCounts = new Map<string, number>();
  for (const { dict, path } of payloads) {
    const here = formatPath(path);
    if (typeof dict.PayloadIdentifier === 'string') {
      const first = identifiers.get(dict.PayloadIdentifier);
      if (first !== undefined) {
        ctx.report(
          'error',
          'duplicate-identifier',
          [...path, 'PayloadIdentifier'],
          `${first} has the same PayloadIdentifier`,
          {
            expected: 'a PayloadIdentifier unique within the profile',
            found: JSON.stringify(dict.PayloadIdentifier),
            hint: 'give each payload its own identifier (createProfile derives unique ones when you leave them out)',
          },
        );
      } else identifiers.set(dict.PayloadIdentifier, here);
    }
    if (typeof dict.PayloadUUID === 'string') {
      const key = dict.PayloadUUID.toUpperCase();
      const first = uuids.get(key);
      if (first !== undefined) {
        ctx.report('error', 'duplicate-uuid', [...path, 'PayloadUUID'], `${first} has the same PayloadUUID`, {
          expected: 'a PayloadUUID unique within the profile',
          found: dict.PayloadUUID,
          hint: 'leave PayloadUUID out: createProfile derives a stable, unique one from the identifiers',
        });
      } else uuids.set(key, here);
    }
    if (typeof dict.PayloadType === 'string') {
      const n = (typeCounts.get(dict.PayloadType) ?? 0) + 1;
      typeCounts.set(dict.PayloadType, n);
      const support = getPayloadSchema(dict.PayloadType)?.os[ctx.os];
      if (n === 2 && support?.multiple === false) {
        ctx.report('warning', 'multiple-payloads', path, `${dict.PayloadType} appears more than once`, {
          hint: `Apple allows one ${dict.PayloadType} payload per device on ${ctx.os}; merge them`,
        });
      }
    }
  }
}
