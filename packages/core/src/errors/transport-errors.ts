/**
 * Errors for requests that got no HTTP response: the connection failed, the per-request
 * timeout fired, or the caller aborted. Their `cause` is a redacted copy of the underlying
 * error (see `internal/sanitize.ts`), never the original object.
 */
import { redact } from '../redact/redact.js';
import { SchoolMdmError, type SchoolMdmErrorOptions } from './base.js';

/** Where a request that failed before a response was going. */
export interface RequestTarget {
  /** HTTP method, upper case. */
  method: string;
  /** Request URL; redacted before it is stored. */
  url: string;
}

/**
 * The request could not reach the service or the connection dropped before a response
 * (DNS failure, refused connection, reset, TLS error). Unwraps undici's generic
 * `TypeError('fetch failed')`: {@link ConnectionError.code} holds the system code.
 *
 * @see https://github.com/nodejs/undici/issues/3492 (stale keep-alive sockets)
 */
export class ConnectionError extends SchoolMdmError {
  /** HTTP method of the request. */
  readonly method: string;
  /** Redacted request URL. */
  readonly url: string;
  /** System or undici error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`. */
  readonly code: string | undefined;

  constructor(target: RequestTarget, detail: { code?: string; reason?: string }, options: SchoolMdmErrorOptions = {}) {
    const url = redact(target.url);
    const what = [detail.code, detail.reason ? redact(detail.reason) : undefined].filter(Boolean).join(': ');
    super(`${target.method} ${url} failed: connection error${what ? ` (${what})` : ''}`, {
      hint: 'Check the network, proxy and DNS settings; requests that are safe to repeat were retried automatically.',
      ...options,
    });
    this.method = target.method;
    this.url = url;
    this.code = detail.code;
  }
}

/** The per-attempt timeout (`timeoutMs`) elapsed before the response was complete. */
export class TimeoutError extends SchoolMdmError {
  /** HTTP method of the request. */
  readonly method: string;
  /** Redacted request URL. */
  readonly url: string;
  /** The timeout that fired, in milliseconds. */
  readonly timeoutMs: number;

  constructor(target: RequestTarget, timeoutMs: number, options: SchoolMdmErrorOptions = {}) {
    const url = redact(target.url);
    super(`${target.method} ${url} timed out after ${timeoutMs} ms`, {
      hint: 'Raise timeoutMs (per request or on the transport) or check the network.',
      ...options,
    });
    this.method = target.method;
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` aborted the request (or a wait before it). Never retried. */
export class AbortError extends SchoolMdmError {
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
