/** Argument checks shared by the resources. Not part of the public API. */
import { InvalidArgumentError } from '@schoolmdm/core';

/** Checks a page size (Apple: 1–1000). */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new InvalidArgumentError('limit', `expected an integer from 1 to 1000, got ${String(limit)}`, {
      hint: 'Apple documents 1000 as the largest page.',
    });
  }
  return limit;
}

/** Checks an id or serial that goes into a URL path, and encodes it. */
export function pathSegment(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError(
      name,
      `expected a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`,
    );
  }
  if (/[/?#\s]/.test(value.trim())) {
    throw new InvalidArgumentError(name, `"${value.slice(0, 40)}" contains a character not allowed in an id`);
  }
  return encodeURIComponent(value.trim());
}
