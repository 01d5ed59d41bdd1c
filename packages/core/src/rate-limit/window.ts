/**
 * The two rate shapes a rule can have. Both answer the same three questions, so the
 * scheduler treats them alike: when may the next request start, take a slot at a time, and
 * when would the request `ahead` places back in line start.
 */

/** A rate: when the next request may start, and taking a start. */
export interface Rate {
  /** Earliest time (ms since the epoch, ≥ `now`) the next request may start. */
  nextStart(now: number): number;
  /** Records a request that started at `at` (≥ `nextStart(at)`). */
  take(at: number): void;
  /** When the request with `ahead` others before it in line would start, if nothing else came. */
  startAfter(now: number, ahead: number): number;
}

/**
 * A true sliding window: never more than `limit` starts in any `windowMs` (half-open window
 * `[t, t + windowMs)`). Keeps the last `limit` start times in a ring: the next request may
 * start `windowMs` after the `limit`-th most recent one. This is what a service with a
 * sliding-window limit counts; a token bucket of the same rate lets twice as many through a
 * window (a full bucket, then its refill).
 */
export class SlidingWindow implements Rate {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #starts: Float64Array;
  #next = 0; // index where the next start is written
  #count = 0;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#starts = new Float64Array(limit);
  }

  nextStart(now: number): number {
    if (this.#count < this.#limit) return now;
    // The oldest of the last `limit` starts sits where the next one will be written.
    return Math.max(now, (this.#starts[this.#next] as number) + this.#windowMs);
  }

  take(at: number): void {
    this.#starts[this.#next] = at;
    this.#next = (this.#next + 1) % this.#limit;
    if (this.#count < this.#limit) this.#count++;
  }

  startAfter(now: number, ahead: number): number {
    const copy = new SlidingWindow(this.#limit, this.#windowMs);
    copy.#starts.set(this.#starts);
    copy.#next = this.#next;
    copy.#count = this.#count;
    for (let i = 0; i < ahead; i++) copy.take(copy.nextStart(now));
    return copy.nextStart(now);
  }
}

/**
 * A token bucket (GCRA: one "theoretical arrival time" instead of a count and a refill timer),
 * for rules with an explicit `burst`: up to `burst` requests back to back, then one every
 * `perMs / requests`. In a window of `perMs` it lets through up to `requests + burst − 1`.
 *
 * @see https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm
 */
export class TokenBucket implements Rate {
  /** Time between two tokens, in ms. */
  readonly interval: number;
  readonly #tolerance: number;
  #tat = Number.NEGATIVE_INFINITY;

  constructor(requests: number, perMs: number, burst: number) {
    this.interval = perMs / requests;
    this.#tolerance = (Math.max(1, burst) - 1) * this.interval;
  }

  nextStart(now: number): number {
    return Math.max(now, this.#tat - this.#tolerance);
  }

  take(at: number): void {
    this.#tat = Math.max(this.#tat, at) + this.interval;
  }

  startAfter(now: number, ahead: number): number {
    if (ahead === 0) return this.nextStart(now);
    // After `ahead` takes at their earliest times, TAT has moved `ahead` intervals past max(TAT, now).
    let tat = this.#tat;
    for (let i = 0; i < ahead; i++) tat = Math.max(tat, Math.max(now, tat - this.#tolerance)) + this.interval;
    return Math.max(now, tat - this.#tolerance);
  }
}
