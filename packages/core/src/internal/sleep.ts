/** Abortable timers shared by the transport, the rate limiter and the batch runner. */

/**
 * Waits `ms` milliseconds; rejects with `signal.reason` if the signal aborts first. The abort
 * listener is removed when the timer fires, so a long-lived signal never accumulates
 * listeners (the leak behind https://github.com/continuedev/continue/pull/7272).
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real {@link Sleep}, on `setTimeout`. */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
