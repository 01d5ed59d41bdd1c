/** The error for bad input handed to an SDK function (options, sizes, limits). */
import { redact } from '../redact/redact.js';
import { SchoolMdmError, type SchoolMdmErrorOptions, setErrorName } from './base.js';

/**
 * An argument or option is out of range or of the wrong kind. Thrown at once, before any
 * request, with the name of the argument, what was wrong, and (in `hint`) how to fix it.
 * The problem text is redacted, so quoting a URL or value in it cannot leak a secret.
 *
 * @example
 * ```ts
 * chunk(serials, 0); // InvalidArgumentError: Invalid size: expected a positive integer, got 0
 * ```
 */
export class InvalidArgumentError extends SchoolMdmError {
  static {
    setErrorName(this, 'InvalidArgumentError');
  }
  /** Name of the argument or option, e.g. `"size"`, `"timeoutMs"`, `"rateLimit.rules[0].requests"`. */
  readonly argument: string;

  constructor(argument: string, problem: string, options: SchoolMdmErrorOptions = {}) {
    super(`Invalid ${argument}: ${redact(problem)}`, options);
    this.argument = argument;
  }
}
