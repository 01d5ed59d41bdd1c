/**
 * The runtime description of Apple's profile-payload schema.
 *
 * `scripts/generate.ts` turns the vendored YAML (`schema/mdm/profiles/*.yaml`, from
 * https://github.com/apple/device-management) into objects of these types in
 * `src/generated/payload-schemas.ts`; the validator walks them. Field names follow Apple's
 * `docs/schema.md` (camel-cased), so the YAML stays the reference for what each one means.
 *
 * @module
 */

/** A plist value type as Apple's schema names it (`<string>` → `'string'`, …). */
export type SchemaValueType =
  | 'string'
  | 'integer'
  | 'real'
  | 'boolean'
  | 'date'
  | 'data'
  | 'array'
  | 'dictionary'
  | 'any';

/** The operating systems Apple's schema describes. */
export type OsName = 'iOS' | 'macOS' | 'tvOS' | 'visionOS' | 'watchOS';

/** Every {@link OsName}, in Apple's order. */
export const OS_NAMES: readonly OsName[] = ['iOS', 'macOS', 'tvOS', 'visionOS', 'watchOS'];

/**
 * How a payload or key behaves under Shared iPad or User Enrollment (`docs/schema.md`):
 * `allowed` (with or without), `required` (only with), `forbidden` (never with), `ignored`
 * (accepted but without effect).
 */
export type EnrollmentMode = 'allowed' | 'required' | 'forbidden' | 'ignored';

/**
 * What one OS supports, from a `supportedOS.<os>` block. Keys inherit their payload's block and
 * override single fields (`docs/schema.md`, "supportedOS Object"); nested keys inherit their
 * parent key's merged block the same way.
 */
export interface OsSupport {
  /** OS version that introduced it; `'n/a'` means "not available on this OS". */
  readonly introduced?: string;
  /** OS version that deprecated it. */
  readonly deprecated?: string;
  /** OS version that removed it. */
  readonly removed?: string;
  /** `true` when it works on supervised devices only. */
  readonly supervised?: boolean;
  /** Whether several payloads of this type may be installed (payload level). */
  readonly multiple?: boolean;
  /** Whether a user may install it by hand (not only through MDM). */
  readonly allowManualInstall?: boolean;
  /** Supported on the device MDM channel (macOS). */
  readonly deviceChannel?: boolean;
  /** Supported on the user MDM channel (macOS). */
  readonly userChannel?: boolean;
  /** Only on devices enrolled through Automated Device Enrollment. */
  readonly requiresDep?: boolean;
  /** Only with user-approved MDM enrollment (macOS). */
  readonly userApprovedMdm?: boolean;
  /** Behaviour on Shared iPad. */
  readonly sharedIpad?: {
    readonly mode?: EnrollmentMode;
    readonly deviceChannel?: boolean;
    readonly userChannel?: boolean;
  };
  /** Behaviour under User Enrollment. */
  readonly userEnrollment?: { readonly mode?: EnrollmentMode; readonly behavior?: string };
}

/** One {@link OsSupport} per OS; an OS that is absent inherits (or, at payload level, is unsupported). */
export type SupportedOs = { readonly [O in OsName]?: OsSupport };

/**
 * A pointer to a shared definition in {@link PayloadSchema.defs}.
 *
 * Apple's YAML reuses subkey lists through anchors/aliases, and in
 * `com.apple.homescreenlayout` they form a cycle (a folder icon holds pages that hold icons);
 * references keep the description finite.
 */
export interface SchemaRef {
  /** Name of the definition in {@link PayloadSchema.defs}. */
  readonly ref: string;
}

/** The keys of a dictionary. */
export interface DictionarySchema {
  /** Named keys, in Apple's order. */
  readonly keys: { readonly [name: string]: KeySchema };
  /** Schema of free-form keys (Apple's `ANY` placeholder key), e.g. language codes in `ConsentText`. */
  readonly anyKey?: KeySchema;
}

