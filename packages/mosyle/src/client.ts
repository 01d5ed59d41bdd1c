/**
 * `MosyleClient`: the Mosyle Manager API v2 on core's `Transport`.
 */
import {
  type FetchLike,
  InvalidArgumentError,
  isSecretValue,
  type Logger,
  type LogLevel,
  type RateLimitOptions,
  type RequestOptions,
  SecretValue,
  type Sleep,
  Transport,
  type TransportOptions,
} from '@schoolmdm/core';
import { type AccessCheck, accessOk, diagnose } from './access.js';
import { AuthManager } from './internal/auth.js';
import { MosyleContext, toMosyleError } from './internal/context.js';
import { parseMosyleErrorBody, readPage } from './internal/envelope.js';
import { ListEnvelope } from './internal/schemas.js';
import { AdminLogs } from './resources/admin-logs.js';
import { Classes } from './resources/classes.js';
import { Commands, LostMode } from './resources/commands.js';
import { Devices } from './resources/devices.js';
import { DeviceGroups, SharedDeviceGroups } from './resources/groups.js';
import { Users } from './resources/users.js';

/** Base URL of the Mosyle Manager API v2. Every operation is a `POST`. */
export const MOSYLE_MANAGER_BASE_URL = 'https://managerapi.mosyle.com/v2';

/** Options of {@link MosyleClient}. */
export interface MosyleClientOptions {
  /** API access token (My School > Integrations > Mosyle API Integration; needs Mosyle Manager Premium). */
  accessToken: string | SecretValue;
  /** Email of the admin the API logs in as. */
  email: string;
  /** That admin's password. */
  password: string | SecretValue;
  /** API root. @defaultValue {@link MOSYLE_MANAGER_BASE_URL} */
  baseURL?: string;
  /** `fetch` to use (tests, other runtimes). @defaultValue `globalThis.fetch` at call time */
  fetch?: FetchLike;
  /** Per-attempt timeout, in ms. @defaultValue 60_000 */
  timeoutMs?: number;
  /** Retries of read-only calls (listings, updates of absolute values). @defaultValue 2 */
  maxRetries?: number;
  /**
   * Client-side rate limits. Mosyle documents none, so by default at most 4 requests are in
   * flight; pass rules to slow down further.
   */
  rateLimit?: RateLimitOptions;
  /** Where log lines go (redacted). @defaultValue silent */
  logger?: Logger;
  /** Least severe level logged. */
  logLevel?: LogLevel;
  /** Clock in ms (inject a virtual clock in tests). @defaultValue `Date.now` */
  now?: () => number;
  /** Timer for backoffs and `confirmUpdate` waits (inject in tests). */
  sleep?: Sleep;
  /** Refresh the JWT this long before it expires, in ms. @defaultValue 300_000 */
  refreshMarginMs?: number;
  /** `page_size` sent with listings; Mosyle may ignore it (unconfirmed). @defaultValue not sent */
  pageSize?: number;
  /** Most pages one listing reads before `PaginationError`. @defaultValue 1000 */
  maxPages?: number;
  /** Serials per `/devices` update, and users/classes per request. @defaultValue 100 */
  updateChunkSize?: number;
  /** Serials per `/listdevices` lookup. @defaultValue 100 */
  lookupChunkSize?: number;
  /** UDIDs per group or command request. @defaultValue 500 */
  commandChunkSize?: number;
  /** Requests of one batch in flight at once. @defaultValue 4 */
  concurrency?: number;
  /** Any other transport option (advanced). */
  transport?: Omit<TransportOptions, 'baseURL' | 'parseErrorBody'>;
}

function requireString(name: string, value: unknown, hint: string): string {
  if (isSecretValue(value)) value = value.reveal();
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError(
      name,
      `expected a non-empty string, got ${value === undefined ? 'nothing' : typeof value}`,
      { hint },
    );
  }
  return value.trim();
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1)
    throw new InvalidArgumentError(name, `expected a positive integer, got ${String(value)}`);
  return v;
}

/**
 * Client for the Mosyle Manager API (education). Logs in with `POST /login` (the JWT comes
 * back in the `Authorization` response header), keeps the JWT for up to 24 h (or its `exp`),
 * refreshes it once for every concurrent caller, and logs in again once after a 401.
 * The access token, password and JWT are held privately and never printed.
 *
 * @example
 * ```ts
 * const mosyle = new MosyleClient({ accessToken, email, password });
 * const access = await mosyle.checkAccess();
 * if (!access.ok) console.log(access.message, access.hint);
 * for await (const d of mosyle.devices.list({ os: 'ios' })) console.log(d.serialNumber, d.name);
 * ```
 */
export class MosyleClient {
  /** Devices: list, find by serial, rename/tag, confirm. */
  readonly devices: Devices;
  /** Shared device groups (carts, classrooms of Shared iPads). */
  readonly sharedDeviceGroups: SharedDeviceGroups;
  /** Dynamic device groups. */
  readonly deviceGroups: DeviceGroups;
  /** Users. */
  readonly users: Users;
  /** Classes. */
  readonly classes: Classes;
  /** Device commands (`/bulkops`). */
  readonly commands: Commands;
  /** Lost mode (`/lostmode`). */
  readonly lostMode: LostMode;
  /** Admin logs. */
  readonly adminLogs: AdminLogs;
  /** API root in use. */
  readonly baseURL: string;

