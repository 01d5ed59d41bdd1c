/**
 * A bulk write that failed as a whole (the service answered 5xx, or the connection dropped)
 * is settled by reads before it is sent again, under a new intent: what the reads show as done
 * is never sent twice.
 */
import { isSchoolMdmError } from '@schoolmdm/core';
import type { StepContext } from './types.js';

/** Attempts of one bulk write before its devices are reported as failed. */
export const BULK_ATTEMPTS = 4;

/** A short, secret-free description of an error for a device's reason. */
export function describeError(e: unknown): string {
  if (isSchoolMdmError(e)) return e.message.split('\n')[0]!.slice(0, 300);
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 300);
  return String(e).slice(0, 300);
}

/**
 * Runs `send` for `items`; on failure waits (on the services' clock), asks `settled` which items
 * the service shows as done anyway, and sends only the rest again.
 * @returns the items that never went through, with the last error.
 */
export async function sendSettled<T>(
  ctx: StepContext,
  items: readonly T[],
  send: (items: readonly T[], attempt: number) => Promise<void>,
  settled: (items: readonly T[]) => Promise<Set<T>>,
): Promise<{ failed: T[]; error?: string }> {
  let left = [...items];
  let last: unknown;
  for (let attempt = 1; attempt <= BULK_ATTEMPTS && left.length > 0; attempt++) {
    try {
      await send(left, attempt);
      return { failed: [] };
    } catch (e) {
      last = e;
      await ctx.clock.sleep(2 ** attempt * 1000);
      try {
        const done = await settled(left);
        left = left.filter((x) => !done.has(x));
      } catch (readError) {
        last = readError;
      }
    }
  }
  return left.length === 0 ? { failed: [] } : { failed: left, error: describeError(last) };
}
