/**
 * Secret hiding for value classes that hold tokens or keys (server tokens, content tokens,
 * private keys). Not part of the public API.
 *
 * The secrets themselves are core's `SecretValue`s (one pattern across the SDK): a class keeps
 * each one as a `#private` `SecretValue` and reveals it only in its getter; this base class
 * gives the class as a whole the same `[REDACTED]` printed forms.
 *
 * `withSecrets` (./secret.ts) builds frozen result objects on these helpers; classes use them directly.
 * A class keeps its secrets in private fields exposed through getters, then builds its
 * `toString`, `toJSON` and `util.inspect` output from one "public view" in which every secret
 * is replaced by `REDACTED`. Private fields are invisible to `Object.keys`, spreading,
 * `structuredClone`, `JSON.stringify` and `util.inspect` (even with `showHidden`), so only the
 * explicit getter reveals a secret.
 */
import { type InspectOptions, inspect } from 'node:util';
import { REDACTED as CORE_REDACTED } from '@schoolmdm/core';

/** What every secret is shown as, across the package (`./secret.ts` uses it too). */
export const REDACTED: string = CORE_REDACTED;

/** The `util.inspect.custom` symbol, re-exported so classes need not import `node:util`. */
export const inspectCustom: typeof inspect.custom = inspect.custom;

/** A public view: field name → value, where secrets are already `REDACTED`. */
export type PublicView = Record<string, unknown>;

/** `Name(a=1, b=[REDACTED])`, the `toString()` form. Dates are written as ISO 8601. */
export function redactedString(name: string, view: PublicView): string {
  const parts = Object.entries(view).map(([k, v]) => `${k}=${v instanceof Date ? isoOrInvalid(v) : String(v)}`);
  return `${name}(${parts.join(', ')})`;
}

/** The `toJSON()` form: the view with dates as ISO strings. */
export function redactedJson(view: PublicView): Record<string, unknown> {
  return Object.fromEntries(Object.entries(view).map(([k, v]) => [k, v instanceof Date ? isoOrInvalid(v) : v]));
}

/**
 * The `[util.inspect.custom]` form: `Name { a: 1, b: '[REDACTED]' }`, honouring the caller's
 * inspect options (colours, depth) for the non-secret values.
 */
export function redactedInspect(name: string, view: PublicView, depth: number, options: InspectOptions): string {
  if (depth < 0) return `[${name}]`;
  const nested = { ...options, depth: options.depth == null ? null : options.depth - 1 };
  return `${name} ${inspect(view, nested)}`;
}

function isoOrInvalid(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString();
}

/**
 * Base of the value classes that hold a secret: `toString`, `toJSON` and `util.inspect` are all
 * built from the subclass's one public view, so a new printed form can never forget a secret.
 * The class name is passed explicitly because bundlers may rename classes.
 */
export abstract class RedactedValue {
  readonly #displayName: string;

  protected constructor(displayName: string) {
    this.#displayName = displayName;
  }

  /** The fields to show, every secret already replaced by `REDACTED` (from `@schoolmdm/core`). */
  protected abstract publicView(): PublicView;

  /** `Name(field=…, secret=[REDACTED])`. */
  toString(): string {
    return redactedString(this.#displayName, this.publicView());
  }

  /** The public view with dates as ISO strings; secrets are `"[REDACTED]"`. */
  toJSON(): Record<string, unknown> {
    return redactedJson(this.publicView());
  }

  /** `util.inspect` / `console.log` form, secrets redacted. */
  [inspectCustom](depth: number, options: InspectOptions): string {
    return redactedInspect(this.#displayName, this.publicView(), depth, options);
  }
}
