/**
 * Last line of defence for the content token in errors. Core masks a `SecretValue` header that a
 * service echoes in an error body, but not in every error it builds (a `ResponseValidationError`
 * excerpt of a 200 body that quotes the token, for one), and `redact()` cannot recognise an
 * opaque Base64 token. The client knows its token, so it masks it (and the inner `token` of the
 * file) in every string an error it throws carries. Not part of the public API.
 */
import { REDACTED } from '@schoolmdm/core';

/** Replaces each of `secrets` in `error`'s message, stack and own string fields (and its causes). */
export function scrubSecrets(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (depth > 5 || typeof error !== 'object' || error === null || secrets.length === 0) return error;
  const mask = (text: string): string => {
    let out = text;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  };
  const target = error as Record<string, unknown>;
  for (const key of ['message', 'stack', ...Object.keys(target)]) {
    const value = target[key];
    if (typeof value === 'string' && secrets.some((s) => value.includes(s))) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      Object.defineProperty(target, key, {
        value: mask(value),
        enumerable: descriptor?.enumerable ?? false,
        writable: true,
        configurable: true,
      });
    } else if (Array.isArray(value)) {
      for (const item of value) scrubSecrets(item, secrets, depth + 1);
    }
  }
  scrubSecrets((error as { cause?: unknown }).cause, secrets, depth + 1);
  return error;
}
