/**
 * Errors of the Apps and Books client. Every error the service reports carries its
 * `errorNumber`, whatever the HTTP status it came with (Apple sends some with 200), and is an
 * `ApiError` of `@schoolmdm/core`, so `catch (e) { if (e instanceof ApiError) … }` covers them.
 * No message, field or excerpt ever holds the content token: messages name the organisation and
 * the expiry date only.
 */
import { ApiError, type ApiErrorInit, RateLimitError, redact, SchoolMdmError, setErrorName } from '@schoolmdm/core';
import { APPS_AND_BOOKS_ERRORS } from './catalogue.js';

/** What an {@link AppsAndBooksError} is built from. */
export interface AppsAndBooksErrorInit extends ApiErrorInit {
  /** Apple's `errorNumber`, e.g. 9621. */
  errorNumber?: number;
}

/**
 * The Apps and Books API reported an error (`errorNumber` in the body, with any HTTP status,
 * 200 included). Subclasses name the errors a caller usually handles; the rest of the catalogue
 * ({@link APPS_AND_BOOKS_ERRORS}) arrives as this class with its number and message.
 *
 * @example
 * ```ts
 * try {
 *   for await (const asset of client.assets.list()) console.log(asset.adamId);
 * } catch (err) {
 *   if (err instanceof TokenExpiredError) console.error(`renew the token (expired ${err.expiresAt?.toISOString()})`);
 *   else if (err instanceof AppsAndBooksError) console.error(err.errorNumber, err.message);
 *   else throw err;
 * }
 * ```
 */
export class AppsAndBooksError extends ApiError {
  static {
    setErrorName(this, 'AppsAndBooksError');
  }

  /** Apple's `errorNumber` (e.g. 9646), when the body carried one. */
  readonly errorNumber: number | undefined;

  constructor(init: AppsAndBooksErrorInit) {
    const known = init.errorNumber === undefined ? undefined : APPS_AND_BOOKS_ERRORS[init.errorNumber];
    super({
      ...init,
      code: init.errorNumber === undefined ? init.code : String(init.errorNumber),
      detail: init.detail ?? known?.message,
      hint: init.hint ?? known?.hint,
    });
    this.errorNumber = init.errorNumber;
  }
}

/** Where a token error was found. */
export type TokenErrorSource =
  /** Apple answered with the error number. */
  | 'server'
  /** The client refused to send the request (the token's `expDate` is past). */
  | 'client';

/**
 * 9621: the content token has expired. Also thrown **before any request** when the token's own
 * expiry date is past (`source: 'client'`), so an expired token never reaches Apple.
 */
export class TokenExpiredError extends AppsAndBooksError {
  static {
    setErrorName(this, 'TokenExpiredError');
  }

  /** When the token expired, when known (from the token file or Apple's `tokenExpirationDate`). */
  readonly expiresAt: Date | undefined;
  /** Whether Apple reported it or the client refused to send. */
  readonly source: TokenErrorSource;

  constructor(init: AppsAndBooksErrorInit & { expiresAt?: Date; source?: TokenErrorSource; orgName?: string }) {
    super({ ...init, errorNumber: init.errorNumber ?? 9621 });
    this.expiresAt = init.expiresAt === undefined ? undefined : new Date(init.expiresAt.getTime());
    this.source = init.source ?? 'server';
    if (this.source === 'client') {
      const org = init.orgName ? ` of "${redact(init.orgName)}"` : '';
      const when = this.expiresAt ? ` on ${this.expiresAt.toISOString()}` : '';
      const target = init.url ? ` (${init.method} ${this.url})` : '';
      replaceMessage(this, `The content token${org} expired${when}: nothing was sent${target}`);
    }
  }
}

/** 9622: Apple does not recognise the token (Apple answers this with HTTP 200). */
export class InvalidTokenError extends AppsAndBooksError {
  static {
    setErrorName(this, 'InvalidTokenError');
  }
}

/** 9625: the content token was revoked (a newer one was downloaded, or the account's password changed). */
export class TokenRevokedError extends AppsAndBooksError {
  static {
    setErrorName(this, 'TokenRevokedError');
  }
}

/**
 * 9646: too many requests, and the transport's retries (with backoff) did not get through.
 * `retryAfterMs` is the wait Apple asked for, when it sent one.
 */
export class AppsAndBooksRateLimitError extends AppsAndBooksError {
  static {
    setErrorName(this, 'AppsAndBooksRateLimitError');
  }
}

/** 9709: not enough licences for the assignment. */
export class NotEnoughLicensesError extends AppsAndBooksError {
  static {
    setErrorName(this, 'NotEnoughLicensesError');
  }
}

