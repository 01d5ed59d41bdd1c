/** The public option, request and response shapes of {@link Transport}. */
import type { Agent, Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Sleep } from '../internal/sleep.js';
import type { Logger, LogLevel } from '../logging/logger.js';
import type { HttpMethod, RateLimitOptions } from '../rate-limit/types.js';
import type { ValidationMode } from '../validation/parse-response.js';
import type { ErrorBodyParser } from './error-body.js';
import type { HeadersLike } from './headers.js';
import type { Query } from './url.js';

/** `fetch`'s second argument, plus undici's `dispatcher` and the `duplex` flag streams need. */
export type FetchInit = RequestInit & { dispatcher?: Dispatcher; duplex?: 'half' };

/** A `fetch` implementation. `globalThis.fetch` fits, and so does a test double. */
export type FetchLike = (url: string, init: FetchInit) => Promise<Response>;

/**
 * Per-call options, the last parameter of every transport (and client) method.
 *
 * @example
 * ```ts
 * await transport.get('/v1/orgDevices', {}, { signal: AbortSignal.timeout(120_000), maxRetries: 5 });
 * ```
 */
export interface RequestOptions {
  /** Aborts the request, and any wait for a retry, a rate-limit token or a host hold. */
  signal?: AbortSignal;
  /** Timeout of each attempt (connect, headers and body), in ms. @defaultValue the transport's `timeoutMs` */
  timeoutMs?: number;
  /** Retries after the first attempt. @defaultValue the transport's `maxRetries` */
  maxRetries?: number;
  /**
   * Total time the call may take, in ms: every attempt, backoff, `Retry-After`, host hold and
   * rate-limit wait included. When it passes — or as soon as a wait is known to end after
   * it — the call throws `TimeoutError` with `kind: 'deadline'` (its `cause` is the last
   * failure, if any). An `AbortSignal` (e.g. `AbortSignal.timeout(ms)`) bounds a call too,
   * but throws `AbortError` and cannot tell a wait that will overrun from one that will not.
   * @defaultValue none
   */
  deadlineMs?: number;
  /**
   * Largest successful response body read, in bytes (checked against `Content-Length` first,
   * then while reading); a larger one throws `ResponseTooLargeError` and the rest is not
   * downloaded. @defaultValue the transport's `maxResponseBytes`
   */
  maxResponseBytes?: number;
  /** Extra headers for this call (values may be `SecretValue`s); `null` removes a default header. */
  headers?: HeadersLike;
  /**
   * Whether the request is safe to repeat. GET, HEAD and OPTIONS are; set `true` for a POST
   * that only reads (Mosyle's `/listdevices`, DEP's `/server/devices`) so it can be retried.
   * @defaultValue `true` for GET/HEAD/OPTIONS, otherwise `false`
   */
  idempotent?: boolean;
}

/** How the response body is read. */
export type ResponseType =
  /** Parsed as JSON (an empty body gives `undefined`). */
  | 'json'
  /** As a string. */
  | 'text'
  /** As a `Uint8Array`. */
  | 'bytes'
  /** Not read (the body is discarded). */
  | 'none';

/** One request. `T` is the type of `data`, inferred from `schema` when one is given. */
export interface TransportRequest<T = unknown> {
  /** HTTP method. */
  method: HttpMethod;
  /** Path relative to `baseURL`, or an absolute URL (e.g. a token endpoint on another host). */
  path: string;
  /** Query parameters. */
  query?: Query;
  /**
   * Body: plain objects and arrays (and numbers, booleans, `null`) are sent as JSON with
   * `content-type: application/json`, every nested `SecretValue` revealed only in the text
   * sent; strings, bytes, `Blob`, `FormData` and `URLSearchParams` are sent as they are; a web
   * `ReadableStream`, a Node `Readable` (e.g. `fs.createReadStream`) or any async iterable of
   * bytes is streamed and never retried nor re-sent on a redirect, because it cannot be
   * replayed. Anything else (a class instance, a `Map`) is refused with `InvalidArgumentError`.
   */
  body?: unknown;
  /** Headers of this request (merged over the transport's defaults). */
  headers?: HeadersLike;
  /** zod schema the JSON body must match; `data` is its output. */
  schema?: z.ZodType<T>;
  /** How to read the body. @defaultValue `'json'` */
  responseType?: ResponseType;
  /** See {@link RequestOptions.idempotent}; the call's option wins. */
  idempotent?: boolean;
  /** Overrides the transport's validation mode for this request. */
  validation?: ValidationMode;
  /** Short name of what is fetched, used in validation errors (e.g. `"orgDevices page"`). */
  what?: string;
}

/** A request's fields other than method and path, for the `get`/`post`/… shortcuts. */
export type RequestParams<T = unknown> = Omit<TransportRequest<T>, 'method' | 'path'>;

