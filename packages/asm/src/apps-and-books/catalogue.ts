/**
 * The Apps and Books error catalogue: what each `errorNumber` means, the HTTP status Apple
 * documents for it, and how to fix it. Apple can send any of these inside an HTTP 200 body
 * (fleetdm/fleet `server/mdm/apple/vpp/api.go`: "Apple returns 200 OK even if you pass an
 * invalid token"), so the client maps errors by number, not by status.
 *
 * @see https://developer.apple.com/documentation/devicemanagement/handling-error-responses
 */

/** One entry of {@link APPS_AND_BOOKS_ERRORS}. */
export interface AppsAndBooksErrorInfo {
  /** The HTTP status Apple documents for this error (it may still arrive with 200). */
  readonly status: number;
  /** Apple's meaning, in short. */
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string;
}

const RENEW =
  'Download a new content token in Apple School Manager (Settings → Apps and Books) and pass it to the client.';

/**
 * Known `errorNumber`s of the Apps and Books API v2 (synchronous ones, plus the asynchronous
 * ones that appear in event `failures[]`). 9622 is not in Apple's table but is what an invalid
 * token gets, with HTTP 200 (fleetdm/fleet `server/mdm/apple/vpp/api.go`; zentralopensource/zentral
 * `zentral/contrib/mdm/apps_books.py` reloads the token on it).
 */
export const APPS_AND_BOOKS_ERRORS: Readonly<Record<number, AppsAndBooksErrorInfo>> = Object.freeze({
  9601: { status: 401, message: 'Login required', hint: RENEW },
  9602: { status: 400, message: 'Invalid argument', hint: 'Check the identifiers and filters sent.' },
  9603: { status: 500, message: 'Internal error', hint: 'Apple failed; try again later.' },
  9609: { status: 400, message: 'Registered user not found' },
  9610: { status: 400, message: 'Registered user not found or not associated' },
  9621: { status: 401, message: 'The content token has expired', hint: RENEW },
  9622: { status: 401, message: 'Invalid authentication token', hint: RENEW },
  9623: { status: 400, message: 'Invalid APNs token' },
  9625: {
    status: 401,
    message: 'The content token was revoked',
    hint: `${RENEW} A token is revoked when a newer one is downloaded or the account that downloaded it changes its password.`,
  },
  9634: { status: 410, message: 'The service is no longer available' },
  9635: { status: 500, message: 'Asynchronous processing failed', hint: 'Try the operation again later.' },
  9637: { status: 403, message: 'Not allowed for facilitator accounts' },
  9641: { status: 500, message: 'Asynchronous request failed', hint: 'Try the operation again later.' },
  9644: { status: 503, message: 'The service is under maintenance', hint: 'Try again later.' },
  9646: {
    status: 429,
    message: 'Too many recent requests for this organization',
    hint: 'Lower the request rate (the client follows maxRequestPerSecond from service/config) and try again.',
  },
  9647: { status: 403, message: 'Not supported for legacy tokens', hint: RENEW },
  9650: {
    status: 400,
    message: 'Page index out of range',
    hint: 'The list shrank while it was read (totalPages changed); read it again.',
  },
  9700: { status: 400, message: 'Too many assets in one request', hint: 'Send at most maxAssets assets per call.' },
  9701: {
    status: 400,
    message: 'Too many client user ids in one request',
    hint: 'Send at most maxClientUserIds per call.',
  },
  9702: {
    status: 400,
    message: 'Too many serial numbers in one request',
    hint: 'Send at most maxSerialNumbers serial numbers per call.',
  },
  9703: { status: 400, message: 'Duplicate assets in the request' },
  9704: { status: 400, message: 'Duplicate client user ids in the request' },
  9705: { status: 400, message: 'Duplicate serial numbers in the request' },
  9706: { status: 400, message: 'The asset is not revocable' },
  9707: {
    status: 400,
    message: 'The asset cannot be assigned to devices',
    hint: 'Assign it to users instead, or buy a device-assignable licence.',
  },
  9708: { status: 400, message: 'Event id not found', hint: 'Check the eventId returned by associate/disassociate.' },
  9709: {
    status: 400,
    message: 'Not enough licences',
    hint: 'Buy more licences in Apple School Manager, or free some (disassociate) before assigning.',
  },
  9716: { status: 500, message: 'Asynchronous operation failed', hint: 'Try the operation again later.' },
  9722: {
    status: 401,
    message: 'Invalid Authorization header',
    hint: 'Send "Authorization: Bearer <content token>" with the whole token file.',
  },
  9726: { status: 405, message: 'Wrong HTTP method for this endpoint' },
  9727: { status: 415, message: 'Wrong Content-Type', hint: 'Send JSON with content-type: application/json.' },
  9729: { status: 503, message: 'Temporarily unavailable', hint: 'Try again later.' },
});

/** The status Apple documents for `errorNumber`, or 400 for an unknown number. */
export function statusForErrorNumber(errorNumber: number): number {
  return APPS_AND_BOOKS_ERRORS[errorNumber]?.status ?? 400;
}
