/** Abortable timers shared by the transport, the rate limiter and the batch runner. */
import { onAbort } from './abort.js';

/**
 * Waits `ms` milliseconds; rejects with `signal.reason` if the signal aborts first. The abort
 * subscription is dropped when the timer fires, so a long-lived signal never accumulates
 * listeners (the leak behind https://github.com/continuedev/continue/pull/7272).
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real {@link Sleep}, on `setTimeout` (one shared abort listener per signal, see `abort.ts`). */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const end = Date.now() + ms;
    let timer: ReturnType<typeof setTimeout>;
    const unsubscribe = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal?.reason);
    });
    // setTimeout fires at once beyond 2³¹−1 ms: wait in steps for longer sleeps.
    const arm = (left: number): void => {
      timer = setTimeout(
        () => {
          const rest = end - Date.now();
          if (rest > 0 && left > MAX_TIMER_MS) arm(rest);
          else {
            unsubscribe();
            resolve();
          }
        },
        Math.min(Math.max(0, left), MAX_TIMER_MS),
      );
    };
    arm(ms);
  });

const MAX_TIMER_MS = 2_147_483_647;
