/**
 * The brand of `SecretValue`, kept apart from the class so that `redact()` can recognise a
 * secret without importing the class (and the error classes it throws), which would make a cycle.
 */

/** Marks an object as a secret value across copies of `@schoolmdm/core` (ESM and CJS, or two versions). */
export const SECRET_BRAND: unique symbol = Symbol.for('@schoolmdm/core:SecretValue') as never;

/** What every copy of `SecretValue` looks like from outside. */
export interface SecretLike {
  reveal(): string;
}

/** True when `value` is a `SecretValue` made by any copy of `@schoolmdm/core`. */
export function isSecretValue(value: unknown): value is SecretLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [SECRET_BRAND]?: unknown })[SECRET_BRAND] === true &&
    typeof (value as { reveal?: unknown }).reveal === 'function'
  );
}
