/** The msw helpers of `@schoolmdm/core/testing`, through real fetch calls into msw. */
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, networkError, paginated, rateLimited, sequence, serverError } from '../../src/testing/index.js';

const URL_ = 'https://helpers.test/x';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('msw helpers', () => {
  it('rateLimited: 429 with Retry-After in seconds, as a date, raw, and retry-after-ms', async () => {
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    server.use(
      http.get(
        URL_,
        sequence(
          rateLimited({ retryAfter: 7 }),
          rateLimited({ retryAfter: date }),
          rateLimited({ retryAfter: '0', retryAfterMs: 250, headers: { 'x-extra': '1' }, body: { custom: true } }),
        ),
      ),
    );
    const a = await fetch(URL_);
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('7');
    expect(((await a.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('RATE_LIMIT_EXCEEDED');
    const b = await fetch(URL_);
    expect(b.headers.get('retry-after')).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
    const c = await fetch(URL_);
    expect(c.headers.get('retry-after-ms')).toBe('250');
    expect(c.headers.get('x-extra')).toBe('1');
    expect(await c.json()).toEqual({ custom: true });
  });

  it('serverError: 500 by default, any status and a Retry-After', async () => {
    server.use(http.get(URL_, sequence(serverError(), serverError({ status: 503, retryAfter: 2, body: { busy: 1 } }))));
    const a = await fetch(URL_);
    expect(a.status).toBe(500);
    expect(((await a.json()) as { errors: { status: string }[] }).errors[0]?.status).toBe('500');
    const b = await fetch(URL_);
    expect([b.status, b.headers.get('retry-after'), await b.json()]).toEqual([503, '2', { busy: 1 }]);
  });

  it('networkError: fetch rejects with a TypeError', async () => {
    server.use(http.get(URL_, networkError()));
    await expect(fetch(URL_)).rejects.toBeInstanceOf(TypeError);
  });

  it('sequence: repeats the last resolver, and needs at least one', async () => {
    server.use(http.get(URL_, sequence(json({ n: 1 }), json({ n: 2 }, { status: 201 }))));
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push(await (await fetch(URL_)).json());
    expect(bodies).toEqual([{ n: 1 }, { n: 2 }, { n: 2 }]);
    expect(() => sequence()).toThrow(TypeError);
  });

  it('paginated (cursor): pages, default envelope, unknown cursor → 400', async () => {
    server.use(http.get(URL_, paginated(['a', 'b', 'c'], { pageSize: 2 })));
    const p1 = (await (await fetch(URL_)).json()) as { data: string[]; nextCursor: string };
    expect(p1).toEqual({ data: ['a', 'b'], nextCursor: 'c2', page: 1, pageSize: 2, total: 3 });
    const p2 = await (await fetch(`${URL_}?cursor=${p1.nextCursor}`)).json();
    expect(p2).toEqual({ data: ['c'], nextCursor: null, page: 2, pageSize: 2, total: 3 });
    const bad = await fetch(`${URL_}?cursor=zzz`);
    expect(bad.status).toBe(400);
    expect(() => paginated([], { pageSize: 0 })).toThrow(TypeError);
  });

  it('paginated (page): 0-based page numbers from the query', async () => {
    server.use(http.get(URL_, paginated([1, 2, 3, 4, 5], { pageSize: 2, style: 'page', firstPage: 0 })));
    const pages = [];
    for (const p of [0, 1, 2, 3])
      pages.push(((await (await fetch(`${URL_}?page=${p}`)).json()) as { data: number[] }).data);
    expect(pages).toEqual([[1, 2], [3, 4], [5], []]);
  });
});
