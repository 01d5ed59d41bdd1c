/**
 * Reads are safe to repeat, so a port's reads are retried when they fail in a way a retry can
 * fix (a reset connection, a 5xx or 429 the transport gave up on, a malformed body), with
 * back-off on the services' clock. Writes are not retried here: the steps settle them by reads
 * first (steps/retry.ts), so nothing is applied twice.
 */
import { ApiError } from '@schoolmdm/core';
import type { Clock } from '../clock.js';

/** Attempts of a read before its error is passed on. */
export const READ_ATTEMPTS = 5;

/** Whether a retry may fix the error (not a 4xx other than 429: those need a person). */
export function isTransient(e: unknown): boolean {
  if (e instanceof ApiError) return e.status === 429 || e.status >= 500 || e.status === 408;
  return true;
}

/** Wraps the named methods of `port` with retries. */
export function retryReads<T extends object>(port: T, methods: readonly (keyof T)[], clock: Clock): T {
  const out = Object.create(port) as T;
  for (const m of methods) {
    const fn = port[m] as unknown as (...args: unknown[]) => Promise<unknown>;
    (out as Record<keyof T, unknown>)[m] = async (...args: unknown[]) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn.apply(port, args);
        } catch (e) {
          if (attempt >= READ_ATTEMPTS || !isTransient(e)) throw e;
          await clock.sleep(1000 * 2 ** attempt);
        }
      }
    };
  }
  return out;
}
