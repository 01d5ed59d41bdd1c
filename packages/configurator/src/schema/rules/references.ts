/**
 * Certificate references must resolve inside the profile, to a payload of the right kind.
 *
 * Apple's prose for `PayloadCertificateUUID` (Wi-Fi, VPN, Exchange…), `IdentityCertificateUUID`
 * (MDM: "It may also point to a SCEP payload"), `PayloadCertificateAnchorUUID` (EAP trust) and
 * the MDM pinning arrays says each holds "the UUID of the certificate payload within the same
 * profile"; a dangling one makes the device reject the profile. The generator marks such keys
 * (`reference` in the runtime schema) as pointing at an identity or at a plain certificate.
 */
import type { CheckContext } from '../check.js';
import type { CertificateReferenceKind } from '../types.js';

/** Payload types that carry a private key, i.e. can serve as an identity. */
export const IDENTITY_PAYLOAD_TYPES: ReadonlySet<string> = new Set([
  'com.apple.security.pkcs12',
  'com.apple.security.scep',
  'com.apple.security.acme',
  'com.apple.ADCertificate.managed',
  'com.apple.security.wapi-identity',
]);

/** Payload types that carry a certificate without a key (trust anchors, encryption certificates). */
export const CERTIFICATE_PAYLOAD_TYPES: ReadonlySet<string> = new Set([
  'com.apple.security.root',
  'com.apple.security.pkcs1',
  'com.apple.security.pem',
]);

const ALLOWED: Record<CertificateReferenceKind, ReadonlySet<string>> = {
  identity: IDENTITY_PAYLOAD_TYPES,
  certificate: CERTIFICATE_PAYLOAD_TYPES,
};

/**
 * Resolves every reference recorded during the walk against `uuids` (PayloadUUID, upper-cased →
 * PayloadType of the payloads of the profile).
 */
export function checkReferences(ctx: CheckContext, uuids: ReadonlyMap<string, string>): void {
  for (const ref of ctx.references) {
    if (typeof ref.target !== 'string') continue; // builder objects are resolved by createProfile
    const type = uuids.get(ref.target.toUpperCase());
    const wanted = [...ALLOWED[ref.kind]].join(', ');
    if (type === undefined) {
      ctx.report('error', 'certificate-reference', ref.path, 'no payload of this profile has this PayloadUUID', {
        expected: `the PayloadUUID of a ${wanted} payload in the same profile`,
        found: JSON.stringify(ref.target),
        hint: 'add the certificate or identity payload to the profile, or pass its payload object instead of a UUID',
      });
    } else if (!ALLOWED[ref.kind].has(type)) {
      ctx.report('error', 'certificate-reference-kind', ref.path, `the referenced payload is a ${type}`, {
        expected: `a ${ref.kind === 'identity' ? 'identity' : 'certificate'} payload: ${wanted}`,
        found: type,
        hint:
          ref.kind === 'identity'
            ? 'point at a payload with a private key (PKCS#12, SCEP or ACME)'
            : 'point at a certificate payload (root, PKCS#1 or PEM)',
      });
    }
  }
}
