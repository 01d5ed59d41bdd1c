/**
 * Errors for requests that got no usable HTTP response: the connection failed, a timeout or
 * the call's deadline fired, the caller aborted, a redirect could not be followed safely, or
 * a body was larger than allowed. Their `cause` is a redacted copy of the underlying error
 * (see `internal/sanitize.ts`), never the original object.
 */
import { redact } from '../redact/redact.js';
import { SchoolMdmError, type SchoolMdmErrorOptions, setErrorName } from './base.js';

/** Where a request that failed before a response was going. */
export interface RequestTarget {
  /** HTTP method, upper case. */
  method: string;
  /** Request URL; redacted before it is stored. */
  url: string;
}

/** What went wrong on the connection, and how often the transport tried. */
export interface ConnectionErrorDetail {
  /** System or undici error code, e.g. `ECONNRESET`. */
  code?: string;
  /** The low-level message (redacted before it is stored). */
  reason?: string;
  /**
   * Attempts made in all (1 when the request was sent once). When given, the message says
   * whether the request was retried; leave it out for a single low-level failure.
   */
  attempts?: number;
  /** Why the request was not retried (e.g. `"POST is not safe to repeat"`), for the message. */
  notRetriedBecause?: string;
}

/**
 * The request could not reach the service or the connection dropped before a response
 * (DNS failure, refused connection, reset, TLS error). Unwraps undici's generic
 * `TypeError('fetch failed')`: {@link ConnectionError.code} holds the system code, and the
 * message says how many attempts were made.
 *
 * @see https://github.com/nodejs/undici/issues/3492 (stale keep-alive sockets)
 */
export class ConnectionError extends SchoolMdmError {
  static {
    setErrorName(this, 'ConnectionError');
  }
  /** HTTP method of the request. */
  readonly method: string;
  /** Redacted request URL. */
  readonly url: string;
  /** System or undici error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`. */
  readonly code: string | undefined;
  /** The low-level reason (e.g. `socket hang up`), redacted. */
  readonly reason: string | undefined;
  /** Attempts made, when the transport reported them. */
  readonly attempts: number | undefined;

  constructor(target: RequestTarget, detail: ConnectionErrorDetail, options: SchoolMdmErrorOptions = {}) {
    const url = redact(target.url);
    const what = [detail.code, detail.reason ? redact(detail.reason) : undefined].filter(Boolean).join(': ');
    const attempts = detail.attempts;
    let tried = '';
    if (attempts !== undefined) {
      tried =
        attempts > 1
          ? ` after ${attempts} attempts (retried ${attempts - 1} time${attempts === 2 ? '' : 's'})`
          : `; not retried${detail.notRetriedBecause ? ` (${redact(detail.notRetriedBecause)})` : ''}`;
    }
    super(`${target.method} ${url} failed: connection error${what ? ` (${what})` : ''}${tried}`, {
      hint: 'Check the network, proxy and DNS settings, and that the service is reachable.',
      ...options,
    });
    this.method = target.method;
    this.url = url;
    this.code = detail.code;
    this.reason = detail.reason ? redact(detail.reason) : undefined;
    this.attempts = attempts;
  }
}

/** Which limit a {@link TimeoutError} hit. */
export type TimeoutKind =
  /** One attempt (`timeoutMs`) took too long. */
  | 'attempt'
  /** The call's total deadline (`deadlineMs`, across attempts and waits) passed or would pass. */
  | 'deadline';

/**
 * A timeout elapsed before the response was complete: the per-attempt `timeoutMs`, or the
 * call's total `deadlineMs` (see {@link TimeoutError.kind}). A deadline error is thrown as
 * soon as a wait (backoff, `Retry-After`, hold, rate-limit token) would end after it.
 */
export class TimeoutError extends SchoolMdmError {
  static {
    setErrorName(this, 'TimeoutError');
  }
  /** HTTP method of the request. */
  readonly method: string;
  /** Redacted request URL. */
  readonly url: string;
  /** The limit that fired, in milliseconds (`timeoutMs` or `deadlineMs`). */
  readonly timeoutMs: number;
  /** Which limit fired. */
  readonly kind: TimeoutKind;

  constructor(target: RequestTarget, timeoutMs: number, options: SchoolMdmErrorOptions & { kind?: TimeoutKind } = {}) {
    const url = redact(target.url);
    const kind = options.kind ?? 'attempt';
    super(
      kind === 'deadline'
        ? `${target.method} ${url} did not complete within its ${timeoutMs} ms deadline`
        : `${target.method} ${url} timed out after ${timeoutMs} ms`,
      {
        hint:
          kind === 'deadline'
            ? 'Raise deadlineMs, or lower maxRetries and the rate of requests so calls finish in time.'
            : 'Raise timeoutMs (per request or on the transport) or check the network.',
        cause: options.cause,
        ...(options.hint === undefined ? {} : { hint: options.hint }),
      },
    );
    this.method = target.method;
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.kind = kind;
  }
}

