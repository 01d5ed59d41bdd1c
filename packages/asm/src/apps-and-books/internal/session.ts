/**
 * What the client's resources share: the transport (rebuilt when Apple's advertised
 * `maxRequestPerSecond` changes), the token (kept in a private field, sent only as the
 * `Authorization` header), the limits and their refresh. Not part of the public API.
 */
import {
  AbortError,
  createLogger,
  InvalidArgumentError,
  type Logger,
  type Query,
  type RequestOptions,
  SecretValue,
  type Sleep,
  Transport,
  type TransportOptions,
} from '@schoolmdm/core';
import type { z } from 'zod';
import { APPS_AND_BOOKS_BASE_URL } from '../../constants.js';
import { TokenExpiredError, toAppsAndBooksError } from '../errors.js';
import { ServiceConfig, type ServiceLimits } from '../schemas.js';
import { parseAppleDateTime, type ResolvedToken, resolveToken } from '../token.js';
import type { AppsAndBooksClientOptions } from '../types.js';
import { parseAppsAndBooksErrorBody } from './error-body.js';
import { scrubSecrets } from './scrub.js';
import { realSleep } from './sleep.js';

/** Apple's documented example limits (Service Config), used until `service/config` is read. */
export const DEFAULT_LIMITS = Object.freeze({
  maxAssets: 25,
  maxSerialNumbers: 1000,
  maxClientUserIds: 1000,
  maxRevokeSerialNumbers: 100,
  maxRevokeClientUserIds: 100,
  maxUsers: 100,
  maxRequestPerSecond: 15,
}) satisfies ServiceLimits;

