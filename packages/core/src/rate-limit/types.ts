/** The shapes clients use to configure client-side rate limiting. */

/** HTTP methods the transport sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** What a rate-limit rule sees of a request. */
export interface RateLimitRequestInfo {
  /** HTTP method, upper case. */
  method: string;
  /** Full request URL. */
  url: URL;
}

/**
 * Which requests a rule applies to: a declarative match (every given field must match) or a
 * predicate.
 */
export type RequestMatcher =
  | {
      /** One method or a list of methods. */
      method?: HttpMethod | readonly HttpMethod[];
      /** Exact host (`url.host`, with port when not default). */
      host?: string;
      /** A path prefix (string) or a pattern tested against `url.pathname`. */
      path?: string | RegExp;
    }
  | ((request: RateLimitRequestInfo) => boolean);

/**
 * A token bucket for one class of requests: at most `requests` per `perMs`, with bursts of
 * up to `burst`. Every attempt (retries included) takes a token, because the service counts
 * every request it receives.
 *
 * In any window of `perMs`, a bucket lets through at most `burst + requests` requests. For a
 * service with a strict sliding window, set `burst` to 1: requests are then evenly spaced.
 *
 * @example
 * ```ts
 * // Apple School Manager API, as observed: ≈20 GET/min and ≈10 POST/h (asm.md §2.8).
 * const rules: RateLimitRule[] = [
 *   { name: 'asm-get', match: { method: 'GET' }, requests: 20, perMs: 60_000, burst: 1 },
 *   { name: 'asm-post', match: { method: 'POST' }, requests: 10, perMs: 3_600_000, burst: 1, maxWaitMs: 600_000 },
 * ];
 * // Apps and Books: 15 requests per second.
 * const vpp: RateLimitRule[] = [{ name: 'vpp', requests: 15, perMs: 1_000 }];
 * ```
 */
export interface RateLimitRule {
  /** Name shown in logs and errors, e.g. `"asm-get"`. */
  name: string;
  /** Requests the rule applies to. @defaultValue every request */
  match?: RequestMatcher;
  /** Requests allowed per `perMs`. Must be a positive number. */
  requests: number;
  /** Length of the period, in ms. Must be a positive number. */
  perMs: number;
  /** Requests that may go back to back after an idle period. @defaultValue `requests` */
  burst?: number;
  /**
   * Longest a request may wait for a token; a longer wait throws `RateLimitError` (source
   * `'client'`) instead of waiting. @defaultValue `Infinity`
   */
  maxWaitMs?: number;
}

/** Client-side rate limiting of a transport. */
export interface RateLimitOptions {
  /** Most requests in flight at once (waiting for a token does not count). @defaultValue `Infinity` */
  maxConcurrency?: number;
  /** Token buckets per request class; a request takes a token from every rule that matches it. */
  rules?: readonly RateLimitRule[];
}
