/**
 * `createAppsAndBooksSimulator()`: a stateful fake of the Apps and Books API v2 as msw 2
 * handlers, for msw's `setupServer` and, with `anyOrigin: true` and `toTestServerHandler`, for a
 * real `node:http` server (core's `startTestServer`).
 */
import { randomBytes } from 'node:crypto';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { type EngineResponse, handle, SIMULATED_PATHS, settleEvents } from './engine.js';
import { type AppsAndBooksSimulatorSeed, type AppsAndBooksSimulatorState, createAppsAndBooksState } from './state.js';

/** Options of {@link createAppsAndBooksSimulator}. */
export interface AppsAndBooksSimulatorOptions {
  /** Base URL the handlers answer. @defaultValue `'https://vpp.itunes.apple.com/mdm/v2'` */
  baseURL?: string;
  /** The simulator's clock (token expiry, rate window, events): share a virtual clock with the client. @defaultValue `Date.now` */
  now?: () => number;
  /**
   * Match any origin (`*` + the base URL's path), for a real local server:
   * `startTestServer(toTestServerHandler(sim.handlers))`, client `baseURL: \`${server.url}/mdm/v2\``.
   * @defaultValue `false`
   */
  anyOrigin?: boolean;
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
  /** msw 2 handlers: `setupServer(...simulator.handlers)` or `toTestServerHandler(simulator.handlers)`. */
  handlers: RequestHandler[];
  /** The live state: seed it, observe it, share it. */
  state: AppsAndBooksSimulatorState;
  /** The base URL the handlers answer. */
  baseURL: string;
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
    http.all(options.anyOrigin ? `*${basePath}/${path}` : `${baseURL}/${path}`, async ({ request }) => {
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

  return {
    handlers,
    state: full,
    baseURL,
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