/** 9650: the page index is out of range (the list shrank while it was read). */
export class PageOutOfRangeError extends AppsAndBooksError {
  static {
    setErrorName(this, 'PageOutOfRangeError');
  }
}

/**
 * A list changed while it was read: a later page carried another `versionId` than the first
 * (zentral aborts in this case too, `FetchedDataUpdatedError`). Reading on could skip or repeat
 * records, so the walk stops.
 */
export class ListChangedError extends SchoolMdmError {
  static {
    setErrorName(this, 'ListChangedError');
  }

  /** The endpoint, e.g. `"assignments"`. */
  readonly resource: string;
  /** 0-based index of the page where the change was seen. */
  readonly pageIndex: number;
  /** `versionId` of the first page. */
  readonly firstVersionId: string;
  /** `versionId` of the page that differed. */
  readonly versionId: string;

  constructor(resource: string, pageIndex: number, firstVersionId: string, versionId: string) {
    super(
      `The ${resource} list changed while it was read (versionId ${firstVersionId} → ${versionId} at page ${pageIndex})`,
      {
        hint: `Read it again; for assignments, read only the changes with sinceVersionId: "${firstVersionId}".`,
      },
    );
    this.resource = resource;
    this.pageIndex = pageIndex;
    this.firstVersionId = firstVersionId;
    this.versionId = versionId;
  }
}

/** `events.waitUntilDone` gave up before the event left `PENDING`. */
export class EventTimeoutError extends SchoolMdmError {
  static {
    setErrorName(this, 'EventTimeoutError');
  }

  /** The event waited for. */
  readonly eventId: string;
  /** How long it waited, in ms. */
  readonly timeoutMs: number;
  /** `numCompleted` of the last status read. */
  readonly numCompleted: number | undefined;
  /** `numRequested` of the last status read. */
  readonly numRequested: number | undefined;

  constructor(eventId: string, timeoutMs: number, last: { numCompleted?: number; numRequested?: number } | undefined) {
    const progress =
      last?.numRequested === undefined ? '' : ` (${last.numCompleted ?? 0} of ${last.numRequested} done)`;
    super(`Event ${redact(eventId)} was still PENDING after ${timeoutMs} ms${progress}`, {
      hint: 'Apple processes assignments asynchronously; wait longer (timeoutMs) or check events.get(eventId) later.',
    });
    this.eventId = eventId;
    this.timeoutMs = timeoutMs;
    this.numCompleted = last?.numCompleted;
    this.numRequested = last?.numRequested;
  }
}

/**
 * Turns a core `ApiError` whose code is an Apps and Books `errorNumber` into the matching
 * class above; anything else is returned unchanged.
 */
export function toAppsAndBooksError(error: unknown, context: { expiresAt?: Date } = {}): unknown {
  if (!(error instanceof ApiError) || error instanceof AppsAndBooksError) return error;
  const errorNumber = error.code !== undefined && /^\d{4}$/.test(error.code) ? Number(error.code) : undefined;
  if (errorNumber === undefined) return error;
  if (error instanceof RateLimitError && error.source !== 'server') return error;
  const init: AppsAndBooksErrorInit = {
    status: error.status,
    method: error.method,
    url: error.url,
    errorNumber,
    detail: messageFromExcerpt(error.bodyExcerpt),
    requestId: error.requestId,
    body: error.bodyExcerpt,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  };
  switch (errorNumber) {
    case 9621:
      return new TokenExpiredError({ ...init, expiresAt: context.expiresAt });
    case 9622:
      return new InvalidTokenError(init);
    case 9625:
      return new TokenRevokedError(init);
    case 9646:
      return new AppsAndBooksRateLimitError(init);
    case 9650:
      return new PageOutOfRangeError(init);
    case 9709:
      return new NotEnoughLicensesError(init);
    default:
      return new AppsAndBooksError(init);
  }
}

/** Apple's `errorMessage`, read back from the (already redacted) body excerpt. */
function messageFromExcerpt(excerpt: string | undefined): string | undefined {
  if (!excerpt) return undefined;
  try {
    const body = JSON.parse(excerpt) as { errorMessage?: unknown };
    return typeof body.errorMessage === 'string' && body.errorMessage !== '' ? body.errorMessage : undefined;
  } catch {
    const m = /"errorMessage"\s*:\s*"((?:[^"\\]|\\.){1,300})"/.exec(excerpt);
    return m?.[1];
  }
}

function replaceMessage(error: SchoolMdmError, message: string): void {
  Object.defineProperty(error, 'message', {
    value: error.hint ? `${message} — ${error.hint}` : message,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  if (error.stack) error.stack = `${error.name}: ${error.message}${error.stack.slice(error.stack.indexOf('\n'))}`;
}
