/**
 * `AppsAndBooksClient`: the Apps and Books (formerly VPP) API v2, authenticated by the
 * content token. Built on `@schoolmdm/core`'s `Transport`: retries, the 15 requests/s limit
 * (or whatever `service/config` advertises), holds after 9646, redacted logs and errors.
 *
 * @see https://developer.apple.com/documentation/devicemanagement/app-and-book-management
 */
import type { RequestOptions } from '@schoolmdm/core';
import { type EffectiveLimits, Session } from './internal/session.js';
import { AssetsResource } from './resources/assets.js';
import { AssignmentsResource } from './resources/assignments.js';
import { EventsResource } from './resources/events.js';
import { planLicenses } from './resources/plan.js';
import type { ServiceConfig } from './schemas.js';
import type { AppsAndBooksClientOptions, LicensePlan, PlanLicensesParams } from './types.js';

/**
 * A client of the Apps and Books API.
 *
 * - `config()` reads the service config; the client follows its limits (`maxRequestPerSecond`
 *   and the per-call maxima) and reads them again at most every 5 minutes.
 * - `assets.list()`, `assignments.list()`: lazy lists, 5 pages in parallel, in order.
 * - `assets.associate()` / `assets.disassociate()` → event id; `events.get()` /
 *   `events.waitUntilDone()` with per-serial failures.
 * - `planLicenses()`: owned, in use, available, already held and missing per app.
 *
 * Errors are mapped by Apple's `errorNumber` whatever the HTTP status (Apple sends some with 200).
 * The token is never printed: `String(client)`, `JSON.stringify(client)` and `util.inspect`
 * show only the organisation and the expiry date.
 *
 * @example
 * ```ts
 * import { parseContentToken } from '@schoolmdm/certs';
 * import { AppsAndBooksClient } from '@schoolmdm/asm';
 *
 * const client = new AppsAndBooksClient({ token: parseContentToken(readFileSync('school.vpptoken')) });
 * const plan = await client.planLicenses({ adamIds: ['361309726'], serialNumbers });
 * if (!plan.enough) console.warn(`${plan.missing} licences missing`);
 * ```
 */
export class AppsAndBooksClient {
  /** Apps and books the organisation holds licences for; associate and disassociate them. */
  readonly assets: AssetsResource;
  /** Which devices hold which licences. */
  readonly assignments: AssignmentsResource;
  /** Status of asynchronous operations. */
  readonly events: EventsResource;
  readonly #session: Session;

  /**
   * @throws TokenExpiredError (`source: 'client'`) when the token has expired, with its date.
   * @throws InvalidArgumentError for a missing or malformed token or a bad option.
   */
  constructor(options: AppsAndBooksClientOptions) {
    this.#session = new Session(options);
    this.assets = new AssetsResource(this.#session);
    this.assignments = new AssignmentsResource(this.#session);
    this.events = new EventsResource(this.#session);
  }

  /** Base URL in use. */
  get baseURL(): string {
    return this.#session.baseURL;
  }

  /** The organisation the token belongs to, when the token says. */
  get orgName(): string | undefined {
    return this.#session.orgName;
  }

  /** When the token expires, when known (from the token, or Apple's `tokenExpirationDate`). */
  get tokenExpiresAt(): Date | undefined {
    return this.#session.expiresAt;
  }

  /** The limits in force: Apple's defaults until `service/config` is read, then the advertised ones. */
  get limits(): Readonly<EffectiveLimits> {
    return this.#session.limits;
  }

  /**
   * The service config (`GET service/config`, sent without the token): error codes, limits,
   * notification types and URLs. The client adopts the limits it advertises.
   */
  config(options: RequestOptions = {}): Promise<ServiceConfig> {
    return this.#session.readConfig(options);
  }

  /**
   * How many licences a plan needs, per app, before anything is assigned: owned, in use,
   * available, already held by these devices, and missing.
   */
  planLicenses(params: PlanLicensesParams, options: RequestOptions = {}): Promise<LicensePlan> {
    return planLicenses({ assets: this.assets, assignments: this.assignments }, params, options);
  }

  /** Closes the keep-alive connections. The client cannot be used afterwards. */
  close(): Promise<void> {
    return this.#session.close();
  }

  /** `AppsAndBooksClient(orgName=…, expiresAt=…)`: never the token. */
  toString(): string {
    return `AppsAndBooksClient(orgName=${this.orgName ?? 'unknown'}, expiresAt=${this.tokenExpiresAt?.toISOString() ?? 'unknown'})`;
  }

  /** A secret-free summary. */
  toJSON(): Record<string, unknown> {
    return { baseURL: this.baseURL, orgName: this.orgName, tokenExpiresAt: this.tokenExpiresAt?.toISOString() };
  }

  /** `util.inspect` form: the same summary. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `AppsAndBooksClient ${JSON.stringify(this.toJSON())}`;
  }
}
