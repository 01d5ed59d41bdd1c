/**
 * `scep()`: a `com.apple.security.scep` payload: the device generates a key and enrolls for a
 * certificate with a SCEP server, so no private key travels in the profile.
 *
 * Apple's schema puts the settings in a nested `PayloadContent` dictionary and spells two keys
 * with spaces, `Key Type` and `Key Usage` (`mdm/profiles/com.apple.security.scep.yaml`); the
 * builder writes exactly those names.
 *
 * @module
 */
import { PayloadOptionError } from '../errors.js';
import type { PayloadDefinition } from '../profile/types.js';
import {
  booleanOption,
  compact,
  describe,
  finish,
  metadataFrom,
  optionsObject,
  PAYLOAD_OPTIONS,
  type PayloadOptions,
  stringOption,
  urlOption,
} from './common.js';

const BUILDER = 'scep';

/** One relative distinguished name: `[['O', 'Example School']]`, or several attributes `[['CN','a'],['OU','b']]`. */
export type ScepRdn = readonly (readonly [string, string])[];

/** Options of {@link scep}. */
export interface ScepOptions extends PayloadOptions {
  /** `URL` of the SCEP server (http or https). */
  url: string;
  /** `Name`: the CA's name, as some SCEP servers require (e.g. the CA identifier). */
  name?: string;
  /**
   * `Subject`: a string like `'CN=iPad 42,O=Example School'` (or `/CN=iPad 42/O=Example School`),
   * or Apple's own shape, an array of RDNs: `[[['CN', 'iPad 42']], [['O', 'Example School']]]`.
   */
  subject?: string | readonly ScepRdn[];
  /** `Challenge`: the pre-shared secret the SCEP server expects. Never shown in errors. */
  challenge?: string;
  /**
   * `Keysize`. Apple's default is 1024 bits, too weak today, so the builder writes 2048 unless told.
   * @default 2048
   */
  keySize?: 1024 | 2048 | 4096;
  /** `Key Usage`: `signing` (1), `encryption` (4), both, or the raw bitmask. */
  keyUsage?: number | readonly ('signing' | 'encryption')[];
  /** `CAFingerprint`: the CA certificate's fingerprint, bytes or hex (colons allowed). */
  caFingerprint?: Uint8Array | string;
  /** `Retries`. */
  retries?: number;
  /** `RetryDelay` in seconds. */
  retryDelay?: number;
  /** `SubjectAltName`. */
  subjectAltName?: { email?: string; dns?: string; uri?: string; ntPrincipalName?: string };
  /** `KeyIsExtractable`. @default true */
  keyIsExtractable?: boolean;
  /** `AllowAllAppsAccess`. @default false */
  allowAllAppsAccess?: boolean;
}

/**
 * A SCEP enrollment payload (`com.apple.security.scep`).
 *
 * @throws {PayloadOptionError} for an unusable URL, subject, key usage or fingerprint.
 * @example
 * scep({ url: 'https://scep.example.org/scep', subject: 'CN=%SerialNumber%,O=Example School', challenge, keyUsage: ['signing', 'encryption'] });
 */
export function scep(options: ScepOptions): PayloadDefinition<'com.apple.security.scep'> {
  const o = optionsObject(BUILDER, options, [
    ...PAYLOAD_OPTIONS,
    ...[
      'url',
      'name',
      'subject',
      'challenge',
      'keySize',
      'keyUsage',
      'caFingerprint',
      'retries',
      'retryDelay',
      'subjectAltName',
      'keyIsExtractable',
      'allowAllAppsAccess',
    ],
  ]);
  const san =
    o.subjectAltName === undefined
      ? undefined
      : optionsObject(BUILDER, o.subjectAltName, ['email', 'dns', 'uri', 'ntPrincipalName'], 'options.subjectAltName');
  const content = compact({
    URL: urlOption(BUILDER, 'url', o.url, ['http:', 'https:']),
    Name: o.name === undefined ? undefined : stringOption(BUILDER, 'name', o.name),
    Subject: o.subject === undefined ? undefined : parseSubject(o.subject),
    Challenge: o.challenge === undefined ? undefined : stringOption(BUILDER, 'challenge', o.challenge),
    Keysize: o.keySize ?? 2048,
    'Key Type': 'RSA',
    'Key Usage': o.keyUsage === undefined ? undefined : keyUsage(o.keyUsage),
    CAFingerprint: o.caFingerprint === undefined ? undefined : fingerprint(o.caFingerprint),
    Retries: o.retries,
    RetryDelay: o.retryDelay,
    SubjectAltName:
      san === undefined
        ? undefined
        : compact({
            rfc822Name: san.email,
            dNSName: san.dns,
            uniformResourceIdentifier: san.uri,
            ntPrincipalName: san.ntPrincipalName,
          }),
    KeyIsExtractable: booleanOption(BUILDER, 'keyIsExtractable', o.keyIsExtractable),
    AllowAllAppsAccess: booleanOption(BUILDER, 'allowAllAppsAccess', o.allowAllAppsAccess),
  });
  return finish(BUILDER, 'com.apple.security.scep', { PayloadContent: content }, metadataFrom(BUILDER, o));
}