  readonly #ctx: MosyleContext;

  constructor(options: MosyleClientOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('options', 'expected { accessToken, email, password }');
    }
    const noApi =
      'The Mosyle API needs Mosyle Manager Premium; a free-tier school has no token and uses the SDK’s CSV path instead.';
    const accessToken = new SecretValue(
      requireString(
        'accessToken',
        options.accessToken,
        `Create one under My School > Integrations > Mosyle API Integration. ${noApi}`,
      ),
    );
    const email = requireString('email', options.email, 'Pass the email of the admin the API logs in as.');
    const password = new SecretValue(
      requireString('password', options.password, 'Pass the password of the admin the API logs in as.'),
    );
    this.baseURL = options.baseURL ?? MOSYLE_MANAGER_BASE_URL;
    const now = options.now ?? options.transport?.now ?? Date.now;
    const sleep =
      options.sleep ??
      options.transport?.sleep ??
      ((ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve, reject) => {
          if (signal?.aborted) return reject(signal.reason);
          const t = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          }, ms);
          const onAbort = (): void => {
            clearTimeout(t);
            reject(signal?.reason);
          };
          signal?.addEventListener('abort', onAbort, { once: true });
        }));
    const transport = new Transport({
      rateLimit: options.rateLimit ?? { maxConcurrency: 4 },
      ...options.transport,
      baseURL: this.baseURL,
      fetch: options.fetch ?? options.transport?.fetch,
      timeoutMs: options.timeoutMs ?? options.transport?.timeoutMs,
      maxRetries: options.maxRetries ?? options.transport?.maxRetries,
      logger: options.logger ?? options.transport?.logger,
      logLevel: options.logLevel ?? options.transport?.logLevel,
      now,
      sleep,
      parseErrorBody: parseMosyleErrorBody,
    });
    const auth = new AuthManager({
      transport,
      accessToken,
      email,
      password,
      now,
      refreshMarginMs: options.refreshMarginMs ?? 300_000,
    });
    this.#ctx = new MosyleContext({
      transport,
      auth,
      accessToken,
      now,
      sleep,
      settings: {
        pageSize: options.pageSize === undefined ? undefined : positiveInt('pageSize', options.pageSize, 100),
        maxPages: positiveInt('maxPages', options.maxPages, 1000),
        updateChunkSize: positiveInt('updateChunkSize', options.updateChunkSize, 100),
        lookupChunkSize: positiveInt('lookupChunkSize', options.lookupChunkSize, 100),
        commandChunkSize: positiveInt('commandChunkSize', options.commandChunkSize, 500),
        concurrency: positiveInt('concurrency', options.concurrency, 4),
      },
    });
    this.devices = new Devices(this.#ctx);
    this.sharedDeviceGroups = new SharedDeviceGroups(this.#ctx);
    this.deviceGroups = new DeviceGroups(this.#ctx);
    this.users = new Users(this.#ctx);
    this.classes = new Classes(this.#ctx);
    this.commands = new Commands(this.#ctx);
    this.lostMode = new LostMode(this.#ctx);
    this.adminLogs = new AdminLogs(this.#ctx);
  }

  /**
   * Logs in now (shared with concurrent callers) and caches the JWT. Every call logs in by
   * itself when needed; use this to fail early.
   */
  async login(options: RequestOptions = {}): Promise<void> {
    try {
      await this.#ctx.auth.login(options);
    } catch (error) {
      throw toMosyleError(error);
    }
  }

  /** When the cached JWT expires (refresh happens `refreshMarginMs` before), or `undefined`. */
  get tokenExpiresAt(): Date | undefined {
    const t = this.#ctx.auth.expiresAt;
    return t === undefined ? undefined : new Date(t);
  }

  /** Logins made so far (each a `POST /login`). */
  get loginCount(): number {
    return this.#ctx.auth.logins;
  }

  /**
   * Checks that this SDK can use the school's Mosyle: logs in and reads one page of iOS
   * devices with one column. Returns a diagnosis (`ok`, `api-not-enabled`, `bad-token`,
   * `bad-credentials`, `ip-restricted`, `network`) with a message and a next step for a
   * school admin; never throws for these.
   *
   * @example
   * ```ts
   * const { ok, diagnosis, message, hint } = await mosyle.checkAccess();
   * if (!ok) console.error(`${diagnosis}: ${message}\n→ ${hint}`);
   * ```
   */
  async checkAccess(options: RequestOptions = {}): Promise<AccessCheck> {
    try {
      await this.#ctx.auth.login(options);
    } catch (error) {
      return diagnose(error, 'login');
    }
    try {
      const body = await this.#ctx.call(
        '/listdevices',
        { options: { os: 'ios', page: 0, specific_columns: ['deviceudid'] } },
        { idempotent: true, what: 'listdevices (access check)', schema: ListEnvelope },
        options,
      );
      return accessOk(readPage(body, 'devices').rows);
    } catch (error) {
      return diagnose(error, 'list');
    }
  }

  /** Closes the connection pool. Later calls fail with `ConnectionError` (`TRANSPORT_CLOSED`). */
  close(): Promise<void> {
    return this.#ctx.transport.close();
  }
}
