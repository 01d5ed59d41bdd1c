/**
 * `createAppsAndBooksSimulator()`: a stateful fake of the Apps and Books API v2 as msw 2
 * handlers, also servable by a real `node:http` server (core's `startTestServer`) through
 * `nodeHandler`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { type EngineRequest, type EngineResponse, handle, SIMULATED_PATHS, settleEvents } from './engine.js';
import { type AppsAndBooksSimulatorSeed, type AppsAndBooksSimulatorState, createAppsAndBooksState } from './state.js';

/** Options of {@link createAppsAndBooksSimulator}. */
export interface AppsAndBooksSimulatorOptions {
  /** Base URL the handlers answer. @defaultValue `'https://vpp.itunes.apple.com/mdm/v2'` */
  baseURL?: string;
  /** The simulator's clock (token expiry, rate window, events): share a virtual clock with the client. @defaultValue `Date.now` */
  now?: () => number;
}

/** What {@link AppsAndBooksSimulator.issueToken} takes. */
export interface IssueTokenOptions {
  /** @defaultValue `'Springfield Elementary'` */
  orgName?: string;
  /** @defaultValue one year from the simulator's `now()` */
  expiresAt?: Date;
  /** Issue it already revoked. @defaultValue `false` */
  revoked?: boolean;
}

/** A running simulator. */
export interface AppsAndBooksSimulator {
  /** msw 2 handlers: `setupServer(...simulator.handlers)`. */
  handlers: RequestHandler[];
  /** The live state: seed it, observe it, share it. */
  state: AppsAndBooksSimulatorState;
  /** The base URL the handlers answer. */
  baseURL: string;
  /**
   * A `node:http`-style handler serving the same API for core's `startTestServer`: point a
   * client at `${server.url}/mdm/v2` (any path prefix works; the part after it is the endpoint).
   */
  nodeHandler: (
    req: { method: string; url: string; headers: IncomingMessage['headers']; body: string },
    res: ServerResponse,
  ) => void;
  /**
   * Makes a content-token file (Base64 of `{ token, expDate, orgName }`, as Apple School Manager
   * downloads it) and registers it as known. Returns the file text, which is the Bearer value.
   */
  issueToken(options?: IssueTokenOptions): string;
  /** Processes every pending event now, whatever its `completesAt`. */
  settleEvents(): void;
}

/**
 * Creates a simulator of the Apps and Books API over `state` (completed in place with defaults,
 * so the object you pass is the one it uses).
 *
 * @example
 * ```ts
 * const sim = createAppsAndBooksSimulator({ assets: [{ adamId: '361309726', totalCount: 30 }] });
 * const server = setupServer(...sim.handlers);
 * server.listen({ onUnhandledRequest: 'error' });
 * const client = new AppsAndBooksClient({ token: sim.issueToken() });
 * ```
 */
export function createAppsAndBooksSimulator(
  state: AppsAndBooksSimulatorSeed = {},
  options: AppsAndBooksSimulatorOptions = {},
): AppsAndBooksSimulator {
  const full = createAppsAndBooksState(state);
  const now = options.now ?? Date.now;
  const baseURL = (options.baseURL ?? 'https://vpp.itunes.apple.com/mdm/v2').replace(/\/+$/, '');
  const basePath = new URL(baseURL).pathname.replace(/\/+$/, '');

  const respond = (r: EngineResponse): Response =>
    HttpResponse.json(r.body as never, { status: r.status, headers: r.headers });

  const handlers: RequestHandler[] = SIMULATED_PATHS.map((path) =>
    http.all(`${baseURL}/${path}`, async ({ request }) => {
      const url = new URL(request.url);
      return respond(
        handle(
          full,
          {
            method: request.method.toUpperCase(),
            path,
            query: url.searchParams,
            authorization: request.headers.get('authorization'),
            contentType: request.headers.get('content-type'),
            body: request.method === 'GET' ? '' : await request.text(),
          },
          now(),
        ),
      );
    }),
  );

  const nodeHandler: AppsAndBooksSimulator['nodeHandler'] = (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = endpointOf(url.pathname, basePath);
    const header = (name: string): string | null => {
      const v = req.headers[name];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    };
    const request: EngineRequest = {
      method: req.method.toUpperCase(),
      path,
      query: url.searchParams,
      authorization: header('authorization'),
      contentType: header('content-type'),
      body: req.body,
    };
    const r = handle(full, request, now());
    const text = JSON.stringify(r.body);
    res.writeHead(r.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...r.headers,
    });
    res.end(text);
  };

  return {
    handlers,
    state: full,
    baseURL,
    nodeHandler,
    issueToken(opts: IssueTokenOptions = {}) {
      const orgName = opts.orgName ?? 'Springfield Elementary';
      const expiresAt = opts.expiresAt ?? new Date(now() + 365 * 86_400_000);
      const expDate = `${expiresAt.toISOString().slice(0, 19)}+0000`;
      const json = JSON.stringify({ token: randomBytes(48).toString('base64'), expDate, orgName }, null, 2);
      const file = Buffer.from(json, 'utf8').toString('base64');
      full.tokens[file] = { orgName, expiresAt: expiresAt.toISOString(), revoked: opts.revoked ?? false };
      return file;
    },
    settleEvents() {
      settleEvents(full, Number.POSITIVE_INFINITY);
    },
  };
}

/** `/mdm/v2/assets/associate` → `assets/associate`, for any prefix ending before a known endpoint. */
function endpointOf(pathname: string, basePath: string): string {
  const trimmed = pathname.startsWith(`${basePath}/`)
    ? pathname.slice(basePath.length + 1)
    : pathname.replace(/^\/+/, '');
  for (const p of SIMULATED_PATHS) if (trimmed === p || trimmed.endsWith(`/${p}`)) return p;
  return trimmed;
}
