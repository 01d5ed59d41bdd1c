/**
 * OS applicability checks (introduced/removed/deprecated versions, supervision, User
 * Enrollment, Shared iPad). Not part of the public API.
 */
import type { PathSegment } from '../plist/path.js';
import type { CheckContext } from './check.js';
import { compareVersions, isAvailable, mergeSupportedOs } from './os.js';
import type { OsName, SupportedOs } from './types.js';

/**
 * OS applicability of a key, from the key's *own* `supportedOS` override only: what a payload
 * says is reported once for the payload, not again for every key that inherits it.
 */
export function checkKeyOs(
  ctx: CheckContext,
  own: SupportedOs | undefined,
  inherited: SupportedOs,
  path: PathSegment[],
  name: string,
): void {
  const o = own?.[ctx.os];
  if (!o) return;
  const merged = mergeSupportedOs(inherited, own)[ctx.os];
  checkOsBlock(ctx, o, merged, path, name, false);
}

/** OS applicability of a whole payload (its full `supportedOS`). */
export function checkPayloadOs(ctx: CheckContext, os: SupportedOs, path: PathSegment[], payloadType: string): void {
  const s = os[ctx.os];
  if (!isAvailable(s)) {
    ctx.report('warning', 'os-unsupported', path, `${payloadType} is not supported on ${ctx.os}`, {
      hint: `the device ignores or rejects it; check the target OS (validation option os: '${ctx.os}')`,
    });
    return;
  }
  if (s) checkOsBlock(ctx, s, s, path, payloadType, true);
}

function checkOsBlock(
  ctx: CheckContext,
  own: NonNullable<SupportedOs[OsName]>,
  merged: SupportedOs[OsName],
  path: PathSegment[],
  name: string,
  isPayload: boolean,
): void {
  const os = ctx.os;
  const { osVersion, supervised, userEnrollment, sharedIpad } = ctx.options;
  // The path already names a key; a payload is named by its type.
  const subject = isPayload ? name : 'the key';
  if (!isPayload && own.introduced === 'n/a') {
    ctx.report('warning', 'os-unsupported', path, `${subject} is not supported on ${os}`, {
      hint: `${os} ignores it; remove it for ${os} devices`,
    });
    return;
  }
  const introduced = merged?.introduced;
  if (own.introduced && osVersion && introduced && introduced !== 'n/a' && compareVersions(osVersion, introduced) < 0) {
    ctx.report('warning', 'os-version', path, `${subject} needs ${os} ${introduced} or later`, {
      expected: `${os} ${introduced}+`,
      found: `${os} ${osVersion}`,
    });
  }
  if (own.removed && (!osVersion || compareVersions(osVersion, own.removed) >= 0)) {
    ctx.report('warning', 'os-removed', path, `${subject} was removed in ${os} ${own.removed}`, {
      hint: `${os} ${own.removed} and later ignore it`,
    });
  } else if (own.deprecated && (!osVersion || compareVersions(osVersion, own.deprecated) >= 0)) {
    ctx.report('warning', 'os-deprecated', path, `${subject} is deprecated since ${os} ${own.deprecated}`);
  }
  if (own.supervised === true && supervised === false) {
    ctx.report('warning', 'supervised-only', path, `${subject} works on supervised devices only`, {
      hint: 'an unsupervised device ignores it; supervise the device (Apple School Manager + MDM) or leave it out',
    });
  }
  const ue = own.userEnrollment?.mode;
  if (userEnrollment === true && (ue === 'forbidden' || ue === 'ignored')) {
    ctx.report('warning', 'user-enrollment', path, `${subject} is ${ue} under User Enrollment`);
  } else if (userEnrollment === false && ue === 'required') {
    ctx.report('warning', 'user-enrollment', path, `${subject} works only under User Enrollment`);
  }
  const si = own.sharedIpad?.mode;
  if (sharedIpad === true && (si === 'forbidden' || si === 'ignored')) {
    ctx.report('warning', 'shared-ipad', path, `${subject} is ${si} on Shared iPad`);
  } else if (sharedIpad === false && si === 'required') {
    ctx.report('warning', 'shared-ipad', path, `${subject} works only on Shared iPad`);
  }
}
