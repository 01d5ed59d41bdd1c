/**
 * msw response helpers any schoolmdm client package (and its users) can reuse in tests:
 * rate limits, server and network errors, response sequences and paginated lists.
 * Each helper returns an msw resolver, so it builds a fresh `Response` for every request.
 *
 * @example
 * ```ts
 * import { http } from 'msw';
 * import { setupServer } from 'msw/node';
 * import { rateLimited, sequence, json } from '@schoolmdm/core/testing';
 *
 * const server = setupServer(
 *   http.get('https://api-school.apple.com/v1/orgDevices', sequence(rateLimited({ retryAfter: 1 }), json({ data: [] }))),
 * );
 * server.listen({ onUnhandledRequest: 'error' });
 * ```
 */
// Types only: this module builds plain `Response`s, so `@schoolmdm/core/testing` (and its
// `startTestServer`) loads without msw installed; msw is needed only to register handlers.
import type { HttpResponseResolver, JsonBodyType } from 'msw';

/** A JSON `Response`, as msw's `HttpResponse.json` builds it. */
function jsonResponse(body: JsonBodyType, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/** Options of {@link rateLimited}. */
export interface RateLimitedOptions {
  /** `Retry-After`: a number of seconds, a `Date` (sent as an HTTP-date) or a raw header value. */
  retryAfter?: number | Date | string;
  /** `retry-after-ms`, in milliseconds. */
  retryAfterMs?: number;
  /** JSON body. @defaultValue Apple's error shape with code `RATE_LIMIT_EXCEEDED` */
  body?: JsonBodyType;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** A 429 response, with `Retry-After` in either form when asked. */
export function rateLimited(options: RateLimitedOptions = {}): HttpResponseResolver {
  return () => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.retryAfter !== undefined) headers['retry-after'] = formatRetryAfter(options.retryAfter);
    if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
    const body = options.body ?? {
      errors: [
        { status: '429', code: 'RATE_LIMIT_EXCEEDED', title: 'Too many requests', detail: 'Rate limit exceeded' },
      ],
    };
    return jsonResponse(body, { status: 429, headers });
  };
}

/** Options of {@link serverError}. */
export interface ServerErrorOptions {
  /** Status code (5xx, or 408). @defaultValue `500` */
  status?: number;
  /** JSON body. @defaultValue Apple's error shape with code `INTERNAL_ERROR` */
  body?: JsonBodyType;
  /** `Retry-After` (seconds, `Date` or raw value), e.g. for a 503. */
  retryAfter?: number | Date | string;
}

/** A server error response (500 by default). */
export function serverError(options: ServerErrorOptions = {}): HttpResponseResolver {
  return () => {
    const status = options.status ?? 500;
    const headers: Record<string, string> = {};
    if (options.retryAfter !== undefined) headers['retry-after'] = formatRetryAfter(options.retryAfter);
    const body = options.body ?? {
      errors: [
        { status: String(status), code: 'INTERNAL_ERROR', title: 'Internal error', detail: 'The server failed' },
      ],
    };
    return jsonResponse(body, { status, headers });
  };
}

/** A network failure: `fetch` rejects with a `TypeError`, as on a refused or reset connection. */
export function networkError(): HttpResponseResolver {
  return () => Response.error();
}

/** A JSON response. */
export function json(
  body: JsonBodyType,
  init: { status?: number; headers?: Record<string, string> } = {},
): HttpResponseResolver {
  return () => jsonResponse(body, init);
}

/**
 * Answers the n-th request with the n-th resolver; after the last, keeps using the last.
 * Use it for "fail twice, then succeed".
 */
export function sequence(...resolvers: HttpResponseResolver[]): HttpResponseResolver {
  if (resolvers.length === 0) throw new TypeError('sequence() needs at least one resolver');
  let calls = 0;
  return (info) => {
    const resolver = resolvers[Math.min(calls, resolvers.length - 1)] as HttpResponseResolver;
    calls++;
    return resolver(info);
  };
}

