/**
 * Which dictionary keys hold secrets, shared by the plist reader (error messages) and the
 * validator (issue `found` texts). Not part of the public API.
 *
 * Apple's YAML has no "sensitive" flag (ProfileManifests' `pfm_sensitive` has, but is not
 * licensed for reuse), so secrets are recognised by key name: Wi-Fi `Password`, EAP
 * `UserPassword`, `ProxyPassword`, PKCS#12 `Password`, SCEP `Challenge`, VPN `SharedSecret`,
 * SSO `RegistrationToken`, and anything below such a key.
 */
import type { PathSegment } from './path.js';

const SENSITIVE_NAME = /pass(word|phrase|code)?$|password|secret|challenge|token|private|credential|^pin$|psk/i;

/** `true` when a key of this name holds a secret. */
export function isSensitiveKeyName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** `true` when any key on the path holds a secret (so values below it are secret too). */
export function isSensitivePath(path: readonly PathSegment[]): boolean {
  return path.some((s) => typeof s === 'string' && isSensitiveKeyName(s));
}

/**
 * A short excerpt of text from a file for an error message: `(hidden)` below a secret key,
 * otherwise at most `max` characters, JSON-quoted so control characters show as escapes.
 */
export function excerpt(text: string, path: readonly PathSegment[], max = 24): string {
  if (isSensitivePath(path)) return '(hidden)';
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
