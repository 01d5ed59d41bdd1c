/**
 * The shared HTTP transport of every schoolmdm API client: global `fetch` over a keep-alive
 * undici `Agent`, per-attempt timeouts and an optional total deadline, abort without listener
 * leaks, retries with backoff and `Retry-After`, host holds after 429, client-side rate
 * limits, redirects followed by hand (credentials and bodies never cross origins), bounded
 * body reads, typed redacted errors, structured redacted logging and zod validation.
 */
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { ApiError, RateLimitError } from '../errors/api-error.js';
import { SchoolMdmError } from '../errors/base.js';
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import {
  AbortError,
  ConnectionError,
  RedirectError,
  type RequestTarget,
  ResponseTooLargeError,
  TimeoutError,
} from '../errors/transport-errors.js';
import { ResponseValidationError } from '../errors/validation-error.js';
import { onAbort } from '../internal/abort.js';
import { sanitizeCause } from '../internal/sanitize.js';
import { defaultSleep, type Sleep } from '../internal/sleep.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { DeadlineReached, MAX_HOLD_MS, RateLimiter, type Release } from '../rate-limit/limiter.js';
import type { HttpMethod } from '../rate-limit/types.js';
import { isSecretValue } from '../redact/brand.js';
import { REDACTED } from '../redact/constants.js';
import { SecretValue } from '../redact/secret-value.js';
import { toValidationError, type ValidationMode } from '../validation/parse-response.js';
import { VERSION } from '../version.js';
import { type EncodedBody, encodeBody } from './body.js';
import { classifyFetchError } from './classify.js';
import { defaultErrorBodyParser, type ErrorBodyParser, type ServiceErrorInfo } from './error-body.js';
import { type HeaderValue, isCredentialHeader, mergeHeaders } from './headers.js';
import { retryAfterFromHeaders } from './retry-after.js';
import { backoffDelay, isRetryableStatus, isStaleSocketCode, SAFE_METHODS } from './retry-policy.js';
import type {
  FetchInit,
  FetchLike,
  RequestOptions,
  RequestParams,
  ResponseType,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from './types.js';
import { buildUrl, normalizeBaseURL } from './url.js';

const DEFAULT_REQUEST_ID_HEADERS = [
  'x-request-id',
  'request-id',
  'x-apple-request-uuid',
  'x-apple-jingle-correlation-key',
  'x-amzn-requestid',
  'x-correlation-id',
] as const;

/** Error bodies are read up to this many bytes; the rest is cancelled, never downloaded. */
export const MAX_ERROR_BODY_BYTES = 65_536;

/** Redirect statuses the transport follows itself (RFC 9110 §15.4). */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Headers that describe a body, dropped when a redirect turns the request into a GET (Fetch §4.4). */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/** What one attempt produced: a response with its body read, or a typed error. */
type Outcome =
  | { ok: true; response: Response; text: string; bytes: Uint8Array | undefined }
  | { ok: false; error: SchoolMdmError; beforeResponse: boolean };

/** Everything an attempt needs that does not change between attempts. */
interface Exchange {
  url: string;
  method: HttpMethod;
  headers: Record<string, HeaderValue>;
  encoded: EncodedBody;
  target: RequestTarget;
  responseType: ResponseType;
  maxResponseBytes: number;
}

/**
 * The HTTP transport. One instance per service client; it keeps the connection pool, the
 * rate-limit state and the holds after 429.
 *
 * Retries: requests that are safe to repeat (GET/HEAD/OPTIONS, or `idempotent: true`) are
 * retried up to `maxRetries` times on 408, 429, 5xx, connection errors and timeouts, after
 * `min(0.5 s·2ⁿ, 8 s)` minus up to 25 % jitter, or after the `Retry-After` the service sent
 * (up to `maxRetryAfterMs`; above it a `RateLimitError` with `retryAfterMs` is thrown). A
 * keep-alive socket reset before any response byte is retried once more at once. Retries
 * carry `x-retry-count`. A stream body is sent once and never retried.
 *
 * Holds: after a 429 no request to the same host leaves until the service's wait (plus a
 * little jitter) is over, wherever it was waiting; then they re-enter the rate rules in
 * order. A hold never lasts more than a day; {@link Transport.clearHolds} ends holds early.
 *
 * Redirects are followed by the transport (at most `maxRedirects` hops): a redirect to
 * another origin never carries credentials (`Authorization`, `Cookie`,
 * `Proxy-Authorization`, `secretHeaders`, secret-named headers, any {@link SecretValue}
 * header) nor a body; a 307/308 that would resend a body there throws {@link RedirectError}.
 *
 * @example
 * ```ts
 * const transport = new Transport({
 *   baseURL: 'https://api-school.apple.com',
 *   rateLimit: { maxConcurrency: 4, rules: [{ name: 'asm-get', match: { method: 'GET' }, requests: 20, perMs: 60_000 }] },
 * });
 * const { data } = await transport.get('/v1/orgDevices', { query: { limit: 100 }, schema: OrgDevicesPage });
 * await transport.close();
 * ```
 */
export class Transport {
  /** Root of relative request paths, without a trailing slash. */
  readonly baseURL: string | undefined;

  readonly #fetch: FetchLike | undefined;
  readonly #dispatcherOption: TransportOptions['dispatcher'];
  readonly #agentOptions: TransportOptions['agentOptions'];
  #ownedAgent: Dispatcher | undefined;
  #agentPromise: Promise<Dispatcher> | undefined;
  #closed = false;

  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #maxRetryAfterMs: number;
  readonly #rateLimitFloorMs: number;
  readonly #maxRedirects: number;
  readonly #maxResponseBytes: number;
  readonly #headers: Record<string, HeaderValue>;
  readonly #secretHeaders: ReadonlySet<string>;
  readonly #retryCountHeader: string | false;
  readonly #requestIdHeaders: readonly string[];
  readonly #parseErrorBody: ErrorBodyParser | undefined;
  readonly #validation: ValidationMode;
  readonly #limiter: RateLimiter;
  readonly #holdKey: (url: URL, method: string) => string;
  readonly #log: Logger;
  readonly #logging: boolean;
  readonly #sleep: Sleep;
  readonly #now: () => number;
  readonly #random: () => number;
  #sequence = 0;

  constructor(options: TransportOptions = {}) {
    this.baseURL = options.baseURL === undefined ? undefined : normalizeBaseURL(options.baseURL);
    if (options.fetch !== undefined && typeof options.fetch !== 'function') {
      throw new InvalidArgumentError('fetch', `expected a function, got ${typeof options.fetch}`);
    }
    this.#fetch = options.fetch;
    // With an injected fetch (a test double, another runtime) the transport creates no Agent.
    this.#dispatcherOption = options.dispatcher ?? (options.fetch ? false : undefined);
    this.#agentOptions = options.agentOptions;
    this.#timeoutMs = checkTimeout('timeoutMs', options.timeoutMs ?? 60_000);
    this.#maxRetries = checkCount('maxRetries', options.maxRetries ?? 2);
    this.#maxRetryAfterMs = checkMs('maxRetryAfterMs', options.maxRetryAfterMs ?? 60_000, true);
    this.#rateLimitFloorMs = checkMs('rateLimitFloorMs', options.rateLimitFloorMs ?? 10_000, false);
    this.#maxRedirects = checkCount('maxRedirects', options.maxRedirects ?? 10);
    this.#maxResponseBytes = checkBytes('maxResponseBytes', options.maxResponseBytes);
    this.#secretHeaders = new Set((options.secretHeaders ?? []).map((h) => String(h).toLowerCase()));
    this.#headers = { accept: 'application/json', 'user-agent': options.userAgent ?? `schoolmdm/${VERSION}` };
    mergeHeaders(this.#headers, options.defaultHeaders);
    this.#protectSecretHeaders(this.#headers);
    this.#retryCountHeader = options.retryCountHeader === undefined ? 'x-retry-count' : options.retryCountHeader;
    this.#requestIdHeaders = options.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS;
    this.#parseErrorBody = options.parseErrorBody;
    this.#validation = options.validation ?? 'strict';
    this.#holdKey = options.holdKey ?? ((url) => url.host);
    this.#log = createLogger(options.logger, options.logLevel);
    this.#logging = options.logger !== undefined && options.logLevel !== 'off';
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#limiter = new RateLimiter(options.rateLimit ?? {}, {
      now: this.#now,
      sleep: this.#sleep,
      log: this.#log,
      maxHoldWaitMs: this.#maxRetryAfterMs,
    });
  }

  /** `GET path`. */
  get<T = unknown>(path: string, params?: RequestParams<T>, options?: RequestOptions): Promise<TransportResponse<T>> {
    return this.request({ ...params, method: 'GET', path }, options);
  }

  /** `POST path`. Not retried unless `idempotent: true`. */
  post<T = unknown>(path: string, params?: RequestParams<T>, options?: RequestOptions): Promise<TransportResponse<T>> {
    return this.request({ ...params, method: 'POST', path }, options);
  }

  /** `PUT path`. Not retried unless `idempotent: true`. */
  put<T = unknown>(path: string, params?: RequestParams<T>, options?: RequestOptions): Promise<TransportResponse<T>> {
    return this.request({ ...params, method: 'PUT', path }, options);
  }

  /** `PATCH path`. Not retried unless `idempotent: true`. */
  patch<T = unknown>(path: string, params?: RequestParams<T>, options?: RequestOptions): Promise<TransportResponse<T>> {
    return this.request({ ...params, method: 'PATCH', path }, options);
  }

  /** `DELETE path`. Not retried unless `idempotent: true`. */
  delete<T = unknown>(
    path: string,
    params?: RequestParams<T>,
    options?: RequestOptions,
  ): Promise<TransportResponse<T>> {
    return this.request({ ...params, method: 'DELETE', path }, options);
  }

  /**
   * Ends the hold after a 429 on one hold key (by default a host, e.g. `"api-school.apple.com"`),
   * or on every key when called without one. Requests waiting for it are admitted at once,
   * subject to the rate rules. Use it when you know the service is available again.
   */
  clearHolds(key?: string): void {
    this.#limiter.clearHolds(key);
  }

  /** Milliseconds left on the hold of a hold key (by default a host); 0 when it is not held. */
  holdRemainingMs(key: string): number {
    return this.#limiter.holdRemaining(key);
  }

  /**
   * Sends a request and returns the parsed response, or throws a typed error:
   * {@link ApiError} (and subclasses) for failure statuses, {@link RateLimitError} for 429
   * and rate-limit refusals, {@link ConnectionError}, {@link TimeoutError} (per attempt, or
   * the call's `deadlineMs`), {@link AbortError}, {@link RedirectError},
   * {@link ResponseTooLargeError}, {@link ResponseValidationError}, {@link InvalidArgumentError}.
   */
  async request<T = unknown>(
    request: TransportRequest<T>,
    options: RequestOptions = {},
  ): Promise<TransportResponse<T>> {
    const method = String(request.method).toUpperCase() as HttpMethod;
    const url = buildUrl(this.baseURL, request.path, request.query);
    // Parsed only when a rate rule, a hold or a 429 needs it (about 5 % of a local GET's cost);
    // a URL that does not parse is reported when fetch rejects it (see #send).
    let parsedUrl: URL | undefined;
    const parsed = (): URL => {
      if (parsedUrl) return parsedUrl;
      try {
        parsedUrl = new URL(url);
      } catch {
        throw invalidUrl(url);
      }
      return parsedUrl;
    };
    const target: RequestTarget = { method, url };
    if (this.#closed) {
      throw new ConnectionError(
        target,
        { code: 'TRANSPORT_CLOSED', reason: 'the transport was closed' },
        { hint: 'Create a new Transport (or client) after close().' },
      );
    }
    const signal = options.signal;
    const timeoutMs = options.timeoutMs === undefined ? this.#timeoutMs : checkTimeout('timeoutMs', options.timeoutMs);
    const maxRetries =
      options.maxRetries === undefined ? this.#maxRetries : checkCount('maxRetries', options.maxRetries);
    const deadlineMs = options.deadlineMs === undefined ? undefined : checkTimeout('deadlineMs', options.deadlineMs);
    const maxResponseBytes =
      options.maxResponseBytes === undefined
        ? this.#maxResponseBytes
        : checkBytes('maxResponseBytes', options.maxResponseBytes);
    const deadlineAt = deadlineMs === undefined ? Number.POSITIVE_INFINITY : this.#now() + deadlineMs;
    const encoded = encodeBody(request.body);
    const idempotent = !encoded.oneShot && (options.idempotent ?? request.idempotent ?? SAFE_METHODS.has(method));
    const headers: Record<string, HeaderValue> = { ...this.#headers };
    if (encoded.json) headers['content-type'] = 'application/json';
    mergeHeaders(headers, request.headers, options.headers);
    if (this.#secretHeaders.size > 0) this.#protectSecretHeaders(headers);
    let holdKey: string | undefined;
    const key = (): string => {
      holdKey ??= this.#holdKey(parsed(), method);
      return holdKey;
    };
    const responseType = request.responseType ?? 'json';
    const id = `req_${++this.#sequence}`;
    const exchange: Exchange = { url, method, headers, encoded, target, responseType, maxResponseBytes };
    const deadline = (cause?: unknown): TimeoutError =>
      new TimeoutError(target, deadlineMs as number, { kind: 'deadline', cause });

    let retries = 0;
    let staleRetried = false;
    let lastError: SchoolMdmError | undefined;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortError(target, signal);
      let release: Release | undefined;
      if (this.#limiter.active) {
        try {
          release = await this.#limiter.admit({ method, url: parsed() }, key(), signal, deadlineAt);
        } catch (error) {
          if (signal?.aborted) throw abortError(target, signal);
          if (error instanceof DeadlineReached) throw deadline(lastError);
          throw error;
        }
      }
      // The deadline bounds the attempt too: its timeout is whatever time is left.
      let attemptTimeout = timeoutMs;
      let deadlineBound = false;
      if (deadlineMs !== undefined) {
        const left = deadlineAt - this.#now();
        if (left <= 0) {
          release?.();
          throw deadline(lastError);
        }
        if (left < attemptTimeout) {
          attemptTimeout = left;
          deadlineBound = true;
        }
      }
      const retryHeader: [string, number] | undefined =
        attempt > 1 && this.#retryCountHeader ? [this.#retryCountHeader, attempt - 1] : undefined;
      const started = this.#now();
      let outcome: Outcome;
      try {
        outcome = await this.#attempt(exchange, attemptTimeout, signal, retryHeader);
      } catch (error) {
        release?.();
        throw error;
      }
      const durationMs = this.#now() - started;
      // The permit is given back only once the outcome is known: a 429 sets its hold first,
      // so a request waiting for this permit cannot slip out before the hold exists.
      try {
        if (!outcome.ok) {
          let error = outcome.error;
          if (this.#logging) {
            this.#log.debug('http request failed', { id, method, url, error: error.name, attempt, durationMs });
          }
          if (error instanceof TimeoutError && deadlineBound) throw deadline(lastError);
          if (
            error instanceof AbortError ||
            error instanceof InvalidArgumentError ||
            error instanceof RedirectError ||
            error instanceof ResponseTooLargeError
          ) {
            throw error;
          }
          if (!idempotent) {
            throw withAttempts(
              error,
              attempt,
              encoded.oneShot ? 'a stream body cannot be replayed' : `${method} is not safe to repeat`,
            );
          }
          const code = error instanceof ConnectionError ? error.code : undefined;
          // Only a reset before any response byte is a pooled keep-alive socket the server had
          // already closed: retried at once, outside the budget. A reset mid-body is a real failure.
          if (outcome.beforeResponse && isStaleSocketCode(code) && !staleRetried) {
            staleRetried = true;
            this.#log.info('retrying request on a fresh connection', { id, method, url, attempt, code });
            continue;
          }
          if (retries >= maxRetries) throw withAttempts(error, attempt, 'maxRetries is 0');
          error = withAttempts(error, attempt);
          lastError = error;
          const delay = backoffDelay(retries, this.#random);
          this.#log.info('retrying request', { id, method, url, attempt, reason: code ?? error.name, delayMs: delay });
          release?.();
          await this.#wait(delay, target, signal, deadlineAt, () => deadline(error));
          retries++;
          continue;
        }

        const { response, text, bytes } = outcome;
        const json = responseType === 'json' || !response.ok ? parseJson(text) : undefined;
        const failure = this.#serviceError(response, text, json, method, url);
        const status = failure?.status ?? response.status;
        if (this.#logging) {
          const requestId = this.#requestId(response.headers);
          this.#log.debug('http request', { id, requestId, method, url, status, durationMs, attempt });
        }
        if (failure === undefined) {
          // Looking up the request-id headers costs about 5 % of a local GET: on success it is
          // done on first read of `requestId` (same value, computed once).
          const requestIdOf = once(() => this.#requestId(response.headers));
          const context = {
            method,
            url,
            get requestId() {
              return requestIdOf();
            },
          };
          const data = this.#readData<T>(request, response, text, bytes, json, context);
          const result = { data, status: response.status, headers: response.headers, attempts: attempt };
          Object.defineProperty(result, 'requestId', { get: requestIdOf, enumerable: true, configurable: true });
          return result as TransportResponse<T>;
        }
        const requestId = this.#requestId(response.headers);

        const now = this.#now();
        const retryAfterMs = retryAfterFromHeaders(response.headers, now, status);
        const secrets = secretStrings(headers);
        const error = ApiError.generate({
          status,
          // HTTP/2 has no reason phrase: fall back to the standard one.
          statusText:
            failure.status === undefined || failure.status === response.status
              ? response.statusText || STATUS_CODES[status]
              : STATUS_CODES[status],
          method,
          url,
          code: maskSecrets(failure.code, secrets),
          detail: maskSecrets(failure.message, secrets),
          hint: failure.hint,
          requestId,
          body: maskSecrets(text, secrets),
          retryAfterMs,
        });
        lastError = error;
        const canRetry = idempotent && isRetryableStatus(status) && retries < maxRetries;
        if (status === 429) {
          // Hold the whole host, not only this request, until the service's wait is over. The
          // wait carries jitter so that many clients (and many waiting requests) do not return
          // at the same instant; it never exceeds the cap a Retry-After at the cap would wait.
          const wait =
            retryAfterMs === undefined
              ? Math.max(this.#rateLimitFloorMs * (1 + this.#random() * 0.25), backoffDelay(retries, this.#random))
              : this.#jitter(retryAfterMs);
          this.#limiter.hold(key(), now + Math.min(wait, MAX_HOLD_MS));
          this.#log.warn('rate limited (429): holding requests to this host', {
            id,
            requestId,
            method,
            url,
            attempt,
            retryAfterMs,
            holdMs: Math.round(Math.min(wait, MAX_HOLD_MS)),
          });
          if (!canRetry || (retryAfterMs !== undefined && retryAfterMs > this.#maxRetryAfterMs)) throw error;
          if (now + wait > deadlineAt) throw deadline(error);
          this.#log.info('retrying request', {
            id,
            requestId,
            method,
            url,
            attempt,
            status,
            delayMs: Math.round(wait),
          });
          retries++;
          // The retry waits for the hold in admission, behind requests that were already waiting.
          continue;
        }
        if (!canRetry) throw error;
        let delay: number;
        if (retryAfterMs !== undefined) {
          if (retryAfterMs > this.#maxRetryAfterMs) throw error;
          delay = this.#jitter(retryAfterMs);
        } else delay = backoffDelay(retries, this.#random);
        this.#log.info('retrying request', { id, requestId, method, url, attempt, status, delayMs: delay });
        release?.();
        await this.#wait(delay, target, signal, deadlineAt, () => deadline(error));
        retries++;
      } finally {
        release?.();
      }
    }
  }

  /**
   * Closes the transport: destroys the undici `Agent` it owns (in-flight requests fail with
   * {@link ConnectionError}); a dispatcher passed in `options.dispatcher` is left open. Later
   * requests throw {@link ConnectionError} with code `TRANSPORT_CLOSED`.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const agent =
      this.#ownedAgent ?? (this.#agentPromise ? await this.#agentPromise.catch(() => undefined) : undefined);
    this.#ownedAgent = undefined;
    this.#agentPromise = undefined;
    if (agent) await agent.destroy();
  }

  /** Values of `secretHeaders` become {@link SecretValue}s, so they print as `[REDACTED]`. */
  #protectSecretHeaders(headers: Record<string, HeaderValue>): void {
    for (const name of this.#secretHeaders) {
      const v = headers[name];
      if (typeof v === 'string') headers[name] = new SecretValue(v);
    }
  }

  /**
   * A wait of `ms` that carries up to 10 % (at most 1 s) extra jitter, without ever passing
   * `maxRetryAfterMs` because of the jitter: a `Retry-After` exactly at the cap still waits.
   */
  #jitter(ms: number): number {
    const extra = this.#random() * Math.min(ms * 0.1, 1_000);
    return Math.round(ms + Math.min(extra, Math.max(0, this.#maxRetryAfterMs - ms)));
  }

  /** A backoff wait: abortable, and refused at once when it would end after the deadline. */
  async #wait(
    ms: number,
    target: RequestTarget,
    signal: AbortSignal | undefined,
    deadlineAt: number,
    deadline: () => TimeoutError,
  ): Promise<void> {
    if (this.#now() + ms >= deadlineAt) throw deadline();
    try {
      await this.#sleep(ms, signal);
    } catch (error) {
      if (signal?.aborted) throw abortError(target, signal);
      throw error;
    }
    if (signal?.aborted) throw abortError(target, signal);
  }

  /** One attempt: fetch (following redirects) and read the body under one timeout, with the caller's signal linked. */
  async #attempt(
    exchange: Exchange,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    retryHeader: [string, number] | undefined,
  ): Promise<Outcome> {
    const wire = wireHeaders(exchange.headers, retryHeader);
    // Nothing can abort this attempt (no caller signal, no timeout): skip the AbortController,
    // whose signal costs Node 20's fetch a listener and a FinalizationRegistry entry.
    if (!signal && timeoutMs > MAX_TIMER_MS) return this.#send(exchange, wire, undefined);
    const controller = new AbortController();
    let timedOut = false;
    // Beyond 2³¹−1 ms setTimeout fires at once (Node clamps it to 1 ms): treat as no timeout.
    const timer =
      timeoutMs <= MAX_TIMER_MS
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    // One shared listener per caller signal (internal/abort.ts), removed in `finally`: any
    // number of concurrent requests on one long-lived signal add no listeners and leave none.
    const unsubscribe = onAbort(signal, () => controller.abort());
    try {
      const outcome = await this.#send(exchange, wire, controller.signal);
      if (outcome.ok) return outcome;
      const { target } = exchange;
      if (signal?.aborted) return { ok: false, error: abortError(target, signal), beforeResponse: false };
      if (timedOut) return { ok: false, error: new TimeoutError(target, timeoutMs), beforeResponse: false };
      return outcome;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe();
    }
  }

  /**
   * Calls fetch with `redirect: 'manual'`, follows redirects itself, and reads the body
   * within its byte limit; any failure becomes a typed error.
   */
  async #send(exchange: Exchange, wire: Record<string, string>, signal: AbortSignal | undefined): Promise<Outcome> {
    const { target, encoded, responseType } = exchange;
    let beforeResponse = true;
    try {
      const option = this.#dispatcherOption;
      const dispatcher =
        option === false ? undefined : (option ?? this.#ownedAgent ?? (await this.#dispatcher(target)));
      // Looked up at call time so that msw's patched global fetch is the one used.
      const fetchImpl = this.#fetch ?? globalThis.fetch;
      let url = exchange.url;
      let method: string = exchange.method;
      let body = encoded.body;
      let headers = wire;
      let response: Response;
      for (let hop = 0; ; hop++) {
        const init: FetchInit = { method, headers, body, redirect: 'manual', signal };
        if (dispatcher) init.dispatcher = dispatcher;
        if (encoded.oneShot && body !== undefined) init.duplex = 'half';
        response = await fetchImpl(url, init);
        if (!REDIRECT_STATUSES.has(response.status)) break;
        const location = response.headers.get('location');
        if (location === null) break; // fetch hands such a response back as it is
        response.body?.cancel().catch(() => undefined);
        const status = response.status;
        if (hop >= this.#maxRedirects) {
          throw new RedirectError(target, {
            status,
            location,
            reason: 'too-many-redirects',
            maxRedirects: this.#maxRedirects,
          });
        }
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new RedirectError(target, { status, location, reason: 'invalid-location' });
        }
        if (next.protocol !== 'https:' && next.protocol !== 'http:') {
          throw new RedirectError(target, { status, location: next.href, reason: 'invalid-location' });
        }
        const crossOrigin = next.origin !== new URL(url).origin;
        // Fetch §4.4: 303 (except HEAD), and 301/302 after a POST, become a GET without a body.
        const toGet =
          (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
        if (toGet) {
          method = 'GET';
          if (body !== undefined) {
            body = undefined;
            headers = { ...headers };
            for (const h of BODY_HEADERS) delete headers[h];
          }
        } else if (body !== undefined) {
          if (crossOrigin)
            throw new RedirectError(target, { status, location: next.href, reason: 'cross-origin-body' });
          if (encoded.oneShot) throw new RedirectError(target, { status, location: next.href, reason: 'stream-body' });
        }
        if (crossOrigin) headers = this.#stripCredentials(headers, exchange.headers);
        this.#log.debug('following redirect', { method: target.method, status, from: url, to: next.href, crossOrigin });
        url = next.href;
      }
      beforeResponse = false;
      return await this.#readBody(response, exchange, responseType);
    } catch (error) {
      if (error instanceof SchoolMdmError) return { ok: false, error, beforeResponse };
      if (beforeResponse && !URL.canParse(exchange.url))
        return { ok: false, error: invalidUrl(exchange.url), beforeResponse };
      return { ok: false, error: classifyFetchError(error, target), beforeResponse };
    }
  }

  /** Headers without any credential (for a hop to another origin). */
  #stripCredentials(wire: Record<string, string>, source: Record<string, HeaderValue>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name in wire) {
      const value = source[name] ?? (wire[name] as string);
      if (!isCredentialHeader(name, value, this.#secretHeaders)) out[name] = wire[name] as string;
    }
    return out;
  }

  /**
   * Reads the body: successes up to `maxResponseBytes` (else {@link ResponseTooLargeError}),
   * failures up to {@link MAX_ERROR_BODY_BYTES} (the rest is cancelled, never downloaded: an
   * error keeps only a short excerpt).
   */
  async #readBody(response: Response, exchange: Exchange, responseType: ResponseType): Promise<Outcome> {
    const ok = response.ok;
    if (ok && responseType === 'none') {
      // Not awaited: cancelling one branch of a tee'd body settles only when both are cancelled.
      response.body?.cancel().catch(() => undefined);
      return { ok: true, response, text: '', bytes: undefined };
    }
    const limit = ok ? exchange.maxResponseBytes : MAX_ERROR_BODY_BYTES;
    if (limit === Number.POSITIVE_INFINITY) {
      if (responseType === 'bytes')
        return { ok: true, response, text: '', bytes: new Uint8Array(await response.arrayBuffer()) };
      return { ok: true, response, text: await response.text(), bytes: undefined };
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (ok && declared > limit) {
      response.body?.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(exchange.target, { maxBytes: limit, declaredBytes: declared });
    }
    const { bytes, truncated } = await readUpTo(response, limit);
    if (truncated && ok) throw new ResponseTooLargeError(exchange.target, { maxBytes: limit });
    if (ok && responseType === 'bytes') return { ok: true, response, text: '', bytes };
    return { ok: true, response, text: new TextDecoder().decode(bytes), bytes: undefined };
  }
  /** The dispatcher for `fetch`: the caller's, none, or the owned keep-alive Agent (created once). */
  async #dispatcher(target: RequestTarget): Promise<Dispatcher | undefined> {
    const option = this.#dispatcherOption;
    if (option === false) return undefined;
    if (option !== undefined) return option;
    this.#agentPromise ??= import('undici').then(({ Agent }) => new Agent(this.#agentOptions));
    const agent = await this.#agentPromise;
    if (this.#closed) {
      await agent.destroy();
      throw new ConnectionError(target, { code: 'TRANSPORT_CLOSED', reason: 'the transport was closed' });
    }
    this.#ownedAgent = agent;
    return agent;
  }

  #requestId(headers: Headers): string | undefined {
    for (const name of this.#requestIdHeaders) {
      const v = headers.get(name);
      if (v) return v;
    }
    return undefined;
  }

  /** `undefined` for a success; the failure's code/message/status otherwise (2xx bodies included). */
  #serviceError(
    response: Response,
    text: string,
    json: unknown,
    method: string,
    url: string,
  ): ServiceErrorInfo | undefined {
    if (response.ok && !this.#parseErrorBody) return undefined;
    const body = json === undefined || json === INVALID_JSON ? text : json;
    const context = { status: response.status, headers: response.headers, body, text, method, url };
    let custom: ServiceErrorInfo | undefined;
    if (this.#parseErrorBody) {
      try {
        custom = this.#parseErrorBody(context);
      } catch (error) {
        throw new SchoolMdmError(`The parseErrorBody hook threw while reading the response of ${method}`, {
          cause: sanitizeCause(error),
          hint: 'Fix the client’s parseErrorBody: it must return undefined or { code, message, status } and never throw.',
        });
      }
    }
    if (response.ok) return custom;
    return custom ?? defaultErrorBodyParser(context) ?? {};
  }

  #readData<T>(
    request: TransportRequest<T>,
    response: Response,
    text: string,
    bytes: Uint8Array | undefined,
    json: unknown,
    context: { method: string; url: string; requestId: string | undefined },
  ): T {
    const responseType = request.responseType ?? 'json';
    if (responseType === 'bytes') return bytes as T;
    if (responseType === 'text') return text as T;
    if (responseType === 'none') return undefined as T;
    const validation = request.validation ?? this.#validation;
    if (json !== INVALID_JSON && (!request.schema || validation === 'off')) return json as T;
    const where = { ...context, status: response.status, what: request.what };
    if (json === INVALID_JSON) {
      if (validation === 'off') return text as T;
      throw new ResponseValidationError([{ path: '', code: 'invalid_json', message: 'the body is not valid JSON' }], {
        ...where,
        excerpt: text,
      });
    }
    if (!request.schema || validation === 'off') return json as T;
    const result = request.schema.safeParse(json);
    if (result.success) return result.data;
    const error = toValidationError(result.error, json, where);
    if (validation === 'warn') {
      this.#log.warn('response does not match its schema; continuing unchecked', {
        method: context.method,
        url: context.url,
        requestId: context.requestId,
        issues: error.issues.map((i) => `${i.path || '(root)'}: ${i.message}`),
      });
      return json as T;
    }
    throw error;
  }
}

