/**
 * The plist value model, and the `real()` / `integer()` wrappers that pin a number's plist type.
 *
 * Why wrappers: a plist distinguishes `<integer>` and `<real>` but JavaScript has one `number`
 * type, and Apple's schema wants `<real>` for some keys whose values are usually integral
 * (`DurationUntilRemoval` in `mdm/profiles/TopLevel.yaml` of `apple/device-management`).
 * Generic JS plist libraries write `3600` as `<integer>` no matter what; we let the caller
 * (or the schema-driven profile builder) say which one is meant.
 */
import { PlistError } from '../errors.js';

/**
 * Deepest nesting `readPlist`/`writePlist` accept as `maxDepth`: both recurse once per level,
 * and 2048 levels stay far below Node's default stack (which overflows near 6,000).
 */
export const MAX_PLIST_DEPTH = 2048;

/** Smallest integer a plist can hold (signed 64-bit). */
export const PLIST_INTEGER_MIN = -(2n ** 63n);
/** Largest integer a plist can hold (unsigned 64-bit, as CoreFoundation and Python `plistlib` accept). */
export const PLIST_INTEGER_MAX = 2n ** 64n - 1n;

/** A number that is always written as `<real>`, even when it is integral (`real(3600)` → `<real>3600.0</real>`). */
export class PlistReal {
  /** The finite number. */
  readonly value: number;
  constructor(value: number) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new PlistError(`real() needs a finite number, got ${describe(value)}`, undefined, {
        hint: 'plists cannot carry NaN or Infinity; store a sentinel value the payload documents instead',
      });
    }
    this.value = value;
  }
  /** The plain number, so `+real(1.5)` and arithmetic work. */
  valueOf(): number {
    return this.value;
  }
  /** The plain number in `JSON.stringify` output (JSON has one number type, so the real tag is dropped there). */
  toJSON(): number {
    return this.value;
  }
}

/**
 * An integer that is always written as `<integer>`, including values beyond
 * `Number.MAX_SAFE_INTEGER` (held as `bigint`).
 */
export class PlistInteger {
  /** The integer: a `number` when it is a safe integer, otherwise a `bigint`. */
  readonly value: number | bigint;
  constructor(value: number | bigint) {
    let big: bigint;
    if (typeof value === 'bigint') {
      big = value;
    } else if (typeof value === 'number' && Number.isInteger(value)) {
      big = BigInt(value);
    } else {
      throw new PlistError(`integer() needs an integral number or a bigint, got ${describe(value)}`, undefined, {
        hint: 'use real() for fractional numbers',
      });
    }
    if (big < PLIST_INTEGER_MIN || big > PLIST_INTEGER_MAX) {
      throw new PlistError(`integer ${big} is outside the 64-bit range a plist can hold`, undefined, {
        hint: `plist integers range from ${PLIST_INTEGER_MIN} to ${PLIST_INTEGER_MAX}`,
      });
    }
    this.value = typeof value === 'number' && Number.isSafeInteger(value) ? value : normalizeBigInt(big);
  }
  /** The plain value, so `+integer(5)` works for safe integers. */
  valueOf(): number | bigint {
    return this.value;
  }
  /** The value in `JSON.stringify` output: a number, or a decimal string for an integer beyond 2^53 (JSON numbers would lose digits). */
  toJSON(): number | string {
    return typeof this.value === 'bigint' ? this.value.toString() : this.value;
  }
}

/** A bigint that fits a safe JS number becomes a number; larger ones stay bigint. */
export function normalizeBigInt(big: bigint): number | bigint {
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/**
 * Marks `n` to be written as `<real>` even when it is integral.
 *
 * @throws {PlistError} when `n` is `NaN` or infinite.
 * @example
 * writePlist({ DurationUntilRemoval: real(3600) }); // <real>3600.0</real>
 */
export function real(n: number): PlistReal {
  return new PlistReal(n);
}

/**
 * Marks `n` to be written as `<integer>`; accepts `bigint` for values beyond 2^53.
 *
 * @throws {PlistError} when `n` is fractional, non-finite or outside −2^63…2^64−1.
 * @example
 * writePlist({ Keysize: integer(2048) }); // <integer>2048</integer>
 */
export function integer(n: number | bigint): PlistInteger {
  return new PlistInteger(n);
}

/**
 * Every value a plist can hold.
 *
 * - `string` → `<string>`; `boolean` → `<true/>`/`<false/>`; `Date` → `<date>` (UTC seconds);
 *   `Uint8Array` (incl. `Buffer`) → `<data>`; arrays → `<array>`; plain objects → `<dict>`.
 * - A plain `number` is written `<integer>` when `Number.isInteger(n)`, else `<real>`;
 *   `bigint` is written `<integer>`. Use {@link real} / {@link integer} to force a type.
 */
export type PlistValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | Uint8Array
  | PlistReal
  | PlistInteger
  | PlistValue[]
  | { [key: string]: PlistValue };

/** A plist dictionary. */
export type PlistDict = { [key: string]: PlistValue };

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return typeof value;
}
