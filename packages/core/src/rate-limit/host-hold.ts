/**
 * Per-host holds after a 429: once a service says "wait", every request to that host waits,
 * not only the one that got the 429 (Renovate's design note,
 * https://github.com/renovatebot/renovate/issues/25499).
 */
export class HostHolds {
  readonly #until = new Map<string, number>();

  /** Holds `key` until `until` (ms since the epoch); an existing longer hold is kept. */
  hold(key: string, until: number): void {
    if (until > (this.#until.get(key) ?? 0)) this.#until.set(key, until);
  }

  /** True while any key may be held (lets the transport skip the check on the hot path). */
  get active(): boolean {
    return this.#until.size > 0;
  }

  /** Milliseconds left on the hold of `key` at `now` (0 when none). */
  remaining(key: string, now: number): number {
    const until = this.#until.get(key);
    if (until === undefined) return 0;
    if (until <= now) {
      this.#until.delete(key);
      return 0;
    }
    return until - now;
  }
}
