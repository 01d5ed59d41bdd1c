/**
 * A batch runner with bounded concurrency that records each item's outcome: one bad item
 * is reported and the others still run.
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { AbortError } from '../errors/transport-errors.js';
import { sanitizeCause } from '../internal/sanitize.js';

/** An item that succeeded. */
export interface BatchSuccess<T, R> {
  /** The input item. */
  item: T;
  /** Its position in the input. */
  index: number;
  /** What the worker returned. */
  value: R;
}

/** An item that failed. */
export interface BatchFailure<T> {
  /** The input item. */
  item: T;
  /** Its position in the input. */
  index: number;
  /** What the worker threw (an `AbortError` for items not started before an abort). */
  error: unknown;
}

/** The outcome of every item, each list in input order. */
export interface BatchResult<T, R> {
  /** Items whose worker resolved. */
  succeeded: BatchSuccess<T, R>[];
  /** Items whose worker threw, or that were not started because of an abort. */
  failed: BatchFailure<T>[];
  /** True when the signal aborted before every item ran. */
  aborted: boolean;
}

/** Progress reported after each item. */
export interface BatchProgress {
  /** Items finished (succeeded + failed). */
  done: number;
  /** Items that failed so far. */
  failed: number;
  /** All items. */
  total: number;
}

/** Options of {@link runBatch}. */
export interface BatchOptions {
  /** Workers running at once. @defaultValue `4` */
  concurrency?: number;
  /** Stops starting new items; items not started are reported as failed with `AbortError`. */
  signal?: AbortSignal;
  /** Called after each item. */
  onProgress?: (progress: BatchProgress) => void;
}

/** What the worker receives besides the item and its index. */
export interface BatchWorkerContext {
  /** The batch's signal: pass it on to requests. */
  signal: AbortSignal | undefined;
}

/**
 * Runs `worker` on every item with at most `concurrency` at once, and never rejects because
 * of an item: each failure lands in `failed` with its item and index.
 *
 * @example
 * ```ts
 * const { succeeded, failed } = await runBatch(chunk(serials, 1000), (serials) => assign(serials), { concurrency: 2 });
 * for (const f of failed) console.error(`batch ${f.index} failed:`, f.error);
 * ```
 */
export async function runBatch<T, R>(
  items: Iterable<T>,
  worker: (item: T, index: number, context: BatchWorkerContext) => Promise<R> | R,
  options: BatchOptions = {},
): Promise<BatchResult<T, R>> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError('concurrency', `expected a positive integer, got ${String(concurrency)}`);
  }
  if (typeof worker !== 'function') throw new InvalidArgumentError('worker', 'expected a function');
  if (items === null || items === undefined || typeof (items as Iterable<T>)[Symbol.iterator] !== 'function') {
    throw new InvalidArgumentError('items', 'expected an array or iterable');
  }
  const list = Array.from(items);
  const { signal, onProgress } = options;
  const outcomes: ({ ok: true; value: R } | { ok: false; error: unknown } | undefined)[] = new Array(list.length);
  let next = 0;
  let done = 0;
  let failed = 0;

  const lane = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) return;
      const index = next++;
      if (index >= list.length) return;
      const item = list[index] as T;
      try {
        outcomes[index] = { ok: true, value: await worker(item, index, { signal }) };
      } catch (error) {
        outcomes[index] = { ok: false, error };
        failed++;
      }
      done++;
      onProgress?.({ done, failed, total: list.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, lane));

  const result: BatchResult<T, R> = { succeeded: [], failed: [], aborted: false };
  for (let index = 0; index < list.length; index++) {
    const item = list[index] as T;
    const outcome = outcomes[index];
    if (outcome === undefined) {
      result.aborted = true;
      result.failed.push({ item, index, error: new AbortError({}, { cause: sanitizeCause(signal?.reason) }) });
    } else if (outcome.ok) result.succeeded.push({ item, index, value: outcome.value });
    else result.failed.push({ item, index, error: outcome.error });
  }
  return result;
}
