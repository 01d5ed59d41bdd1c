/**
 * MDM payload rules that Apple states only in prose (`mdm/profiles/com.apple.mdm.yaml`):
 *
 * - `Topic`: "The topic that MDM listens to for push notifications … The topic must begin with
 *   the 'com.apple.mgmt.' prefix";
 * - `AccessRights`: "Specify '1' if you specify '2'. Specify '64' if you specify '128'. Don't set
 *   to '0'", checked by the shared access-rights helper so both halves of the SDK agree.
 */
import { checkAccessRights } from '../../mdm/access-rights.js';
import { PlistInteger } from '../../plist/index.js';
import type { PathSegment } from '../../plist/path.js';
import type { CheckContext } from '../check.js';

/** The prefix every MDM push topic has (it is the UID of the APNs MDM certificate's subject). */
export const MDM_TOPIC_PREFIX = 'com.apple.mgmt.';

/** Checks a `com.apple.mdm` payload dictionary. */
export function checkMdm(ctx: CheckContext, payload: Record<string, unknown>, path: PathSegment[]): void {
  const topic = payload.Topic;
  if (typeof topic === 'string' && !topic.startsWith(MDM_TOPIC_PREFIX)) {
    ctx.report('error', 'mdm-topic', [...path, 'Topic'], `the push topic does not start with ${MDM_TOPIC_PREFIX}`, {
      expected: `${MDM_TOPIC_PREFIX}…`,
      found: JSON.stringify(topic.length > 60 ? `${topic.slice(0, 60)}…` : topic),
      hint: "use the UID from the subject of the MDM push certificate (e.g. 'com.apple.mgmt.External.<uuid>')",
    });
  }
  const rights = payload.AccessRights;
  // A wrongly typed value is already reported by the schema check.
  if (
    (typeof rights === 'number' && Number.isInteger(rights)) ||
    typeof rights === 'bigint' ||
    rights instanceof PlistInteger
  ) {
    for (const problem of checkAccessRights(rights)) {
      ctx.report('error', 'access-rights', [...path, 'AccessRights'], problem.message, {
        expected: 'an integer from 1 to 8191, with 1 whenever 2 is set and 64 whenever 128 is set',
        found: String(typeof rights === 'object' ? rights.value : rights),
        hint: 'build the value with encodeAccessRights([...]), or use ALL_ACCESS_RIGHTS (8191)',
      });
    }
  }
}