/** One page of a {@link paginated} list, handed to `render`. */
export interface PageSlice<T> {
  /** Items of this page. */
  items: T[];
  /** Cursor of the next page (`cursor` style), `undefined` on the last page. */
  nextCursor: string | undefined;
  /** This page's number (`page` style). */
  page: number;
  /** Page size. */
  pageSize: number;
  /** Total number of items. */
  total: number;
}

/** Options of {@link paginated}. */
export interface PaginatedOptions<T> {
  /** Items per page. */
  pageSize: number;
  /** Cursor (`?cursor=`) or page-number (`?page=`) pagination. @defaultValue `'cursor'` */
  style?: 'cursor' | 'page';
  /** Name (or dotted path in a JSON body, e.g. `options.page`) of the cursor or page parameter. @defaultValue `'cursor'` or `'page'` */
  param?: string;
  /** Where the parameter is read: the query string, or the JSON body of a POST (Mosyle, DEP). @defaultValue `'query'` */
  source?: 'query' | 'body';
  /** Number of the first page (`page` style). @defaultValue `1` */
  firstPage?: number;
  /**
   * After the last page: `'end'` sends no next cursor; `'repeat-cursor'` sends the current
   * cursor again, as DEP does (micromdm/nanodep#73). @defaultValue `'end'`
   */
  lastPage?: 'end' | 'repeat-cursor';
  /** Builds the body of a page. @defaultValue `{ data, nextCursor, page, pageSize, total }` */
  render?: (slice: PageSlice<T>) => JsonBodyType;
}

/**
 * Serves `items` page by page. Cursors are opaque strings; an unknown cursor gets a 400 with
 * code `INVALID_CURSOR`.
 */
export function paginated<T extends JsonBodyType>(
  items: readonly T[],
  options: PaginatedOptions<T>,
): HttpResponseResolver {
  const { pageSize } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new TypeError('paginated() needs a positive integer pageSize');
  const style = options.style ?? 'cursor';
  const param = options.param ?? (style === 'cursor' ? 'cursor' : 'page');
  const firstPage = options.firstPage ?? 1;
  const render =
    options.render ??
    ((s: PageSlice<T>): JsonBodyType => ({
      data: s.items,
      nextCursor: s.nextCursor ?? null,
      page: s.page,
      pageSize: s.pageSize,
      total: s.total,
    }));
  return async ({ request }) => {
    const raw = await readParam(request, param, options.source ?? 'query');
    let offset: number;
    if (style === 'cursor') {
      if (raw === undefined || raw === '') offset = 0;
      else {
        const m = /^c(\d+)$/.exec(raw);
        if (!m) {
          return jsonResponse(
            { errors: [{ status: '400', code: 'INVALID_CURSOR', title: 'Invalid cursor' }] },
            { status: 400 },
          );
        }
        offset = Number(m[1]);
      }
    } else {
      const page = raw === undefined || raw === '' ? firstPage : Number(raw);
      offset = Math.max(0, (page - firstPage) * pageSize);
    }
    const slice = items.slice(offset, offset + pageSize);
    const end = offset + pageSize >= items.length;
    const nextCursor = end
      ? options.lastPage === 'repeat-cursor'
        ? `c${offset}`
        : undefined
      : `c${offset + pageSize}`;
    return jsonResponse(
      render({
        items: slice,
        nextCursor,
        page: firstPage + Math.floor(offset / pageSize),
        pageSize,
        total: items.length,
      }),
    );
  };
}

async function readParam(request: Request, param: string, source: 'query' | 'body'): Promise<string | undefined> {
  if (source === 'query') return new URL(request.url).searchParams.get(param) ?? undefined;
  const text = await request.clone().text();
  if (text === '') return undefined;
  let value: unknown = JSON.parse(text);
  for (const key of param.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value === undefined || value === null ? undefined : String(value);
}

function formatRetryAfter(value: number | Date | string): string {
  if (value instanceof Date) return value.toUTCString();
  return String(value);
}
