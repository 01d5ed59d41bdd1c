/**
 * A value that must never be printed: access tokens, client assertions, DEP sessions.
 * Not part of the public API.
 *
 * `@schoolmdm/core` is adding a public `SecretValue` with the same shape (issue #8); until it
 * lands the clients keep their secrets in this holder. The raw value lives in a private field,
 * so `String`, `JSON.stringify`, `util.inspect(x, { showHidden: true })` and spreading see only
 * `[REDACTED]`.
 */
const REDACTED = '[REDACTED]';

/** Holds one secret string; {@link Secret.reveal} is the only way to read it. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The raw value, for the one place that sends it. */
  reveal(): string {
    return this.#value;
  }

  /** True when both hold the same value (without revealing either). */
  equals(other: Secret | undefined): boolean {
    return other !== undefined && other.#value === this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
