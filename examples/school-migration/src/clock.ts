/**
 * Clocks the services' rate limits run on. Against Apple and Mosyle the real clock; in the
 * simulated world a clock that jumps forward when the program waits, so an hour-long
 * rate-limit wait costs no real time while every limit still holds in simulated time. The
 * world and a runner in another process share it through the world's `/__world/clock`.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { defaultSleep } from '@schoolmdm/core';

/** A clock: ms since the epoch, and a wait. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: defaultSleep,
};

/** Real time plus an offset that only grows: `sleep` jumps instead of waiting. */
export class JumpClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  /** Moves the clock to `t` if that is later than now; returns the new time. */
  advanceTo(t: number): number {
    const n = this.now();
    if (t > n) this.offset += t - n;
    return this.now();
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.advanceTo(this.now() + Math.max(0, ms));
    await tick();
  }
}

/** The world's clock, seen from another process (`GET`/`POST {base}/__world/clock`). */
export class RemoteClock implements Clock {
  #offset = 0;
  readonly url: string;
  constructor(worldUrl: string) {
    this.url = new URL('/__world/clock', worldUrl).toString();
  }
  /** Reads the world's time once; call before use. */
  async sync(): Promise<void> {
    const res = await fetch(this.url);
    const { now } = (await res.json()) as { now: number };
    this.#offset = now - Date.now();
  }
  now(): number {
    return Date.now() + this.#offset;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: this.now() + Math.max(0, ms) }),
      signal,
    });
    const { now } = (await res.json()) as { now: number };
    this.#offset = now - Date.now();
  }
}
