/**
 * The `X-ADM-Auth-Session` of one server token: obtained with an OAuth 1.0a signed
 * `GET /session`, single-flight, replaced when Apple rotates it. Not part of the public API.
 */
import { type RequestOptions, SecretValue, type Transport } from '@schoolmdm/core';
import type { z } from 'zod';
import { oauth1Header } from './oauth1.js';
import { SessionResponse } from './schemas.js';
import type { ServerTokenLike } from './token.js';

/** The session of one server token: single-flight, invalidated after a 401/403, rotated on Apple's word. */
export class DepSession {
  readonly #transport: Transport;
  readonly #token: ServerTokenLike;
  readonly #now: () => number;
  #session: SecretValue | undefined;
  #inflight: Promise<SecretValue> | undefined;
  /** `GET /session` requests sent. */
  authentications = 0;

  constructor(transport: Transport, token: ServerTokenLike, now: () => number) {
    this.#transport = transport;
    this.#token = token;
    this.#now = now;
  }

  get(options: RequestOptions): Promise<SecretValue> {
    if (this.#session) return Promise.resolve(this.#session);
    this.#inflight ??= this.#authenticate(options).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Drops `used` after a 401/403 FORBIDDEN (unless another call already replaced it). */
  invalidate(used: SecretValue): void {
    if (this.#session === used) this.#session = undefined;
  }

  /** Adopts a session Apple rotated in a response header. */
  adopt(value: string): void {
    if (value !== '' && this.#session?.reveal() !== value) this.#session = new SecretValue(value);
  }

  async #authenticate(options: RequestOptions): Promise<SecretValue> {
    const url = `${this.#transport.baseURL}/session`;
    const authorization = oauth1Header({
      method: 'GET',
      url,
      consumerKey: this.#token.consumerKey,
      consumerSecret: this.#token.consumerSecret,
      token: this.#token.accessToken,
      tokenSecret: this.#token.accessSecret,
      timestamp: this.#now() / 1000,
    });
    this.authentications++;
    const { data } = await this.#transport.get<z.output<typeof SessionResponse>>(
      url,
      { headers: { authorization: new SecretValue(authorization) }, schema: SessionResponse, what: 'DEP session' },
      options,
    );
    this.#session = new SecretValue(data.auth_session_token);
    return this.#session;
  }
}
