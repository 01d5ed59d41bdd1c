/**
 * Which keys hold secrets, and how to describe a value without leaking one.
 * Not part of the public API.
 *
 * Apple's YAML has no "sensitive" flag (ProfileManifests' `pfm_sensitive` has, but is not
 * licensed for reuse), so secrets are recognised by key name: Wi-Fi `Password`, EAP
 * `UserPassword`, `ProxyPassword`, PKCS#12 `Password`, SCEP `Challenge`, VPN `SharedSecret`,
 * SSO `RegistrationToken`, and anything below such a key.
 */
import { PlistInteger, PlistReal } from '../plist/index.js';
import type { PathSegment } from '../plist/path.js';
import { isSensitiveKeyName, isSensitivePath } from '../plist/secret-keys.js';

export { isSensitiveKeyName, isSensitivePath };

/** The plist type of a JS value, in Apple's words (`string`, `integer`, `dictionary`…). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint' || value instanceof PlistInteger) return 'integer';
  if (value instanceof PlistReal) return 'real';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'real';
  if (value instanceof Date) return 'date';
  if (value instanceof Uint8Array) return 'data';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'dictionary';
  return typeof value;
}

/**
 * A short, secret-free description of a value for `found`: strings quoted and cut at 40
 * characters, `<data>` by length only, containers by size, and `(hidden)` under a secret key.
 */
export function describeValue(value: unknown, path: readonly PathSegment[]): string {
  if (isSensitivePath(path)) return `(hidden ${describeType(value)})`;
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number') return `${describeType(value)} ${value}`;
  if (typeof value === 'bigint') return `integer ${value}`;
  if (value instanceof PlistInteger || value instanceof PlistReal) return `${describeType(value)} ${value.value}`;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'invalid date' : `date ${value.toISOString()}`;
  if (value instanceof Uint8Array) return `data (${value.length} bytes)`;
  if (Array.isArray(value)) return `array of ${value.length}`;
  return describeType(value);
}
