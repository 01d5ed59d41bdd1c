/**
 * `Profile`: a validated, immutable configuration profile, ready to write or sign.
 *
 * @module
 */
import { type InspectOptions, inspect } from 'node:util';
import type { PlistDict } from '../plist/index.js';
import { writePlist } from '../plist/index.js';
import type { ValidationIssue } from '../schema/issues.js';
import { type CmsSigner, type SignCmsOptions, signCms } from '../signing/index.js';
import { clonePlist } from './model.js';
import type { ProfilePayloadSummary } from './types.js';

/** What {@link Profile.toJSON} returns: identifiers and warnings, never key values. */
export interface ProfileSummary {
  readonly identifier: string;
  readonly uuid: string;
  readonly displayName: string;
  readonly organization?: string;
  readonly payloads: readonly ProfilePayloadSummary[];
  readonly warnings: readonly ValidationIssue[];
}

/**
 * A configuration profile built by {@link createProfile}: validated against Apple's schema,
 * with stable UUIDs, immutable.
 *
 * Payload keys (Wi-Fi passwords, PKCS#12 data, SCEP challenges) are kept in a private field:
 * `JSON.stringify(profile)`, `util.inspect(profile)` and `String(profile)` show identifiers
 * and warnings only. Use {@link Profile.toXml} / {@link Profile.toBytes} / {@link Profile.sign}
 * to get the content.
 */
export class Profile {
  /** `PayloadIdentifier` of the profile. */
  readonly identifier: string;
  /** `PayloadUUID` of the profile (derived from the identifier unless overridden). */
  readonly uuid: string;
  /** `PayloadDisplayName`. */
  readonly displayName: string;
  /** `PayloadOrganization`, when set. */
  readonly organization: string | undefined;
  /** Type, identifier and UUID of each payload, in order. */
  readonly payloads: readonly ProfilePayloadSummary[];
  /**
   * Non-fatal findings of validation: unknown keys, supervised-only keys on an unsupervised
   * target, keys the target OS removed… (errors make {@link createProfile} throw instead).
   */
  readonly warnings: readonly ValidationIssue[];

  readonly #model: PlistDict;
  #xml: string | undefined;
  #bytes: Uint8Array | undefined;

  /** @internal Use {@link createProfile}. */
  constructor(model: PlistDict, payloads: readonly ProfilePayloadSummary[], warnings: readonly ValidationIssue[]) {
    this.#model = model;
    this.identifier = String(model.PayloadIdentifier);
    this.uuid = String(model.PayloadUUID);
    this.displayName = String(model.PayloadDisplayName);
    this.organization = typeof model.PayloadOrganization === 'string' ? model.PayloadOrganization : undefined;
    this.payloads = Object.freeze(payloads.map((p) => Object.freeze({ ...p })));
    this.warnings = Object.freeze([...warnings]);
  }

  /**
   * The profile as an XML property list. Keys are sorted, so the same input always gives the
   * same text (and the same signature).
   */
  toXml(): string {
    this.#xml ??= writePlist(this.#model);
    return this.#xml;
  }

  /** The XML as UTF-8 bytes: the `.mobileconfig` file of an unsigned profile. A fresh copy each call. */
  toBytes(): Uint8Array {
    this.#bytes ??= new TextEncoder().encode(this.toXml());
    return this.#bytes.slice();
  }

  /**
   * Signs the profile: a DER CMS SignedData with the exact {@link toBytes} embedded, the
   * `.mobileconfig` devices show as "Verified" when they trust the signer's chain.
   *
   * @param signer - the signing certificate, key and chain (PEM), or a prepared
   *   `createCmsSigner(…)` to sign many profiles without re-reading the key each time.
   * @throws {SignatureError} when the key or certificates cannot be used (never with key material).
   * @example
   * const signed = profile.sign({ certificatePem, privateKeyPem, chainPem });
   * verifySignedProfile(signed).content; // byte-identical to profile.toBytes()
   */
  sign(signer: SignCmsOptions | CmsSigner): Uint8Array {
    return isCmsSigner(signer) ? signer.sign(this.toBytes()) : signCms(this.toBytes(), signer);
  }

  /**
   * A deep copy of the plist model that {@link toXml} writes, with `real()`/`integer()`
   * wrappers where Apple's schema types the number. Contains every value, secrets included.
   */
  toPlistValue(): PlistDict {
    return clonePlist(this.#model) as PlistDict;
  }

  /** Identifiers and warnings only: never a payload key's value. */
  toJSON(): ProfileSummary {
    return {
      identifier: this.identifier,
      uuid: this.uuid,
      displayName: this.displayName,
      ...(this.organization !== undefined ? { organization: this.organization } : {}),
      payloads: this.payloads,
      warnings: this.warnings,
    };
  }

  /** `Profile(org.example.wifi, 2 payloads)`. */
  toString(): string {
    return `Profile(${this.identifier}, ${this.payloads.length} payload${this.payloads.length === 1 ? '' : 's'})`;
  }

  /** What `console.log` and `util.inspect` show: the summary, never secrets. */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    return `Profile ${inspect(this.toJSON(), options)}`;
  }
}

function isCmsSigner(v: SignCmsOptions | CmsSigner): v is CmsSigner {
  return typeof (v as Partial<CmsSigner>).sign === 'function';
}
