/**
 * Argument and option checks for every public function of `@schoolmdm/certs`. Not part of the
 * public API.
 *
 * A wrong argument is a programming error: it is reported at once as core's
 * `InvalidArgumentError`, naming the argument (`options.now`) and what was expected, never as a
 * bare `TypeError` from deep inside a parser, and never as `MalformedInputError` (which is for
 * files). Unknown option keys are refused with a did-you-mean, because a misspelt option
 * (`rejectExpire`) silently ignored is a security bug waiting to happen (issue #15, item 17).
 */
import { KeyObject, X509Certificate } from 'node:crypto';
import { InvalidArgumentError } from '@schoolmdm/core';

/** "a string", "null", "an array", "a Map"… for "expected X, got Y". */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : `the number ${value}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object') return `a ${typeof value}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
}

/** One accepted option: how to test it and how to name what it takes. */
export interface OptionRule {
  /** What is expected, for the message: "a valid Date", "a string". */
  expected: string;
  test(value: unknown): boolean;
  /** The option must be present (not `undefined`). */
  required?: boolean;
}

export const isText = (v: unknown): boolean => typeof v === 'string';
export const isBytesOrText = (v: unknown): boolean => typeof v === 'string' || v instanceof Uint8Array;
export const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
export const isValidDate = (v: unknown): boolean => v instanceof Date && !Number.isNaN(v.getTime());
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const DATE_RULE: OptionRule = { expected: 'a valid Date', test: isValidDate };
export const BOOLEAN_RULE: OptionRule = { expected: 'true or false', test: isBoolean };
export const TEXT_RULE: OptionRule = { expected: 'a string', test: isText };
/** A subject common name: 1–64 characters, not only spaces (X.520 ub-common-name). */
export const COMMON_NAME_RULE: OptionRule = {
  expected: 'a non-empty string of at most 64 characters',
  test: (v) => typeof v === 'string' && v.trim() !== '' && [...v].length <= 64,
};
export const INPUT_RULE: OptionRule = {
  expected: 'the file content as a string or bytes',
  test: isBytesOrText,
  required: true,
};
/** A private key as PEM/DER or a `KeyObject`. */
export const PRIVATE_KEY_INPUT_RULE: OptionRule = {
  expected: 'the private key as PEM text, DER bytes or a KeyObject',
  test: (v) => isBytesOrText(v) || v instanceof KeyObject,
};

/** A certificate as PEM/DER or an `X509Certificate`. */
export const CERTIFICATE_INPUT_RULE: OptionRule = {
  expected: 'the certificate as PEM text, DER bytes or an X509Certificate',
  test: (v) => isBytesOrText(v) || v instanceof X509Certificate,
};

/** Throws `InvalidArgumentError` naming `name` when `value` fails `rule`. */
export function checkArgument(name: string, value: unknown, rule: OptionRule, hint?: string): void {
  if (value === undefined && !rule.required) return;
  if (value === undefined || !rule.test(value)) {
    throw new InvalidArgumentError(
      name,
      `expected ${rule.expected}, got ${describe(value)}`,
      hint === undefined ? {} : { hint },
    );
  }
}

/**
 * Checks an options object: `undefined` is `{}` unless `required`; anything but a plain object
 * is refused; unknown keys are refused with the closest known key; each known key is tested.
 *
 * @param name How the options are named in messages, e.g. `"options"`.
 */
export function checkOptions(
  name: string,
  options: unknown,
  rules: Readonly<Record<string, OptionRule>>,
  { required = false, hint }: { required?: boolean; hint?: string } = {},
): Record<string, unknown> {
  if (options === undefined && !required) return {};
  if (!isPlainObject(options)) {
    throw new InvalidArgumentError(name, `expected an options object, got ${describe(options)}`, {
      hint: hint ?? `Accepted keys: ${Object.keys(rules).join(', ')}.`,
    });
  }
  const known = Object.keys(rules);
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(rules, key)) continue;
    const close = closest(key, known);
    throw new InvalidArgumentError(`${name}.${key}`, `unknown option${close ? `; did you mean "${close}"?` : ''}`, {
      hint: `Accepted keys: ${known.join(', ')}.`,
    });
  }
  for (const [key, rule] of Object.entries(rules)) checkArgument(`${name}.${key}`, options[key], rule);
  return options;
}

/** The known key closest to `key`: same letters ignoring case and separators, or edit distance ≤ 2. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const fold = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const k = fold(key);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const c = fold(candidate);
    if (c === k) return candidate;
    // A truncated key ("validity" for "validityDays") is a likely typo too.
    if (k.length >= 4 && (c.startsWith(k) || k.startsWith(c))) return candidate;
    const d = distance(k, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(k.length / 3)) ? best : undefined;
}

/** Levenshtein distance; keys are short, and long ones are cut so a hostile key costs little. */
function distance(a: string, b: string): number {
  const x = a.slice(0, 64);
  const y = b.slice(0, 64);
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[y.length] as number;
}
