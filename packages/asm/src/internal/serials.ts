/**
 * Serial-number lists handed to the clients: normalised, validated and de-duplicated, each
 * rejected entry reported rather than failing the whole call. Not part of the public API.
 */
import { InvalidArgumentError, validateSerial } from '@schoolmdm/core';

/** An input entry that was not sent, and why. */
export interface RejectedSerial {
  /** The value as given. */
  input: string;
  /** Machine-readable reason: a `validateSerial` code, or `duplicate`. */
  code: string;
  /** Human-readable reason. */
  message: string;
}

/** A checked serial list. */
export interface PreparedSerials {
  /** Valid, normalised (upper case), unique serials, in input order. */
  serials: string[];
  /** Invalid or duplicate entries. */
  rejected: RejectedSerial[];
}

/** Normalises and checks `input`; throws only when `input` is not a list at all. */
export function prepareSerials(input: Iterable<string> | undefined, argument = 'serials'): PreparedSerials {
  if (input === null || input === undefined || typeof (input as Iterable<string>)[Symbol.iterator] !== 'function') {
    throw new InvalidArgumentError(argument, 'expected an array (or iterable) of serial numbers', {
      hint: 'Pass e.g. { serials: ["DMPXK0AAHP5Q"] }.',
    });
  }
  if (typeof input === 'string') {
    throw new InvalidArgumentError(argument, 'expected a list of serial numbers, got a single string', {
      hint: 'Wrap it in an array: ["DMPXK0AAHP5Q"].',
    });
  }
  const seen = new Set<string>();
  const serials: string[] = [];
  const rejected: RejectedSerial[] = [];
  for (const raw of input) {
    const check = validateSerial(raw);
    if (!check.valid) {
      rejected.push({ input: String(raw), code: check.error.code, message: check.error.message });
      continue;
    }
    if (seen.has(check.serial)) {
      rejected.push({ input: String(raw), code: 'duplicate', message: `${check.serial} is listed more than once.` });
      continue;
    }
    seen.add(check.serial);
    serials.push(check.serial);
  }
  return { serials, rejected };
}
