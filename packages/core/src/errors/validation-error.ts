/**
 * The error for a response body that does not match its zod schema. It deliberately does
 * not extend `ApiError`: the HTTP exchange succeeded, the data did not have the expected
 * shape (the same split ky makes with `SchemaValidationError`).
 */
import { redact, redactExcerpt } from '../redact/redact.js';
import { SchoolMdmError, type SchoolMdmErrorOptions, setErrorName } from './base.js';

/** One schema violation, with the path where it happened. */
export interface ValidationIssue {
  /** Path into the body, e.g. `"data[3].attributes.serialNumber"`; `""` for the root. */
  path: string;
  /** zod issue code, e.g. `"invalid_type"`. */
  code: string;
  /** What was expected, redacted. */
  message: string;
}

/** Where the body came from, for the error message. */
export interface ValidationContext {
  /** HTTP method of the request. */
  method?: string;
  /** Request URL; redacted before it is stored. */
  url?: string;
  /** HTTP status of the response. */
  status?: number;
  /** Request id from the response headers. */
  requestId?: string;
  /** Short name of what was parsed, e.g. `"orgDevices page"`. */
  what?: string;
}

/**
 * A response body failed schema validation: a required field is missing or has the wrong
 * type. Unknown fields and new enum values never cause it (schemas are loose by design).
 */
export class ResponseValidationError extends SchoolMdmError {
  static {
    setErrorName(this, 'ResponseValidationError');
  }
  /** Every violation, with its path. */
  readonly issues: ValidationIssue[];
  /** HTTP method of the request, when known. */
  readonly method: string | undefined;
  /** Redacted request URL, when known. */
  readonly url: string | undefined;
  /** HTTP status of the response, when known. */
  readonly status: number | undefined;
  /** Request id from the response headers, when known. */
  readonly requestId: string | undefined;
  /** A short, redacted excerpt of the part of the body that failed. */
  readonly excerpt: string | undefined;

  constructor(
    issues: ValidationIssue[],
    context: ValidationContext & { excerpt?: string } = {},
    options: SchoolMdmErrorOptions = {},
  ) {
    const url = context.url === undefined ? undefined : redact(context.url);
    const safeIssues = issues.map((i) => ({ path: i.path, code: i.code, message: redact(i.message) }));
    const where = context.method && url ? ` from ${context.method} ${url}` : '';
    const what = context.what ?? 'Response body';
    const list = safeIssues
      .slice(0, 5)
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ');
    const more = safeIssues.length > 5 ? ` (+${safeIssues.length - 5} more)` : '';
    super(`${what}${where} does not match the expected shape: ${list}${more}`, {
      hint: 'The service may have changed its response format; update @schoolmdm packages, or set validation to "warn" to continue with unchecked data.',
      ...options,
    });
    this.issues = safeIssues;
    this.method = context.method;
    this.url = url;
    this.status = context.status;
    this.requestId = context.requestId;
    this.excerpt = context.excerpt === undefined ? undefined : redactExcerpt(context.excerpt);
  }
}
