/**
 * Envelopes and pagination: object/array envelopes, rows as string/number, top-level rows,
 * page base 0 and 1 (page 0 overlapping page 1, empty, refused), DEVICES_NOTFOUND vs empty
 * page, duplicates across pages, max-page and repeated-page guards, inner-status errors.
 */
import { PaginationError, ResponseValidationError } from '@schoolmdm/core';
import { MosyleError } from '@schoolmdm/mosyle';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseMosyleErrorBody, readPage } from '../src/internal/envelope.js';
import { collect, type Harness, harness, ipads } from './support/harness.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const pagesAsked = (h: Harness, path = '/listdevices') =>
  h.sim.state.requests
    .filter((r) => r.path === path)
    .map((r) => Number((r.body as { options: { page: number } }).options.page));

describe('envelopes', () => {
  let h: Harness;
  afterEach(async () => h.close());

  for (const listEnvelope of ['object', 'array'] as const) {
    for (const rowsAs of ['string', 'number'] as const) {
      it(`lists 250 devices with response as ${listEnvelope} and rows as ${rowsAs}`, async () => {
        h = await harness('msw', server, { devices: ipads(250), quirks: { listEnvelope, rowsAs } });
        const devices = await collect(h.client.devices.list({ os: 'ios' }));
        expect(devices).toHaveLength(250);
        expect(new Set(devices.map((d) => d.udid)).size).toBe(250);
        // rows (250) reached after page 3: no request past the end.
        expect(pagesAsked(h)).toEqual([0, 2, 3]);
      });
    }
  }

  it('groups and logs come wrapped in a one-element array (documented shape)', async () => {
    h = await harness('msw', server, {
      sharedDeviceGroups: Array.from({ length: 120 }, (_, i) => ({
        id: String(i + 1),
        name: `Cart ${i + 1}`,
        os: 'ios' as const,
        udids: [],
      })),
    });
    const groups = await collect(h.client.sharedDeviceGroups.list());
    expect(groups).toHaveLength(120);
    expect(groups.map((g) => g.id)).toEqual(Array.from({ length: 120 }, (_, i) => String(i + 1)));
  });

  it('a command answer may come as a lone object instead of an array', async () => {
    h = await harness('msw', server);
    server.use(
      http.post('*/v2/bulkops', () =>
        HttpResponse.json({ status: 'OK', response: { status: 'COMMAND_SENT', info: 'ok', devices_notfound: ['U2'] } }),
      ),
    );
    const r = await h.client.commands.restart({ devices: ['U1', 'U2'] });
    expect(r).toMatchObject({ ok: false, accepted: ['U1'], notFound: ['U2'], failed: [] });
    expect(r.chunks[0]?.status).toBe('COMMAND_SENT');
  });

  it('readPage accepts a top-level list without "response" and missing rows', () => {
    expect(readPage({ status: 'OK', devices: [{ a: 1 }] }, 'devices')).toEqual({
      items: [{ a: 1 }],
      rows: undefined,
      page: undefined,
      status: undefined,
    });
    expect(readPage({ status: 'OK', response: [{ devices: [], rows: '7', page: '2' }] }, 'devices')).toMatchObject({
      rows: 7,
      page: 2,
    });
    expect(readPage({ response: { status: 'DEVICES_NOTFOUND' } }, 'devices')).toMatchObject({
      items: [],
      status: 'DEVICES_NOTFOUND',
    });
  });
});

