/**
 * The fuzz targets of `@schoolmdm/configurator`, shared by `pnpm fuzz` (100,000 cases each,
 * through `*.fuzz.ts`) and the property tests (a few thousand cases in `pnpm test`).
 *
 * Contract: `run(input)` returns or throws; a throw is fine only when `expected(err)` says it
 * is one of the package's typed errors (never a TypeError/RangeError from inside, a stack
 * overflow, or a hang).
 */
import { isSchoolMdmError } from '@schoolmdm/core';
import fc from 'fast-check';
import { type FuzzTarget, mutations } from '../../../scripts/fuzz-inputs.js';
import {
  ConfiguratorError,
  inspectEnrollmentProfile,
  readPlist,
  validateProfile,
  verifySignedProfile,
  writePlist,
} from '../src/index.js';
import { plistSeeds, signedSeeds } from './seeds.js';

/** The package's own errors: every ConfiguratorError subclass. */
export function isConfiguratorError(err: unknown): boolean {
  return err instanceof ConfiguratorError || (isSchoolMdmError(err) && err.name !== 'InvalidArgumentError');
}

const TAGS = ['plist', 'dict', 'array', 'key', 'string', 'integer', 'real', 'true', 'false', 'date', 'data'];
const token = fc.oneof(
  fc.constantFrom(...TAGS).map((t) => `<${t}>`),
  fc.constantFrom(...TAGS).map((t) => `</${t}>`),
  fc.constantFrom(...TAGS).map((t) => `<${t}/>`),
  fc.constantFrom(
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "x">',
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    '&amp;',
    '&#x110000;',
    '&#13;',
    '&bogus;',
    '&',
    '<key>Password</key>',
    '0x7fffffffffffffffff',
    '-0.0',
    '1e309',
    '2024-02-30T00:00:00Z',
    'QUJD',
    ' ',
    '\r\n',
  ),
  fc.string({ maxLength: 8 }),
);

/** Grammar-built XML: plist tokens in random order and nesting. */
export const xmlGrammar: fc.Arbitrary<string> = fc.array(token, { maxLength: 60 }).map((t) => t.join(''));

/** Keys validateProfile knows, so generated profiles reach the schema checks. */
const PROFILE_KEYS = [
  'PayloadType',
  'PayloadIdentifier',
  'PayloadUUID',
  'PayloadVersion',
  'PayloadContent',
  'Services',
  'SystemPolicyAllFiles',
  'Allowed',
  'Authorization',
  'StaticCode',
  'SSID_STR',
  'EncryptionType',
  'Password',
  'ServerURL',
  'Topic',
  'AccessRights',
  'IdentityCertificateUUID',
  'DurationUntilRemoval',
  'RemovalDate',
  'URL',
  'DeviceAttributes',
];
const PROFILE_VALUES = [
  'Configuration',
  'Profile Service',
  'com.apple.wifi.managed',
  'com.apple.TCC.configuration-profile-policy',
  'com.apple.mdm',
  'com.apple.security.scep',
  'WPA2',
  'https://mdm.example.org',
  ' https://x',
];
type Loose = string | number | boolean | Loose[] | { [k: string]: Loose };
const looseProfile: fc.Arbitrary<Loose> = fc.letrec<{ v: Loose }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...PROFILE_VALUES),
    fc.integer({ min: -2, max: 9000 }),
    fc.boolean(),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...PROFILE_KEYS), tie('v'), { maxKeys: 6 }),
  ),
})).v;

/** Profiles built from Apple's keys and values, written as XML. */
export const profileXml: fc.Arbitrary<string> = looseProfile.map((v) => writePlist(v));

const anyBytes = fc.uint8Array({ maxLength: 512 });

export const targets: FuzzTarget[] = [
  {
    name: 'configurator/readPlist (XML)',
    arbitrary: fc.oneof(
      xmlGrammar,
      anyBytes.map((b) => Buffer.from(b).toString('latin1')),
      mutations(() => plistSeeds().filter((s) => s[0] === 0x3c)),
    ),
    run: (input) => {
      const v = readPlist(input);
      // What the reader returns, the writer writes (or refuses with its own error).
      writePlist(v);
    },
    expected: isConfiguratorError,
  },
  {
    name: 'configurator/readPlist (binary)',
    arbitrary: fc.oneof(
      anyBytes.map((b) => new Uint8Array([...Buffer.from('bplist00'), ...b])),
      mutations(() => plistSeeds().filter((s) => s[0] === 0x62)),
    ),
    run: (input) => writePlist(readPlist(input)),
    expected: isConfiguratorError,
  },
  {
    name: 'configurator/validateProfile',
    arbitrary: fc.oneof(
      profileXml,
      mutations(() => plistSeeds()),
    ),
    run: (input) => {
      let v: unknown;
      try {
        v = readPlist(input);
      } catch (e) {
        if (isConfiguratorError(e)) return;
        throw e;
      }
      validateProfile(v, { os: 'macOS' });
    },
    expected: () => false,
  },
  {
    name: 'configurator/verifySignedProfile',
    arbitrary: fc.oneof(
      anyBytes.map((b) => new Uint8Array([0x30, ...b])),
      mutations(signedSeeds),
    ),
    run: (input) => verifySignedProfile(input),
    expected: isConfiguratorError,
  },
  {
    name: 'configurator/inspectEnrollmentProfile',
    arbitrary: fc.oneof(
      mutations(signedSeeds),
      mutations(() => plistSeeds().slice(0, 1)),
      profileXml,
    ),
    run: (input) => inspectEnrollmentProfile(input, { now: new Date('2026-01-01T00:00:00Z') }),
    expected: isConfiguratorError,
  },
];
