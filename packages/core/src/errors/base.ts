/**
 * The one error base class of the SDK. Every package's errors extend it, so a caller can
 * catch `SchoolMdmError` once and still branch on the subclass.
 *
 * Errors never carry secrets: subclasses store only what a caller needs (status, code,
 * request id, a redacted excerpt…) and `toJSON()` serialises only own enumerable fields,
 * which subclasses keep free of key, token and password material.
 */

const BRAND = Symbol.for('@schoolmdm/core:SchoolMdmError');

/** Options common to every SDK error. */
export interface SchoolMdmErrorOptions {
  /** The underlying error, kept for debugging. Never a value that holds a secret. */
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
 */
export class SchoolMdmError extends Error {
  /** How to fix the problem, when the SDK knows. */
  readonly hint: string | undefined;

  constructor(message: string, options: SchoolMdmErrorOptions = {}) {
    super(
      options.hint ? `${message} — ${options.hint}` : message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.hint = options.hint;
    Object.defineProperty(this, BRAND, { value: brandChain(new.target), enumerable: false });
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
    const chain = (instance as { [BRAND]?: string[] } | null | undefined)?.[BRAND];
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
  return typeof value === 'object' && value !== null && Array.isArray((value as { [BRAND]?: unknown })[BRAND]);
}