/** A successful response. */
export interface TransportResponse<T> {
  /** The body: parsed, validated JSON, a string, bytes or `undefined`, per `responseType`. */
  data: T;
  /** HTTP status. */
  status: number;
  /**
   * Response headers, **not redacted** (a client may need one, e.g. Mosyle's JWT in
   * `Authorization`): do not log them raw.
   */
  headers: Headers;
  /** Request id from the response headers, when the service sent one. */
  requestId: string | undefined;
  /** Attempts made (1 when the first one succeeded). */
  attempts: number;
}

/** How a {@link Transport} is configured. Every option has a documented default. */
export interface TransportOptions {
  /** Root of relative request paths, e.g. `"https://api-school.apple.com"`. */
  baseURL?: string;
  /**
   * The `fetch` to call. By default the transport looks up `globalThis.fetch` at call time,
   * so msw (which patches it) intercepts every request.
   * @defaultValue `globalThis.fetch`
   */
  fetch?: FetchLike;
  /**
   * undici dispatcher passed to `fetch`. By default the transport creates (on first use) and
   * owns a keep-alive `Agent` from `agentOptions`, destroyed by {@link Transport.close}; with
   * an injected `fetch` no dispatcher is created. `false` sends none.
   */
  dispatcher?: Dispatcher | false;
  /** Options of the owned undici `Agent` (keep-alive pool, TLS, connect timeout). */
  agentOptions?: Agent.Options;
  /** Timeout of each attempt, in ms (`Infinity` for none). @defaultValue `60_000` */
  timeoutMs?: number;
  /** Retries after the first attempt, for requests that are safe to repeat. @defaultValue `2` */
  maxRetries?: number;
  /**
   * Longest `Retry-After` (or host hold) the transport waits for; a longer one throws
   * `RateLimitError` with `retryAfterMs` instead of waiting (and of retrying too early, which
   * would flood a strict service such as Apple School Manager). A `Retry-After` exactly at the
   * cap is waited for. @defaultValue `60_000`
   */
  maxRetryAfterMs?: number;
  /**
   * Shortest wait after a 429 that carries no `Retry-After`, in ms. Exponential backoff
   * starts at 0.5 s, which a rate-limited service answers with another 429; Octokit learnt
   * this (https://github.com/octokit/plugin-throttling.js/issues/454). 10 s lets about three
   * Apple School Manager GET tokens (≈20/min) come back. @defaultValue `10_000`
   */
  rateLimitFloorMs?: number;
  /** Client-side rate limiting (concurrency and sliding windows or token buckets per request class). */
  rateLimit?: RateLimitOptions;
  /**
   * The key of the "hold after 429" state: requests with the same key wait together.
   * @defaultValue the URL's host (`url.host`)
   */
  holdKey?: (url: URL, method: string) => string;
  /** Headers sent with every request (values may be `SecretValue`s). */
  defaultHeaders?: HeadersLike;
  /**
   * Names of the client's own credential headers (e.g. `["x-adm-auth-session"]`). Their values
   * are kept as `SecretValue`s (printed `[REDACTED]`) and, like `Authorization`, `Cookie`,
   * `Proxy-Authorization`, every secret-named header and every `SecretValue` header, they are
   * dropped on a redirect to another origin. @defaultValue `[]`
   */
  secretHeaders?: readonly string[];
  /**
   * Redirects followed per attempt (by the transport itself, never by `fetch`). Same-origin
   * hops keep headers and body as `fetch` would (303, and 301/302 after a POST, become a GET
   * without body); cross-origin hops drop every credential header and never carry a body (a
   * 307/308 that would resend one throws `RedirectError`). `0` follows none. @defaultValue `10`
   */
  maxRedirects?: number;
  /**
   * Largest successful response body read, in bytes; a larger one throws
   * `ResponseTooLargeError` without downloading the rest. Error bodies are always read up to
   * 64 KiB only. @defaultValue `Infinity`
   */
  maxResponseBytes?: number;
  /** `User-Agent` header (DEP rejects requests without one). @defaultValue `"schoolmdm/<version>"` */
  userAgent?: string;
  /** Header carrying the retry number on retries; `false` to send none. @defaultValue `"x-retry-count"` */
  retryCountHeader?: string | false;
  /**
   * Response headers that carry a request id, first found wins.
   * @defaultValue `['x-request-id', 'request-id', 'x-apple-request-uuid', 'x-apple-jingle-correlation-key', 'x-amzn-requestid', 'x-correlation-id']`
   */
  requestIdHeaders?: readonly string[];
  /** Service hook that reads error codes from bodies, including failures inside 2xx bodies. */
  parseErrorBody?: ErrorBodyParser;
  /** What to do when a body does not match its schema. @defaultValue `'strict'` */
  validation?: ValidationMode;
  /** Where log lines go. @defaultValue none (silent) */
  logger?: Logger;
  /** Least severe level logged. @defaultValue `'debug'` when a logger is given */
  logLevel?: LogLevel;
  /** Timer used for backoff, holds and token waits (inject for deterministic tests). */
  sleep?: Sleep;
  /** Clock in ms since the epoch (inject for deterministic tests). @defaultValue `Date.now` */
  now?: () => number;
  /** Randomness for backoff jitter, in [0, 1). @defaultValue `Math.random` */
  random?: () => number;
}
