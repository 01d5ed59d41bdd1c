/**
 * Reads how long a service asks the client to wait, from `retry-after-ms`, `Retry-After`
 * (delta-seconds or an HTTP-date, RFC 9110 §10.2.3), and the rate-limit reset headers some
 * services send instead.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @see https://github.com/sindresorhus/ky/blob/main/source/core/retry-timing.ts
 */

const DELTA_SECONDS = /^\s*\d+(?:\.\d+)?\s*$/;

/**
 * Parses one `Retry-After` value: delta-seconds (`"120"`) or an HTTP-date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`). Returns milliseconds from `now` (0 for a date in the
 * past), or `undefined` for a missing or unreadable value.
 *
 * @param now - Current time in ms since the epoch. @defaultValue `Date.now()`
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (DELTA_SECONDS.test(value)) return Math.round(Number(value) * 1000);
  // Every HTTP-date form names the month; without letters `Date.parse` would read "-5" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The wait a response asks for, in milliseconds, from (first found): `retry-after-ms`,
 * `retry-after`, `ratelimit-reset` (delta-seconds, IETF draft), `x-ratelimit-reset`
 * (epoch seconds when larger than 10⁹, delta-seconds otherwise). `undefined` when none is
 * present and readable.
 */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && DELTA_SECONDS.test(ms)) return Math.round(Number(ms));
  const ra = parseRetryAfter(headers.get('retry-after'), now);
  if (ra !== undefined) return ra;
  const reset = headers.get('ratelimit-reset');
  if (reset !== null && DELTA_SECONDS.test(reset)) return Math.round(Number(reset) * 1000);
  const xReset = headers.get('x-ratelimit-reset');
  if (xReset !== null && DELTA_SECONDS.test(xReset)) {
    const n = Number(xReset);
    return n > 1e9 ? Math.max(0, Math.round(n * 1000 - now)) : Math.round(n * 1000);
  }
  return undefined;
}
