/** Splitting a list into fixed-size batches (e.g. ≤ 1000 serials per DEP call). */
import { InvalidArgumentError } from '../errors/invalid-argument.js';

/**
 * Splits `items` into arrays of at most `size` items, in order; the last may be shorter.
 *
 * @example
 * ```ts
 * chunk(['A', 'B', 'C'], 2); // [['A', 'B'], ['C']]
 * ```
 * @throws {@link InvalidArgumentError} when `size` is not a positive integer.
 */
export function chunk<T>(items: Iterable<T>, size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new InvalidArgumentError('size', `expected a positive integer, got ${String(size)}`, {
      hint: 'Pass the largest batch the API accepts, e.g. chunk(serials, 1000) for DEP profile assignment.',
    });
  }
  if (items === null || items === undefined || typeof (items as Iterable<T>)[Symbol.iterator] !== 'function') {
    throw new InvalidArgumentError(
      'items',
      `expected an array or iterable, got ${items === null ? 'null' : typeof items}`,
    );
  }
  const out: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    current.push(item);
    if (current.length === size) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}
