/**
 * Reading a service's error code and message out of a response body. Each client can plug
 * its own {@link ErrorBodyParser}; the default understands the shapes our services use.
 */

/** What a body said about a failure. */
export interface ServiceErrorInfo {
  /** Service error code, e.g. `NOT_FOUND`, `T_C_NOT_SIGNED`, `invalid_client`. */
  code?: string;
  /** The service's human-readable message. */
  message?: string;
  /** How to fix it; replaces the default hint of the status family. */
  hint?: string;
  /**
   * The HTTP status this failure stands for. Set it when a 2xx body reports an error (Mosyle
   * answers `200 {"status":"OK","response":{"status":"Unauthorized"}}`) so that the right
   * error class is thrown and retries apply (e.g. 503 for a transient error).
   */
  status?: number;
}

/** What an {@link ErrorBodyParser} receives. */
export interface ErrorBodyContext {
  /** HTTP status of the response. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The body parsed as JSON when it is JSON, otherwise the text. */
  body: unknown;
  /** The raw body text (empty for `responseType: 'bytes'` successes). */
  text: string;
  /** HTTP method of the request. */
  method: string;
  /** The request URL (not redacted: do not log it raw). */
  url: string;
}

/**
 * A service's error-body hook, called for **every** response:
 * - for a non-2xx response, return the code and message found (or `undefined` to fall back
 *   to {@link defaultErrorBodyParser});
 * - for a 2xx response, return `undefined` when it succeeded, or a {@link ServiceErrorInfo}
 *   to turn it into an error (Mosyle and DEP report some failures inside 200 bodies).
 */
export type ErrorBodyParser = (context: ErrorBodyContext) => ServiceErrorInfo | undefined;

const CODE_ONLY = /^[A-Z][A-Z0-9_.]{2,79}$/;

/**
 * Understands Apple's JSON:API `{"errors":[{code,title,detail}]}`, OAuth 2
 * `{"error","error_description"}` (RFC 6749 §5.2), `{"message","code"}`/Mosyle's
 * `{"status","message"}`, a bare upper-case code such as DEP's `T_C_NOT_SIGNED`, and short
 * plain-text messages. Returns `undefined` when nothing useful is found.
 */
export function defaultErrorBodyParser(context: ErrorBodyContext): ServiceErrorInfo | undefined {
  const { body } = context;
  if (typeof body === 'string') {
    const t = body.trim().replace(/^"|"$/g, '');
    if (t === '') return undefined;
    if (CODE_ONLY.test(t)) return { code: t };
    if (t.length <= 300 && !t.startsWith('<')) return { message: t };
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.errors) && b.errors.length > 0) {
    const first = b.errors[0] as Record<string, unknown>;
    const msg = str(first.detail) ?? str(first.title) ?? str(first.message);
    const more = b.errors.length > 1 ? ` (+${b.errors.length - 1} more)` : '';
    return { code: str(first.code), message: msg === undefined ? undefined : `${msg}${more}` };
  }
  if (typeof b.error === 'string') return { code: b.error, message: str(b.error_description) ?? str(b.message) };
  if (typeof b.error === 'object' && b.error !== null) {
    const e = b.error as Record<string, unknown>;
    return { code: str(e.code) ?? str(e.type), message: str(e.message) };
  }
  const code = str(b.code) ?? (typeof b.status === 'string' && b.status !== 'OK' ? b.status : undefined);
  const message = str(b.message) ?? str(b.detail) ?? str(b.title);
  return code === undefined && message === undefined ? undefined : { code, message };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}
