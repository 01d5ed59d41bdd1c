/**
 * Argument checks of the serial-number module: a wrong argument or option is a programming
 * error, reported at once as core's `InvalidArgumentError` naming the argument and what it
 * expected (issue #15, item 17). Unknown option keys are refused with the closest known key,
 * because a misspelt option silently ignored changes the result without a word.
 */
import { InvalidArgumentError } from '../../errors/invalid-argument.js';
import { describeValue } from './describe.js';

/** Throws unless `value` is a string. */
export function requireString(name: string, value: unknown, hint?: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(name, `expected a string, got ${describeValue(value)}`, hint ? { hint } : {});
  }
}

/** `options` must be `undefined` or a plain object whose keys are all in `known`. */
export function checkOptionKeys(name: string, options: unknown, known: readonly string[], hint: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError(name, `expected an options object, got ${describeValue(options)}`, { hint });
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const close = closestKey(key, known);
    throw new InvalidArgumentError(`${name}.${key}`, `unknown option${close ? `; did you mean "${close}"?` : ''}`, {
      hint: `Accepted keys: ${known.join(', ')}.`,
    });
  }
}

/** The known key closest to `key` (same letters ignoring case and separators, a prefix, or a small edit distance). */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const fold = (s: string) =>
    s
      .toLowerCase()
      .replace(/[-_\s]/g, '')
      .slice(0, 64);
  const k = fold(key);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const c = fold(candidate);
    if (c === k || (k.length >= 4 && (c.startsWith(k) || k.startsWith(c)))) return candidate;
    const d = editDistance(k, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(k.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] as number;
}
