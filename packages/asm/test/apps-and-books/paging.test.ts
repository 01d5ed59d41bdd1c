/**
 * Paging across many pages: up to 5 pages in parallel, yielded in order; early exit; a list that
 * shrinks during the walk. Real timers here (a virtual clock serialises requests on purpose),
 * with the simulator's rate raised so that parallelism is visible.
 */
import { delay, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppsAndBooksClient } from '../../src/apps-and-books/index.js';
import { createAppsAndBooksSimulator } from '../../src/testing/apps-and-books/index.js';
import { PAGES, serials } from './support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function bigLibrary(devices: number, pageSize: number) {
  const sim = createAppsAndBooksSimulator({
    assets: [{ adamId: PAGES, totalCount: devices }],
    assignments: serials(devices).map((serialNumber, i) => ({
      adamId: PAGES,
      pricingParam: 'STDQ' as const,
      serialNumber,
      versionId: i + 1,
    })),
    version: devices,
    pageSize,
    limits: { maxRequestPerSecond: 1000, maxAssets: 25, maxSerialNumbers: 1000 },
  });
  return sim;
}

/** Counts requests to `path` under way at once, holding each for `holdMs(pageIndex)`. */
function concurrencyProbe(url: string, holdMs: (pageIndex: number) => number) {
  const probe = { inflight: 0, max: 0, order: [] as number[] };
  server.use(
    http.get(url, async ({ request }) => {
      const pageIndex = Number(new URL(request.url).searchParams.get('pageIndex'));
      probe.inflight++;
      probe.max = Math.max(probe.max, probe.inflight);
      await delay(holdMs(pageIndex));
      probe.order.push(pageIndex);
      probe.inflight--;
      return undefined; // fall through to the simulator
    }),
  );
  return probe;
}

describe('paging', () => {
  it('reads 60 pages with 5 in parallel and keeps the order, even when pages finish out of order', async () => {
    const sim = bigLibrary(3_000, 50);
    server.use(...sim.handlers);
    // Odd pages are slow: they finish after the next even page.
    const probe = concurrencyProbe(`${sim.baseURL}/assignments`, (i) => (i % 2 === 1 ? 25 : 2));
    const client = new AppsAndBooksClient({ token: sim.issueToken() });
    const list = client.assignments.list();
    const seen: string[] = [];
    const pageIndexes: number[] = [];
    for await (const page of list.pages()) {
      pageIndexes.push(page.pageIndex);
      for (const a of page.items) seen.push(a.serialNumber ?? '');
    }
    expect(seen).toEqual(serials(3_000));
    expect(pageIndexes).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(probe.max).toBe(5);
    expect(probe.order).not.toEqual([...probe.order].sort((a, b) => a - b));
    const pageRequests = sim.state.requests.filter((r) => r.path === 'assignments');
    expect(pageRequests).toHaveLength(60);
    expect(new Set(pageRequests.map((r) => r.query.pageIndex)).size).toBe(60);
    expect(list.versionId).toBe('3000');
    await client.close();
  });

  it('pageConcurrency: 1 reads one page at a time', async () => {
    const sim = bigLibrary(200, 20);
    server.use(...sim.handlers);
    const probe = concurrencyProbe(`${sim.baseURL}/assignments`, () => 2);
    const client = new AppsAndBooksClient({ token: sim.issueToken(), pageConcurrency: 1 });
    expect(await client.assignments.list().toArray({ limit: 1_000 })).toHaveLength(200);
    expect(probe.max).toBe(1);
    expect(() => new AppsAndBooksClient({ token: sim.issueToken(), pageConcurrency: 6 })).toThrow(/at most 5/);
  });

  it('a break stops the walk: pages under way are aborted and nothing more is requested', async () => {
    const sim = bigLibrary(2_000, 20);
    server.use(...sim.handlers);
    concurrencyProbe(`${sim.baseURL}/assignments`, () => 5);
    const client = new AppsAndBooksClient({ token: sim.issueToken() });
    let count = 0;
    for await (const _ of client.assignments.list()) {
      if (++count === 30) break;
    }
    await new Promise((r) => setTimeout(r, 100));
    const pages = sim.state.requests.filter((r) => r.path === 'assignments').length;
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(7); // pages 0 and 1, plus the window of 5 behind them
  });

  it('toArray stops at its limit', async () => {
    const sim = bigLibrary(1_000, 100);
    server.use(...sim.handlers);
    const client = new AppsAndBooksClient({ token: sim.issueToken() });
    expect(await client.assignments.list().toArray({ limit: 150 })).toEqual(
      serials(150).map((serialNumber) => ({ adamId: PAGES, pricingParam: 'STDQ', serialNumber })),
    );
  });

  it('a list that shrinks during the walk ends at the new last page (the 9650 of a prefetched page is dropped)', async () => {
    const sim = createAppsAndBooksSimulator({
      assets: ['1', '2', '3', '4'].map((adamId) => ({ adamId, totalCount: 1 })),
      pageSize: 1,
      limits: { maxRequestPerSecond: 1000 },
    });
    server.use(...sim.handlers);
    server.use(
      http.get(`${sim.baseURL}/assets`, async ({ request }) => {
        const pageIndex = new URL(request.url).searchParams.get('pageIndex');
        if (pageIndex === '1') sim.state.assets.splice(2, 2); // two assets disappear
        if (pageIndex !== '0') await delay(pageIndex === '1' ? 30 : 1);
        return undefined;
      }),
    );
    const client = new AppsAndBooksClient({ token: sim.issueToken() });
    const assets = await client.assets.list().toArray({ limit: 10 });
    expect(assets.map((a) => a.adamId)).toEqual(['1', '2']);
    expect(sim.state.requests.filter((r) => r.errorNumber === 9650).length).toBeGreaterThanOrEqual(1);
  });

  it('an empty page with a next page does not end the list', async () => {
    const sim = bigLibrary(10, 5);
    server.use(...sim.handlers);
    server.use(
      http.get(`${sim.baseURL}/assignments`, ({ request }) => {
        if (new URL(request.url).searchParams.get('pageIndex') !== '0') return undefined;
        return Response.json({
          assignments: [],
          currentPageIndex: 0,
          nextPageIndex: 1,
          totalPages: 2,
          versionId: '10',
        });
      }),
    );
    const client = new AppsAndBooksClient({ token: sim.issueToken() });
    expect(await client.assignments.list().toArray({ limit: 100 })).toHaveLength(5);
  });
});
