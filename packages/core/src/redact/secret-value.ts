/**
 * One public type for a secret the SDK holds: an access token, a JWT, a password, a session id,
 * an OAuth assertion. The raw text lives in a true `#private` field, so every way of printing
 * the object shows `[REDACTED]`: `String(x)`, template literals, `JSON.stringify`,
 * `console.log`, `util.inspect(x, { showHidden: true, depth: 10 })`, `Object.keys`, spreading
 * and `structuredClone` never see it. Only {@link SecretValue.reveal} returns it.
 *
 * The transport accepts a `SecretValue` as a header value and anywhere inside a plain-object
 * JSON body: it reveals the value only when it writes the request on the wire, redacts it in
 * every log line and error, and never sends it to another origin on a redirect.
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { isSecretValue as hasSecretBrand, SECRET_BRAND } from './brand.js';
import { REDACTED } from './constants.js';

/** Node's `util.inspect.custom`, without importing `node:util` into every bundle. */
const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * A secret string that prints as `[REDACTED]` everywhere.
 *
 * Extend it to hold a secret with a richer printed form (override `toString`, `toJSON` and
 * `[Symbol.for('nodejs.util.inspect.custom')]` together), or keep one as a private field of
 * your own class and print `[REDACTED]` for it.
 *
 * @example
 * ```ts
 * const token = new SecretValue(process.env.ASM_TOKEN ?? '');
 * String(token);             // '[REDACTED]'
 * JSON.stringify({ token }); // '{"token":"[REDACTED]"}'
 * await transport.get('/v1/orgDevices', { headers: { authorization: new SecretValue(`Bearer ${raw}`) } });
 * token.reveal();            // the raw string, only where it is really needed
 * ```
 */
export class SecretValue {
  readonly #raw: string;

  /**
   * @param raw - The secret text. Must be a string (an empty string is allowed: a missing
   * secret is the caller's to reject, with a message that says which one).
   * @throws {@link InvalidArgumentError} when `raw` is not a string.
   */
  constructor(raw: string) {
    if (typeof raw !== 'string') {
      throw new InvalidArgumentError('secret', `expected a string, got ${raw === null ? 'null' : typeof raw}`, {
        hint: 'Pass the secret text, e.g. new SecretValue(token).',
      });
    }
    this.#raw = raw;
  }

  /** Wraps a string; returns a `SecretValue` (from any copy of the package) unchanged. */
  static from(value: string | SecretValue): SecretValue {
    return isSecretValue(value) ? value : new SecretValue(value);
  }

  /**
   * `x instanceof SecretValue` is true for a `SecretValue` made by any copy of
   * `@schoolmdm/core`; for a subclass it is the ordinary prototype check.
   */
  static [Symbol.hasInstance](instance: unknown): boolean {
    if (this !== SecretValue) return Function.prototype[Symbol.hasInstance].call(this, instance);
    return isSecretValue(instance);
  }

  /** The raw secret. Call it only where the value leaves the process (a header, a signature). */
  reveal(): string {
    return this.#raw;
  }

  /** Always `[REDACTED]`. */
  toString(): string {
    return REDACTED;
  }

  /** Always `"[REDACTED]"` (what `JSON.stringify` writes). */
  toJSON(): string {
    return REDACTED;
  }

  /** `util.inspect` / `console.log` form: `[REDACTED]`. */
  [INSPECT](): string {
    return REDACTED;
  }

  /** `${secret}` and `+secret` give `toString()` (`[REDACTED]`), never the raw text. */
  [Symbol.toPrimitive](): string {
    return this.toString();
  }
}

// On the prototype, not the instance: nothing extra to show in `util.inspect(x, { showHidden })`.
Object.defineProperty(SecretValue.prototype, SECRET_BRAND, { value: true, enumerable: false });

/** True when `value` is a {@link SecretValue} from any copy of `@schoolmdm/core`. */
export function isSecretValue(value: unknown): value is SecretValue {
  return hasSecretBrand(value);
}

/** The raw text of a string or a {@link SecretValue}. */
export function revealSecret(value: string | SecretValue): string {
  return isSecretValue(value) ? value.reveal() : value;
}