const INVALID_JSON: unique symbol = Symbol('invalid JSON');
const MAX_TIMER_MS = 2_147_483_647;

/** Parses JSON text; `undefined` for an empty body, {@link INVALID_JSON} when it is not JSON. */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

/** A function that computes `fn()` on first call and returns that value ever after. */
function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}

function invalidUrl(url: string): InvalidArgumentError {
  return new InvalidArgumentError('path', `"${url}" is not a valid URL`);
}

function abortError(target: RequestTarget, signal: AbortSignal): AbortError {
  return new AbortError(target, { cause: sanitizeCause(signal.reason) });
}

function checkMs(name: string, value: number, allowInfinity: boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new InvalidArgumentError(name, `expected a number of milliseconds ≥ 0, got ${String(value)}`);
  }
  return value;
}

function checkTimeout(name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new InvalidArgumentError(name, `expected a number of milliseconds > 0 (or Infinity), got ${String(value)}`);
  }
  return value;
}

function checkBytes(name: string, value: number | undefined): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new InvalidArgumentError(name, `expected a number of bytes > 0 (or Infinity), got ${String(value)}`);
  }
  return value;
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(name, `expected an integer ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** The headers as sent: every {@link SecretValue} revealed, plus the retry counter. */
function wireHeaders(
  headers: Record<string, HeaderValue>,
  retryHeader: [string, number] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const v = headers[name] as HeaderValue;
    out[name] = typeof v === 'string' ? v : v.reveal();
  }
  if (retryHeader) out[retryHeader[0]] = String(retryHeader[1]);
  return out;
}

/** The raw secrets of a request's headers, to mask if a service echoes them in an error body. */
function secretStrings(headers: Record<string, HeaderValue>): string[] {
  const out: string[] = [];
  for (const name in headers) {
    const v = headers[name];
    if (isSecretValue(v)) {
      const raw = v.reveal();
      // The credential of `Bearer abc…` is what a service would echo.
      const bare = raw.replace(/^(?:Bearer|Basic|Token)\s+/i, '');
      for (const s of new Set([raw, bare])) if (s.length >= 6) out.push(s);
    }
  }
  return out;
}

function maskSecrets<S extends string | undefined>(text: S, secrets: string[]): S {
  if (text === undefined || secrets.length === 0) return text;
  let out: string = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out as S;
}

/** A final connection error that says how many attempts were made (and why no more). */
function withAttempts(error: SchoolMdmError, attempts: number, notRetriedBecause?: string): SchoolMdmError {
  if (!(error instanceof ConnectionError) || error.code === 'TRANSPORT_CLOSED') return error;
  return new ConnectionError(
    { method: error.method, url: error.url },
    {
      code: error.code,
      reason: error.reason,
      attempts,
      notRetriedBecause: attempts === 1 ? notRetriedBecause : undefined,
    },
    { cause: error.cause },
  );
}

/** Reads at most `limit` bytes of a body, cancelling the rest. */
async function readUpTo(response: Response, limit: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const body = response.body;
  if (!body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (total + value.byteLength > limit) {
        chunks.push(value.subarray(0, limit - total));
        total = limit;
        truncated = true;
        break;
      }
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    if (truncated) reader.cancel().catch(() => undefined);
    else reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { bytes, truncated };
}
