/**
 * Errors for HTTP responses that report a failure: {@link ApiError} and one subclass per
 * status family, built through the single status map {@link ApiError.generate}.
 *
 * Every string an `ApiError` stores (URL, service message, body excerpt) went through
 * `redact()`, and no request or response object is kept, so `String(err)`,
 * `JSON.stringify(err)` and `util.inspect(err, { showHidden: true })` are secret-free.
 */
import { redact, redactExcerpt } from '../redact/redact.js';
import { SchoolMdmError, setErrorName } from './base.js';

/** What an {@link ApiError} is built from. Strings are redacted by the constructor. */
export interface ApiErrorInit {
  /** HTTP status of the response (for a failure reported inside a 2xx body, the status it stands for). */
  status: number;
  /** HTTP method, upper case. */
  method: string;
  /** Request URL; redacted before it is stored. */
  url: string;
  /** Reason phrase of the response, e.g. `"Not Found"`. */
  statusText?: string;
  /** Service error code, e.g. Apple's `NOT_FOUND` or DEP's `T_C_NOT_SIGNED`. */
  code?: string;
  /** Human-readable message the service sent. */
  detail?: string;
  /** Request id the service returned in a response header, for support tickets. */
  requestId?: string;
  /** Raw response body text; only a short redacted excerpt is kept. */
  body?: string;
  /** How long the service asked to wait before trying again (from `Retry-After`), in ms. */
  retryAfterMs?: number;
  /** How to fix it; replaces the default hint of the status family. */
  hint?: string;
  /** Underlying error, if any; a foreign error is replaced by a redacted copy. */
  cause?: unknown;
}

/**
 * An HTTP response reported a failure. Subclasses name the status family; catch
 * `ApiError` for all of them.
 *
 * @example
 * ```ts
 * try {
 *   await transport.get('/v1/orgDevices/XABC123');
 * } catch (err) {
 *   if (err instanceof NotFoundError) console.log('not in Apple School Manager');
 *   else if (err instanceof ApiError) console.log(err.status, err.code, err.requestId);
 *   else throw err;
 * }
 * ```
 */
export class ApiError extends SchoolMdmError {
  static {
    setErrorName(this, 'ApiError');
  }
  /** HTTP status code. */
  readonly status: number;
  /** Service error code, when the body carried one. */
  readonly code: string | undefined;
  /** Request id from the response headers, when the service sent one. */
  readonly requestId: string | undefined;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** Redacted request URL. */
  readonly url: string;
  /** The first few hundred characters of the response body, redacted. */
  readonly bodyExcerpt: string | undefined;
  /** The wait the service asked for (`Retry-After`), in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit) {
    const url = redact(init.url);
    const detail = init.detail === undefined ? undefined : redactExcerpt(init.detail, 500);
    const statusText = init.statusText ? ` ${init.statusText}` : '';
    const code = init.code ? ` (${redact(init.code)})` : '';
    const rid = init.requestId ? ` [request id ${init.requestId}]` : '';
    super(
      `${init.method} ${url} failed with HTTP ${init.status}${statusText}${code}${detail ? `: ${detail}` : ''}${rid}`,
      {
        cause: init.cause,
        hint: init.hint ?? defaultHint(init.status, init.retryAfterMs),
      },
    );
    this.status = init.status;
    this.code = init.code === undefined ? undefined : redact(init.code);
    this.requestId = init.requestId;
    this.method = init.method;
    this.url = url;
    this.bodyExcerpt = init.body ? redactExcerpt(init.body) || undefined : undefined;
    this.retryAfterMs = init.retryAfterMs;
  }

  /**
   * The one status map: builds the subclass that matches `init.status` (400
   * {@link BadRequestError}, 401 {@link AuthenticationError}, 403
   * {@link PermissionDeniedError}, 404 {@link NotFoundError}, 409 {@link ConflictError}, 422
   * {@link UnprocessableEntityError}, 429 {@link RateLimitError}, 5xx
   * {@link InternalServerError}); any other status gives a plain `ApiError`.
   */
  static generate(init: ApiErrorInit): ApiError {
    const s = init.status;
    if (s === 400) return new BadRequestError(init);
    if (s === 401) return new AuthenticationError(init);
    if (s === 403) return new PermissionDeniedError(init);
    if (s === 404) return new NotFoundError(init);
    if (s === 409) return new ConflictError(init);
    if (s === 422) return new UnprocessableEntityError(init);
    if (s === 429) return new RateLimitError(init);
    if (s >= 500 && s <= 599) return new InternalServerError(init);
    return new ApiError(init);
  }
}

