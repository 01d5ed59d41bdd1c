/** Checking a response body against its zod schema, with errors that say where it failed. */
import type { z } from 'zod';
import type { ValidationContext, ValidationIssue } from '../errors/validation-error.js';
import { ResponseValidationError } from '../errors/validation-error.js';
import { redact } from '../redact/redact.js';

/**
 * What to do when a body does not match its schema:
 * - `'strict'`: throw {@link ResponseValidationError} (the default);
 * - `'warn'`: log a warning with the issues and return the body unchecked;
 * - `'off'`: do not validate at all.
 */
export type ValidationMode = 'strict' | 'warn' | 'off';

/**
 * Parses `body` with `schema`. Unknown fields and new enum values pass when the schema uses
 * {@link looseObject} and {@link openEnum}; anything else that does not match throws a
 * {@link ResponseValidationError} listing every issue's path (e.g.
 * `data[3].attributes.serialNumber`) and a redacted excerpt of the part that failed.
 *
 * @example
 * ```ts
 * const page = parseResponse(OrgDevicesPage, json, { method: 'GET', url, what: 'orgDevices page' });
 * ```
 */
export function parseResponse<S extends z.ZodType>(
  schema: S,
  body: unknown,
  context: ValidationContext = {},
): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw toValidationError(result.error, body, context);
}

/** Builds the {@link ResponseValidationError} for a failed zod parse. */
export function toValidationError(
  error: z.ZodError,
  body: unknown,
  context: ValidationContext = {},
): ResponseValidationError {
  const issues: ValidationIssue[] = error.issues.map((i) => ({
    path: formatPath(i.path),
    code: i.code,
    message: i.message,
  }));
  const first = error.issues[0];
  const excerpt = first ? excerptAt(body, first.path) : undefined;
  return new ResponseValidationError(issues, { ...context, excerpt });
}

/** `['data', 3, 'attributes', 'serialNumber']` → `data[3].attributes.serialNumber`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** JSON of the object that holds the failing field (or of the whole body), for the excerpt. */
function excerptAt(body: unknown, path: readonly PropertyKey[]): string | undefined {
  let holder: unknown = body;
  for (const key of path.slice(0, -1)) {
    if (holder === null || typeof holder !== 'object') break;
    const next = (holder as Record<PropertyKey, unknown>)[key];
    if (next === undefined) break;
    holder = next;
  }
  try {
    // Redact the structure first (secret-named keys at any depth), then the text again in
    // the error constructor.
    const text = typeof holder === 'string' ? holder : JSON.stringify(redact(holder));
    return text === undefined ? undefined : text;
  } catch {
    return undefined;
  }
}
