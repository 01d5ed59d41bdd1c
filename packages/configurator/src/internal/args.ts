/**
 * Argument and option checks shared by every public function of the package. Not part of the
 * public API.
 *
 * Why: a wrong type or a misspelt option (`wifi({ autojoin: true })` for `autoJoin`) used to
 * surface as a bare `TypeError` from deep inside, or be silently ignored (issue #15 item 17).
 * Every public function now checks its arguments first and throws core's
 * `InvalidArgumentError`, naming the argument and what it expected.
 */
import { InvalidArgumentError } from '@schoolmdm/core';
import { closest } from '../schema/suggest.js';

/** `typeof`-like name of a value for messages; never prints the value itself. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'a Uint8Array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  const t = typeof value;
  if (t === 'undefined') return 'undefined';
  if (t === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${t}`;
}

/** True for `{}`-style objects (prototype `Object.prototype` or `null`). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks an options object: `undefined` becomes `{}`, anything but a plain object is refused,
 * and so is every key not in `known` (with a did-you-mean when one is close).
 *
 * @param fn - the function, e.g. `readPlist()`; used in messages.
 * @param argument - the argument's name, e.g. `options`.
 */
export function checkOptions<T extends object>(
  fn: string,
  value: T | undefined,
  known: readonly string[],
  argument = 'options',
): T {
  if (value === undefined) return {} as T;
  if (!isPlainObject(value)) {
    throw new InvalidArgumentError(argument, `${fn} expects an options object, got ${kindOf(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new InvalidArgumentError(
      `${argument}.${key}`,
      `${fn} has no option "${key}"${guess ? `; did you mean "${guess}"?` : ''}`,
      { hint: `known options: ${known.join(', ')}` },
    );
  }
  return value;
}

/** Refuses a value that is not one of `allowed` (for enum-like options). */
export function checkOneOf<T extends string | boolean>(
  fn: string,
  argument: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw new InvalidArgumentError(
      argument,
      `${fn} expects one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${
        typeof value === 'string' && value.length <= 40 ? JSON.stringify(value) : kindOf(value)
      }`,
    );
  }
  return value as T;
}

/** Refuses anything but an integer in `min…max` (NaN, Infinity, fractions, strings). */
export function checkInteger(
  fn: string,
  argument: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(
      argument,
      `${fn} expects an integer from ${min} to ${max}, got ${typeof value === 'number' ? String(value) : kindOf(value)}`,
    );
  }
  return value;
}

/** Refuses anything but a boolean. */
export function checkBoolean(fn: string, argument: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(argument, `${fn} expects true or false, got ${kindOf(value)}`);
  }
  return value;
}

/** Refuses anything but a valid `Date`. */
export function checkDate(fn: string, argument: string, value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidArgumentError(
      argument,
      `${fn} expects a valid Date, got ${value instanceof Date ? 'an invalid Date' : kindOf(value)}`,
    );
  }
  return value;
}

/** Refuses a function argument that is neither a string nor a Uint8Array. */
export function checkInput(fn: string, argument: string, value: unknown): string | Uint8Array {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  throw new InvalidArgumentError(
    argument,
    `${fn} expects the file as a string or a Uint8Array (e.g. from fs.readFile), got ${kindOf(value)}`,
  );
}

/**
 * A copy of a third-party library's error that is safe to keep as `cause`: its name, code and
 * a message cut to 200 characters, without any other property the library attached (some
 * attach the input buffer).
 */
export function sanitizedCause(e: unknown): Error {
  const src = e instanceof Error ? e : new Error(String(e));
  const message = src.message.length > 200 ? `${src.message.slice(0, 200)}…` : src.message;
  const out = new Error(message);
  out.name = src.name;
  const code = (src as { code?: unknown }).code;
  if (typeof code === 'string') Object.defineProperty(out, 'code', { value: code, enumerable: true });
  if (src.stack) out.stack = `${out.name}: ${message}\n${src.stack.split('\n').slice(1).join('\n')}`;
  return out;
}

/** Refuses anything but a string. */
export function checkString(fn: string, argument: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(argument, `${fn} expects a string, got ${kindOf(value)}`);
  }
  return value;
}
