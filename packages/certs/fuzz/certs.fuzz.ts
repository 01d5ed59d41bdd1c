/**
 * `pnpm fuzz` targets of `@schoolmdm/certs` (issue #15): every reader of a file a user or an
 * attacker hands over, fed random bytes, mutations of openssl-made files and DER-shaped trees.
 * A typed `@schoolmdm/certs` error is fine; anything else (a TypeError from asn1js, an OpenSSL
 * error, a RangeError, a hang) is a failure.
 *
 * The same targets run a few thousand cases in `pnpm test` (test/hostile/fuzz-properties.test.ts).
 */
import { InvalidArgumentError, isSchoolMdmError } from '@schoolmdm/core';
import fc from 'fast-check';
import { base64Of, derTrees, type FuzzTarget, mutations } from '../../../scripts/fuzz-inputs.js';
import {
  decryptServerToken,
  inspectCertificate,
  inspectServerToken,
  parseContentToken,
  readPkcs12,
  verifyPushCertificateRequest,
} from '../src/index.js';
import { certsSeeds } from './seeds.js';

/** A typed rejection of the file: any SDK error except a wrong-argument error (inputs here are always text or bytes). */
export function isTypedRejection(err: unknown): boolean {
  return isSchoolMdmError(err) && !(err instanceof InvalidArgumentError);
}

const text = (seeds: () => ReadonlyArray<Uint8Array | string>) =>
  mutations(seeds).map((b) => Buffer.from(b).toString('latin1'));

function inputs(seeds: () => ReadonlyArray<Uint8Array | string>): fc.Arbitrary<Uint8Array | string> {
  return fc.oneof(
    { weight: 5, arbitrary: mutations(seeds) },
    { weight: 2, arbitrary: text(seeds) },
    { weight: 2, arbitrary: derTrees() },
    { weight: 1, arbitrary: base64Of(derTrees()) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 128 }) },
  );
}

export const targets: FuzzTarget[] = [
  {
    name: 'certs.inspectServerToken',
    arbitrary: inputs(() => certsSeeds().tokens),
    run: (input) => {
      const info = inspectServerToken(input);
      return info.matchesCertificate(certsSeeds().certificates[0] as string);
    },
    expected: isTypedRejection,
  },
  {
    name: 'certs.decryptServerToken',
    arbitrary: inputs(() => certsSeeds().tokens),
    run: (input) => decryptServerToken(input, { privateKeyPem: certsSeeds().tokenKeyPem }),
    expected: isTypedRejection,
  },
  {
    name: 'certs.inspectCertificate',
    arbitrary: inputs(() => certsSeeds().certificates),
    run: (input) => inspectCertificate(input),
    expected: isTypedRejection,
  },
  {
    name: 'certs.readPkcs12',
    arbitrary: fc.oneof(
      { weight: 6, arbitrary: mutations(() => certsSeeds().pkcs12) },
      { weight: 2, arbitrary: derTrees() },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) },
    ),
    run: (input) => readPkcs12(input, 'pw'),
    expected: isTypedRejection,
  },
  {
    name: 'certs.verifyPushCertificateRequest',
    arbitrary: fc.oneof(
      { weight: 4, arbitrary: text(() => certsSeeds().pushRequests) },
      { weight: 3, arbitrary: mutations(() => certsSeeds().pushRequests) },
      {
        weight: 3,
        arbitrary: fc
          .array(
            fc.constantFrom(
              '<plist version="1.0">',
              '<dict>',
              '</dict>',
              '<key>PushCertRequestCSR</key>',
              '<key>PushCertSignature</key>',
              '<key>PushCertCertificateChain</key>',
              '<string>',
              '</string>',
              '<data>',
              '<!--',
              '-->',
              '&#x110000;',
              '&#13;',
              '&amp;',
              '&',
              'MAMCAQE=',
              '-----BEGIN CERTIFICATE-----\n',
              '-----END CERTIFICATE-----\n',
              '<x/>',
              '<x>',
              '</x>',
            ),
            { maxLength: 40 },
          )
          .map((parts) => parts.join('')),
      },
    ),
    run: (input) => verifyPushCertificateRequest(input),
    expected: isTypedRejection,
  },
  {
    name: 'certs.parseContentToken',
    arbitrary: fc.oneof(
      { weight: 5, arbitrary: text(() => certsSeeds().contentTokens) },
      {
        weight: 3,
        arbitrary: fc
          .record({
            token: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
            expDate: fc.oneof(
              fc.string({ maxLength: 30 }),
              fc.constantFrom('2030-11-08T22:33:22+0000', '2030-02-30T00:00:00Z', '9999-99-99T99:99:99+9999'),
            ),
            orgName: fc.oneof(fc.string(), fc.constant('')),
          })
          .map((o) => Buffer.from(JSON.stringify(o)).toString('base64')),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 64 }) },
    ),
    run: (input) => parseContentToken(input),
    expected: isTypedRejection,
  },
];