/**
 * `'CN=a,O=b'` or `'/CN=a/O=b'` → `[[['CN','a']], [['O','b']]]`; Apple's array shape is
 * copied as is. Commas inside a value are written `\,`.
 */
export function parseSubject(subject: string | readonly ScepRdn[]): string[][][] {
  if (Array.isArray(subject)) {
    return subject.map((rdn, i) => {
      if (!Array.isArray(rdn) || rdn.length === 0) {
        throw new PayloadOptionError(BUILDER, `subject[${i}]`, 'must be a non-empty array of [attribute, value] pairs');
      }
      return rdn.map((pair: unknown, j) => {
        if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((x) => typeof x === 'string' && x !== '')) {
          throw new PayloadOptionError(
            BUILDER,
            `subject[${i}][${j}]`,
            'must be an [attribute, value] pair of strings',
            {
              hint: "e.g. ['CN', 'iPad 42']",
            },
          );
        }
        return [pair[0], pair[1]];
      });
    });
  }
  if (typeof subject !== 'string' || subject.trim() === '') {
    throw new PayloadOptionError(
      BUILDER,
      'subject',
      `must be a string like 'CN=iPad,O=School' or an array of RDNs, got ${describe(subject)}`,
    );
  }
  const text = subject.trim();
  const parts = text.startsWith('/') ? text.slice(1).split('/') : text.split(/(?<!\\),/);
  return parts.map((part) => {
    const eq = part.indexOf('=');
    const attribute = part.slice(0, eq).trim();
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/\\,/g, ',');
    if (eq <= 0 || attribute === '' || value === '') {
      throw new PayloadOptionError(BUILDER, 'subject', `has a part without attribute=value: ${JSON.stringify(part)}`, {
        hint: "write it like 'CN=iPad 42,O=Example School'",
      });
    }
    return [[attribute, value]];
  });
}

function keyUsage(usage: number | readonly ('signing' | 'encryption')[]): number {
  if (typeof usage === 'number') {
    if (![0, 1, 4, 5].includes(usage)) {
      throw new PayloadOptionError(BUILDER, 'keyUsage', 'must be 0, 1 (signing), 4 (encryption) or 5 (both)');
    }
    return usage;
  }
  if (!Array.isArray(usage))
    throw new PayloadOptionError(BUILDER, 'keyUsage', `must be a number or an array, got ${describe(usage)}`);
  let bits = 0;
  for (const [i, u] of usage.entries()) {
    if (u === 'signing') bits |= 1;
    else if (u === 'encryption') bits |= 4;
    else throw new PayloadOptionError(BUILDER, `keyUsage[${i}]`, "must be 'signing' or 'encryption'");
  }
  return bits;
}

function fingerprint(value: Uint8Array | string): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  const hex = typeof value === 'string' ? value.replace(/[\s:]/g, '') : '';
  if (!/^([0-9A-Fa-f]{2})+$/.test(hex)) {
    throw new PayloadOptionError(BUILDER, 'caFingerprint', 'must be bytes or a hex string (colons allowed)', {
      hint: 'e.g. the output of openssl x509 -fingerprint -sha256 -noout',
    });
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
