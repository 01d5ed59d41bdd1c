/** The lazy list type every paged resource returns. Not part of the public API. */
import type { Paginator } from '@schoolmdm/core';

/**
 * A lazy, paged list: iterate it with `for await` (pages are fetched as you go, nothing
 * before), or collect it with `toArray({ limit })`.
 */
export interface AsyncList<T> extends AsyncIterable<T> {
  /** Collects at most `limit` items (the limit is required so a huge list is never loaded by accident). */
  toArray(options: { limit: number }): Promise<T[]>;
}

/** Wraps a core paginator as an item list. */
export function asyncList<P, T>(paginator: Paginator<P, T>): AsyncList<T> {
  return {
    [Symbol.asyncIterator]: () => paginator.items()[Symbol.asyncIterator](),
    toArray: (options) => paginator.toArray(options),
  };
}
