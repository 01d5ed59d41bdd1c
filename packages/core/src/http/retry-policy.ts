/**
 * When a request is retried and how long to wait. Kept apart from the transport loop so the
 * rules read as a list.
 *
 * @see https://github.com/openai/openai-node/blob/master/src/client.ts (shouldRetry, backoff)
 */

/** Methods that are safe to repeat without the caller saying so (RFC 9110 §9.2.1 safe methods). */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for the statuses that are worth retrying: 408, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Codes of errors that mean "the pooled keep-alive socket was already dead": retried once at
 * once for requests that are safe to repeat, outside the retry budget.
 *
 * @see https://github.com/nodejs/undici/issues/3492
 * @see https://github.com/stripe/stripe-node/issues/1040
 */
const STALE_SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** True when a connection error code means a dead keep-alive socket. */
export function isStaleSocketCode(code: string | undefined): boolean {
  return code !== undefined && STALE_SOCKET_CODES.has(code);
}

/** First retry waits about this long; each further retry doubles it. */
export const INITIAL_RETRY_DELAY_MS = 500;
/** No backoff step waits longer than this. */
export const MAX_RETRY_DELAY_MS = 8_000;

/**
 * Exponential backoff with jitter: `min(0.5 s · 2ⁿ, 8 s)`, reduced by up to 25 % at random so
 * that many clients do not retry in lock-step. `retryIndex` is 0 for the first retry.
 *
 * @param random - Source of randomness in [0, 1). @defaultValue `Math.random`
 */
export function backoffDelay(retryIndex: number, random: () => number = Math.random): number {
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retryIndex, MAX_RETRY_DELAY_MS);
  return Math.round(base * (1 - random() * 0.25));
}
