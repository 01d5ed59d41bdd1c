/**
 * `inspectEnrollmentProfile`: read and check the profile an MDM enrollment URL serves.
 *
 * The SDK never builds Mosyle's MDM payload itself: `ServerURL`, `CheckInURL` and `Topic`
 * can't change after enrollment, so it fetches the profile Mosyle serves, checks it, and
 * treats it as immutable (Apple: the MDM payload's `ServerURL`, `CheckInURL` and
 * `Topic` cannot change once a device is enrolled; `mdm/profiles/com.apple.mdm.yaml`). This is the check.
 */
import { isSchoolMdmError } from '@schoolmdm/core';
import { ConfiguratorError, EnrollmentProfileError, SignatureError } from '../errors.js';
import { checkDate, checkInput, checkOptions, sanitizedCause } from '../internal/args.js';
import {
  type AccessRight,
  type AccessRightsProblem,
  checkAccessRights,
  decodeAccessRights,
} from '../mdm/access-rights.js';
import { formatPath } from '../plist/path.js';
import { readPlist } from '../plist/read.js';
import { PlistInteger, type PlistValue } from '../plist/types.js';
import { cmsBytes, looksLikeDer, looksLikePemCms, parseSignedData } from '../signing/parse.js';
import { asBuffer } from '../signing/pem.js';
import { type ProfileSigner, verifySignedProfile } from '../signing/verify.js';

/** The payload types an MDM identity (`IdentityCertificateUUID`) can point at. */
export type EnrollmentIdentityKind = 'scep' | 'acme' | 'pkcs12' | 'unknown';

/** The device identity the MDM payload uses. */
export interface EnrollmentIdentity {
  /** `scep` (`com.apple.security.scep`), `acme` (`com.apple.security.acme`), `pkcs12`, or `unknown`. */
  kind: EnrollmentIdentityKind;
  /** The identity payload's `PayloadUUID` (= the MDM payload's `IdentityCertificateUUID`). */
  payloadUUID: string;
  /** The identity payload's `PayloadType`. */
  payloadType: string;
  /** The identity payload's `PayloadIdentifier`, when set. */
  payloadIdentifier?: string;
  /** SCEP `URL` or ACME `DirectoryURL`, when present. Never the SCEP challenge. */
  url?: string;
}

/** What {@link inspectEnrollmentProfile} found. */
export interface EnrollmentProfileInfo {
  /** `ServerURL`: where the device fetches MDM commands. */
  serverUrl: string;
  /** `CheckInURL`, or `ServerURL` when absent ("If not set, the system uses 'ServerURL'"). */
  checkInUrl: string;
  /** True when the profile sets `CheckInURL` itself. */
  checkInUrlExplicit: boolean;
  /** `Topic`: the APNs topic, `com.apple.mgmt.…`; must match the MDM push certificate. */
  topic: string;
  /** The identity payload `IdentityCertificateUUID` resolves to. */
  identity: EnrollmentIdentity;
  /** `AccessRights` decoded and checked; null when the key is absent. */
  accessRights: { value: number; rights: AccessRight[]; problems: AccessRightsProblem[] } | null;
  /** `SignMessage` (default false). */
  signMessage: boolean;
  /** `CheckOutWhenRemoved` (default false). */
  checkOutWhenRemoved: boolean;
  /** `UseDevelopmentAPNS` (default false). */
  useDevelopmentApns: boolean;
  /** `ServerCapabilities` (default none). */
  serverCapabilities: string[];
  /** Top-level profile identity. */
  profile: { identifier?: string; uuid?: string; displayName?: string; organization?: string };
  /** `PayloadType` of every payload, in order. */
  payloadTypes: string[];
  /** Whether the file was CMS-signed. */
  signed: boolean;
  /** The signer, or null for an unsigned profile (or one whose signer certificate is missing). */
  signer: ProfileSigner | null;
  /** Signature check result; null for an unsigned profile. */
  signatureValid: boolean | null;
  /** Things worth a look that don't make the profile unusable. */
  warnings: string[];
}

/** Options of {@link inspectEnrollmentProfile}. */
export interface InspectEnrollmentProfileOptions {
  /**
   * The time the signer certificate's validity is checked against (a valid `Date`).
   * @default new Date()
   */
  now?: Date;
}

const TOPIC_PREFIX = 'com.apple.mgmt.';
const IDENTITY_KINDS: Record<string, EnrollmentIdentityKind> = {
  'com.apple.security.scep': 'scep',
  'com.apple.security.acme': 'acme',
  'com.apple.security.pkcs12': 'pkcs12',
};

