/**
 * Reads how long a service asks the client to wait, from `retry-after-ms`, `Retry-After`
 * (delta-seconds or an HTTP-date, RFC 9110 §10.2.3), and — for a 429 only — the rate-limit
 * reset headers some services send instead.
 *
 * Parsing is strict: `Retry-After` is either `1*DIGIT` or one of the three HTTP-date forms of
 * RFC 9110 §5.6.7 (IMF-fixdate, obsolete RFC 850, asctime). Anything else ("a 2099", "May 5",
 * "1.5", "-5") is treated as absent, so a malformed header can neither block a host for years
 * nor trigger an immediate retry. Huge values are returned as they are; the transport refuses
 * to wait beyond `maxRetryAfterMs` and never holds a host longer than a day.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7
 */

const DIGITS = /^\d+$/;
/** `retry-after-ms` is not standard; openai-node and others send fractional milliseconds. */
const DECIMAL = /^\d+(?:\.\d+)?$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** `Sun Nov  6 08:49:37 1994` */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7) into ms since the epoch; `undefined` for anything else.
 *
 * @param now - Used for the two-digit years of RFC 850 dates. @defaultValue `Date.now()`
 */
export function parseHttpDate(value: string, now: number = Date.now()): number | undefined {
  let day: string;
  let month: string;
  let year: number;
  let hh: string;
  let mm: string;
  let ss: string;
  let m = IMF_FIXDATE.exec(value);
  if (m) {
    [, day, month, , hh, mm, ss] = m as unknown as string[] as [string, string, string, string, string, string, string];
    year = Number(m[3]);
  } else if ((m = RFC850.exec(value))) {
    [, day, month, , hh, mm, ss] = m as unknown as string[] as [string, string, string, string, string, string, string];
    // RFC 9110: a two-digit year more than 50 years in the future means the past century.
    const current = new Date(now).getUTCFullYear();
    year = 2000 + Number(m[3]);
    while (year > current + 50) year -= 100;
  } else if ((m = ASCTIME.exec(value))) {
    month = m[1] as string;
    day = (m[2] as string).trim();
    hh = m[3] as string;
    mm = m[4] as string;
    ss = m[5] as string;
    year = Number(m[6]);
  } else return undefined;
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  const d = Number(day);
  const h = Number(hh);
  const min = Number(mm);
  const s = Number(ss);
  if (d < 1 || d > 31 || h > 23 || min > 59 || s > 60) return undefined;
  const at = Date.UTC(year, monthIndex, d, h, min, Math.min(s, 59));
  // Reject 31 Feb and the like: Date.UTC would roll them into the next month.
  if (new Date(at).getUTCDate() !== d) return undefined;
  return at;
}

/**
 * Parses one `Retry-After` value: delta-seconds (`"120"`) or an HTTP-date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`). Returns milliseconds from `now` (0 for a date in the
 * past), or `undefined` for a missing or malformed value.
 *
 * @param now - Current time in ms since the epoch. @defaultValue `Date.now()`
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (DIGITS.test(v)) return Number(v) * 1000;
  const at = parseHttpDate(v, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/**
 * The wait a response asks for, in milliseconds, from (first found): `retry-after-ms`,
 * `Retry-After`, and — only when `status` is 429 (or omitted) — `ratelimit-reset`
 * (delta-seconds, IETF draft) and `x-ratelimit-reset` (epoch seconds when larger than 10⁹,
 * delta-seconds otherwise). Reset headers describe the rate-limit window, not an outage, so
 * they never change how a 5xx is retried. `undefined` when nothing readable is present.
 */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now(), status?: number): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms !== undefined && DECIMAL.test(ms)) return Math.round(Number(ms));
  const ra = parseRetryAfter(headers.get('retry-after'), now);
  if (ra !== undefined) return ra;
  if (status !== undefined && status !== 429) return undefined;
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset !== undefined && DIGITS.test(reset)) return Number(reset) * 1000;
  const xReset = headers.get('x-ratelimit-reset')?.trim();
  if (xReset !== undefined && DIGITS.test(xReset)) {
    const n = Number(xReset);
    return n > 1e9 ? Math.max(0, n * 1000 - now) : n * 1000;
  }
  return undefined;
}
