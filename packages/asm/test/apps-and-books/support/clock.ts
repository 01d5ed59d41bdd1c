/**
 * A virtual clock for rate-limit tests over msw or real sockets: `sleep` never waits for real,
 * and time only moves on (to the next sleeper) when no request is between `fetch` and its
 * response headers. So the simulator records every request at the exact virtual time the
 * client's rate limiter let it go (core's test clock advances while requests are in flight).
 */
import type { FetchLike, Sleep } from '@schoolmdm/core';

interface Sleeper {
  at: number;
  resolve: () => void;
}

export class IdleClock {
  now: number;
  /** Every sleep requested, in ms, in order. */
  readonly sleeps: number[] = [];
  inflight = 0;
  readonly #sleepers: Sleeper[] = [];

  constructor(start = Date.UTC(2026, 11, 1, 9, 0, 0)) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  /** A fetch that calls the global one (msw-patched or real) and counts requests under way. */
  readonly fetch: FetchLike = async (url, init) => {
    this.inflight++;
    try {
      return await globalThis.fetch(url, init as RequestInit);
    } finally {
      this.inflight--;
    }
  };

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      this.sleeps.push(ms);
      const sleeper: Sleeper = {
        at: this.now + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.#sleepers.indexOf(sleeper);
        if (i !== -1) this.#sleepers.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });

  /** Moves time forward by `ms` at once (e.g. past the limits refresh). */
  advance(ms: number): void {
    this.now += ms;
  }

  /** Runs until `promise` settles, waking sleepers in time order whenever nothing is in flight. */
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    promise.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const started = Date.now();
    while (!settled) {
      if (Date.now() - started > 20_000) throw new Error('IdleClock.run: no progress in 20 s');
      await new Promise((r) => setImmediate(r));
      if (settled || this.inflight > 0) continue;
      this.#wakeNext();
    }
    return promise;
  }

  #wakeNext(): void {
    if (this.#sleepers.length === 0) return;
    this.#sleepers.sort((a, b) => a.at - b.at);
    const next = this.#sleepers.shift() as Sleeper;
    this.now = Math.max(this.now, next.at);
    next.resolve();
  }
}