describe('page base 0 or 1', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('0-based endpoint: pages 0, 1, 2', async () => {
    h = await harness('msw', server, { devices: ipads(250), quirks: { pageBase: { '/listdevices': 0 } } });
    expect(await collect(h.client.devices.list({ os: 'ios' }))).toHaveLength(250);
    expect(pagesAsked(h)).toEqual([0, 1, 2]);
  });

  it('1-based endpoint where page 0 is page 1 and the page is not echoed: no duplicates', async () => {
    h = await harness('msw', server, { devices: ipads(250), quirks: { pageZero: 'same-as-one', echoPage: false } });
    const devices = await collect(h.client.devices.list({ os: 'ios' }));
    expect(devices.map((d) => d.serialNumber)).toEqual(ipads(250)?.map((d) => d.serialNumber));
    expect(pagesAsked(h)).toEqual([0, 1, 2, 3]);
  });

  it('1-based endpoint where page 0 is empty: page 1 is asked at once', async () => {
    h = await harness('msw', server, { devices: ipads(150), quirks: { pageZero: 'empty', notFoundPastEnd: false } });
    expect(await collect(h.client.devices.list({ os: 'ios' }))).toHaveLength(150);
    expect(pagesAsked(h)).toEqual([0, 1, 2]);
  });

  it('1-based endpoint that refuses page 0 with INVALID_DATA', async () => {
    h = await harness('msw', server, { devices: ipads(150), quirks: { pageZero: 'invalid' } });
    expect(await collect(h.client.devices.list({ os: 'ios' }))).toHaveLength(150);
    expect(pagesAsked(h)).toEqual([0, 1, 2]);
  });

  it('without rows: stops on DEVICES_NOTFOUND past the end', async () => {
    h = await harness('msw', server, { devices: ipads(150), quirks: { pageBase: { '/listdevices': 0 } } });
    server.use(
      http.post('*/v2/listdevices', async ({ request }) => {
        const body = (await request.clone().json()) as { options: { page: number } };
        const p = body.options.page;
        if (p >= 2) return HttpResponse.json({ status: 'OK', response: { status: 'DEVICES_NOTFOUND', info: 'none' } });
        const devices = Array.from({ length: 75 }, (_, i) => ({
          deviceudid: `U${p}-${i}`,
          serial_number: `S${p}-${i}`,
        }));
        return HttpResponse.json({ status: 'OK', response: { devices } });
      }),
    );
    expect(await collect(h.client.devices.list({ os: 'ios' }))).toHaveLength(150);
  });

  it('without rows: stops on an empty page', async () => {
    h = await harness('msw', server);
    server.use(
      http.post('*/v2/login', () => HttpResponse.json({}, { headers: { authorization: 'Bearer t.t.t' } })),
      http.post('*/v2/listdevices', async ({ request }) => {
        const p = ((await request.json()) as { options: { page: number } }).options.page;
        const devices = p >= 3 ? [] : [{ deviceudid: `U${p}`, serial_number: `S${p}` }];
        return HttpResponse.json({ status: 'OK', response: { devices } });
      }),
    );
    expect((await collect(h.client.devices.list({ os: 'ios' }))).map((d) => d.udid)).toEqual(['U0', 'U1', 'U2']);
  });

  it('max-page guard: PaginationError instead of reading forever', async () => {
    h = await harness('msw', server, { devices: ipads(500) }, { maxPages: 3 });
    const error = await collect(h.client.devices.list({ os: 'ios' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).reason).toBe('max-pages');
  });

  it('a server that ignores the page number: PaginationError, not a silent short list', async () => {
    h = await harness('msw', server);
    server.use(
      http.post('*/v2/login', () => HttpResponse.json({}, { headers: { authorization: 'Bearer t.t.t' } })),
      http.post('*/v2/listdevices', () =>
        HttpResponse.json({ status: 'OK', response: { devices: [{ deviceudid: 'U1' }], rows: '10' } }),
      ),
    );
    const error = await collect(h.client.devices.list({ os: 'ios' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).reason).toBe('repeated-page');
  });

  it('1-based group endpoints and 0-based device groups both list once each row', async () => {
    h = await harness('msw', server, {
      deviceGroups: Array.from({ length: 60 }, (_, i) => ({
        id: `g${i}`,
        name: `G${i}`,
        os: 'ios' as const,
        udids: [],
      })),
      users: Array.from({ length: 120 }, (_, i) => ({
        id: `u${i}`,
        name: `U${i}`,
        type: 'STUDENT',
        email: '',
        managedAppleId: '',
        locations: [],
        serialNumbers: [],
      })),
      quirks: { echoPage: false },
    });
    expect(await collect(h.client.deviceGroups.list('ios'))).toHaveLength(60);
    expect(pagesAsked(h, '/listdevicegroups')).toEqual([0, 1]);
    expect(await collect(h.client.users.list())).toHaveLength(120);
  });
});

describe('inner-status errors', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('an inner MISSING_DATA inside status "OK" is a MosyleError (400) with Mosyle’s code and info', async () => {
    h = await harness('msw', server, { devices: ipads(1) });
    h.sim.state.faults.push({
      kind: 'inner-status',
      status: 'MISSING_DATA',
      info: 'Missing key: os',
      path: '/listdevices',
    });
    const error = await collect(h.client.devices.list({ os: 'ios' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosyleError);
    expect(error).toMatchObject({ status: 400, code: 'MISSING_DATA' });
    // Mosyle's info is in the message ("Missing key: os"; core's redact() masks the value
    // after "key:", reported to the core owner).
    expect((error as Error).message).toContain('Missing key');
  });

  it('an outer status other than OK is an error', async () => {
    h = await harness('msw', server);
    h.sim.state.faults.push({ kind: 'outer-status', status: 'ERROR', info: 'Something failed', path: '/bulkops' });
    const error = await h.client.commands.restart({ devices: ['U'] }).then((r) => r.failed[0]?.error);
    expect(error).toBeInstanceOf(MosyleError);
    expect((error as MosyleError).code).toBe('ERROR');
  });

  it('a failing request inside a batch is reported per item; the others succeed', async () => {
    h = await harness('msw', server, { devices: ipads(3) }, { updateChunkSize: 1, concurrency: 1 });
    h.sim.state.faults.push({
      kind: 'inner-status',
      status: 'INVALID_DATA',
      info: 'bad name',
      path: '/devices',
      times: 1,
    });
    const r = await h.client.devices.update(
      ipads(3)?.map((d, i) => ({ serialNumber: d.serialNumber as string, name: `N${i}` })) ?? [],
    );
    expect(r.results.map((x) => x.status)).toEqual(['failed', 'updated', 'updated']);
    expect(r.results[0]?.error).toBeInstanceOf(MosyleError);
  });

  it('5xx on a listing is retried (idempotent read); on a command it is not', async () => {
    h = await harness('msw', server, { devices: ipads(1) });
    h.sim.state.faults.push({ kind: 'http-503', path: '/listdevices', times: 1 });
    expect(await h.clock.run(collect(h.client.devices.list({ os: 'ios' })))).toHaveLength(1);
    h.sim.state.faults.push({ kind: 'http-503', path: '/bulkops', times: 1 });
    const r = await h.client.commands.restart({ devices: [h.sim.state.devices[0]?.udid as string] });
    expect(r.failed).toHaveLength(1);
    expect(h.sim.state.requests.filter((x) => x.path === '/bulkops')).toHaveLength(1);
  });

  it('a reply that breaks the envelope schema is a ResponseValidationError naming the path', async () => {
    h = await harness('msw', server);
    server.use(
      http.post('*/v2/bulkops', () =>
        HttpResponse.json({ status: 'OK', response: [{ status: 'COMMAND_SENT', devices_notfound: 'U1' }] }),
      ),
    );
    const r = await h.client.commands.restart({ devices: ['U1'] });
    const error = r.failed[0]?.error;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues.map((i) => i.path)).toContain('response[0].devices_notfound');
  });

  it('parseMosyleErrorBody: codes in bodies, texts and statuses', () => {
    const ctx = (status: number, body: unknown) => ({
      status,
      body,
      headers: new Headers(),
      text: '',
      method: 'POST',
      url: 'u',
    });
    expect(parseMosyleErrorBody(ctx(200, { status: 'OK', response: { devices: [] } }))).toBeUndefined();
    expect(parseMosyleErrorBody(ctx(200, { status: 'OK', response: { status: 'DEVICES_NOTFOUND' } }))).toBeUndefined();
    expect(
      parseMosyleErrorBody(ctx(200, { status: 'OK', response: [{ status: 'ERROR', devices_notfound: ['X'] }] })),
    ).toBeUndefined();
    expect(
      parseMosyleErrorBody(ctx(200, { status: 'OK', response: [{ status: 'NOT_ALLOWED', info: 'district only' }] })),
    ).toMatchObject({
      code: 'NOT_ALLOWED',
      status: 403,
      message: 'district only',
    });
    expect(parseMosyleErrorBody(ctx(401, { error: 'accessToken Required' }))).toMatchObject({
      code: 'accessToken Required',
      status: 401,
    });
    expect(parseMosyleErrorBody(ctx(401, 'Unauthorized'))).toMatchObject({ code: 'Unauthorized', status: 401 });
    expect(parseMosyleErrorBody(ctx(405, { status: 405, message: 'INVALID_METHOD' }))).toMatchObject({
      code: 'INVALID_METHOD',
    });
    expect(parseMosyleErrorBody(ctx(404, '<html>Ops, something happened!</html>'))).toBeUndefined();
  });
});
