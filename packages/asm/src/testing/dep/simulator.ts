/**
 * A stateful simulator of Apple's Device Assignment (DEP) API as msw 2 handlers: OAuth 1.0a
 * `GET /session` checked with the token's secrets (signature, timestamp, nonce), sessions that
 * expire and rotate, cursor fetch/sync with Apple's error strings, an optional repeated cursor
 * with `more_to_follow: true`, and per-device `THROTTLED`/`FAILED` on profile assignment.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { DEVICE_ASSIGNMENT_BASE_URL } from '../../constants.js';
import { percentEncode } from '../../dep/oauth1.js';
import { takeFault } from '../faults.js';
import { type DepSimInit, type DepSimState, removeDepDevice, toDepSimState } from './state.js';

/** Options of {@link createDepSimulator}. */
export interface DepSimulatorOptions {
  /** API root. @defaultValue `https://mdmenrollment.apple.com` */
  baseURL?: string;
  /** Match any origin (for a real local server through `toTestServerHandler`). @defaultValue `false` */
  anyOrigin?: boolean;
}

/** A running DEP simulator. */
export interface DepSimulator {
  /** msw handlers. */
  handlers: RequestHandler[];
  /** The shared state. */
  state: DepSimState;
}

interface Cursor {
  k: 'f' | 's';
  o: number;
  e: number;
  t: number;
}

/**
 * Creates the simulator.
 *
 * @example
 * ```ts
 * const sim = createDepSimulator({ tokens: [token], devices: [{ serial_number: 'DMPXK0AAHP5Q', model: 'iPad' }] });
 * setupServer(...sim.handlers).listen({ onUnhandledRequest: 'error' });
 * ```
 */
