/**
 * The JWT manager: `POST /login`, cache, refresh before expiry, single-flight, invalidation
 * after a 401 (Mosyle's `/login` docs: the token expires every 24 hours).
 *
 * - The JWT comes back in the `Authorization` RESPONSE header (either case, `Bearer ` prefix,
 *   possibly with stray whitespace: MOSBasic commit 3b05bdb "Sanitize Bearer token").
 * - Lifetime: 24 h per the docs, or the JWT's `exp` claim when it has one (unconfirmed), minus a
 *   refresh margin. The `Expires` header is PHP's 1981 no-cache default and is never read (the
 *   mistake of PS-Mosyle and mosyle2snipe).
 * - Concurrent callers share one login (single-flight), so 100 parallel requests after expiry
 *   cause one `/login`, not 100.
 */
import { AbortError, type RequestOptions, SecretValue, type Transport } from '@schoolmdm/core';
import { MosyleError } from '../errors.js';

/** Documented JWT lifetime: "The token will expire every 24 hours". */
export const JWT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What the auth manager needs from the client. */
export interface AuthConfig {
  transport: Transport;
  accessToken: SecretValue;
  email: string;
  password: SecretValue;
  now: () => number;
  /** Refresh this long before the expiry. */
  refreshMarginMs: number;
}

/** A logged-in session: the JWT and the ready-made `Authorization` header value. */
export interface Session {
  /** The JWT. */
  jwt: SecretValue;
  /** `Bearer <jwt>`, handed to the transport as a secret header value. */
  bearer: SecretValue;
  /** When it stops being used (ms). */
  expiresAt: number;
}

/** Logs in, caches the JWT and refreshes it; see the module comment. */
export class AuthManager {
  readonly #config: AuthConfig;
  #session: Session | undefined;
  #inflight: Promise<Session> | undefined;
  /** Logins made (observable in tests and benchmarks). */
  logins = 0;

  constructor(config: AuthConfig) {
    this.#config = config;
  }

  /**
   * A valid session: the cached one, or a fresh login shared by every concurrent caller. The
   * shared login does not take any one caller's signal (one caller giving up must not fail
   * the others); each caller's signal still ends its own wait.
   */
  async session(options: RequestOptions = {}): Promise<Session> {
    const s = this.#session;
    if (s && this.#config.now() < s.expiresAt - this.#config.refreshMarginMs) return s;
    return this.#shared(options);
  }

  /** Forgets `session` after the server refused its JWT, unless a newer one already replaced it. */
  invalidate(session: Session): void {
    if (this.#session === session) this.#session = undefined;
  }

  /** When the cached JWT expires (ms since the epoch), or `undefined` before the first login. */
  get expiresAt(): number | undefined {
    return this.#session?.expiresAt;
  }

  /** Logs in now (single-flight) and returns the session. */
  login(options: RequestOptions = {}): Promise<Session> {
    return this.#shared(options);
  }

  #shared(options: RequestOptions): Promise<Session> {
    this.#inflight ??= this.#doLogin({ timeoutMs: options.timeoutMs, maxRetries: options.maxRetries }).finally(() => {
      this.#inflight = undefined;
    });
    const signal = options.signal;
    if (!signal) return this.#inflight;
    if (signal.aborted) return Promise.reject(abortError());
    const login = this.#inflight;
    return new Promise<Session>((resolve, reject) => {
      const onAbort = (): void => reject(abortError());
      signal.addEventListener('abort', onAbort, { once: true });
      login.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  async #doLogin(options: RequestOptions): Promise<Session> {
    const { transport, accessToken, email, password, now } = this.#config;
    this.logins++;
    const loginAt = now();
    const res = await transport.post(
      '/login',
      {
        // SecretValues: revealed by the transport only when writing the request.
        body: { accessToken, email, password },
        idempotent: true,
        what: 'login',
      },
      { timeoutMs: options.timeoutMs, maxRetries: options.maxRetries },
    );
    const header = res.headers.get('authorization');
    const raw = header
      ?.replace(/\s+/g, ' ')
      .trim()
      .replace(/^bearer\s*/i, '')
      .replace(/\s+/g, '');
    if (!raw) {
      throw new MosyleError({
        status: 401,
        method: 'POST',
        url: transport.baseURL ? `${transport.baseURL}/login` : '/login',
        code: 'LOGIN_NO_TOKEN',
        detail: 'POST /login answered without a JWT in the Authorization response header',
        hint: 'Check the admin email and password, and that the access token was created for JWT authentication (tokens made for Basic auth must be replaced).',
      });
    }
    const exp = jwtExpiry(raw);
    const expiresAt = Math.min(loginAt + JWT_LIFETIME_MS, exp ?? Number.POSITIVE_INFINITY);
    const session: Session = { jwt: new SecretValue(raw), bearer: new SecretValue(`Bearer ${raw}`), expiresAt };
    this.#session = session;
    return session;
  }
}

/** The `exp` claim of a JWT in ms, when the token is a JWT with a numeric `exp`. */
export function jwtExpiry(jwt: string): number | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The caller's own abort while it waited for the shared login (the login goes on for the others). */
function abortError(): AbortError {
  return new AbortError({ method: 'POST', url: '/login' });
}