/** The limits the client enforces: every documented one is known. */
export type EffectiveLimits = ServiceLimits & { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

const FIVE_MINUTES = 300_000;
const MAX_PAGE_CONCURRENCY = 5;

interface Slot {
  transport: Transport;
  requestsPerSecond: number;
  inflight: number;
  retired: boolean;
  /** No request through this transport starts before this time (see `#adoptLimits`). */
  notBefore: number;
}

/** One request of a resource. */
export interface Call<T> {
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  body?: unknown;
  schema: z.ZodType<T>;
  what: string;
  /** Sends the token (everything but `service/config`). @defaultValue `true` */
  auth?: boolean;
  /** Safe to repeat (see the callers for why associate/disassociate are). */
  idempotent?: boolean;
}

export class Session {
  readonly baseURL: string;
  readonly now: () => number;
  readonly sleep: Sleep;
  readonly log: Logger;
  readonly pageConcurrency: number;
  /** What the token says (expiry, organisation); the Bearer value lives only in `#authorization`. */
  readonly #token: Omit<ResolvedToken, 'bearer' | 'inner'>;
  /** `Bearer <token>`: a SecretValue, revealed by the transport only when it writes the request. */
  readonly #authorization: SecretValue;
  /** The token file and its inner token, masked in every error thrown (see `scrub.ts`). */
  readonly #secrets: SecretValue[];
  readonly #transportOptions: TransportOptions;
  readonly #adopt: boolean;
  readonly #refreshMs: number;
  #limits: EffectiveLimits;
  #limitsReadAt: number | undefined;
  #limitsPromise: Promise<void> | undefined;
  #slot: Slot;
  readonly #retired = new Set<Slot>();
  #expiryWarned = false;
  /** Transports built so far (one more each time the advertised rate changes). */
  transportsBuilt = 0;

  constructor(options: AppsAndBooksClientOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('options', 'expected { token, baseURL? }');
    }
    const { bearer, inner, ...about } = resolveToken(options.token);
    this.#token = about;
    this.#authorization = new SecretValue(`Bearer ${bearer}`);
    this.#secrets = [bearer, inner].filter((s): s is string => s !== undefined).map((s) => new SecretValue(s));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.log = createLogger(options.logger, options.logLevel);
    this.baseURL = (options.baseURL ?? APPS_AND_BOOKS_BASE_URL).replace(/\/+$/, '');
    this.#adopt = options.adoptServiceLimits ?? true;
    this.#refreshMs = options.limitsRefreshMs ?? FIVE_MINUTES;
    if (!(this.#refreshMs >= 0)) {
      throw new InvalidArgumentError(
        'limitsRefreshMs',
        `expected a number of ms ≥ 0, got ${String(options.limitsRefreshMs)}`,
      );
    }
    const concurrency = options.pageConcurrency ?? MAX_PAGE_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_PAGE_CONCURRENCY) {
      throw new InvalidArgumentError('pageConcurrency', `expected an integer from 1 to 5, got ${String(concurrency)}`, {
        hint: 'Apple allows at most 5 page requests in parallel.',
      });
    }
    this.pageConcurrency = concurrency;
    this.#limits = { ...DEFAULT_LIMITS, ...pickNumbers(options.limits) } as EffectiveLimits;
    checkRate(this.#limits.maxRequestPerSecond, 'limits.maxRequestPerSecond');
    this.#transportOptions = {
      baseURL: this.baseURL,
      fetch: options.fetch,
      dispatcher: options.dispatcher,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries ?? 3,
      rateLimitFloorMs: options.rateLimitFloorMs ?? 5_000,
      parseErrorBody: parseAppsAndBooksErrorBody,
      validation: options.validation,
      logger: options.logger,
      logLevel: options.logLevel,
      now: options.now,
      sleep: options.sleep,
      random: options.random,
    };
    this.#slot = this.#build(this.#limits.maxRequestPerSecond);
    // Refused before any call: the constructor is the first place a caller can learn it.
    this.checkToken();
  }

  /** The organisation named in the token, when known. */
  get orgName(): string | undefined {
    return this.#token.orgName;
  }

  /** The token's expiry, when known (from the file, or Apple's `tokenExpirationDate`). */
  get expiresAt(): Date | undefined {
    return this.#token.expiresAt === undefined ? undefined : new Date(this.#token.expiresAt.getTime());
  }

  /** The limits in force. */
  get limits(): Readonly<EffectiveLimits> {
    return { ...this.#limits };
  }

  /** Throws {@link TokenExpiredError} (`source: 'client'`) when the token's expiry is past. */
  checkToken(target?: { method: string; url: string }): void {
    const expiresAt = this.#token.expiresAt;
    if (expiresAt !== undefined && expiresAt.getTime() <= this.now()) {
      throw new TokenExpiredError({
        status: 401,
        method: target?.method ?? '',
        url: target?.url ?? '',
        source: 'client',
        expiresAt,
        orgName: this.#token.orgName,
      });
    }
  }

  /** Sends one request and returns its validated body, with errors mapped by `errorNumber`. */
  async call<T>(call: Call<T>, options: RequestOptions = {}): Promise<T> {
    const auth = call.auth ?? true;
    if (auth) {
      this.checkToken({ method: call.method, url: `${this.baseURL}/${call.path}` });
      await this.ensureLimits(options.signal);
    }
    const slot = this.#slot;
    slot.inflight++;
    try {
      const wait = slot.notBefore - this.now();
      if (wait > 0) await this.#handoff(wait, call, options.signal);
      const response = await slot.transport.request(
        {
          method: call.method,
          path: call.path,
          query: call.query,
          body: call.body,
          schema: call.schema,
          what: call.what,
          idempotent: call.idempotent,
          headers: auth ? { authorization: this.#authorization } : undefined,
        },
        options,
      );
      this.#noteExpiry(response.data);
      return response.data;
    } catch (error) {
      throw scrubSecrets(
        toAppsAndBooksError(error, { expiresAt: this.#token.expiresAt }),
        this.#secrets.map((s) => s.reveal()),
      );
    } finally {
      slot.inflight--;
      if (slot.retired && slot.inflight === 0) this.#closeRetired(slot);
    }
  }

  /** Reads `service/config` and adopts its limits. */
  async readConfig(options: RequestOptions = {}): Promise<ServiceConfig> {
    const config = await this.call(
      { method: 'GET', path: 'service/config', schema: ServiceConfig, what: 'service config', auth: false },
      options,
    );
    this.#limitsReadAt = this.now();
    if (this.#adopt && config.limits) this.#adoptLimits(config.limits);
    return config;
  }

  /** Reads the limits when they were never read or are older than `limitsRefreshMs`. */
  async ensureLimits(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#adopt) return;
    const at = this.#limitsReadAt;
    if (at !== undefined && this.now() - at < this.#refreshMs) return;
    // One read for every caller waiting; it takes no caller's signal, so one abort cannot fail the others.
    this.#limitsPromise ??= this.readConfig()
      .then(
        () => undefined,
        (error: unknown) => {
          // The limits are an optimisation: keep the current ones and try again at the next refresh.
          this.#limitsReadAt = this.now();
          this.log.warn('could not read the Apps and Books service config; keeping the current limits', {
            error: error instanceof Error ? error.message : String(error),
          });
        },
      )
      .finally(() => {
        this.#limitsPromise = undefined;
      });
    const pending = this.#limitsPromise;
    if (!signal) return pending;
    if (signal.aborted) throw new AbortError({ method: 'GET', url: `${this.baseURL}/service/config` });
    await Promise.race([
      pending,
      new Promise<never>((_, reject) => {
        const onAbort = () => reject(new AbortError({ method: 'GET', url: `${this.baseURL}/service/config` }));
        signal.addEventListener('abort', onAbort, { once: true });
        pending.finally(() => signal.removeEventListener('abort', onAbort));
      }),
    ]);
  }

  /** Closes every transport (and its keep-alive pool). */
  async close(): Promise<void> {
    const all = [this.#slot, ...this.#retired];
    this.#retired.clear();
    await Promise.all(all.map((s) => s.transport.close()));
  }

  #adoptLimits(advertised: ServiceLimits): void {
    const next = { ...this.#limits, ...pickNumbers(advertised) } as EffectiveLimits;
    const rate = Math.floor(next.maxRequestPerSecond);
    next.maxRequestPerSecond = rate >= 1 && Number.isFinite(rate) ? rate : this.#limits.maxRequestPerSecond;
    const changed = next.maxRequestPerSecond !== this.#slot.requestsPerSecond;
    this.#limits = next;
    if (!changed) return;
    this.log.info('Apps and Books rate limit changed', {
      from: this.#slot.requestsPerSecond,
      to: next.maxRequestPerSecond,
    });
    // Core's rate-limit rules are fixed when a Transport is built: build a new one and let the
    // old one finish what it has under way (then close it).
    const old = this.#slot;
    old.retired = true;
    this.#retired.add(old);
    this.#slot = this.#build(next.maxRequestPerSecond);
    // The new transport's window starts empty: its requests must not join the ones the old
    // transport sent in the last second, so it starts one whole window later.
    this.#slot.notBefore = this.now() + 1000;
    if (old.inflight === 0) this.#closeRetired(old);
  }

  #build(requestsPerSecond: number): Slot {
    this.transportsBuilt++;
    // A true sliding window (core's rule without `burst`): never more than N requests start
    // in any 1,000 ms, as Apple counts "per second"; at most 5 under way (Apple's page limit).
    const transport = new Transport({
      ...this.#transportOptions,
      rateLimit: {
        maxConcurrency: MAX_PAGE_CONCURRENCY,
        rules: [{ name: 'apps-and-books', requests: requestsPerSecond, perMs: 1000 }],
      },
    });
    return { transport, requestsPerSecond, inflight: 0, retired: false, notBefore: 0 };
  }

  async #handoff(ms: number, call: Call<unknown>, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.sleep(ms, signal);
    } catch (error) {
      if (signal?.aborted) throw new AbortError({ method: call.method, url: `${this.baseURL}/${call.path}` });
      throw error;
    }
  }

  #closeRetired(slot: Slot): void {
    this.#retired.delete(slot);
    slot.transport.close().catch(() => undefined);
  }

  #noteExpiry(data: unknown): void {
    const raw = (data as { tokenExpirationDate?: unknown } | undefined)?.tokenExpirationDate;
    if (typeof raw !== 'string') return;
    const date = parseAppleDateTime(raw);
    if (!date) return;
    this.#token.expiresAt = date;
    if (!this.#expiryWarned) {
      this.#expiryWarned = true;
      const org = this.#token.orgName ? ` of "${this.#token.orgName}"` : '';
      this.log.warn(
        `the content token${org} expires on ${date.toISOString()}; download a new one in Apple School Manager`,
        {
          expiresAt: date.toISOString(),
        },
      );
    }
  }
}

function pickNumbers(limits: Partial<ServiceLimits> | undefined): Partial<ServiceLimits> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(limits ?? {})) {
    if (typeof v === 'number' && v > 0 && Number.isFinite(v)) out[k] = v;
  }
  return out as Partial<ServiceLimits>;
}

function checkRate(rate: number, name: string): void {
  if (!Number.isInteger(rate) || rate < 1) {
    throw new InvalidArgumentError(name, `expected a whole number ≥ 1, got ${String(rate)}`);
  }
}
