/**
 * The one place that sends a Mosyle operation: adds `accessToken` to the JSON body and the
 * JWT as `Authorization: Bearer …`, logs in again once when Mosyle answers 401 or
 * `Unauthorized`, and turns failures carrying a Mosyle code into {@link MosyleError}.
 * Retries, backoff, rate limits and timeouts are the core transport's.
 */
import { ApiError, type RequestOptions, type SecretValue, type Sleep, type Transport } from '@schoolmdm/core';
import type { z } from 'zod';
import { MosyleError } from '../errors.js';
import type { AuthManager, Session } from './auth.js';
import { isMosyleCode } from './envelope.js';

/** Tunables shared by the resources. */
export interface ContextSettings {
  /** `page_size` sent with listings, when set (Mosyle may ignore it). */
  pageSize: number | undefined;
  /** Most pages read by one listing before `PaginationError` (`max-pages`). */
  maxPages: number;
  /** Serials per `/devices` update request. */
  updateChunkSize: number;
  /** Serials per `/listdevices` lookup (`serial_numbers`). */
  lookupChunkSize: number;
  /** UDIDs per group or command request. */
  commandChunkSize: number;
  /** Requests of one batch in flight at once. */
  concurrency: number;
}

/** What every resource receives: the transport, the auth manager and the settings. */
export class MosyleContext {
  readonly transport: Transport;
  readonly auth: AuthManager;
  readonly settings: ContextSettings;
  readonly now: () => number;
  readonly sleep: Sleep;
  readonly #accessToken: SecretValue;

  constructor(init: {
    transport: Transport;
    auth: AuthManager;
    accessToken: SecretValue;
    settings: ContextSettings;
    now: () => number;
    sleep: Sleep;
  }) {
    this.transport = init.transport;
    this.auth = init.auth;
    this.#accessToken = init.accessToken;
    this.settings = init.settings;
    this.now = init.now;
    this.sleep = init.sleep;
  }

  /**
   * POSTs `body` (plus `accessToken`) to `path` with the current JWT and returns the parsed
   * body. `idempotent` marks read-only operations so the transport may retry them.
   */
  async call(
    path: string,
    body: Record<string, unknown>,
    params: { idempotent: boolean; what: string; schema?: z.ZodType },
    options: RequestOptions = {},
  ): Promise<unknown> {
    let relogged = false;
    for (;;) {
      let session: Session;
      try {
        session = await this.auth.session(options);
      } catch (error) {
        throw toMosyleError(error);
      }
      try {
        const res = await this.transport.post(
          path,
          {
            // SecretValues: the transport reveals them only on the wire and redacts them elsewhere.
            body: { accessToken: this.#accessToken, ...body },
            headers: { authorization: session.bearer },
            idempotent: params.idempotent,
            what: params.what,
            schema: params.schema,
          },
          options,
        );
        return res.data;
      } catch (error) {
        // One re-login on 401/Unauthorized (expired or revoked JWT), never a loop.
        if (!relogged && isUnauthorized(error)) {
          relogged = true;
          this.auth.invalidate(session);
          continue;
        }
        throw toMosyleError(error);
      }
    }
  }
}

/** A 401 that a fresh JWT may cure (not a bad access token, which a login cannot fix). */
function isUnauthorized(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 401) return false;
  return error.code !== 'Invalid accessToken' && error.code !== 'accessToken Required';
}

/** An {@link ApiError} carrying a Mosyle code becomes a {@link MosyleError}; others pass. */
export function toMosyleError(error: unknown): unknown {
  if (error instanceof MosyleError) return error;
  if (error instanceof ApiError && isMosyleCode(error.code)) return MosyleError.fromApiError(error);
  return error;
}
