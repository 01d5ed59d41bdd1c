/**
 * A token bucket written as the generic cell rate algorithm (GCRA): one number, the
 * "theoretical arrival time", instead of a token count and a refill timer. Reservations are
 * made synchronously, so concurrent callers queue in order without locks.
 *
 * @see https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm
 */
export class TokenBucket {
  /** Time between two tokens, in ms. */
  readonly interval: number;
  readonly #tolerance: number;
  #tat = Number.NEGATIVE_INFINITY;

  constructor(requests: number, perMs: number, burst: number) {
    this.interval = perMs / requests;
    this.#tolerance = (Math.max(1, burst) - 1) * this.interval;
  }

  /** Milliseconds from `now` until a token is free (0 when one is free now). */
  delay(now: number): number {
    return Math.max(0, Math.max(this.#tat, now) - this.#tolerance - now);
  }

  /** Takes the token for a request sent at `at` (≥ the time `delay` allowed). */
  reserve(at: number): void {
    this.#tat = Math.max(this.#tat, at) + this.interval;
  }

  /** Gives back a reserved token whose request was never sent (aborted while waiting). */
  refund(): void {
    this.#tat -= this.interval;
  }
}
