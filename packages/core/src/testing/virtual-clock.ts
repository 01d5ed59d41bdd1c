/**
 * A virtual clock for deterministic tests of code built on the transport: `sleep` never waits
 * for real, and `run()` advances time to the next sleeper whenever nothing else can make
 * progress. The API clients' tests and benchmarks run rate limits of an hour on it in
 * milliseconds.
 */

import type { FetchInit, FetchLike } from '../http/types.js';
import type { Sleep } from '../internal/sleep.js';

interface Sleeper {
  at: number;
  resolve: () => void;
}

/**
 * Simulated time for a {@link @schoolmdm/core!Transport} (and the clients on it) and the
 * simulators: pass `clock`, `sleep` and `fetch` to the client, and run the call under `run()`.
 *
 * @example
 * ```ts
 * const vc = new VirtualClock();
 * const transport = new Transport({ baseURL, now: vc.clock, sleep: vc.sleep, fetch: vc.fetch });
 * const res = await vc.run(transport.get('/devices')); // a 429 with Retry-After: 3600 takes no real time
 * ```
 */
export class VirtualClock {
  /** The current simulated time, in ms since the epoch. */
  now: number;
  /** Every sleep requested, in ms, in order. */
  readonly sleeps: number[] = [];
  readonly #sleepers: Sleeper[] = [];
  #inFlight = 0;

  /** @param start - the simulated time to start at, in ms since the epoch */
  constructor(start = Date.UTC(2026, 8, 1, 12, 0, 0)) {
    this.now = start;
  }

  /** The clock to pass as a transport's or simulator's `now`. */
  readonly clock = (): number => this.now;

  /** A `sleep` that resolves when `run()` advances simulated time past it (or rejects on abort). */
  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      this.sleeps.push(ms);
      const sleeper: Sleeper = {
        at: this.now + ms,
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

  /**
   * `globalThis.fetch` (looked up at call time, so msw still sees it), with time frozen while a
   * request is on the wire: `run()` does not advance the clock until the response, body
   * included, has arrived. Without it the clock would jump to the next sleeper while a real
   * socket is still busy, as if the server took that long. Pass it as the transport's `fetch`.
   */
  readonly fetch: FetchLike = async (url: string, init: FetchInit) => {
    this.#inFlight++;
    try {
      const response = await globalThis.fetch(url, init as RequestInit);
      // Buffer the body so the transport reads it without waiting on the socket.
      const body = response.status === 204 || response.status === 304 ? null : await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      this.#inFlight--;
    }
  };

  /** Moves simulated time forward by `ms` at once (e.g. past a cache's refresh interval), waking no sleeper. */
  advance(ms: number): void {
    this.now += ms;
  }

  /** Number of sleeps not yet over. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** Lets pending work run, then wakes sleepers in time order until `promise` settles. */
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
    let idle = 0;
    for (let spins = 0; !settled; spins++) {
      if (spins > 100_000) throw new Error('VirtualClock.run: no progress');
      await new Promise((r) => setImmediate(r));
      if (settled) break;
      if (this.#inFlight > 0) {
        // Real I/O under way: let it finish before time moves.
        idle = 0;
        spins--;
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      // Two quiet turns in a row: whatever a response started has run.
      if (++idle < 2) continue;
      idle = 0;
      this.#wakeNext();
    }
    return promise;
  }

  /** Advances to the earliest sleeper (if any) and wakes it. */
  #wakeNext(): void {
    if (this.#sleepers.length === 0) return;
    this.#sleepers.sort((a, b) => a.at - b.at);
    const next = this.#sleepers.shift() as Sleeper;
    this.now = Math.max(this.now, next.at);
    next.resolve();
  }
}
