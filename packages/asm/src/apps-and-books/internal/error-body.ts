/**
 * The transport's `parseErrorBody` hook for Apps and Books: Apple reports errors as
 * `{ errorNumber, errorMessage }`, **also inside HTTP 200 bodies** (an invalid token answers
 * `200 {"errorNumber":9622,…}`; fleetdm/fleet `server/mdm/apple/vpp/api.go`), so every body is
 * checked. A 2xx error gets the status Apple documents for its number, so that the transport
 * retries what is retryable: 9646 becomes 429 (host hold, backoff, retry), 9603 500, 9729 503.
 */
import type { ErrorBodyContext, ServiceErrorInfo } from '@schoolmdm/core';
import { APPS_AND_BOOKS_ERRORS, statusForErrorNumber } from '../catalogue.js';

/** Reads `errorNumber` (a number, or digits in a string) out of any response body. */
export function parseAppsAndBooksErrorBody(context: ErrorBodyContext): ServiceErrorInfo | undefined {
  const body = context.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const raw = (body as { errorNumber?: unknown }).errorNumber;
  const errorNumber =
    typeof raw === 'number' && Number.isInteger(raw)
      ? raw
      : typeof raw === 'string' && /^\d{1,6}$/.test(raw)
        ? Number(raw)
        : undefined;
  if (errorNumber === undefined) return undefined;
  const message = (body as { errorMessage?: unknown }).errorMessage;
  const known = APPS_AND_BOOKS_ERRORS[errorNumber];
  const ok = context.status >= 200 && context.status < 300;
  return {
    code: String(errorNumber),
    message: typeof message === 'string' && message !== '' ? message : known?.message,
    hint: known?.hint,
    // 9646 is a rate limit whatever the status it came with: let the transport hold and retry it.
    status: ok || errorNumber === 9646 ? statusForErrorNumber(errorNumber) : undefined,
  };
}
