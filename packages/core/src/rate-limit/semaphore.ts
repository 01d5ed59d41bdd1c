/** A counting semaphore with a FIFO queue and abortable waits. */

interface Waiter {
  grant: () => void;
}

/** Bounds how many requests are in flight at once. */
export class Semaphore {
  #free: number;
  readonly #queue: Waiter[] = [];

  constructor(permits: number) {
    this.#free = permits;
  }

  /** Waits for a permit; rejects with `signal.reason` (and leaves the queue) if the signal aborts. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0 && this.#queue.length === 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.#queue.indexOf(waiter);
        if (i !== -1) this.#queue.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Returns a permit, handing it straight to the next waiter if there is one. */
  release(): void {
    const next = this.#queue.shift();
    if (next) next.grant();
    else this.#free++;
  }
}
