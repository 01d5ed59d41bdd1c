/**
 * The shared HTTP transport of every schoolmdm API client: global `fetch` over a keep-alive
 * undici `Agent`, per-attempt timeouts, abort without listener leaks, retries with backoff
 * and `Retry-After`, host holds after 429, client-side rate limits, typed redacted errors,
 * structured redacted logging and zod validation.
 */
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { ApiError, RateLimitError } from '../errors/api-error.js';
import { SchoolMdmError } from '../errors/base.js';
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { AbortError, ConnectionError, type RequestTarget, TimeoutError } from '../errors/transport-errors.js';
import { ResponseValidationError } from '../errors/validation-error.js';
import { sanitizeCause } from '../internal/sanitize.js';
import { defaultSleep, type Sleep } from '../internal/sleep.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { HostHolds } from '../rate-limit/host-hold.js';
import { RateLimiter, type Release } from '../rate-limit/limiter.js';
import type { HttpMethod } from '../rate-limit/types.js';
import { toValidationError, type ValidationMode } from '../validation/parse-response.js';
import { VERSION } from '../version.js';
import { encodeBody } from './body.js';
import { classifyFetchError } from './classify.js';
import { defaultErrorBodyParser, type ErrorBodyParser, type ServiceErrorInfo } from './error-body.js';
import { mergeHeaders } from './headers.js';
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

/** What one attempt produced: a response with its body read, or a typed error. */
type Outcome =
  | { ok: true; response: Response; text: string; bytes: Uint8Array | undefined }
  | { ok: false; error: SchoolMdmError };

