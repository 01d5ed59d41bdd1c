/**
 * The simulator on its own, driven with plain `fetch` (no client): what it answers and what it
 * records, so tests built on it by users can trust it.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppsAndBooksSimulator } from '../../src/testing/apps-and-books/index.js';
import { KEYNOTE, librarySeed, PAGES } from './support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const BASE = 'https://vpp.itunes.apple.com/mdm/v2';

function start(now = () => Date.UTC(2026, 11, 1)) {
  const sim = createAppsAndBooksSimulator(librarySeed(), { now });
  server.use(...sim.handlers);
  const token = sim.issueToken();
  const get = async (path: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) => {
    const res = await fetch(`${BASE}/${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const post = async (path: string, body: unknown, contentType = 'application/json') => {
    const res = await fetch(`${BASE}/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { sim, token, get, post };
}

describe('Apps and Books simulator', () => {
  it('serves service/config without a token, with the limits in its state', async () => {
    const { sim, get } = start();
    sim.state.limits.maxRequestPerSecond = 9;
    const { status, body } = await get('service/config', {});
    expect(status).toBe(200);
    expect(body.limits).toMatchObject({ maxRequestPerSecond: 9, maxAssets: 25 });
  });

  it('pages by zero-based pageIndex with nextPageIndex, totalPages and versionId; 9650 past the end', async () => {
    const { sim, get } = start();
    sim.state.pageSize = 2;
    const first = await get('assignments');
    expect(first.body).toMatchObject({ currentPageIndex: 0, nextPageIndex: 1, totalPages: 2, size: 2, versionId: '1' });
    const last = await get('assignments?pageIndex=1');
    expect(last.body.nextPageIndex).toBeUndefined();
    expect(last.body.assignments).toHaveLength(1);
    expect(await get('assignments?pageIndex=2')).toMatchObject({ status: 400, body: { errorNumber: 9650 } });
  });

  it('answers authentication like Apple: 9722 without Bearer, 9622 with HTTP 200 for an unknown token, 9621, 9625', async () => {
    let now = Date.UTC(2026, 11, 1);
    const { sim, token, get } = start(() => now);
    expect(await get('assets', {})).toMatchObject({ status: 401, body: { errorNumber: 9722 } });
    expect(await get('assets', { authorization: 'Bearer nope' })).toMatchObject({
      status: 200,
      body: { errorNumber: 9622 },
    });
    (sim.state.tokens[token] as { revoked?: boolean }).revoked = true;
    expect(await get('assets')).toMatchObject({ status: 401, body: { errorNumber: 9625 } });
    (sim.state.tokens[token] as { revoked?: boolean }).revoked = false;
    now += 366 * 86_400_000;
    expect(await get('assets')).toMatchObject({ status: 401, body: { errorNumber: 9621 } });
    // The request log never holds the token.
    expect(JSON.stringify(sim.state.requests)).not.toContain(token);
  });

  it('adds tokenExpirationDate (Apple’s +0000 form) in the last 15 days of the token', async () => {
    const now = Date.UTC(2026, 11, 1);
    const sim = createAppsAndBooksSimulator(librarySeed(), { now: () => now });
    server.use(...sim.handlers);
    const soon = sim.issueToken({ expiresAt: new Date(now + 10 * 86_400_000) });
    const res = await fetch(`${BASE}/assets`, { headers: { authorization: `Bearer ${soon}` } });
    expect(((await res.json()) as { tokenExpirationDate?: string }).tokenExpirationDate).toBe(
      '2026-12-11T00:00:00+0000',
    );
  });

  it('checks associate requests synchronously: method, content type, limits, duplicates, unknown assets', async () => {
    const { get, post } = start();
    const ok = { assets: [{ adamId: KEYNOTE, pricingParam: 'STDQ' }], serialNumbers: ['A'] };
    expect(await get('assets/associate')).toMatchObject({ status: 405, body: { errorNumber: 9726 } });
    expect(await post('assets/associate', ok, 'text/plain')).toMatchObject({
      status: 415,
      body: { errorNumber: 9727 },
    });
    const many = Array.from({ length: 1001 }, (_, i) => `S${i}`);
    expect((await post('assets/associate', { ...ok, serialNumbers: many })).body.errorNumber).toBe(9702);
    const assets = Array.from({ length: 26 }, (_, i) => ({ adamId: String(i), pricingParam: 'STDQ' }));
    expect((await post('assets/associate', { ...ok, assets })).body.errorNumber).toBe(9700);
    expect((await post('assets/associate', { ...ok, serialNumbers: ['A', 'A'] })).body.errorNumber).toBe(9705);
    expect((await post('assets/associate', { ...ok, assets: [ok.assets[0], ok.assets[0]] })).body.errorNumber).toBe(
      9703,
    );
    expect(
      (await post('assets/associate', { ...ok, assets: [{ adamId: '1', pricingParam: 'STDQ' }] })).body.errorNumber,
    ).toBe(9602);
    expect((await get('status?eventId=nope')).body.errorNumber).toBe(9708);
    const accepted = await post('assets/associate', ok);
    expect(accepted).toMatchObject({ status: 200, body: { eventId: expect.any(String), uId: expect.any(String) } });
  });

  it('limits requests to maxRequestPerSecond in any second (9646), and injects faults in order', async () => {
    const now = Date.UTC(2026, 11, 1);
    const { sim, get } = start(() => now);
    sim.state.limits.maxRequestPerSecond = 3;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await get('assets')).status);
    expect(answers).toEqual([200, 200, 200, 429]);
    sim.state.recentRequests = [];
    sim.state.faults.push(
      { path: 'assets', errorNumber: 9603, times: 2 },
      { errorNumber: 9729, status: 503, retryAfter: 2 },
    );
    expect((await get('assets')).body.errorNumber).toBe(9603);
    sim.state.recentRequests = [];
    expect((await get('assets')).status).toBe(200); // 9603 is served with HTTP 200
    expect(sim.state.requests.at(-1)?.errorNumber).toBe(9603);
    sim.state.recentRequests = [];
    const res = await fetch(`${BASE}/service/config`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(sim.state.faults).toEqual([]);
  });

  it('processes events after eventDelayMs: licences while they last, 9709 for the rest, injected failures by serial', async () => {
    let now = Date.UTC(2026, 11, 1);
    const { sim, get, post } = start(() => now);
    sim.state.deviceFailures = { BROKEN: 9603 };
    const serials = ['BROKEN', ...Array.from({ length: 8 }, (_, i) => `NEW${i}`)];
    const { body } = await post('assets/associate', {
      assets: [{ adamId: PAGES, pricingParam: 'STDQ' }],
      serialNumbers: serials,
    });
    const eventId = body.eventId as string;
    expect((await get(`status?eventId=${eventId}`)).body).toMatchObject({ eventStatus: 'PENDING', numRequested: 9 });
    now += 2_000;
    const done = (await get(`status?eventId=${eventId}`)).body;
    expect(done).toMatchObject({ eventStatus: 'FAILED', eventType: 'ASSOCIATE', numCompleted: 6 });
    expect(done.failures).toEqual([
      {
        errorNumber: 9603,
        errorMessage: 'Internal error',
        errorInfo: { assets: [{ adamId: PAGES, pricingParam: 'STDQ' }], serialNumbers: ['BROKEN'] },
      },
      {
        errorNumber: 9709,
        errorMessage: 'Not enough licences',
        errorInfo: { assets: [{ adamId: PAGES, pricingParam: 'STDQ' }], serialNumbers: ['NEW6', 'NEW7'] },
      },
    ]);
    const pages = ((await get(`assets?adamId=${PAGES}`)).body.assets as Record<string, unknown>[])[0];
    expect(pages).toMatchObject({ totalCount: 10, retiredCount: 1, assignedCount: 9, availableCount: 0 });
    expect(sim.state.version).toBe(7);
    const since = (await get('assignments?sinceVersionId=1')).body.assignments as unknown[];
    expect(since).toHaveLength(6);
  });
});
