/**
 * A credential held in memory: prints as `[REDACTED]` through `String`, `JSON.stringify` and
 * `util.inspect`, and gives its value only through `reveal()`, at the moment a client needs it.
 */
import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/** A secret string that never prints. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The value, for handing to a client constructor. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}