/**
 * Reads an MDM enrollment profile, signed (CMS, DER or PEM) or not, XML or binary, and
 * checks its `com.apple.mdm` payload against Apple's schema (`mdm/profiles/com.apple.mdm.yaml`):
 * `ServerURL` and `CheckInURL` are https URLs, `Topic` starts with `com.apple.mgmt.`,
 * `IdentityCertificateUUID` resolves to a payload in the same profile, `AccessRights`
 * follows Apple's rules.
 *
 * @throws {EnrollmentProfileError} when the input is not a readable profile, is encrypted,
 *   has no (or more than one) `com.apple.mdm` payload, or a required key is missing or
 *   invalid. `path` names the key, e.g. `PayloadContent[1].Topic`.
 * @example
 * const info = inspectEnrollmentProfile(await readFile('mosyle-enroll.mobileconfig'));
 * console.log(info.serverUrl, info.topic, info.identity.kind, info.signatureValid);
 */
export function inspectEnrollmentProfile(
  bytes: Uint8Array | string,
  options?: InspectEnrollmentProfileOptions,
): EnrollmentProfileInfo {
  const fn = 'inspectEnrollmentProfile()';
  checkInput(fn, 'bytes', bytes);
  const o = checkOptions(fn, options, ['now']);
  const now = checkDate(fn, 'options.now', o.now) ?? new Date();
  try {
    return inspect(bytes, now);
  } catch (e) {
    if (isSchoolMdmError(e)) throw e;
    throw new EnrollmentProfileError('The input is not a readable profile', '', {
      cause: sanitizedCause(e),
      hint: 'pass the bytes the enrollment URL served (an XML, binary or signed .mobileconfig)',
    });
  }
}

function inspect(bytes: Uint8Array | string, now: Date): EnrollmentProfileInfo {
  const warnings: string[] = [];
  const { root, signer, signatureValid, signed } = readProfile(bytes, warnings);
  if (!isDict(root)) {
    throw new EnrollmentProfileError('The profile is not a dictionary', '', {
      hint: 'an enrollment profile is a plist dictionary with a PayloadContent array',
    });
  }
  if (root.IsEncrypted === true || root.EncryptedPayloadContent !== undefined) {
    throw new EnrollmentProfileError(
      'The profile is encrypted, so its MDM payload cannot be read',
      'EncryptedPayloadContent',
      {
        hint: 'download the enrollment profile unencrypted from the MDM enrollment URL',
      },
    );
  }
  const content = root.PayloadContent;
  if (!Array.isArray(content)) {
    throw new EnrollmentProfileError(
      content === undefined ? 'PayloadContent is missing' : 'PayloadContent is not an array',
      'PayloadContent',
      { hint: 'an enrollment profile lists its payloads in a PayloadContent array' },
    );
  }

  const payloadTypes = content.map((p) => (isDict(p) && typeof p.PayloadType === 'string' ? p.PayloadType : ''));
  const mdmIndexes = payloadTypes.flatMap((t, i) => (t === 'com.apple.mdm' ? [i] : []));
  if (mdmIndexes.length === 0) {
    throw new EnrollmentProfileError('The profile has no com.apple.mdm payload', 'PayloadContent', {
      hint: `this is not an MDM enrollment profile (payloads: ${payloadTypes.join(', ') || 'none'}); fetch the profile the MDM's enrollment URL serves`,
    });
  }
  if (mdmIndexes.length > 1) {
    throw new EnrollmentProfileError(
      `The profile has ${mdmIndexes.length} com.apple.mdm payloads; Apple allows one`,
      `PayloadContent[${mdmIndexes[1]}]`,
    );
  }
  const mdmIndex = mdmIndexes[0]!;
  const mdm = content[mdmIndex] as Record<string, PlistValue>;
  const at = (key: string) => formatPath(['PayloadContent', mdmIndex, key]);

  const serverUrl = httpsUrl(mdm.ServerURL, at('ServerURL'), true)!;
  const explicitCheckIn = httpsUrl(mdm.CheckInURL, at('CheckInURL'), false);
  const topic = requiredString(mdm.Topic, at('Topic'), 'the APNs topic of the MDM push certificate');
  if (!topic.startsWith(TOPIC_PREFIX)) {
    throw new EnrollmentProfileError(`Topic "${topic}" does not start with "${TOPIC_PREFIX}"`, at('Topic'), {
      hint: "Apple: \"The topic must begin with the 'com.apple.mgmt.' prefix\"; it must match the push certificate's subject",
    });
  }
  const identity = resolveIdentity(
    content,
    requiredString(
      mdm.IdentityCertificateUUID,
      at('IdentityCertificateUUID'),
      'the PayloadUUID of the SCEP, ACME or certificate payload',
    ),
    at('IdentityCertificateUUID'),
    warnings,
  );

  let accessRights: EnrollmentProfileInfo['accessRights'] = null;
  if (mdm.AccessRights !== undefined) {
    const raw = mdm.AccessRights instanceof PlistInteger ? mdm.AccessRights.value : mdm.AccessRights;
    if (typeof raw !== 'number' && typeof raw !== 'bigint') {
      throw new EnrollmentProfileError('AccessRights is not an integer', at('AccessRights'), {
        hint: 'AccessRights is a bitmask of 1…4096 (see checkAccessRights)',
      });
    }
    const problems = checkAccessRights(raw);
    accessRights = { value: Number(raw), rights: decodeAccessRights(raw), problems };
    for (const p of problems) warnings.push(`${at('AccessRights')}: ${p.message}`);
  } else {
    warnings.push(`${at('AccessRights')} is not set, so the server's rights are the device's default`);
  }

  const useDevelopmentApns = optionalBoolean(mdm.UseDevelopmentAPNS, at('UseDevelopmentAPNS'));
  if (useDevelopmentApns) {
    warnings.push(`${at('UseDevelopmentAPNS')} is true: push certificates from Apple's portal only work in production`);
  }
  const caps = mdm.ServerCapabilities;
  if (caps !== undefined && !(Array.isArray(caps) && caps.every((c) => typeof c === 'string'))) {
    throw new EnrollmentProfileError('ServerCapabilities is not an array of strings', at('ServerCapabilities'));
  }
  if (signed && signer) checkValidity(signer, now, warnings);
  if (!signed) warnings.push('The profile is not signed: devices show it as "Not Signed"');

  return {
    serverUrl,
    checkInUrl: explicitCheckIn ?? serverUrl,
    checkInUrlExplicit: explicitCheckIn !== undefined,
    topic,
    identity,
    accessRights,
    signMessage: optionalBoolean(mdm.SignMessage, at('SignMessage')),
    checkOutWhenRemoved: optionalBoolean(mdm.CheckOutWhenRemoved, at('CheckOutWhenRemoved')),
    useDevelopmentApns,
    serverCapabilities: (caps as string[] | undefined) ?? [],
    profile: topLevel(root),
    payloadTypes,
    signed,
    signer,
    signatureValid,
    warnings,
  };
}