/** The caller's `AbortSignal` aborted the request (or a wait before it). Never retried. */
export class AbortError extends SchoolMdmError {
  static {
    setErrorName(this, 'AbortError');
  }
  /** HTTP method of the request, when one was under way. */
  readonly method: string | undefined;
  /** Redacted request URL, when one was under way. */
  readonly url: string | undefined;

  constructor(target: Partial<RequestTarget> = {}, options: SchoolMdmErrorOptions = {}) {
    const url = target.url === undefined ? undefined : redact(target.url);
    super(
      target.method && url
        ? `${target.method} ${url} was aborted by the caller`
        : 'The operation was aborted by the caller',
      options,
    );
    this.method = target.method;
    this.url = url;
  }
}

/** Why a redirect was not followed. */
export type RedirectErrorReason =
  /** More hops than `maxRedirects`. */
  | 'too-many-redirects'
  /** A 307/308 to another origin would resend the body there (it may hold credentials). */
  | 'cross-origin-body'
  /** A 307/308 asks to resend a stream body, which cannot be replayed. */
  | 'stream-body'
  /** The `Location` is missing, not a URL, or not http(s). */
  | 'invalid-location';

/**
 * A redirect the transport refuses to follow. Redirects are followed by the transport itself
 * (never by `fetch`), so that credentials and bodies never reach another origin.
 */
export class RedirectError extends SchoolMdmError {
  static {
    setErrorName(this, 'RedirectError');
  }
  /** HTTP method of the request. */
  readonly method: string;
  /** Redacted URL of the request that was redirected. */
  readonly url: string;
  /** Redacted target of the redirect (`undefined` when there was none). */
  readonly location: string | undefined;
  /** Status of the redirect response (301, 302, 303, 307, 308). */
  readonly status: number;
  /** Why it was not followed. */
  readonly reason: RedirectErrorReason;

  constructor(
    target: RequestTarget,
    init: { status: number; location?: string; reason: RedirectErrorReason; maxRedirects?: number },
    options: SchoolMdmErrorOptions = {},
  ) {
    const url = redact(target.url);
    const location = init.location === undefined ? undefined : redact(init.location);
    const why: Record<RedirectErrorReason, string> = {
      'too-many-redirects': `more than ${init.maxRedirects ?? 'the allowed number of'} redirects`,
      'cross-origin-body': `HTTP ${init.status} asks to resend the request body to another origin (${location})`,
      'stream-body': `HTTP ${init.status} asks to resend a stream body, which cannot be replayed`,
      'invalid-location': `HTTP ${init.status} has no usable Location${location ? ` (${location})` : ''}`,
    };
    const hints: Record<RedirectErrorReason, string> = {
      'too-many-redirects': 'Check the URL for a redirect loop, or raise maxRedirects.',
      'cross-origin-body':
        'Send the request to the new URL yourself if you trust it: the body may hold credentials, so it is never forwarded automatically.',
      'stream-body': 'Send the request to the final URL directly, or pass the body as bytes so it can be replayed.',
      'invalid-location': 'The service answered with a broken redirect; check the base URL.',
    };
    super(`${target.method} ${url} was not redirected: ${why[init.reason]}`, { hint: hints[init.reason], ...options });
    this.method = target.method;
    this.url = url;
    this.location = location;
    this.status = init.status;
    this.reason = init.reason;
  }
}

/**
 * A response body was larger than allowed (`maxResponseBytes`). The rest of the body was not
 * downloaded.
 */
export class ResponseTooLargeError extends SchoolMdmError {
  static {
    setErrorName(this, 'ResponseTooLargeError');
  }
  /** HTTP method of the request. */
  readonly method: string;
  /** Redacted request URL. */
  readonly url: string;
  /** The limit, in bytes. */
  readonly maxBytes: number;
  /** The declared size (`Content-Length`), when the service sent one. */
  readonly declaredBytes: number | undefined;

  constructor(
    target: RequestTarget,
    init: { maxBytes: number; declaredBytes?: number },
    options: SchoolMdmErrorOptions = {},
  ) {
    const url = redact(target.url);
    const declared = init.declaredBytes === undefined ? '' : ` (Content-Length ${init.declaredBytes})`;
    super(`${target.method} ${url} returned a body larger than ${init.maxBytes} bytes${declared}`, {
      hint: 'Raise maxResponseBytes for this request, or ask for a smaller page.',
      ...options,
    });
    this.method = target.method;
    this.url = url;
    this.maxBytes = init.maxBytes;
    this.declaredBytes = init.declaredBytes;
  }
}