/** HTTP 400: the service rejected the request as malformed. */
export class BadRequestError extends ApiError {
  static {
    setErrorName(this, 'BadRequestError');
  }
}
/** HTTP 401: missing, wrong or expired credentials. */
export class AuthenticationError extends ApiError {
  static {
    setErrorName(this, 'AuthenticationError');
  }
}
/** HTTP 403: the credentials are valid but not allowed to do this (or terms are unsigned). */
export class PermissionDeniedError extends ApiError {
  static {
    setErrorName(this, 'PermissionDeniedError');
  }
}
/** HTTP 404: no such resource (wrong id or serial number, or wrong base URL). */
export class NotFoundError extends ApiError {
  static {
    setErrorName(this, 'NotFoundError');
  }
}
/** HTTP 409: the resource's state conflicts with the request. */
export class ConflictError extends ApiError {
  static {
    setErrorName(this, 'ConflictError');
  }
}
/** HTTP 422: well-formed request whose content the service refused. */
export class UnprocessableEntityError extends ApiError {
  static {
    setErrorName(this, 'UnprocessableEntityError');
  }
}
/** HTTP 5xx: the service failed. Retried automatically when the request is safe to repeat. */
export class InternalServerError extends ApiError {
  static {
    setErrorName(this, 'InternalServerError');
  }
}

/** Where a {@link RateLimitError} came from. */
export type RateLimitSource =
  /** The service answered 429 (retries exhausted, not safe to repeat, or `Retry-After` above the cap). */
  | 'server'
  /** Not sent: the host is held after an earlier 429 for longer than the transport's `maxRetryAfterMs`. */
  | 'hold'
  /** Not sent: a client-side rate-limit rule would make it wait longer than the rule's `maxWaitMs`. */
  | 'client';

/** What a {@link RateLimitError} is built from. */
export interface RateLimitErrorInit extends Omit<ApiErrorInit, 'status'> {
  /** Always 429; accepted so that an {@link ApiErrorInit} can be passed as is. */
  status?: number;
  /** Where the limit was hit. @defaultValue `'server'` */
  source?: RateLimitSource;
}

/**
 * HTTP 429, or a request the transport refused to send because of a rate limit.
 * {@link ApiError.retryAfterMs} says how long to wait when it is known. `status` is always 429.
 */
export class RateLimitError extends ApiError {
  static {
    setErrorName(this, 'RateLimitError');
  }
  /** Whether the service answered 429 (`'server'`) or the transport held the request back. */
  readonly source: RateLimitSource;

  constructor(init: RateLimitErrorInit) {
    super({ ...init, status: 429 });
    this.source = init.source ?? 'server';
    if (this.source !== 'server') {
      // Not an HTTP failure: say plainly that nothing was sent, and why.
      const wait = init.retryAfterMs === undefined ? '' : ` for another ${formatSeconds(init.retryAfterMs)}`;
      const why =
        this.source === 'hold'
          ? `the host is held${wait} after an HTTP 429, longer than the transport waits (maxRetryAfterMs)`
          : `a client-side rate-limit rule${init.detail ? ` (${redact(init.detail)})` : ''} would hold it${wait}, longer than its maxWaitMs`;
      const message = `${init.method} ${this.url} was not sent: ${why}`;
      Object.defineProperty(this, 'message', {
        value: this.hint ? `${message} — ${this.hint}` : message,
        enumerable: false,
        writable: true,
        configurable: true,
      });
      // Keep the first stack line in step with the new message.
      if (this.stack) this.stack = `${this.name}: ${this.message}${this.stack.slice(this.stack.indexOf('\n'))}`;
    }
  }
}

function formatSeconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

function defaultHint(status: number, retryAfterMs: number | undefined): string | undefined {
  switch (status) {
    case 400:
      return 'Check the request parameters and body against the API documentation.';
    case 401:
      return 'Check the credentials: the access token may have expired and must be renewed.';
    case 403:
      return 'Check that the account has the role this call needs, and that the organisation accepted the latest terms.';
    case 404:
      return 'Check the identifier (for devices, the serial number) and the base URL.';
    case 409:
      return 'Re-read the resource and retry with its current state.';
    case 422:
      return 'Check the field values: the service understood the request but refused its content.';
    case 429:
      return retryAfterMs === undefined
        ? 'Wait before retrying and lower the request rate (the transport rateLimit rules).'
        : `Wait ${formatSeconds(retryAfterMs)} before retrying and lower the request rate (the transport rateLimit rules).`;
    default:
      return status >= 500 ? 'The service failed; try again later.' : undefined;
  }
}
