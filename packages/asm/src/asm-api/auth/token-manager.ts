/**
 * The access-token pipeline of the Apple School Manager API: one cached client assertion,
 * rotated before it expires, exchanged for a one-hour access token that is refreshed early,
 * single-flight (concurrent calls share one token request). Not part of the public API.
 */
import type { KeyObject } from 'node:crypto';
import { looseObject, type RequestOptions, SecretValue, type Transport } from '@schoolmdm/core';
import { z } from 'zod';
import { createClientAssertion } from './assertion.js';

const TokenResponse = looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
});

/** A usable access token. */
export interface AccessToken {
  /** `Bearer <token>`, revealed by the transport only on the wire. */
  header: SecretValue;
  expiresAtMs: number;
}

/** What the token manager needs: the transport, the token endpoint and the API account. */
export interface TokenManagerOptions {
  transport: Transport;
  tokenURL: string;
  clientId: string;
  keyId: string;
  privateKey: KeyObject;
  scope: string;
  assertionLifetimeMs: number;
  now: () => number;
}

/** Refresh when less than this share of the validity is left (nanoaxm uses 20 %). */
const REFRESH_LEFT = 0.2;

/** Caches the assertion and the access token of one API account; hands out a valid token. */
export class TokenManager {
  readonly #o: TokenManagerOptions;
  #assertion: { jwt: SecretValue; issuedAtMs: number; expiresAtMs: number } | undefined;
  #token: (AccessToken & { issuedAtMs: number }) | undefined;
  #inflight: Promise<AccessToken> | undefined;
  /** Token requests sent (for tests and metrics). */
  requests = 0;

  constructor(options: TokenManagerOptions) {
    this.#o = options;
  }

  /** A valid token: the cached one, or one fresh request shared by every concurrent caller. */
  get(options: RequestOptions = {}): Promise<AccessToken> {
    const now = this.#o.now();
    const t = this.#token;
    if (t && now < t.expiresAtMs - (t.expiresAtMs - t.issuedAtMs) * REFRESH_LEFT) return Promise.resolve(t);
    this.#inflight ??= this.#fetch(options).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /**
   * Drops `used` after the API answered 401 with it, so that the next {@link get} fetches a
   * new one. A token another caller already replaced is left alone, so twenty concurrent 401s
   * cause one refresh, not twenty.
   */
  invalidate(used: AccessToken | string): void {
    const t = this.#token;
    if (!t) return;
    if (typeof used === 'string' ? t.header.reveal() === used : t.header === used.header) this.#token = undefined;
  }

  /** The cached token's `Bearer …` header, valid or not (read when a request is written). */
  currentHeader(): string | undefined {
    return this.#token?.header.reveal();
  }

  /** How long until the cached token should be refreshed (0 when it should be now). */
  msUntilRefresh(): number {
    const t = this.#token;
    if (!t) return 0;
    return Math.max(0, t.expiresAtMs - (t.expiresAtMs - t.issuedAtMs) * REFRESH_LEFT - this.#o.now());
  }

  /** Forgets the assertion too (e.g. the token endpoint refused it). */
  reset(): void {
    this.#token = undefined;
    this.#assertion = undefined;
  }

  #clientAssertion(): SecretValue {
    const now = this.#o.now();
    const a = this.#assertion;
    // Rotate when less than 5 % of its life is left (nanoaxm: 95 %), or within an hour of expiry.
    if (a && now < a.expiresAtMs - Math.max((a.expiresAtMs - a.issuedAtMs) * 0.05, 3_600_000)) return a.jwt;
    const { jwt, expiresAtMs } = createClientAssertion({
      clientId: this.#o.clientId,
      keyId: this.#o.keyId,
      privateKey: this.#o.privateKey,
      issuedAtMs: now,
      lifetimeMs: this.#o.assertionLifetimeMs,
    });
    this.#assertion = { jwt: new SecretValue(jwt), issuedAtMs: now, expiresAtMs };
    return this.#assertion.jwt;
  }

  async #fetch(options: RequestOptions): Promise<AccessToken> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#o.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: this.#clientAssertion().reveal(),
      scope: this.#o.scope,
    });
    const issuedAtMs = this.#o.now();
    this.requests++;
    let data: z.output<typeof TokenResponse>;
    try {
      ({ data } = await this.#o.transport.post(
        this.#o.tokenURL,
        { body, schema: TokenResponse, what: 'OAuth token response', idempotent: true },
        { signal: options.signal, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries },
      ));
    } catch (error) {
      // A refused assertion is not worth keeping; the next attempt signs a new one.
      this.#assertion = undefined;
      throw error;
    }
    const ttlMs = (data.expires_in ?? 3600) * 1000;
    const token = {
      header: new SecretValue(`Bearer ${data.access_token}`),
      issuedAtMs,
      expiresAtMs: issuedAtMs + ttlMs,
    };
    this.#token = token;
    return token;
  }
}
