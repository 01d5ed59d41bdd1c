/**
 * Types of profile building: payload definitions (what builders return) and the options of
 * `createProfile`.
 *
 * @module
 */
import type { PayloadType, PayloadTypeMap } from '../generated/payload-types.js';
import type { ValidationOptions } from '../schema/issues.js';

/**
 * The common payload keys a definition may set itself. `createProfile` fills in
 * `PayloadIdentifier` (`<profile identifier>.<kind>[.n]`), `PayloadUUID` (derived, stable) and
 * `PayloadVersion` (1) when they are absent.
 */
export interface PayloadMetadata {
  /** Reverse-DNS identifier, unique within the profile. */
  PayloadIdentifier?: string;
  /** Leave it out to get a stable UUID derived from the identifiers. */
  PayloadUUID?: string;
  /** Name shown on the device's profile detail screen. */
  PayloadDisplayName?: string;
  /** Description shown on the device's profile detail screen. */
  PayloadDescription?: string;
  /** Organization shown on the device's profile detail screen. */
  PayloadOrganization?: string;
  /** Always 1. */
  PayloadVersion?: 1;
}

/**
 * A payload of type `T` as builders return it: `PayloadType` plus that payload's keys
 * (interfaces generated from Apple's schema) plus optional {@link PayloadMetadata}.
 */
export type PayloadDefinition<T extends PayloadType = PayloadType> = { readonly PayloadType: T } & PayloadTypeMap[T] &
  PayloadMetadata;

/**
 * Anything `createProfile` accepts as a payload: a builder's or `payload()`'s result, or any
 * object with a `PayloadType` and Apple's keys, e.g. read from an existing profile (its keys
 * are validated at runtime).
 */
export type PayloadInput =
  | (PayloadMetadata & { readonly PayloadType: string })
  | (PayloadMetadata & { readonly PayloadType: string; readonly [key: string]: unknown });

/**
 * `TargetDeviceType` (`mdm/profiles/TopLevel.yaml`, iOS 12.2+): `0` any, `1` iPhone/iPad/iPod
 * touch, `2` Apple Watch, `3` HomePod, `4` Apple TV, `5` Mac, `6` Vision Pro.
 */
export type TargetDeviceType = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Options of {@link createProfile}. */
export interface CreateProfileOptions {
  /**
   * Reverse-DNS identifier of the profile, e.g. `org.example.school.wifi`. A device replaces an
   * installed profile with the same identifier; every UUID is derived from it.
   */
  identifier: string;
  /** Name shown on the device, e.g. `School Wi-Fi`. */
  displayName: string;
  /** Organization shown on the device. */
  organization?: string;
  /** Description shown on the device. */
  description?: string;
  /** The payloads, from the builders (`wifi()`, `rootCertificate()`, …) or `payload()`. */
  payloads: readonly PayloadInput[];
  /**
   * Forbid removing the profile on the device (`PayloadRemovalDisallowed`). Works on
   * supervised devices only (Apple's schema); unsupervised ones ignore it.
   */
  removalDisallowed?: boolean;
  /**
   * `TargetDeviceType`. Setting it avoids an interstitial "choose a device" alert when a
   * user installs the profile by hand.
   * @default 1 (iPhone/iPad: this SDK prepares school iPads)
   */
  targetDeviceType?: TargetDeviceType;
  /** Remove the profile automatically at this date (`RemovalDate`). Exclusive with {@link durationUntilRemoval}. */
  removalDate?: Date;
  /**
   * Remove the profile this many seconds after installation (`DurationUntilRemoval`, written as
   * `<real>`). Exclusive with {@link removalDate}.
   */
  durationUntilRemoval?: number;
  /** After this date the device shows the profile as expired (`PayloadExpirationDate`). */
  expirationDate?: Date;
  /** Text the user must accept before installing, per language code plus optional `default` (`ConsentText`). */
  consentText?: { readonly [language: string]: string };
  /**
   * Override the derived profile UUID. Normally left out: the derived one is stable, so
   * reinstalling replaces the profile instead of adding a second one.
   */
  uuid?: string;
  /**
   * Target device for validation warnings (supervised-only keys, keys the OS lacks…).
   * `os` defaults from {@link targetDeviceType} (iOS unless it says otherwise).
   */
  validation?: ValidationOptions;
}

/** What a {@link Profile} reveals about one payload (no key values: they may be secrets). */
export interface ProfilePayloadSummary {
  /** `PayloadType`. */
  readonly type: string;
  /** `PayloadIdentifier`. */
  readonly identifier: string;
  /** `PayloadUUID`. */
  readonly uuid: string;
  /** `PayloadDisplayName`, when set. */
  readonly displayName?: string;
}
