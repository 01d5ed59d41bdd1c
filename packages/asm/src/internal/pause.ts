/** An abortable wait on the client's clock that reports an abort as core's `AbortError`. Not public. */
import { AbortError, type Sleep } from '@schoolmdm/core';

/** Waits `ms` with `sleep`; an aborted `signal` becomes `AbortError` (never the raw reason). */
export async function pause(sleep: Sleep, ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (error) {
    if (signal?.aborted) throw new AbortError();
    throw error;
  }
  if (signal?.aborted) throw new AbortError();
}