export function createDepSimulator(
  init: DepSimInit | DepSimState = {},
  options: DepSimulatorOptions = {},
): DepSimulator {
  const state = toDepSimState(init);
  const base = (options.baseURL ?? DEVICE_ASSIGNMENT_BASE_URL).replace(/\/+$/, '');
  const basePath = new URL(base).pathname.replace(/\/$/, '');
  const at = (path: string): string => (options.anyOrigin ? `*${basePath}${path}` : `${base}${path}`);
  const now = (): number => state.now();

  const text = (status: number, body: string, headers: Record<string, string> = {}): Response =>
    new HttpResponse(body, {
      status,
      headers: { 'content-type': 'text/plain;charset=UTF8', ...headers },
    }) as unknown as Response;
  const record = (request: Request, status: number): void => {
    const url = new URL(request.url);
    state.calls.push({
      at: now(),
      method: request.method,
      path: `${url.pathname}${url.search}`,
      status,
      protocolVersion: request.headers.get('x-server-protocol-version'),
    });
  };

  const common = (request: Request): Response | undefined => {
    const ua = request.headers.get('user-agent');
    if (!ua) return text(400, 'USER_AGENT_MISSING');
    if (!state.config.termsSigned) return text(403, 'T_C_NOT_SIGNED');
    if (state.config.accessDenied) return text(403, 'ACCESS_DENIED');
    return undefined;
  };

  type Handler = (request: Request, ctx: { protocol: number }) => Response | Promise<Response>;
  const authed =
    (handler: Handler) =>
    async ({ request }: { request: Request }): Promise<Response> => {
      const respond = (r: Response): Response => {
        record(request, r.status || 0);
        return r;
      };
      const early = common(request);
      if (early) return respond(early);
      const fault = takeFault(state.faults, request);
      if (fault) {
        if (fault.kind === 'reset') return respond(HttpResponse.error() as unknown as Response);
        if (fault.kind === 'forbidden') return respond(text(403, 'FORBIDDEN'));
        if (fault.kind === 'unauthorized') return respond(text(401, 'UNAUTHORIZED'));
        if (fault.kind === 'malformed')
          return respond(
            new HttpResponse('{"devices": [', {
              status: 200,
              headers: { 'content-type': 'application/json' },
            }) as unknown as Response,
          );
        return respond(text(fault.status ?? 503, 'SERVICE_UNAVAILABLE'));
      }
      const value = request.headers.get('x-adm-auth-session') ?? '';
      const session = state.sessions.get(value);
      if (!session || session.expiresAt <= now()) {
        if (session) state.sessions.delete(value);
        return respond(text(401, 'UNAUTHORIZED'));
      }
      session.requests++;
      let rotated: string | undefined;
      if (state.config.rotateSessionEvery > 0 && session.requests % state.config.rotateSessionEvery === 0) {
        rotated = newSession(session.consumerKey);
        state.sessions.delete(value);
      }
      const protocol = Number(request.headers.get('x-server-protocol-version') ?? '1') || 1;
      const response = await handler(request, { protocol });
      if (rotated) response.headers.set('x-adm-auth-session', rotated);
      return respond(response);
    };

  const newSession = (consumerKey: string): string => {
    const value = `${randomUUID()}-${randomBytes(8).toString('hex')}`;
    state.sessions.set(value, { consumerKey, expiresAt: now() + state.config.sessionTtlMs, requests: 0 });
    return value;
  };

  const readJson = async (request: Request): Promise<Record<string, unknown> | Response> => {
    try {
      const body = JSON.parse(await request.text());
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return text(400, 'MALFORMED_REQUEST_BODY');
      return body as Record<string, unknown>;
    } catch {
      return text(400, 'MALFORMED_REQUEST_BODY');
    }
  };

  const deviceView = (serial: string, protocol: number): Record<string, unknown> => {
    const d = state.devices.get(serial);
    if (!d) return { serial_number: serial };
    const { mdm_migration_deadline, ...rest } = d;
    return protocol >= 8 && mdm_migration_deadline ? { ...rest, mdm_migration_deadline } : rest;
  };

  const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('hex');
  const decodeCursor = (raw: unknown): Cursor | undefined => {
    if (typeof raw !== 'string' || !/^[0-9a-f]+$/.test(raw)) return undefined;
    try {
      const c = JSON.parse(Buffer.from(raw, 'hex').toString()) as Cursor;
      return typeof c.o === 'number' && typeof c.t === 'number' ? c : undefined;
    } catch {
      return undefined;
    }
  };
  const pageLimit = (body: Record<string, unknown>): number =>
    Math.min(state.config.maxLimit, Math.max(1, Number(body.limit ?? 100) || 100));

  const deviceList = (body: Record<string, unknown>): string[] | Response => {
    const list = body.devices;
    if (!Array.isArray(list) || list.length === 0) return text(400, 'DEVICE_ID_REQUIRED');
    if (list.length > state.config.maxDevicesPerRequest) return text(400, 'DEVICE_LIMIT_EXCEEDED');
    return list.map((s) => String(s).toUpperCase());
  };

  const assignProfile = async (request: Request, { protocol }: { protocol: number }): Promise<Response> => {
    const body = await readJson(request);
    if (body instanceof Response) return body;
    const uuid = body.profile_uuid;
    if (typeof uuid !== 'string' || uuid === '') return text(400, 'PROFILE_UUID_REQUIRED');
    if (!state.profiles.has(uuid)) return text(400, 'PROFILE_NOT_FOUND');
    const serials = deviceList(body);
    if (serials instanceof Response) return serials;
    const devices: Record<string, string> = {};
    let throttled = false;
    for (const s of serials) {
      const d = state.devices.get(s);
      const left = state.config.throttled.get(s) ?? 0;
      if (!d) devices[s] = 'NOT_ACCESSIBLE';
      else if (state.config.failing.has(s)) devices[s] = 'FAILED';
      else if (left > 0) {
        state.config.throttled.set(s, left - 1);
        devices[s] = protocol >= 9 ? 'THROTTLED' : 'FAILED';
        throttled = protocol >= 9;
      } else {
        d.profile_uuid = uuid;
        d.profile_status = 'assigned';
        d.profile_assign_time = new Date(now()).toISOString();
        state.changes.push({ serial: s, op_type: 'modified', at: now() });
        devices[s] = 'SUCCESS';
      }
    }
    return HttpResponse.json({
      profile_uuid: uuid,
      devices,
      ...(throttled && protocol >= 10 ? { retry_after_seconds: state.config.retryAfterSeconds } : {}),
    }) as unknown as Response;
  };

  const handlers: RequestHandler[] = [
    http.get(at('/session'), ({ request }) => {
      const early = common(request);
      const response = early ?? authenticate(state, request, newSession);
      record(request, response.status);
      return response;
    }),
    http.get(
      at('/account'),
      authed(() => HttpResponse.json(state.account) as unknown as Response),
    ),
    http.post(
      at('/server/devices'),
      authed(async (request, { protocol }) => {
        const body = await readJson(request);
        if (body instanceof Response) return body;
        const serials = [...state.devices.keys()];
        let c: Cursor = { k: 'f', o: 0, e: state.changes.length, t: now() };
        if (body.cursor !== undefined) {
          const parsed = decodeCursor(body.cursor);
          if (parsed?.k !== 'f') return text(400, 'INVALID_CURSOR');
          if (parsed.t + state.config.cursorMaxAgeMs < now()) return text(400, 'EXPIRED_CURSOR');
          if (parsed.o >= serials.length) {
            if (state.config.repeatCursorAtEnd) {
              return HttpResponse.json({
                cursor: body.cursor,
                devices: [],
                fetched_until: new Date(now()).toISOString(),
                more_to_follow: true,
              }) as unknown as Response;
            }
            return text(400, 'EXHAUSTED_CURSOR');
          }
          c = parsed;
        }
        const limit = pageLimit(body);
        const slice = serials.slice(c.o, c.o + limit);
        const next: Cursor = { k: 'f', o: c.o + slice.length, e: c.e, t: c.t };
        const more = next.o < serials.length;
        return HttpResponse.json({
          cursor: encodeCursor(next),
          devices: slice.map((s) => deviceView(s, protocol)),
          fetched_until: new Date(now()).toISOString(),
          more_to_follow: more || state.config.repeatCursorAtEnd,
        }) as unknown as Response;
      }),
    ),
    http.post(
      at('/devices/sync'),
      authed(async (request, { protocol }) => {
        const body = await readJson(request);
        if (body instanceof Response) return body;
        if (body.cursor === undefined || body.cursor === '') return text(400, 'CURSOR_REQUIRED');
        const c = decodeCursor(body.cursor);
        if (!c) return text(400, 'INVALID_CURSOR');
        if (c.t + state.config.cursorMaxAgeMs < now()) return text(400, 'EXPIRED_CURSOR');
        const start = c.k === 'f' ? c.e : c.o;
        const limit = pageLimit(body);
        const slice = state.changes.slice(start, start + limit);
        const devices = slice.flatMap((ch) => {
          const d = { ...deviceView(ch.serial, protocol), op_type: ch.op_type, op_date: new Date(ch.at).toISOString() };
          return state.config.duplicateSyncChanges ? [d, { ...d }] : [d];
        });
        const next: Cursor = { k: 's', o: start + slice.length, e: 0, t: now() };
        return HttpResponse.json({
          cursor: encodeCursor(next),
          devices,
          fetched_until: new Date(now()).toISOString(),
          more_to_follow: next.o < state.changes.length,
        }) as unknown as Response;
      }),
    ),
    http.post(
      at('/devices/disown'),
      authed(async (request) => {
        const body = await readJson(request);
        if (body instanceof Response) return body;
        const serials = deviceList(body);
        if (serials instanceof Response) return serials;
        const devices: Record<string, string> = {};
        for (const s of serials) {
          if (state.devices.has(s)) {
            removeDepDevice(state, s);
            devices[s] = 'SUCCESS';
          } else devices[s] = 'NOT_ACCESSIBLE';
        }
        return HttpResponse.json({ devices }) as unknown as Response;
      }),
    ),
    http.post(
      at('/profile'),
      authed(async (request) => {
        const body = await readJson(request);
        if (body instanceof Response) return body;
        if (typeof body.profile_name !== 'string' || body.profile_name === '') return text(400, 'CONFIG_NAME_REQUIRED');
        if (typeof body.url !== 'string' || body.url === '') return text(400, 'CONFIG_URL_REQUIRED');
        if (body.is_mdm_removable === false && body.is_supervised !== true) return text(400, 'FLAGS_INVALID');
        const uuid = randomBytes(16).toString('hex').toUpperCase();
        const { devices: list, ...profile } = body;
        state.profiles.set(uuid, { ...profile, profile_uuid: uuid });
        const devices: Record<string, string> = {};
        for (const s of Array.isArray(list) ? list.map((x) => String(x).toUpperCase()) : []) {
          const d = state.devices.get(s);
          if (!d) devices[s] = 'NOT_ACCESSIBLE';
          else {
            d.profile_uuid = uuid;
            d.profile_status = 'assigned';
            devices[s] = 'SUCCESS';
          }
        }
        return HttpResponse.json({ profile_uuid: uuid, devices }) as unknown as Response;
      }),
    ),
    http.get(
      at('/profile'),
      authed((request) => {
        const uuid = new URL(request.url).searchParams.get('profile_uuid');
        if (!uuid) return text(400, 'PROFILE_UUID_REQUIRED');
        const p = state.profiles.get(uuid);
        return p ? (HttpResponse.json(p) as unknown as Response) : text(404, 'PROFILE_NOT_FOUND');
      }),
    ),
    http.post(at('/profile/devices'), authed(assignProfile)),
    http.put(at('/profile/devices'), authed(assignProfile)),
    http.delete(
      at('/profile/devices'),
      authed(async (request) => {
        const body = await readJson(request);
        if (body instanceof Response) return body;
        const serials = deviceList(body);
        if (serials instanceof Response) return serials;
        const devices: Record<string, string> = {};
        for (const s of serials) {
          const d = state.devices.get(s);
          if (!d) devices[s] = 'NOT_ACCESSIBLE';
          else {
            d.profile_uuid = undefined;
            d.profile_status = 'removed';
            devices[s] = 'SUCCESS';
          }
        }
        return HttpResponse.json({ devices }) as unknown as Response;
      }),
    ),
    // Last: in anyOrigin mode `*/devices` would also match `/profile/devices`.
    http.post(
      at('/devices'),
      authed(async (request, { protocol }) => {
        const body = await readJson(request);
        if (body instanceof Response) return body;
        const serials = deviceList(body);
        if (serials instanceof Response) return serials;
        const devices: Record<string, unknown> = {};
        for (const s of serials) {
          devices[s] = state.devices.has(s)
            ? { ...deviceView(s, protocol), response_status: 'SUCCESS' }
            : { response_status: 'NOT_ACCESSIBLE' };
        }
        return HttpResponse.json({ devices }) as unknown as Response;
      }),
    ),
  ];
  return { handlers, state };
}