interface ReadResult {
  root: PlistValue;
  signed: boolean;
  signer: ProfileSigner | null;
  signatureValid: boolean | null;
}

function readProfile(bytes: Uint8Array | string, warnings: string[]): ReadResult {
  const isCms =
    typeof bytes === 'string'
      ? looksLikePemCms(bytes)
      : looksLikeDer(bytes) || looksLikePemCms(asBuffer(bytes.subarray(0, 1024)).toString('latin1'));
  try {
    if (!isCms) return { root: readPlist(bytes), signed: false, signer: null, signatureValid: null };
    let content: Uint8Array;
    let signer: ProfileSigner | null = null;
    let signatureValid = false;
    try {
      const v = verifySignedProfile(bytes);
      content = v.content;
      signer = v.signer;
      signatureValid = v.signatureValid;
      if (!v.signatureValid) warnings.push(`The signature does not verify: ${v.problems.join('; ')}`);
    } catch (e) {
      // Still readable when only the check is impossible (signer certificate missing,
      // unsupported algorithm); not when the CMS itself is broken or detached.
      const fallback = e instanceof SignatureError ? tryContent(bytes) : undefined;
      if (!fallback) throw e;
      content = fallback;
      warnings.push(`The signature cannot be checked: ${(e as Error).message}`);
    }
    return { root: readPlist(content), signed: true, signer, signatureValid };
  } catch (e) {
    if (e instanceof ConfiguratorError && !(e instanceof EnrollmentProfileError)) {
      throw new EnrollmentProfileError(`The input is not a readable profile: ${e.message}`, '', {
        cause: e,
        hint: 'pass the bytes the enrollment URL served (an XML, binary or signed .mobileconfig)',
      });
    }
    throw e;
  }
}

function tryContent(bytes: Uint8Array | string): Uint8Array | undefined {
  try {
    return parseSignedData(cmsBytes(bytes)).content;
  } catch {
    return undefined;
  }
}

