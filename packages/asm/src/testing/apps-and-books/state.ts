/**
 * The Apps and Books simulator's state: one plain object (JSON-safe: strings, numbers, arrays,
 * records) that a test seeds, observes and shares. Two simulators given the same object serve
 * the same organisation.
 */

/** A content token the simulated Apple knows, keyed by its whole text (the Bearer value). */
export interface SimulatedToken {
  /** The organisation (or location) name. */
  orgName: string;
  /** Expiry, ISO 8601. At or after it, requests get 9621. */
  expiresAt: string;
  /** A revoked token gets 9625 (a newer token was downloaded, or the password changed). */
  revoked?: boolean;
}

/** An app or book the organisation holds licences for. Counts in use are derived from `assignments`. */
export interface SimulatedAsset {
  adamId: string;
  /** @defaultValue `'STDQ'` */
  pricingParam?: 'STDQ' | 'PLUS';
  /** @defaultValue `'App'` */
  productType?: 'App' | 'Book';
  /** Licences owned. */
  totalCount: number;
  /** Licences retired (neither available nor assigned). @defaultValue 0 */
  retiredCount?: number;
  /** @defaultValue `true` */
  deviceAssignable?: boolean;
  /** @defaultValue `true` */
  revocable?: boolean;
  /** @defaultValue `['iOS', 'iPadOS']` */
  supportedPlatforms?: string[];
}

/** A licence held by a device or a user. */
export interface SimulatedAssignment {
  adamId: string;
  pricingParam: 'STDQ' | 'PLUS';
  serialNumber?: string;
  clientUserId?: string;
  /** The data version at which it was made (for `sinceVersionId`). */
  versionId: number;
}

/** One failure of an asynchronous event, as Apple reports it. */
export interface SimulatedEventFailure {
  errorNumber: number;
  errorMessage: string;
  errorInfo: { assets: { adamId: string; pricingParam: string }[]; serialNumbers: string[] };
}

/** An asynchronous associate/disassociate. */
export interface SimulatedEvent {
  eventId: string;
  eventType: 'ASSOCIATE' | 'DISASSOCIATE';
  eventStatus: 'PENDING' | 'COMPLETE' | 'FAILED';
  /** When it was received (simulator clock, ms). */
  createdAt: number;
  /** When it is processed (simulator clock, ms): `createdAt + eventDelayMs`. */
  completesAt: number;
  assets: { adamId: string; pricingParam: 'STDQ' | 'PLUS' }[];
  serialNumbers: string[];
  numRequested: number;
  numCompleted: number;
  failures: SimulatedEventFailure[];
}

/**
 * An error to inject: the next `times` requests matching `path` (and `method`) get
 * `{ errorNumber, errorMessage }` with HTTP `status`: 200 by default, as Apple does.
 */
export interface SimulatedFault {
  /** Endpoint path after the base URL, e.g. `assets`, `assets/associate`, `status`. @defaultValue any */
  path?: string;
  /** @defaultValue any */
  method?: string;
  errorNumber: number;
  errorMessage?: string;
  /** @defaultValue `200` */
  status?: number;
  /** @defaultValue `1` */
  times?: number;
  /** `Retry-After`, in seconds. */
  retryAfter?: number;
}

/** A request the simulator received. */
export interface SimulatedRequest {
  method: string;
  /** Path after the base URL, e.g. `assignments`. */
  path: string;
  query: Record<string, string>;
  /** Simulator clock, ms. */
  at: number;
  status: number;
  /** The `errorNumber` answered, if any. */
  errorNumber?: number;
  /** Whether the request carried a Bearer token (its value is never recorded). */
  authenticated: boolean;
}

/** Everything the simulator knows. Seed any part of it; read it back to observe. */
export interface AppsAndBooksSimulatorState {
  /** Known tokens by their whole text. An unknown token gets 9622 **with HTTP 200**, as Apple does. */
  tokens: Record<string, SimulatedToken>;
  assets: SimulatedAsset[];
  assignments: SimulatedAssignment[];
  events: Record<string, SimulatedEvent>;
  /** The data version (`versionId`); every assignment change increments it. */
  version: number;
  /** The limits `service/config` advertises; change them and clients follow at their next refresh. */
  limits: Record<string, number>;
  /** Records per page. @defaultValue 500 */
  pageSize: number;
  /** How long an event stays `PENDING`, in ms. @defaultValue 2_000 */
  eventDelayMs: number;
  /** Serial numbers that fail asynchronously, with the error number they fail with (e.g. 9709). */
  deviceFailures: Record<string, number>;
  /** Errors to inject, consumed in order. */
  faults: SimulatedFault[];
  /** HTTP status of a 9646 (rate-limited) answer. @defaultValue 429 */
  rateLimitStatus: number;
  /** Every request received, in order. */
  requests: SimulatedRequest[];
  /** Start times of the requests of the last second, for the sliding-window rate limit. */
  recentRequests: number[];
  /** Next event number. */
  nextEventId: number;
  /** The library id (`uId`). */
  uId: string;
}

/** What `createAppsAndBooksSimulator` accepts: any part of the state. */
export type AppsAndBooksSimulatorSeed = Partial<AppsAndBooksSimulatorState>;

/** Apple's documented example limits (Service Config). */
export const SIMULATED_DEFAULT_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  maxAssets: 25,
  maxSerialNumbers: 1000,
  maxClientUserIds: 1000,
  maxRevokeSerialNumbers: 100,
  maxRevokeClientUserIds: 100,
  maxUsers: 100,
  maxRequestPerSecond: 15,
  maxNotificationLength: 512,
  maxMdmIdLength: 100,
  maxMdmNameLength: 100,
  maxMdmMetadataLength: 255,
  maxSubscriptions: 25,
  maxSubscriptionClientUserIds: 1000,
});

/**
 * Completes a seed into a full state **in place** when it is already an object (so the caller's
 * object stays the one the simulator uses), or makes a new one.
 */
export function createAppsAndBooksState(seed: AppsAndBooksSimulatorSeed = {}): AppsAndBooksSimulatorState {
  const s = seed as AppsAndBooksSimulatorState;
  s.tokens ??= {};
  s.assets ??= [];
  s.assignments ??= [];
  s.events ??= {};
  s.version ??= 1;
  s.limits ??= { ...SIMULATED_DEFAULT_LIMITS };
  s.pageSize ??= 500;
  s.eventDelayMs ??= 2_000;
  s.deviceFailures ??= {};
  s.faults ??= [];
  s.rateLimitStatus ??= 429;
  s.requests ??= [];
  s.recentRequests ??= [];
  s.nextEventId ??= 1;
  s.uId ??= '2049025000431439';
  for (const a of s.assignments) a.versionId ??= s.version;
  return s;
}