/** Checks the OAuth 1.0a header of `GET /session` with the token's secrets; issues a session. */
function authenticate(state: DepSimState, request: Request, newSession: (consumerKey: string) => string): Response {
  const text = (status: number, body: string): Response =>
    new HttpResponse(body, { status, headers: { 'content-type': 'text/plain' } }) as unknown as Response;
  const header = request.headers.get('authorization') ?? '';
  if (!header.startsWith('OAuth ')) return text(400, 'oauth_problem_adviceBad Request');
  const params: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/([A-Za-z0-9_%-]+)="([^"]*)"/g)) {
    const key = decodeURIComponent(m[1] as string);
    if (key in params) return text(400, 'oauth_problem_adviceBad Request');
    params[key] = decodeURIComponent(m[2] as string);
  }
  const required = [
    'oauth_consumer_key',
    'oauth_token',
    'oauth_signature_method',
    'oauth_timestamp',
    'oauth_nonce',
    'oauth_signature',
  ];
  if (required.some((k) => !params[k]) || params.oauth_signature_method !== 'HMAC-SHA1') {
    return text(400, 'oauth_problem_adviceBad Request');
  }
  if (params.oauth_version !== undefined && params.oauth_version !== '1.0')
    return text(400, 'oauth_problem_adviceBad Request');
  const token = state.tokens.find(
    (t) => t.consumerKey === params.oauth_consumer_key && t.accessToken === params.oauth_token,
  );
  if (!token) return text(401, 'oauth_problem_adviceUnauthorized');
  if (token.expiresAt !== undefined && token.expiresAt <= state.now()) return text(401, 'token_expiredUnauthorized');
  const skew = Math.abs(Number(params.oauth_timestamp) - state.now() / 1000);
  if (!(skew <= state.config.timestampSkewSeconds)) return text(401, 'oauth_problem_adviceUnauthorized');
  const nonceKey = `${params.oauth_consumer_key}:${params.oauth_nonce}`;
  if (state.nonces.has(nonceKey)) return text(401, 'oauth_problem_adviceUnauthorized');
  // RFC 5849 §3.4.1: method, base URI, sorted parameters (query and oauth_*, not the signature or realm).
  const url = new URL(request.url);
  const pairs: [string, string][] = Object.entries(params).filter(([k]) => k !== 'oauth_signature' && k !== 'realm');
  for (const [k, v] of url.searchParams) pairs.push([k, v]);
  const normalized = pairs
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .sort()
    .join('&');
  const baseString = `GET&${percentEncode(`${url.protocol}//${url.host}${url.pathname}`)}&${percentEncode(normalized)}`;
  const expected = createHmac('sha1', `${percentEncode(token.consumerSecret)}&${percentEncode(token.accessSecret)}`)
    .update(baseString)
    .digest();
  const given = Buffer.from(params.oauth_signature as string, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return text(401, 'oauth_problem_adviceUnauthorized');
  state.nonces.add(nonceKey);
  return HttpResponse.json({ auth_session_token: newSession(token.consumerKey) }) as unknown as Response;
}
