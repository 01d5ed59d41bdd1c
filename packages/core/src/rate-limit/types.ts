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
 * A limit for one class of requests: at most `requests` starts in any window of `perMs`
 * milliseconds — a true sliding window, the way a strict service counts. Every attempt
 * (retries included) counts, because the service counts every request it receives.
 *
 * Without `burst`, `{ requests: 15, perMs: 1_000 }` never lets a 16th request start within
 * 1 000 ms of the first of the last 15 (after an idle period 15 may go back to back, then the
 * 16th waits until the window slides). With an explicit `burst` the rule is a token bucket
 * instead: up to `burst` back to back, then one every `perMs / requests` ms; in a window of
 * `perMs` it lets through up to `requests + burst − 1`. `burst: 1` spaces requests evenly.
 *
 * @example
 * ```ts
 * // Apple School Manager API, as observed: ≈20 GET/min and ≈10 POST/h
 * // (neilmartin83/terraform-provider-axm README; Apple publishes no numbers).
 * const rules: RateLimitRule[] = [
 *   { name: 'asm-get', match: { method: 'GET' }, requests: 20, perMs: 60_000, burst: 1 },
 *   { name: 'asm-post', match: { method: 'POST' }, requests: 10, perMs: 3_600_000, burst: 1, maxWaitMs: 600_000 },
 * ];
 * // Apps and Books: 15 requests per second, never more in any second.
 * const vpp: RateLimitRule[] = [{ name: 'vpp', requests: 15, perMs: 1_000 }];
 * ```
 */
export interface RateLimitRule {
  /** Name shown in logs and errors, e.g. `"asm-get"`. */
  name: string;
  /** Requests the rule applies to. @defaultValue every request */
  match?: RequestMatcher;
  /** Requests allowed in any window of `perMs`. A positive whole number (any positive number with `burst`). */
  requests: number;
  /** Length of the period, in ms. Must be a positive number. */
  perMs: number;
  /**
   * Makes the rule a token bucket: requests that may go back to back after an idle period,
   * refilled at `requests / perMs`. @defaultValue none: a sliding window of `requests` per `perMs`
   */
  burst?: number;
  /**
   * Longest a request may wait for a token; a longer wait throws `RateLimitError` (source
   * `'client'`) instead of waiting. @defaultValue `Infinity`
   */
  maxWaitMs?: number;
}

/** Client-side rate limiting of a transport. */
export interface RateLimitOptions {
  /** Most requests in flight at once (waiting for a rule or a hold does not count). @defaultValue `Infinity` */
  maxConcurrency?: number;
  /** Limits per request class; a request counts against every rule that matches it. */
  rules?: readonly RateLimitRule[];
}
