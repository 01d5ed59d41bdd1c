/**
 * `DepClient`: the classic Device Assignment (DEP/ADE) API an MDM uses with its server token.
 *
 * @see https://developer.apple.com/documentation/devicemanagement/device-assignment
 */
import {
  AuthenticationError,
  defaultSleep,
  type FetchLike,
  InvalidArgumentError,
  type Logger,
  type LogLevel,
  PermissionDeniedError,
  type RequestOptions,
  type SecretValue,
  type Sleep,
  Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
  VERSION,
} from '@schoolmdm/core';
import { DEVICE_ASSIGNMENT_BASE_URL } from '../constants.js';
import type { DepContext } from './context.js';
import { DepTokenExpiredError, parseDepErrorBody, toDepError } from './errors.js';
import { DepDevicesResource } from './resources/devices.js';
import { DepProfilesResource } from './resources/profiles.js';
import { type DepAccount, DepAccountSchema } from './schemas.js';
import { DepSession } from './session.js';
import type { ServerTokenLike } from './token.js';

/** Options of {@link DepClient}. */
export interface DepClientOptions {
  /** The decrypted server token: `decryptServerToken(…)` from `@schoolmdm/certs`, or an object with its four strings. */
  token: ServerTokenLike;
  /** API root. @defaultValue `https://mdmenrollment.apple.com` */
  baseURL?: string;
  /**
   * `X-Server-Protocol-Version`: 8 adds `mdm_migration_deadline`, 9 per-device `THROTTLED`, 10
   * `retry_after_seconds`. @defaultValue `10`
   */
  protocolVersion?: number;
  /** `User-Agent` (Apple rejects requests without one). @defaultValue `schoolmdm/<version>` */
  userAgent?: string;
  /** `fetch` to use. @defaultValue `globalThis.fetch` at call time */
  fetch?: FetchLike;
  /** Timeout of each attempt, ms. @defaultValue `60_000` */
  timeoutMs?: number;
  /** Retries of requests safe to repeat. @defaultValue `2` */
  maxRetries?: number;
  /** Requests in flight at once. @defaultValue `4` */
  maxConcurrency?: number;
  /** Where log lines go (redacted). */
  logger?: Logger;
  /** Least severe level logged. */
  logLevel?: LogLevel;
  /** Clock, ms since the epoch (the OAuth timestamp and expiry check use it). @defaultValue `Date.now` */
  now?: () => number;
  /** Timer for retries and throttling waits. */
  sleep?: Sleep;
  /** Other transport options (`dispatcher`, `agentOptions`, …). */
  transport?: Omit<TransportOptions, 'baseURL' | 'now' | 'sleep' | 'fetch' | 'logger' | 'userAgent'>;
}

/**
 * The Device Assignment API client of one server token.
 *
 * The session (`X-ADM-Auth-Session`) comes from an OAuth 1.0a HMAC-SHA1 signed `GET /session`,
 * is shared by concurrent calls, follows Apple's rotations, and is renewed once on 401 or 403
 * `FORBIDDEN`. `T_C_NOT_SIGNED` and `ACCESS_DENIED` are never retried: their errors say what
 * the administrator must do in Apple School Manager.
 *
 * @example
 * ```ts
 * import { decryptServerToken } from '@schoolmdm/certs';
 * import { DepClient } from '@schoolmdm/asm';
 *
 * const dep = new DepClient({ token: decryptServerToken(p7m, { privateKeyPem }) });
 * const account = await dep.account();
 * for await (const device of dep.devices.fetch()) console.log(device.serial_number, device.profile_status);
 * ```
 */
export class DepClient {
  /** Devices assigned to this server. */
  readonly devices: DepDevicesResource;
  /** ADE enrolment profiles. */
  readonly profiles: DepProfilesResource;
  /** The API root in use. */
  readonly baseURL: string;
  /** The `X-Server-Protocol-Version` sent. */
  readonly protocolVersion: number;

  readonly #transport: Transport;
  readonly #session: DepSession;
  readonly #token: ServerTokenLike;
  readonly #now: () => number;