/**
 * The HTTP transport. One instance per service client; it keeps the connection pool, the
 * rate-limit state and the holds after 429.
 *
 * Retries: requests that are safe to repeat (GET/HEAD/OPTIONS, or `idempotent: true`) are
 * retried up to `maxRetries` times on 408, 429, 5xx, connection errors and timeouts, after
 * `min(0.5 s·2ⁿ, 8 s)` minus up to 25 % jitter, or after the `Retry-After` the service sent
 * (up to `maxRetryAfterMs`; above it a `RateLimitError` with `retryAfterMs` is thrown). A
 * reset keep-alive socket is retried once more at once. Retries carry `x-retry-count`.
 *
 * After a 429 every request to the same host waits until the service's wait is over.
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
  readonly #headers: Record<string, string>;
  readonly #retryCountHeader: string | false;
  readonly #requestIdHeaders: readonly string[];
  readonly #parseErrorBody: ErrorBodyParser | undefined;
  readonly #validation: ValidationMode;
  readonly #limiter: RateLimiter | undefined;
  readonly #holds = new HostHolds();
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
    this.#timeoutMs = checkTimeout(options.timeoutMs ?? 60_000);
    this.#maxRetries = checkCount('maxRetries', options.maxRetries ?? 2);
    this.#maxRetryAfterMs = checkMs('maxRetryAfterMs', options.maxRetryAfterMs ?? 60_000, true);
    this.#rateLimitFloorMs = checkMs('rateLimitFloorMs', options.rateLimitFloorMs ?? 10_000, false);
    this.#headers = { accept: 'application/json', 'user-agent': options.userAgent ?? `schoolmdm/${VERSION}` };
    mergeHeaders(this.#headers, options.defaultHeaders);
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
    const limiter = new RateLimiter(options.rateLimit ?? {}, { now: this.#now, sleep: this.#sleep, log: this.#log });
    this.#limiter = limiter.active ? limiter : undefined;
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
   * Sends a request and returns the parsed response, or throws a typed error:
   * {@link ApiError} (and subclasses) for failure statuses, {@link RateLimitError} for 429
   * and rate-limit refusals, {@link ConnectionError}, {@link TimeoutError},
   * {@link AbortError}, {@link ResponseValidationError}, {@link InvalidArgumentError}.
   */
  async request<T = unknown>(
    request: TransportRequest<T>,
    options: RequestOptions = {},
  ): Promise<TransportResponse<T>> {
    const method = String(request.method).toUpperCase() as HttpMethod;
    const url = buildUrl(this.baseURL, request.path, request.query);
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(url);
    } catch {
      throw new InvalidArgumentError('path', `"${url}" is not a valid URL`);
    }
    const target: RequestTarget = { method, url };
    if (this.#closed) {
      throw new ConnectionError(
        target,
        { code: 'TRANSPORT_CLOSED', reason: 'the transport was closed' },
        {
          hint: 'Create a new Transport (or client) after close().',
        },
      );
    }
    const signal = options.signal;
    const timeoutMs = options.timeoutMs === undefined ? this.#timeoutMs : checkTimeout(options.timeoutMs);
    const maxRetries =
      options.maxRetries === undefined ? this.#maxRetries : checkCount('maxRetries', options.maxRetries);
    const encoded = encodeBody(request.body);
    const idempotent = !encoded.oneShot && (options.idempotent ?? request.idempotent ?? SAFE_METHODS.has(method));
    const headers: Record<string, string> = { ...this.#headers };
    if (encoded.json) headers['content-type'] = 'application/json';
    mergeHeaders(headers, request.headers, options.headers);
    const holdKey = this.#holdKey(parsedUrl, method);
    const responseType = request.responseType ?? 'json';
    const id = `req_${++this.#sequence}`;
    const init: FetchInit = { method, headers, body: encoded.body, redirect: 'follow' };
    if (encoded.oneShot) init.duplex = 'half';

    let retries = 0;
    let staleRetried = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortError(target, signal);
      if (this.#holds.active) await this.#waitForHold(holdKey, target, signal);
      let release: Release | undefined;
      if (this.#limiter) release = await this.#acquire(parsedUrl, target, signal);
      if (attempt > 1 && this.#retryCountHeader) {
        init.headers = { ...headers, [this.#retryCountHeader]: String(attempt - 1) };
      }
      const started = this.#now();
      let outcome: Outcome;
      try {
        outcome = await this.#attempt(url, init, timeoutMs, signal, target, responseType);
      } finally {
        release?.();
      }
      const durationMs = this.#now() - started;

      if (!outcome.ok) {
        const error = outcome.error;
        if (this.#logging) {
          this.#log.debug('http request failed', { id, method, url, error: error.name, attempt, durationMs });
        }
        if (error instanceof AbortError || error instanceof InvalidArgumentError || !idempotent) throw error;
        const code = error instanceof ConnectionError ? error.code : undefined;
        if (isStaleSocketCode(code) && !staleRetried) {
          // A pooled keep-alive socket the server had already closed: retry at once, outside the budget.
          staleRetried = true;
          this.#log.info('retrying request on a fresh connection', { id, method, url, attempt, code });
          continue;
        }
        if (retries >= maxRetries) throw error;
        const delay = backoffDelay(retries, this.#random);
        this.#log.info('retrying request', { id, method, url, attempt, reason: code ?? error.name, delayMs: delay });
        await this.#pause(delay, target, signal);
        retries++;
        continue;
      }

      const { response, text, bytes } = outcome;
      const requestId = this.#requestId(response.headers);
      const json = responseType === 'json' || !response.ok ? parseJson(text) : undefined;
      const failure = this.#serviceError(response, text, json, method, url);
      const status = failure?.status ?? response.status;
      if (this.#logging) {
        this.#log.debug('http request', { id, requestId, method, url, status, durationMs, attempt });
      }
      if (failure === undefined) {
        const data = this.#readData<T>(request, response, text, bytes, json, { method, url, requestId });
        return { data, status: response.status, headers: response.headers, requestId, attempts: attempt };
      }

      const now = this.#now();
      const retryAfterMs = retryAfterFromHeaders(response.headers, now);
      const error = ApiError.generate({
        status,
        // HTTP/2 has no reason phrase: fall back to the standard one.
        statusText:
          failure.status === undefined || failure.status === response.status
            ? response.statusText || STATUS_CODES[status]
            : STATUS_CODES[status],
        method,
        url,
        code: failure.code,
        detail: failure.message,
        hint: failure.hint,
        requestId,
        body: text,
        retryAfterMs,
      });
      let delay: number | undefined;
      if (status === 429) {
        // Hold the whole host, not only this request, until the service's wait is over.
        const wait = retryAfterMs ?? Math.max(this.#rateLimitFloorMs, backoffDelay(retries, this.#random));
        this.#holds.hold(holdKey, now + wait);
        this.#log.warn('rate limited (429): holding requests to this host', {
          id,
          requestId,
          method,
          url,
          attempt,
          retryAfterMs,
          holdMs: wait,
        });
        delay = wait;
      }
      if (!idempotent || !isRetryableStatus(status) || retries >= maxRetries) throw error;
      if (retryAfterMs !== undefined) {
        if (retryAfterMs > this.#maxRetryAfterMs) throw error;
        delay = retryAfterMs;
      }
      delay ??= backoffDelay(retries, this.#random);
      this.#log.info('retrying request', { id, requestId, method, url, attempt, status, delayMs: delay });
      await this.#pause(delay, target, signal);
      retries++;
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

  /** One attempt: fetch and read the body under one timeout, with the caller's signal linked. */
  async #attempt(
    url: string,
    init: FetchInit,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    target: RequestTarget,
    responseType: ResponseType,
  ): Promise<Outcome> {
    // Nothing can abort this attempt (no caller signal, no timeout): skip the AbortController,
    // whose signal costs Node 20's fetch a listener and a FinalizationRegistry entry.
    if (!signal && timeoutMs > MAX_TIMER_MS) {
      init.signal = undefined;
      return this.#send(url, init, target, responseType);
    }
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
    // One listener per attempt, removed in `finally`: a long-lived signal shared by thousands
    // of requests never accumulates listeners (anthropic-sdk tests/abort-listener-cleanup).
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      init.signal = controller.signal;
      const outcome = await this.#send(url, init, target, responseType);
      if (outcome.ok) return outcome;
      if (signal?.aborted) return { ok: false, error: abortError(target, signal) };
      if (timedOut) return { ok: false, error: new TimeoutError(target, timeoutMs) };
      return outcome;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Calls fetch and reads the body; any failure becomes a typed error. */
  async #send(url: string, init: FetchInit, target: RequestTarget, responseType: ResponseType): Promise<Outcome> {
    try {
      const option = this.#dispatcherOption;
      const dispatcher =
        option === false ? undefined : (option ?? this.#ownedAgent ?? (await this.#dispatcher(target)));
      if (dispatcher) init.dispatcher = dispatcher;
      // Looked up at call time so that msw's patched global fetch is the one used.
      const fetchImpl = this.#fetch ?? globalThis.fetch;
      const response = await fetchImpl(url, init);
      let text = '';
      let bytes: Uint8Array | undefined;
      if (responseType === 'bytes' && response.ok) bytes = new Uint8Array(await response.arrayBuffer());
      else if (responseType === 'none' && response.ok) {
        // Not awaited: cancelling one branch of a tee'd body settles only when both are cancelled.
        response.body?.cancel().catch(() => undefined);
      } else text = await response.text();
      return { ok: true, response, text, bytes };
    } catch (error) {
      if (error instanceof SchoolMdmError) return { ok: false, error };
      return { ok: false, error: classifyFetchError(error, target) };
    }
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

  /** Waits while `key` is held after a 429; refuses (RateLimitError) when the hold is beyond the cap. */
  async #waitForHold(key: string, target: RequestTarget, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const remaining = this.#holds.remaining(key, this.#now());
      if (remaining <= 0) return;
      if (remaining > this.#maxRetryAfterMs) {
        throw new RateLimitError({ ...target, status: 429, source: 'hold', retryAfterMs: remaining });
      }
      this.#log.info('waiting for a rate-limit hold', { method: target.method, url: target.url, waitMs: remaining });
      await this.#pause(remaining, target, signal);
    }
  }

  async #acquire(url: URL, target: RequestTarget, signal: AbortSignal | undefined): Promise<Release> {
    try {
      return await (this.#limiter as RateLimiter).acquire({ method: target.method, url }, signal);
    } catch (error) {
      if (signal?.aborted) throw abortError(target, signal);
      throw error;
    }
  }

  /** An abortable wait that turns the abort into {@link AbortError}. */
  async #pause(ms: number, target: RequestTarget, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.#sleep(ms, signal);
    } catch (error) {
      if (signal?.aborted) throw abortError(target, signal);
      throw error;
    }
    if (signal?.aborted) throw abortError(target, signal);
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

function abortError(target: RequestTarget, signal: AbortSignal): AbortError {
  return new AbortError(target, { cause: sanitizeCause(signal.reason) });
}

function checkMs(name: string, value: number, allowInfinity: boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new InvalidArgumentError(name, `expected a number of milliseconds ≥ 0, got ${String(value)}`);
  }
  return value;
}

function checkTimeout(value: number): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new InvalidArgumentError(
      'timeoutMs',
      `expected a number of milliseconds > 0 (or Infinity), got ${String(value)}`,
    );
  }
  return value;
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(name, `expected an integer ≥ 0, got ${String(value)}`);
  }
  return value;
}
