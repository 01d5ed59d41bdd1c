/** Public option and result shapes of the Apps and Books client. */
import type {
  FetchLike,
  Logger,
  LogLevel,
  RequestOptions,
  Sleep,
  TransportOptions,
  ValidationMode,
} from '@schoolmdm/core';
import type { Asset, Assignment, EventFailure, PricingParam, ProductType, ServiceLimits } from './schemas.js';
import type { ContentTokenLike } from './token.js';

/** Options of `new AppsAndBooksClient(options)`. */
export interface AppsAndBooksClientOptions {
  /**
   * The content token: a `ContentToken` from `@schoolmdm/certs` (`parseContentToken(file)`), or
   * the `.vpptoken` file's text. The whole file is the Bearer value. An expired token is refused
   * before any request, with its expiry date ({@link TokenExpiredError}, `source: 'client'`).
   */
  token: ContentTokenLike | string;
  /** @defaultValue `'https://vpp.itunes.apple.com/mdm/v2'` */
  baseURL?: string;
  /**
   * Limits to use until `service/config` has been read (and instead of it with
   * `adoptServiceLimits: false`). @defaultValue Apple's documented defaults (15 requests/s, 25
   * assets and 1,000 serial numbers per call)
   */
  limits?: Partial<ServiceLimits>;
  /**
   * Read `service/config` before the first call and every `limitsRefreshMs`, and follow the
   * limits it advertises (Apple: "dynamic and can change without notice"). @defaultValue `true`
   */
  adoptServiceLimits?: boolean;
  /** How often the limits are read again, in ms (at most every 5 minutes, per Apple). @defaultValue `300_000` */
  limitsRefreshMs?: number;
  /** Page requests in parallel when listing (Apple allows at most 5). @defaultValue `5` */
  pageConcurrency?: number;
  /** Retries of requests safe to repeat (9646, 5xx, connection errors). @defaultValue `3` (as Fleet) */
  maxRetries?: number;
  /** Wait after a 9646 that came without `Retry-After`, in ms. @defaultValue `5_000` (as Fleet) */
  rateLimitFloorMs?: number;
  /** Timeout of each attempt, in ms. @defaultValue `60_000` */
  timeoutMs?: number;
  /** A `fetch` to use (tests, other runtimes). @defaultValue `globalThis.fetch` at call time */
  fetch?: FetchLike;
  /** An undici dispatcher (proxy, custom TLS). */
  dispatcher?: TransportOptions['dispatcher'];
  /** Where log lines go (redacted). @defaultValue silent */
  logger?: Logger;
  /** Least severe level logged. */
  logLevel?: LogLevel;
  /** Response validation. @defaultValue `'strict'` */
  validation?: ValidationMode;
  /** Clock in ms since the epoch (token expiry, limits refresh, rate limits). @defaultValue `Date.now` */
  now?: () => number;
  /** Timer for rate-limit waits, backoff and event polling. @defaultValue real timers */
  sleep?: Sleep;
  /** Randomness of backoff jitter. @defaultValue `Math.random` */
  random?: () => number;
}

/** One page of a list, as read. */
export interface AppsAndBooksPage<T> {
  /** The records of this page. */
  items: T[];
  /** 0-based index of this page. */
  pageIndex: number;
  /** Index of the next page, absent on the last page. */
  nextPageIndex: number | undefined;
  /** Pages in the list, as this page announced it (it can change during a walk). */
  totalPages: number | undefined;
  /** Version of the data; pass the last one as `sinceVersionId` to read only later changes. */
  versionId: string | undefined;
  /** The library id; use it to drop duplicates read through two tokens of one library. */
  uId: string | undefined;
  /** Apple sends the token's expiry when it is within 15 days. */
  tokenExpirationDate: string | undefined;
}

/**
 * A lazy list: nothing is requested until it is iterated. Iterating it yields every record of
 * every page in order, while up to 5 pages are fetched in parallel.
 */
export interface AppsAndBooksList<T> extends AsyncIterable<T> {
  /** The pages, in order. */
  pages(): AsyncIterable<AppsAndBooksPage<T>>;
  /** Collects records; `limit` is required so that a huge list is never loaded by accident. */
  toArray(options: { limit: number }): Promise<T[]>;
  /**
   * The `versionId` of the last page read by the latest walk (`undefined` before one). Keep it
   * and pass it as `sinceVersionId` next time to read only what changed.
   */
  readonly versionId: string | undefined;
}

