/**
 * A secret string that prints as `[REDACTED]`. Core's `SecretValue` (issue #8) has the same
 * contract; this private stand-in keeps the client's access token, password and JWT out of
 * `String()`, `JSON.stringify()` and `util.inspect()` until the transport can take it directly.
 */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Holds one secret; only {@link Secret.reveal} returns it. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself, for the one place that sends it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[REDACTED]';
  }

  toJSON(): string {
    return '[REDACTED]';
  }

  [INSPECT](): string {
    return 'Secret([REDACTED])';
  }
}
