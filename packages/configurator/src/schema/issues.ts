/**
 * What the validator reports: problems with a path, what was expected, what was found and how
 * to fix it.
 *
 * @module
 */
import type { OsName } from './types.js';

/**
 * Machine-readable kind of a {@link ValidationIssue}.
 *
 * From Apple's schema: `type`, `required`, `rangelist`, `range`, `format`, `value-type`,
 * `repetition`, `unknown-key`, `unknown-payload-type`, and the OS applicability checks
 * `os-unsupported`, `os-version`, `os-removed`, `os-deprecated`, `supervised-only`,
 * `user-enrollment`, `shared-ipad`, `multiple-payloads`.
 *
 * From rules that exist only in Apple's prose: `mdm-topic`, `access-rights`,
 * `removal-conflict`, `removal-duration`, `certificate-reference`, `certificate-reference-kind`,
 * `duplicate-identifier`, `duplicate-uuid`, `wifi-ssid`, `wifi-password-unused`.
 *
 * From rules Apple states in a key's description ("either … or …, but not both", "required
 * if …"): `conditional-key`. From how devices read numbers: `integer-for-real`,
 * `real-for-integer` and `integer-for-boolean` (0/1 in a TCC entry) are warnings.
 *
 * From the file itself: `duplicate-key` (a warning: the last value wins, as on devices and in
 * plistlib), `cycle` (a value that contains itself), `empty-profile` (no payload).
 *
 * Plus `invalid-string` (a character XML 1.0 cannot carry) and `payload-type-mismatch`.
 */
export type ValidationCode =
  | 'type'
  | 'required'
  | 'rangelist'
  | 'range'
  | 'format'
  | 'value-type'
  | 'repetition'
  | 'invalid-string'
  | 'unknown-key'
  | 'unknown-payload-type'
  | 'payload-type-mismatch'
  | 'os-unsupported'
  | 'os-version'
  | 'os-removed'
  | 'os-deprecated'
  | 'supervised-only'
  | 'user-enrollment'
  | 'shared-ipad'
  | 'multiple-payloads'
  | 'mdm-topic'
  | 'access-rights'
  | 'removal-conflict'
  | 'removal-duration'
  | 'certificate-reference'
  | 'certificate-reference-kind'
  | 'duplicate-identifier'
  | 'duplicate-uuid'
  | 'wifi-ssid'
  | 'wifi-password-unused'
  | 'conditional-key'
  | 'integer-for-real'
  | 'real-for-integer'
  | 'integer-for-boolean'
  | 'duplicate-key'
  | 'cycle'
  | 'empty-profile';

/** How bad an issue is: errors make a profile invalid, warnings do not. */
export type ValidationSeverity = 'error' | 'warning';

/**
 * One problem. Never holds a secret: values of keys such as `Password`, `Challenge` or
 * `UserPassword` are described as hidden, and `<data>` only by its length.
 */
export interface ValidationIssue {
  /** `error` or `warning`. */
  readonly severity: ValidationSeverity;
  /** Machine-readable kind. */
  readonly code: ValidationCode;
  /**
   * JSON-path-like location: `PayloadContent[2].EncryptionType`,
   * `PayloadContent[1].PayloadContent["Key Type"]`; `""` for the profile (or payload) itself.
   */
  readonly path: string;
  /** One sentence that names the location and the problem. */
  readonly message: string;
  /** What the schema or rule expects, e.g. `one of WPA, WPA2, WPA3`. */
  readonly expected?: string;
  /** What was found, e.g. `"WPA4"`, `number 1.5`, `(hidden)`. */
  readonly found?: string;
  /** How to fix it. */
  readonly hint?: string;
}

/** Result of {@link validatePayload} and {@link validateProfile}. */
export interface ValidationResult {
  /** `true` when there is no error (warnings allowed). */
  readonly valid: boolean;
  /** Problems that make the payload or profile invalid. */
  readonly errors: readonly ValidationIssue[];
  /** Problems that do not: unknown keys, keys the target OS ignores, supervised-only keys… */
  readonly warnings: readonly ValidationIssue[];
}

/** The device a payload or profile is meant for; drives the OS-applicability warnings. */
export interface ValidationOptions {
  /**
   * Target operating system.
   * @default 'iOS' (this SDK prepares school iPads)
   */
  os?: OsName;
  /**
   * Target OS version, e.g. `'17.4'`. When set, keys introduced later or removed earlier warn.
   * When absent, keys removed in any version still warn.
   */
  osVersion?: string;
  /**
   * Whether the target device is supervised. `false` makes supervised-only payloads and keys
   * warn; `undefined` (unknown) skips that check.
   */
  supervised?: boolean;
  /** Whether the device uses User Enrollment; forbidden or ignored keys then warn. */
  userEnrollment?: boolean;
  /** Whether the device is a Shared iPad; forbidden or ignored keys then warn. */
  sharedIpad?: boolean;
}
