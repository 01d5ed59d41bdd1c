/**
 * A discrete-event clock for the station benchmark: `sleep` registers a timer, and
 * {@link VirtualClock.drive} moves time straight to the next timer whenever everything
 * in-process is waiting on the clock (no microtask or immediate left to run). An hour of
 * station time then costs only the CPU the program uses, and the time it reports is exact.
 */
import type { Clock } from '../../clock.js';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

const settle = async () => {
  for (let i = 0; i < 8; i++) await new Promise<void>((r) => setImmediate(r));
};

/** A clock whose time moves only when every task waits on it. */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 8, 1, 8)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fire: resolve };
      this.#timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.#timers.indexOf(timer);
          if (i >= 0) this.#timers.splice(i, 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Advances time timer by timer until `done` settles; returns its value. */
  async drive<T>(done: Promise<T>): Promise<T> {
    let finished = false;
    const result = done.finally(() => {
      finished = true;
    });
    for (;;) {
      await settle();
      if (finished) return result;
      if (this.#timers.length === 0) throw new Error('virtual clock: every task waits, and no timer is set');
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers.shift()!;
      this.#now = Math.max(this.#now, next.at);
      next.fire();
    }
  }
}
