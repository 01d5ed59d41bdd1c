/**
 * Strict parser for the date-times Apple writes in tokens. Not part of the public API.
 *
 * The content token's `expDate` is ISO 8601 with a colon-less offset (`2030-11-08T22:33:22+0000`,
 * Apple's example; Fleet parses it with Go layout `2006-01-02T15:04:05Z0700`); simulators write
 * `+02:00`; the server token's `access_token_expiry` is RFC 3339 UTC (`2026-01-17T11:02:21Z`).
 * ECMAScript does not promise that `Date.parse` accepts `+0000`, so we parse by hand.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3339#section-5.6
 */

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * Parses `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z`, `±HH:MM`, `±HHMM` or `±HH`.
 * Returns undefined for anything else, including impossible dates such as February 30.
 */
export function parseAppleDate(value: string): Date | undefined {
  const m = DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const offsetHours = m[10] === undefined ? 0 : Number(m[10]);
  const offsetMinutes = m[11] === undefined ? 0 : Number(m[11]);
  // Date.UTC maps years 0–99 to 1900–1999; no token date is that old, so refuse rather than misread.
  if (year < 100) return undefined;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 2025-02-30 over to March; reject instead.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  const offset = m[8] ? 0 : sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(utc - offset);
}
