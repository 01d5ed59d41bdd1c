/**
 * The transport against msw (`setupServer`, `onUnhandledRequest: 'error'`), using the
 * scenario helpers of `@schoolmdm/core/testing`. msw patches `globalThis.fetch` after the
 * transport module is loaded, which also proves the transport looks fetch up at call time.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ConnectionError,
  InternalServerError,
  looseObject,
  PaginationError,
  paginate,
  RateLimitError,
  Transport,
} from '../../src/index.js';
import { json, networkError, paginated, rateLimited, sequence, serverError } from '../../src/testing/index.js';
import { VirtualClock } from '../support/clock.js';

const BASE = 'https://api-school.test';
let hits = 0;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  hits = 0;
});
afterAll(() => server.close());

function counted(resolver: Parameters<typeof http.get>[1]): Parameters<typeof http.get>[1] {
  return (info) => {
    hits++;
    return resolver(info);
  };
}

function transport(clock = new VirtualClock()) {
  return { clock, t: new Transport({ baseURL: BASE, sleep: clock.sleep, now: clock.clock, random: () => 0 }) };
}

describe('transport over msw', () => {
  it('retries 500 twice then succeeds (exactly 3 requests)', async () => {
    server.use(
      http.get(`${BASE}/v1/a`, counted(sequence(serverError(), serverError({ status: 502 }), json({ ok: 1 })))),
    );
    const { clock, t } = transport();
    const res = await clock.run(t.get('/v1/a'));
    expect(res.data).toEqual({ ok: 1 });
    expect(hits).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('gives up after maxRetries with InternalServerError', async () => {
    server.use(http.get(`${BASE}/v1/a`, counted(serverError({ status: 503 }))));
    const { clock, t } = transport();
    await expect(clock.run(t.get('/v1/a'))).rejects.toBeInstanceOf(InternalServerError);
    expect(hits).toBe(3);
  });

  it('honours Retry-After seconds and HTTP-date forms', async () => {
    const clock = new VirtualClock();
    server.use(
      http.get(
        `${BASE}/v1/a`,
        sequence(
          rateLimited({ retryAfter: 3 }),
          rateLimited({ retryAfter: new Date(clock.now + 10_000) }),
          json({ ok: 1 }),
        ),
      ),
    );
    const { t } = transport(clock);
    await clock.run(t.get('/v1/a'));
    expect(clock.sleeps).toEqual([3000, 7000]);
  });

  it('turns a Retry-After above the cap into RateLimitError and holds the host', async () => {
    server.use(
      http.get(`${BASE}/v1/a`, counted(rateLimited({ retryAfter: 600 }))),
      http.get(`${BASE}/v1/b`, counted(json({}))),
    );
    const { clock, t } = transport();
    const err = (await clock.run(t.get('/v1/a')).catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(600_000);
    expect(err.code).toBe('RATE_LIMIT_EXCEEDED');
    await expect(clock.run(t.get('/v1/b'))).rejects.toMatchObject({ source: 'hold' });
    expect(hits).toBe(1);
  });

  it('holds the host after a 429 with a short Retry-After', async () => {
    server.use(
      http.post(`${BASE}/v1/orgDeviceActivities`, rateLimited({ retryAfter: 20 })),
      http.get(`${BASE}/v1/b`, json({ ok: true })),
    );
    const { clock, t } = transport();
    await expect(clock.run(t.post('/v1/orgDeviceActivities', { body: {} }))).rejects.toBeInstanceOf(RateLimitError);
    await clock.run(t.get('/v1/b'));
    expect(clock.sleeps).toEqual([20_000]);
  });

  it('does not retry a non-idempotent POST on 5xx', async () => {
    server.use(http.post(`${BASE}/v1/orgDeviceActivities`, counted(serverError())));
    const { clock, t } = transport();
    await expect(clock.run(t.post('/v1/orgDeviceActivities', { body: { data: {} } }))).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(hits).toBe(1);
  });

  it('retries a network error and reports ConnectionError when it persists', async () => {
    server.use(http.get(`${BASE}/v1/a`, counted(sequence(networkError(), json({ ok: 1 })))));
    const { clock, t } = transport();
    expect((await clock.run(t.get('/v1/a'))).data).toEqual({ ok: 1 });
    expect(hits).toBe(2);
    server.use(http.get(`${BASE}/v1/b`, networkError()));
    await expect(clock.run(t.get('/v1/b'))).rejects.toBeInstanceOf(ConnectionError);
  });

  it('fails an unhandled request instead of reaching the network', async () => {
    // msw reports the unhandled request on console.error; capture it so a passing run prints nothing.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { clock, t } = transport();
      await expect(clock.run(t.get('/v1/nothing-here', {}, { maxRetries: 0 }))).rejects.toBeInstanceOf(ConnectionError);
      expect(consoleError).toHaveBeenCalledWith(
        expect.stringContaining('[MSW] Error: intercepted a request without a matching request handler'),
      );
    } finally {
      consoleError.mockRestore();
    }
  });

  it('walks a cursor-paginated list served by paginated()', async () => {
    const devices = Array.from({ length: 25 }, (_, i) => ({ id: `SER${String(i).padStart(3, '0')}` }));
    server.use(http.get(`${BASE}/v1/orgDevices`, counted(paginated(devices, { pageSize: 10 }))));
    const Page = looseObject({ data: z.array(looseObject({ id: z.string() })), nextCursor: z.string().nullable() });
    const { t } = transport();
    const pages = paginate({
      strategy: 'cursor',
      fetchPage: async (cursor, { signal }) =>
        (await t.get('/v1/orgDevices', { query: { cursor }, schema: Page }, { signal })).data,
      nextCursor: (page) => page.nextCursor,
      items: (page) => page.data,
    });
    const ids = (await pages.toArray({ limit: 100 })).map((d) => d.id);
    expect(ids).toEqual(devices.map((d) => d.id));
    expect(hits).toBe(3);
  });

  it('stops a DEP-style repeated cursor with PaginationError', async () => {
    server.use(
      http.post(
        `${BASE}/server/devices`,
        paginated([{ serial_number: 'A' }, { serial_number: 'B' }, { serial_number: 'C' }], {
          pageSize: 2,
          source: 'body',
          lastPage: 'repeat-cursor',
          render: (s) => ({ devices: s.items, cursor: s.nextCursor ?? '', more_to_follow: true }),
        }),
      ),
    );
    const { t } = transport();
    type DepPage = { devices: { serial_number: string }[]; cursor: string; more_to_follow: boolean };
    const make = (onRepeatedCursor: 'throw' | 'stop') =>
      paginate({
        strategy: 'cursor',
        fetchPage: async (cursor) =>
          (await t.post<DepPage>('/server/devices', { body: { cursor, limit: 2 }, idempotent: true })).data,
        nextCursor: (page) => (page.more_to_follow ? page.cursor : undefined),
        items: (page) => page.devices,
        onRepeatedCursor,
      });
    await expect(make('throw').toArray({ limit: 100 })).rejects.toBeInstanceOf(PaginationError);
    expect((await make('stop').toArray({ limit: 100 })).map((d) => d.serial_number)).toEqual(['A', 'B', 'C']);
  });

  it('reads a Mosyle-style page number from a JSON body', async () => {
    const devices = Array.from({ length: 7 }, (_, i) => ({ serial: `S${i}` }));
    server.use(
      http.post(
        `${BASE}/v2/listdevices`,
        paginated(devices, {
          pageSize: 3,
          style: 'page',
          source: 'body',
          param: 'options.page',
          render: (s) => ({ status: 'OK', response: { devices: s.items, rows: String(s.total), page: s.page } }),
        }),
      ),
    );
    const { t } = transport();
    type MosylePage = { response: { devices: { serial: string }[]; rows: string } };
    const all = await paginate({
      strategy: 'page',
      fetchPage: async (page) =>
        (await t.post<MosylePage>('/v2/listdevices', { body: { options: { os: 'ios', page } }, idempotent: true }))
          .data,
      items: (p) => p.response.devices,
      hasNextPage: (p, { itemCount }) => itemCount < Number(p.response.rows),
    }).toArray({ limit: 100 });
    expect(all.map((d) => d.serial)).toEqual(devices.map((d) => d.serial));
  });

  it('passes custom error bodies through msw', async () => {
    server.use(http.get(`${BASE}/v1/a`, () => HttpResponse.text('T_C_NOT_SIGNED', { status: 403 })));
    const { t } = transport();
    await expect(t.get('/v1/a')).rejects.toMatchObject({ status: 403, code: 'T_C_NOT_SIGNED' });
  });
});