function resolveIdentity(content: PlistValue[], uuid: string, path: string, warnings: string[]): EnrollmentIdentity {
  let index = content.findIndex((p) => isDict(p) && p.PayloadUUID === uuid);
  if (index < 0) {
    index = content.findIndex(
      (p) => isDict(p) && typeof p.PayloadUUID === 'string' && p.PayloadUUID.toUpperCase() === uuid.toUpperCase(),
    );
    if (index >= 0) warnings.push(`${path} matches PayloadContent[${index}].PayloadUUID only when ignoring case`);
  }
  if (index < 0) {
    throw new EnrollmentProfileError(`IdentityCertificateUUID "${uuid}" matches no payload in the profile`, path, {
      hint: 'it must equal the PayloadUUID of a SCEP, ACME or certificate payload in the same profile',
    });
  }
  const payload = content[index] as Record<string, PlistValue>;
  const payloadType = typeof payload.PayloadType === 'string' ? payload.PayloadType : '';
  const kind = IDENTITY_KINDS[payloadType] ?? 'unknown';
  const identity: EnrollmentIdentity = { kind, payloadUUID: payload.PayloadUUID as string, payloadType };
  if (typeof payload.PayloadIdentifier === 'string') identity.payloadIdentifier = payload.PayloadIdentifier;
  const inner = payload.PayloadContent;
  const url = kind === 'scep' && isDict(inner) ? inner.URL : kind === 'acme' ? payload.DirectoryURL : undefined;
  if (typeof url === 'string') identity.url = url;
  if (kind === 'unknown') {
    warnings.push(
      `${path} points at a ${payloadType || 'payload without PayloadType'}, not a SCEP, ACME or PKCS#12 identity`,
    );
  }
  if (kind === 'pkcs12') {
    warnings.push(
      `${path} points at a PKCS#12 identity: Apple warns the profile is only obfuscated, so the identity can be extracted`,
    );
  }
  return identity;
}

function checkValidity(signer: ProfileSigner, now: Date, warnings: string[]): void {
  if (now < signer.notBefore)
    warnings.push(`The signer certificate is not valid before ${signer.notBefore.toISOString()}`);
  if (now > signer.notAfter) warnings.push(`The signer certificate expired on ${signer.notAfter.toISOString()}`);
}

function httpsUrl(value: PlistValue | undefined, path: string, required: boolean): string | undefined {
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (value === undefined) {
    if (!required) return undefined;
    throw new EnrollmentProfileError(`${key} is missing`, path, {
      hint: `Apple requires ${key} in the com.apple.mdm payload; the profile is incomplete or not an enrollment profile`,
    });
  }
  if (typeof value !== 'string') throw new EnrollmentProfileError(`${key} is not a string`, path);
  // Quote the value as it is in the file: `new URL` trims spaces, so " https://…" would
  // otherwise be reported as "found https:" (issue #15 item 8).
  const quoted = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (!value.startsWith('https://')) {
    throw new EnrollmentProfileError(`${key} must be an https:// URL, found ${quoted}`, path, {
      hint: /^\s/.test(value)
        ? 'remove the whitespace before https://; devices do not trim it'
        : 'Apple: "The URL must begin with the \'https://\' URL scheme"',
    });
  }
  if (!URL.canParse(value) || /\s/.test(value)) {
    throw new EnrollmentProfileError(`${key} is not a valid URL: ${quoted}`, path);
  }
  return value;
}

function requiredString(value: PlistValue | undefined, path: string, what: string): string {
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (value === undefined) {
    throw new EnrollmentProfileError(`${key} is missing`, path, { hint: `Apple requires ${key}: ${what}` });
  }
  if (typeof value !== 'string' || value === '') {
    throw new EnrollmentProfileError(`${key} is not a non-empty string`, path, { hint: `${key} is ${what}` });
  }
  return value;
}

function optionalBoolean(value: PlistValue | undefined, path: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new EnrollmentProfileError(`${path.slice(path.lastIndexOf('.') + 1)} is not a boolean`, path);
  return value;
}

function topLevel(root: Record<string, PlistValue>): EnrollmentProfileInfo['profile'] {
  const out: EnrollmentProfileInfo['profile'] = {};
  if (typeof root.PayloadIdentifier === 'string') out.identifier = root.PayloadIdentifier;
  if (typeof root.PayloadUUID === 'string') out.uuid = root.PayloadUUID;
  if (typeof root.PayloadDisplayName === 'string') out.displayName = root.PayloadDisplayName;
  if (typeof root.PayloadOrganization === 'string') out.organization = root.PayloadOrganization;
  return out;
}

function isDict(v: PlistValue | undefined): v is Record<string, PlistValue> {
  // readPlist builds dictionaries as plain objects; arrays, Dates and Uint8Arrays have other prototypes.
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