  constructor(options: DepClientOptions) {
    const token = options?.token;
    for (const k of ['consumerKey', 'consumerSecret', 'accessToken', 'accessSecret'] as const) {
      if (typeof token?.[k] !== 'string' || token[k] === '') {
        throw new InvalidArgumentError(`token.${k}`, 'expected a non-empty string', {
          hint: 'Pass the result of decryptServerToken() from @schoolmdm/certs.',
        });
      }
    }
    this.#token = token;
    this.protocolVersion = options.protocolVersion ?? 10;
    if (!Number.isInteger(this.protocolVersion) || this.protocolVersion < 1) {
      throw new InvalidArgumentError(
        'protocolVersion',
        `expected a positive integer, got ${String(options.protocolVersion)}`,
      );
    }
    this.baseURL = (options.baseURL ?? DEVICE_ASSIGNMENT_BASE_URL).replace(/\/+$/, '');
    this.#now = options.now ?? Date.now;
    this.#transport = new Transport({
      ...options.transport,
      baseURL: this.baseURL,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? options.transport?.timeoutMs,
      maxRetries: options.maxRetries ?? options.transport?.maxRetries,
      logger: options.logger,
      logLevel: options.logLevel,
      now: this.#now,
      sleep: options.sleep,
      userAgent: options.userAgent ?? `schoolmdm/${VERSION}`,
      defaultHeaders: {
        ...toRecord(options.transport?.defaultHeaders),
        'x-server-protocol-version': String(this.protocolVersion),
      },
      rateLimit: { maxConcurrency: options.maxConcurrency ?? 4 },
      parseErrorBody: parseDepErrorBody,
      secretHeaders: ['x-adm-auth-session'],
    });
    this.#session = new DepSession(this.#transport, token, this.#now);
    const sleep: Sleep = options.sleep ?? defaultSleep;
    const ctx: DepContext = { call: (r, o) => this.#call(r, o), sleep, now: this.#now };
    this.devices = new DepDevicesResource(ctx);
    this.profiles = new DepProfilesResource(ctx);
  }

  /** The account of the server token (`GET /account`): server and organisation, and `urls[].limit`. */
  async account(options: RequestOptions = {}): Promise<DepAccount> {
    return (
      await this.#call({ method: 'GET', path: 'account', schema: DepAccountSchema, what: 'DEP account' }, options)
    ).data;
  }

  /** `GET /session` requests sent so far. */
  get sessionRequests(): number {
    return this.#session.authentications;
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.#transport.close();
  }

  /** Hides the token from `console.log(client)`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `DepClient { baseURL: '${this.baseURL}', protocolVersion: ${this.protocolVersion} }`;
  }

  /** What `JSON.stringify` prints: the base URL and protocol version, never the token or session. */
  toJSON(): Record<string, unknown> {
    return { baseURL: this.baseURL, protocolVersion: this.protocolVersion };
  }

  async #call<T>(request: TransportRequest<T>, options: RequestOptions = {}): Promise<TransportResponse<T>> {
    const expiry = this.#token.accessTokenExpiry;
    if (expiry instanceof Date && expiry.getTime() <= this.#now()) {
      throw new DepTokenExpiredError({
        status: 401,
        method: request.method,
        url: `${this.baseURL}/session`,
        code: 'TOKEN_EXPIRED',
        detail: `the server token expired on ${expiry.toISOString()}`,
        hint: 'Download a new server token for this MDM server in Apple School Manager and decrypt it again.',
      });
    }
    let session: SecretValue;
    try {
      session = await this.#session.get(options);
    } catch (error) {
      throw toDepError(error);
    }
    try {
      return await this.#send(request, session, options);
    } catch (error) {
      if (!needsReauth(error)) throw toDepError(error);
      this.#session.invalidate(session);
      try {
        session = await this.#session.get(options);
        return await this.#send(request, session, options);
      } catch (second) {
        throw toDepError(second);
      }
    }
  }

  async #send<T>(
    request: TransportRequest<T>,
    session: SecretValue,
    options: RequestOptions,
  ): Promise<TransportResponse<T>> {
    const response = await this.#transport.request(
      { ...request, headers: { ...toRecord(request.headers), 'x-adm-auth-session': session } },
      options,
    );
    // "The service periodically issues a new X-ADM-Auth-Session in its response" (MDM protocol reference).
    const rotated = response.headers.get('x-adm-auth-session');
    if (rotated) this.#session.adopt(rotated);
    return response;
  }
}

function needsReauth(error: unknown): boolean {
  if (error instanceof AuthenticationError) return true;
  // 403 FORBIDDEN means a stale session; T_C_NOT_SIGNED and ACCESS_DENIED are never retried.
  return error instanceof PermissionDeniedError && error.code === 'FORBIDDEN';
}

function toRecord(headers: unknown): Record<string, HeaderValue> {
  if (!headers) return {};
  if (headers instanceof Headers) {
    const out: Record<string, HeaderValue> = {};
    headers.forEach((v, k) => {
      out[k] = v;
    });
    return out;
  }
  if (Array.isArray(headers)) return Object.fromEntries(headers as [string, HeaderValue][]);
  return { ...(headers as Record<string, HeaderValue>) };
}

/** A header value the transport accepts. */
type HeaderValue = string | SecretValue;
