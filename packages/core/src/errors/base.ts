/**
 * The one error base class of the SDK. Every package's errors extend it, so a caller can
 * catch `SchoolMdmError` once and still branch on the subclass.
 *
 * Errors never carry secrets: subclasses store only what a caller needs (status, code,
 * request id, a redacted excerpt…), a `cause` is replaced by a redacted copy (see
 * `internal/sanitize.ts`), and `toJSON()` serialises only own enumerable fields, which
 * subclasses keep free of key, token and password material.
 */
import { sanitizeCause } from '../internal/sanitize.js';
import { ERROR_BRAND, hasErrorBrand } from './brand.js';

/** Options common to every SDK error. */
export interface SchoolMdmErrorOptions {
  /**
   * The underlying error, kept for debugging. A foreign error is replaced by a redacted copy
   * (message, stack, `code`, and its own `cause` chain), so it can never carry a secret.
   */
  cause?: unknown;
  /** How to fix it, in one sentence, appended to the message. */
  hint?: string;
}

/**
 * Base class of every error thrown by `@schoolmdm/*` packages.
 *
 * `instanceof` works across two loaded copies of the package (ESM + CJS, or two versions)
 * thanks to a `Symbol.for` brand, a pitfall the style study records
 * (https://github.com/datocms/js-rest-api-clients/pull/52).
 *
 * Names: `err.name` and the brand use each class's own `name`. Bundlers rename classes whose
 * static members refer to themselves (esbuild turns `ApiError` into `_ApiError`), so every
 * exported error class of the SDK sets its name explicitly with {@link setErrorName}, and the
 * builds also keep names. A subclass in your own code can do the same.
 */
export class SchoolMdmError extends Error {
  static {
    setErrorName(this, 'SchoolMdmError');
  }

  /** How to fix the problem, when the SDK knows. */
  readonly hint: string | undefined;

  constructor(message: string, options: SchoolMdmErrorOptions = {}) {
    const cause = sanitizeCause(options.cause);
    super(options.hint ? `${message} — ${options.hint}` : message, cause === undefined ? undefined : { cause });
    if (cause !== undefined) {
      // Not enumerable, like the built-in: `toJSON()` and spreading leave it out.
      Object.defineProperty(this, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
    }
    this.hint = options.hint;
    Object.defineProperty(this, ERROR_BRAND, { value: brandChain(new.target), enumerable: false });
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }

  /** Checks the brand rather than the prototype chain, so copies of the class still match. */
  static override [Symbol.hasInstance](instance: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, instance)) return true;
    const chain = (instance as { [ERROR_BRAND]?: string[] } | null | undefined)?.[ERROR_BRAND];
    return Array.isArray(chain) && chain.includes(this.name);
  }

  /** A plain, secret-free object: name, message, hint and the subclass's own public fields. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [k, v] of Object.entries(this)) {
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
}

/**
 * Gives an error class its name explicitly, so `err.name`, `instanceof` across copies and the
 * brand do not depend on what a bundler or minifier calls the class. Call it in a static block:
 *
 * @example
 * ```ts
 * class TokenExpiredError extends SchoolMdmError {
 *   static {
 *     setErrorName(this, 'TokenExpiredError');
 *   }
 * }
 * ```
 */
export function setErrorName(ctor: abstract new (...args: never[]) => unknown, name: string): void {
  Object.defineProperty(ctor, 'name', { value: name, enumerable: false, writable: false, configurable: true });
}

function brandChain(ctor: Function): string[] {
  const names: string[] = [];
  let c: unknown = ctor;
  while (typeof c === 'function' && c !== Error && c !== Function.prototype) {
    names.push((c as Function).name);
    c = Object.getPrototypeOf(c);
  }
  return names;
}

/** True when `value` is an error thrown by any copy of any `@schoolmdm/*` package. */
export function isSchoolMdmError(value: unknown): value is SchoolMdmError {
  return hasErrorBrand(value);
}
