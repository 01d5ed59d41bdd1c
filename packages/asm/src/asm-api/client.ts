/**
 * `AsmClient`: the Apple School Manager API (and the Apple Business API, same shape), on the
 * `@schoolmdm/core` transport.
 *
 * @see https://developer.apple.com/documentation/appleschoolmanagerapi
 */
import {
  AuthenticationError,
  defaultSleep,
  type ErrorBodyParser,
  type FetchLike,
  InvalidArgumentError,
  type Logger,
  type LogLevel,
  type RateLimitRule,
  type RequestOptions,
  SecretValue,
  type Sleep,
  Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from '@schoolmdm/core';
import { ASM_API_BASE_URL, ASM_REQUEST_BUDGETS } from '../constants.js';
import { MAX_ASSERTION_LIFETIME_MS } from './auth/assertion.js';
import { loadAsmPrivateKey } from './auth/private-key.js';
import { TokenManager } from './auth/token-manager.js';
import type { AsmContext } from './context.js';
import { type MigrationPlan, type PlanMigrationParams, planMigration } from './plan-migration.js';
import { ActivitiesResource } from './resources/activities.js';
import { MdmServersResource } from './resources/mdm-servers.js';
import { OrgDevicesResource } from './resources/org-devices.js';
import { type AssignmentVerification, type VerifyAssignmentParams, verifyAssignment } from './verify.js';

/** Apple's token endpoint (the assertion's `aud` is `…/v2/token`; both paths accept it). */
export const ASM_TOKEN_URL = 'https://account.apple.com/auth/oauth2/token';

/** Base URL of the Apple Business API, used by default for `BUSINESSAPI.` client ids. */
export const APPLE_BUSINESS_API_BASE_URL = 'https://api-business.apple.com/v1';

/** A request budget: at most `requests` per `perMs`. */
export interface RequestBudget {
  requests: number;
  perMs: number;
}

/** Client-side limits of an {@link AsmClient}. */
export interface AsmRateLimits {
  /** GET requests to the API host. `false` for none. @defaultValue 20 per minute (observed) */
  get?: RequestBudget | false;
  /** POST requests to the API host (activities). `false` for none. @defaultValue 10 per hour (observed) */
  post?: RequestBudget | false;
  /** Requests in flight at once (asbmutil saw HTTP/2 streams dropped above 4). @defaultValue `4` */
  maxConcurrency?: number;
  /**
   * Longest a POST waits inside the transport for the POST budget; beyond it the activities
   * resource waits outside and sends again, so a request never leaves with a token that
   * expired while it queued. @defaultValue `1_800_000` (30 min, less than the 48 min a token is used)
   */
  postMaxWaitMs?: number;
}

/** Options of {@link AsmClient}. */
export interface AsmClientOptions {
  /** The API account's client id, `SCHOOLAPI.<uuid>` (or `BUSINESSAPI.<uuid>`). */
  clientId: string;
  /** The API account's key id. */
  keyId: string;
  /** The EC P-256 private key (PEM) downloaded from Apple School Manager. Checked at construction. */
  privateKeyPem: string;
  /** Passphrase, if the PEM is encrypted. */
  privateKeyPassphrase?: string;
  /** OAuth scope. @defaultValue `school.api` for `SCHOOLAPI.` ids, `business.api` for `BUSINESSAPI.` ids */
  scope?: string;
  /** API root. @defaultValue `https://api-school.apple.com/v1` (`https://api-business.apple.com/v1` for `BUSINESSAPI.`) */
  baseURL?: string;
  /** Token endpoint. @defaultValue `https://account.apple.com/auth/oauth2/token` */
  tokenURL?: string;
  /** Lifetime of the client assertion, ms (≤ 180 days). It is reused and rotated before it expires. @defaultValue 179 days */
  assertionLifetimeMs?: number;
  /** Client-side rate limits; each field overrides the default. */
  rateLimits?: AsmRateLimits;
  /** Serials per activity. @defaultValue `1000` */
  maxDevicesPerActivity?: number;
  /** Fresh activity-log links fetched when one was refused (expired). @defaultValue `2` */
  maxLogLinkRefreshes?: number;
  /** `fetch` to use (tests, other runtimes). @defaultValue `globalThis.fetch` at call time */
  fetch?: FetchLike;
  /** Timeout of each attempt, ms. @defaultValue `60_000` */
  timeoutMs?: number;
  /** Retries of requests safe to repeat. @defaultValue `2` */
  maxRetries?: number;
  /** Where log lines go (redacted). @defaultValue silent */
  logger?: Logger;
  /** Least severe level logged. */
  logLevel?: LogLevel;
  /** Clock, ms since the epoch (inject a virtual clock in tests). @defaultValue `Date.now` */
  now?: () => number;
  /** Timer for rate-limit waits, retries and polling (inject a virtual clock in tests). */
  sleep?: Sleep;
  /** Any other transport option (`dispatcher`, `agentOptions`, `userAgent`, …). */
  transport?: Omit<TransportOptions, 'baseURL' | 'rateLimit' | 'now' | 'sleep' | 'fetch' | 'logger'>;
}

/**
 * The Apple School Manager API client.
 *
 * - Auth: an ES256 client assertion (cached, rotated before it expires) exchanged for a
 *   one-hour access token, refreshed early, single-flight across concurrent calls, and
 *   refreshed once more with a replay when the API answers 401.
 * - Limits: ≈20 GET/min and ≈10 POST/h by default (Apple documents none; these are observed),
 *   enforced by the transport before sending; a 429 from Apple becomes a `RateLimitError`
 *   with `retryAfterMs` when its wait is too long to sit out.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { AsmClient } from '@schoolmdm/asm';
 *
 * const asm = new AsmClient({
 *   clientId: 'SCHOOLAPI.27f3c8a1-…',
 *   keyId: 'd5c1…',
 *   privateKeyPem: readFileSync('asm-api-key.pem', 'utf8'),
 * });
 * const mosyle = await asm.mdmServers.findByName('Mosyle Manager');
 * const { activities } = await asm.activities.assignDevices({ serverId: mosyle!.id, serials });
 * for (const a of activities) await asm.activities.waitUntilDone(a.id);
 * const check = await asm.verifyAssignment({ serverId: mosyle!.id, serials });
 * ```
 */
export class AsmClient {
  /** Devices of the organisation. */
  readonly orgDevices: OrgDevicesResource;
  /** MDM servers of the organisation. */
  readonly mdmServers: MdmServersResource;
  /** Assignments and migrations (asynchronous activities). */
  readonly activities: ActivitiesResource;
  /** The API root in use. */
  readonly baseURL: string;
  /** The OAuth scope in use. */
  readonly scope: string;

  readonly #transport: Transport;
  readonly #tokens: TokenManager;
  readonly #ctx: AsmContext;
  readonly #planState = { migrationFieldsRefused: false };

  constructor(options: AsmClientOptions) {
    if (!options || typeof options !== 'object') {
      throw new InvalidArgumentError('options', 'expected { clientId, keyId, privateKeyPem }');
    }
    const clientId = requireString(
      options.clientId,
      'clientId',
      'the client id shown in Apple School Manager, SCHOOLAPI.…',
    );
    const keyId = requireString(
      options.keyId,
      'keyId',
      'the key id shown next to the API account in Apple School Manager',
    );
    const privateKey = loadAsmPrivateKey(options.privateKeyPem, options.privateKeyPassphrase);
    const business = clientId.startsWith('BUSINESSAPI.');
    if (options.scope === undefined && !business && !clientId.startsWith('SCHOOLAPI.')) {
      throw new InvalidArgumentError(
        'clientId',
        'it starts with neither SCHOOLAPI. nor BUSINESSAPI., so the scope is unknown',
        {
          hint: 'Check the client id, or pass scope: "school.api" (or "business.api") explicitly.',
        },
      );
    }
    this.scope = options.scope ?? (business ? 'business.api' : 'school.api');
    const lifetime = options.assertionLifetimeMs ?? MAX_ASSERTION_LIFETIME_MS - 86_400_000;
    if (!(lifetime > 60_000) || lifetime >= MAX_ASSERTION_LIFETIME_MS) {
      throw new InvalidArgumentError(
        'assertionLifetimeMs',
        `expected more than a minute and less than 180 days, got ${lifetime} ms`,
        {
          hint: 'Apple refuses client assertions whose exp is 180 days or more after iat.',
        },
      );
    }
    const batch = options.maxDevicesPerActivity ?? 1000;
    if (!Number.isInteger(batch) || batch < 1 || batch > 1000) {
      throw new InvalidArgumentError(
        'maxDevicesPerActivity',
        `expected an integer from 1 to 1000, got ${String(batch)}`,
      );
    }
    this.baseURL = options.baseURL ?? (business ? APPLE_BUSINESS_API_BASE_URL : ASM_API_BASE_URL);
    const tokenURL = options.tokenURL ?? ASM_TOKEN_URL;
    const apiHost = hostOf(this.baseURL, 'baseURL');
    hostOf(tokenURL, 'tokenURL');
    const now = options.now ?? Date.now;
    this.#transport = new Transport({
      ...options.transport,
      baseURL: this.baseURL,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? options.transport?.timeoutMs,
      maxRetries: options.maxRetries ?? options.transport?.maxRetries,
      logger: options.logger,
      logLevel: options.logLevel,
      now,
      sleep: options.sleep,
      rateLimit: { maxConcurrency: options.rateLimits?.maxConcurrency ?? 4, rules: rules(apiHost, options.rateLimits) },
      parseErrorBody: tokenErrorHints(tokenURL),
      // A 429 on an activity POST (≈10/h) must not hold the GETs, which have their own budget.
      holdKey: (url, method) => `${url.host} ${method}`,
    });
    this.#tokens = new TokenManager({
      transport: this.#transport,
      tokenURL,
      clientId,
      keyId,
      privateKey,
      scope: this.scope,
      assertionLifetimeMs: lifetime,
      now,
    });
    const sleep: Sleep = options.sleep ?? defaultSleep;
    this.#ctx = { call: (r, o) => this.#call(r, o), transport: this.#transport, now, sleep };
    this.orgDevices = new OrgDevicesResource(this.#ctx);
    this.mdmServers = new MdmServersResource(this.#ctx);
    this.activities = new ActivitiesResource(this.#ctx, batch, options.maxLogLinkRefreshes ?? 2);
  }

  /**
   * Checks where each serial stands against `serverId`: `assigned`, `assigned-elsewhere`,
   * `not-in-org` or `unknown`, from paged reads only (about one GET per 1000 devices, never
   * one per device). Missing serials that are in the organisation are re-read a bounded
   * number of times, because Apple's reads can lag an assignment.
   */
  verifyAssignment(params: VerifyAssignmentParams, options: RequestOptions = {}): Promise<AssignmentVerification> {
    return verifyAssignment(this.#ctx, this, params, options);
  }

  /**
   * Sorts serials for a move to `serverId`: not in the organisation, already there,
   * migration-capable (no erase, with a deadline), or needing a reassignment with an erase.
   */
  planMigration(params: PlanMigrationParams, options: RequestOptions = {}): Promise<MigrationPlan> {
    return planMigration(this.#ctx, this, this.#planState, params, options);
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.#transport.close();
  }

  /** Token requests sent so far (single-flight makes this one per hour in steady use). */
  get tokenRequests(): number {
    return this.#tokens.requests;
  }

  async #call<T>(request: TransportRequest<T>, options: RequestOptions = {}): Promise<TransportResponse<T>> {
    const first = await this.#tokens.get(options);
    const header = new LiveBearer(() => this.#tokens.currentHeader() ?? first.header.reveal());
    try {
      return await this.#send(request, header, options);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      // Apple: "generate an access token … whenever the APIs return a 401". Once.
      this.#tokens.invalidate(header.sent ?? first);
      const fresh = await this.#tokens.get(options);
      return await this.#send(request, fresh.header, options);
    }
  }

  #send<T>(
    request: TransportRequest<T>,
    authorization: SecretValue,
    options: RequestOptions,
  ): Promise<TransportResponse<T>> {
    return this.#transport.request({ ...request, headers: { ...request.headers, authorization } }, options);
  }

  /** Hides the credentials from `console.log(client)`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `AsmClient { baseURL: '${this.baseURL}', scope: '${this.scope}' }`;
  }

  /** What `JSON.stringify` prints: the base URL and scope, never a credential. */
  toJSON(): Record<string, string> {
    return { baseURL: this.baseURL, scope: this.scope };
  }
}

function rules(apiHost: string, limits: AsmRateLimits | undefined): RateLimitRule[] {
  const out: RateLimitRule[] = [];
  const get = limits?.get === undefined ? ASM_REQUEST_BUDGETS.asmApi.get : limits.get;
  const post = limits?.post === undefined ? ASM_REQUEST_BUDGETS.asmApi.post : limits.post;
  if (get) {
    out.push({ name: 'asm-get', match: { method: 'GET', host: apiHost }, requests: get.requests, perMs: get.perMs });
  }
  if (post) {
    // A POST never waits in the transport longer than `postMaxWaitMs` (its token could expire
    // meanwhile); the activities resource sits out the `retryAfterMs` itself, then sends the
    // request with a token fresh at that time.
    out.push({
      name: 'asm-post',
      match: { method: 'POST', host: apiHost },
      requests: post.requests,
      perMs: post.perMs,
      maxWaitMs: limits?.postMaxWaitMs ?? 1_800_000,
    });
  }
  return out;
}

function hostOf(url: string, name: string): string {
  try {
    return new URL(url).host;
  } catch {
    throw new InvalidArgumentError(name, `"${String(url).slice(0, 80)}" is not an absolute URL`);
  }
}

function requireString(value: unknown, name: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError(name, `expected ${what}`);
  }
  return value.trim();
}

/** Adds how-to-fix hints to the token endpoint's RFC 6749 errors. */
function tokenErrorHints(tokenURL: string): ErrorBodyParser {
  const tokenPath = new URL(tokenURL).pathname;
  return ({ status, url, body }) => {
    if (status < 400 || !url.includes(tokenPath)) return undefined;
    const code = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    if (typeof code !== 'string') return undefined;
    const description = (body as { error_description?: unknown }).error_description;
    const hint =
      code === 'invalid_client'
        ? 'Apple refused the client assertion: check the client id and key id, that the key is the one downloaded for this API account, and that the machine clock is right.'
        : code === 'invalid_scope'
          ? 'Use school.api for SCHOOLAPI. client ids and business.api for BUSINESSAPI. ones.'
          : code === 'invalid_grant'
            ? 'The assertion expired or is not yet valid: check the machine clock.'
            : undefined;
    return { code, message: typeof description === 'string' ? description : undefined, hint };
  };
}

/**
 * The `Authorization` header of one request, read when the transport writes the request (after
 * any rate-limit wait), so that it carries the token that is current then.
 */
class LiveBearer extends SecretValue {
  readonly #read: () => string;
  /** The value last written, to invalidate exactly that token after a 401. */
  sent: string | undefined;

  constructor(read: () => string) {
    super('');
    this.#read = read;
  }

  override reveal(): string {
    this.sent = this.#read();
    return this.sent;
  }
}