/** Which kind of payload a `…CertificateUUID` key must point at (a rule from Apple's prose). */
export type CertificateReferenceKind = 'identity' | 'certificate';

/** One key (or array element) of a payload. */
export interface KeySchema {
  /** The plist type. */
  readonly type: SchemaValueType;
  /** `true` when Apple marks the key `presence: required`. */
  readonly required?: boolean;
  /** Apple's human title. */
  readonly title?: string;
  /** The only allowed values. */
  readonly rangelist?: readonly (string | number | boolean)[];
  /** Inclusive numeric bounds. */
  readonly range?: { readonly min?: number; readonly max?: number };
  /** A regular expression (source text) a string value must match. */
  readonly format?: string;
  /** Apple's `valuetype` (or deprecated `subtype`), e.g. `url`, `hostname`. */
  readonly valueType?: string;
  /** The value the OS assumes when the key is absent. */
  readonly default?: string | number | boolean;
  /** On an array element: how many elements the array may have. */
  readonly repetition?: { readonly min?: number; readonly max?: number };
  /** Per-OS overrides of the inherited {@link SupportedOs}. */
  readonly os?: SupportedOs;
  /**
   * Set on keys whose value is the `PayloadUUID` of another payload in the same profile
   * (`PayloadCertificateUUID`, `IdentityCertificateUUID`, `PayloadCertificateAnchorUUID` items…).
   */
  readonly reference?: CertificateReferenceKind;
  /** For `dictionary`: its keys, inline or shared. */
  readonly dictionary?: DictionarySchema | SchemaRef;
  /** For `array`: the element schema, inline or shared. */
  readonly items?: KeySchema | SchemaRef;
}

/** The schema of one payload type (one `payloadtype` of Apple's YAML). */
export interface PayloadSchema {
  /** The `PayloadType` value, e.g. `com.apple.wifi.managed`. */
  readonly payloadType: string;
  /** Apple's title, e.g. `Wi-Fi`. */
  readonly title: string;
  /** The YAML files it was generated from (several for `com.apple.MCX`, `com.apple.extensiblesso`). */
  readonly sources: readonly string[];
  /** Payload-level OS support. */
  readonly os: SupportedOs;
  /** The payload's own keys (the common `Payload*` keys are in `COMMON_PAYLOAD_KEYS_SCHEMA`). */
  readonly dictionary: DictionarySchema;
  /** Shared definitions that {@link SchemaRef}s point at. */
  readonly defs?: {
    readonly items?: { readonly [name: string]: KeySchema };
    readonly dictionaries?: { readonly [name: string]: DictionarySchema };
  };
}

/** Where the generated schema came from. */
export interface SchemaSource {
  /** Upstream repository URL. */
  readonly repository: string;
  /** The pinned commit. */
  readonly commit: string;
  /** Commit date (ISO). */
  readonly commitDate: string;
  /** Upstream release name. */
  readonly release: string;
}

/**
 * Anything with a `PayloadType`: a payload definition as the builders return it.
 *
 * Certificate-reference keys accept one of these in place of a UUID string; `createProfile`
 * replaces it by the `PayloadUUID` it assigns to that very object (which must be in the same
 * profile's `payloads`).
 */
export interface PayloadReferenceTarget {
  readonly PayloadType: string;
}

/**
 * The value of a key that points at another payload of the same profile
 * (`PayloadCertificateUUID`, `IdentityCertificateUUID`, `PayloadCertificateAnchorUUID` items…):
 * its `PayloadUUID`, or the payload definition object itself.
 *
 * @example
 * const ca = rootCertificate({ certificate: caPem });
 * const net = wifi({ ssid: 'Schule', security: 'WPA2', eap: { acceptEapTypes: ['PEAP'], trustedCertificates: [ca] } });
 * createProfile({ identifier: 'org.example.wifi', displayName: 'Wi-Fi', payloads: [ca, net] });
 */
export type CertificateReference = string | PayloadReferenceTarget;