/** Filters of `assets.list()`. */
export interface ListAssetsParams {
  /** Only this app or book. */
  adamId?: string;
  /** Only this quality. */
  pricingParam?: PricingParam;
  /** Only apps, or only books. */
  productType?: ProductType;
  /** Only assets that can (or cannot) be assigned to devices. */
  deviceAssignable?: boolean;
  /** Only revocable (or non-revocable) assets. */
  revocable?: boolean;
  /** Only assets with at most this many licences available. */
  maxAvailableCount?: number;
  /** Only assets with at least this many licences available. */
  minAvailableCount?: number;
}

/** Filters of `assignments.list()`. */
export interface ListAssignmentsParams {
  /** Only licences of this device. */
  serialNumber?: string;
  /** Only licences of this app or book. */
  adamId?: string;
  /** Only licences of this user. */
  clientUserId?: string;
  /** Only changes after this version (the `versionId` a previous walk ended with). */
  sinceVersionId?: string;
}

/** An asset named in associate/disassociate: an `adamId` (STDQ assumed) or `{ adamId, pricingParam }`. */
export type AssetRef = string | { adamId: string; pricingParam?: PricingParam };

/** What `assets.associate()` and `assets.disassociate()` take. */
export interface ManageAssetsParams {
  /** The apps or books (at most `maxAssets`, 25 by default, per call). */
  assets: readonly AssetRef[];
  /** The devices (at most `maxSerialNumbers`, 1,000 by default, per call). */
  serialNumbers: readonly string[];
}

/** Options of `events.waitUntilDone()`. */
export interface EventWaitOptions {
  /** Time between two status reads, in ms. @defaultValue `5_000` */
  pollIntervalMs?: number;
  /** Give up after this long ({@link EventTimeoutError}), in ms. @defaultValue `600_000` */
  timeoutMs?: number;
  /** Stops waiting ({@link @schoolmdm/core!AbortError}). */
  signal?: AbortSignal;
}

/** The state of an asynchronous event. */
export interface EventStatus {
  /** The event. */
  eventId: string;
  /** `PENDING`, `COMPLETE` or `FAILED` (some or all items failed). */
  eventStatus: string;
  /** `ASSOCIATE`, `DISASSOCIATE`, … */
  eventType: string | undefined;
  /** Items done so far. */
  numCompleted: number | undefined;
  /** Items requested. */
  numRequested: number | undefined;
  /** Per-item failures, e.g. 9709 with the serial numbers that got no licence. */
  failures: EventFailure[];
  /** Every serial number named in `failures`, once. */
  failedSerialNumbers: string[];
  /** True when the event is no longer `PENDING`. */
  done: boolean;
}

/** What `planLicenses()` checks. */
export interface PlanLicensesParams {
  /** The apps or books to assign. */
  adamIds: readonly string[];
  /** The devices that should hold them. */
  serialNumbers: readonly string[];
}

/** The licence position of one asset for a plan. */
export interface LicensePlanEntry {
  /** The app or book. */
  adamId: string;
  /** Its quality; `undefined` when the organisation holds no licence at all. */
  pricingParam: PricingParam | undefined;
  /** `App` or `Book`. */
  productType: ProductType | undefined;
  /** Whether the organisation holds licences for it. */
  found: boolean;
  /** Whether its licences can go to devices (`false`: only to users). */
  deviceAssignable: boolean | undefined;
  /** Licences owned (`totalCount`). */
  owned: number;
  /** Licences in use (`assignedCount`). */
  inUse: number;
  /** Licences free (`availableCount`). */
  available: number;
  /** Serial numbers of the plan that already hold a licence of this asset. */
  alreadyHeld: string[];
  /** Devices of the plan still to be given one. */
  toAssign: number;
  /** Licences missing for the plan: `max(0, toAssign − available)`. */
  missing: number;
  /** True when the plan can be carried out for this asset. */
  enough: boolean;
}

/** The result of `planLicenses()`, computed before anything is assigned. */
export interface LicensePlan {
  /** One entry per asset (per `adamId` and `pricingParam`), in the order of `adamIds`. */
  apps: LicensePlanEntry[];
  /** Distinct serial numbers in the plan. */
  serialNumbers: number;
  /** True when every asset has enough licences. */
  enough: boolean;
  /** Licences missing in all. */
  missing: number;
}

/** Per-call options, the last parameter of every method. */
export type AppsAndBooksRequestOptions = RequestOptions;

export type { Asset, Assignment, EventFailure, ServiceLimits };
