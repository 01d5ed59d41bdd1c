/**
 * The renewal check admins most need: does the renewed APNs certificate keep the topic of the one it
 * replaces? A new topic means the renewal was made with another Apple ID or with "Create a
 * Certificate" instead of "Renew", and every enrolled device stops answering the MDM until it
 * re-enrolls (a wipe for supervised, Automated Device Enrollment iPads) (certs.md §2.2).
 */

import { inspectCertificate } from '../certificate/inspect.js';
import { MalformedInputError } from '../errors.js';
import { checkArgument, INPUT_RULE } from '../internal/args.js';

/** What {@link compareTopics} reports. */
export interface TopicComparison {
  /** True when both certificates carry the same topic: safe to upload the new one. */
  same: boolean;
  /** The current certificate's topic (`com.apple.mgmt.External.<uuid>`). */
  oldTopic: string;
  /** The renewed certificate's topic. */
  newTopic: string;
  /** True when both inputs are the very same certificate (same SHA-256 fingerprint): not a renewal. */
  sameCertificate: boolean;
  /** The current certificate's expiry. */
  oldNotAfter: Date;
  /** The renewed certificate's expiry. */
  newNotAfter: Date;
  /** One sentence for the admin, stating the consequence when the topics differ. */
  message: string;
}

/**
 * Compares the APNs topics (subject `UID`) of the current and the renewed push certificate.
 *
 * @param oldPem The certificate in use now (PEM or DER).
 * @param newPem The certificate just downloaded from identity.apple.com (PEM or DER).
 * @example
 * ```ts
 * const cmp = compareTopics(await readFile('push-2025.pem'), await readFile('push-2026.pem'));
 * if (!cmp.same) throw new Error(cmp.message); // do NOT upload it to Mosyle
 * ```
 * @throws {MalformedInputError} Either input is not a certificate or not an MDM push certificate;
 *   `what` is `"current push certificate"` or `"renewed push certificate"`.
 */
export function compareTopics(oldPem: string | Uint8Array, newPem: string | Uint8Array): TopicComparison {
  checkArgument('oldPem', oldPem, INPUT_RULE);
  checkArgument('newPem', newPem, INPUT_RULE);
  const older = readPush(oldPem, 'current push certificate');
  const newer = readPush(newPem, 'renewed push certificate');
  const same = older.topic === newer.topic;
  const sameCertificate = older.fingerprintSha256 === newer.fingerprintSha256;
  let message: string;
  if (!same) {
    message =
      `The topic changed from ${older.topic} to ${newer.topic}: the new certificate was created with another Apple ID ` +
      'or with "Create a Certificate" instead of "Renew". Uploading it makes every enrolled device unreachable ' +
      'until it re-enrolls (a wipe for supervised iPads). Sign in to identity.apple.com with the Apple ID that ' +
      `created ${older.topic} and use "Renew" on that row instead.`;
  } else if (sameCertificate) {
    message = `Both inputs are the same certificate (topic ${older.topic}); this is not a renewal.`;
  } else {
    message = `The topic ${older.topic} is unchanged; the renewed certificate is valid until ${newer.notAfter.toISOString()}.`;
  }
  return {
    same,
    oldTopic: older.topic,
    newTopic: newer.topic,
    sameCertificate,
    oldNotAfter: older.notAfter,
    newNotAfter: newer.notAfter,
    message,
  };
}

function readPush(
  input: string | Uint8Array,
  what: string,
): { topic: string; notAfter: Date; fingerprintSha256: string } {
  let info: ReturnType<typeof inspectCertificate>;
  try {
    info = inspectCertificate(input);
  } catch (e) {
    if (e instanceof MalformedInputError) {
      throw new MalformedInputError(what, e.message.replace(/^Malformed certificate: /, ''), { cause: e });
    }
    throw e;
  }
  if (!info.topic) {
    throw new MalformedInputError(
      what,
      info.uid
        ? `its subject UID "${info.uid}" is not an MDM topic (it must start with "com.apple.mgmt.")`
        : `it has no subject UID, so it is not an APNs push certificate (subject: ${info.subject})`,
      { hint: 'Pass the MDM push certificate (.pem) downloaded from identity.apple.com.' },
    );
  }
  return { topic: info.topic, notAfter: info.notAfter, fingerprintSha256: info.fingerprintSha256 };
}
