/**
 * AppsAndBooksClient against the simulator through msw: every method, errors by errorNumber
 * (HTTP 200 bodies included), tokens expired/invalid/revoked, events failing per serial.
 */
import { ApiError, InvalidArgumentError } from '@schoolmdm/core';
import { VirtualClock } from '@schoolmdm/core/testing';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AppsAndBooksClient,
  AppsAndBooksError,
  AppsAndBooksRateLimitError,
  InvalidTokenError,
  ListChangedError,
  NotEnoughLicensesError,
  PageOutOfRangeError,
  TokenExpiredError,
  TokenRevokedError,
} from '../../src/apps-and-books/index.js';
import { type AppsAndBooksSimulator, createAppsAndBooksSimulator } from '../../src/testing/apps-and-books/index.js';
import { BOOK, KEYNOTE, librarySeed, PAGES, serials } from './support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Setup {
  sim: AppsAndBooksSimulator;
  clock: VirtualClock;
  token: string;
  client: AppsAndBooksClient;
}

function setup(
  seed = librarySeed(),
  clientOptions: Partial<ConstructorParameters<typeof AppsAndBooksClient>[0]> = {},
): Setup {
  const clock = new VirtualClock();
  const sim = createAppsAndBooksSimulator(seed, { now: clock.clock });
  server.use(...sim.handlers);
  const token = sim.issueToken();
  const client = new AppsAndBooksClient({
    token,
    now: clock.clock,
    sleep: clock.sleep,
    fetch: clock.fetch,
    random: () => 0,
    ...clientOptions,
  });
  return { sim, clock, token, client };
}

describe('config()', () => {
  it('reads service/config without the token and adopts the advertised limits', async () => {
    const { sim, clock, client } = setup();
    sim.state.limits.maxRequestPerSecond = 7;
    sim.state.limits.maxSerialNumbers = 50;
    const config = await clock.run(client.config());
    expect(config.limits?.maxRequestPerSecond).toBe(7);
    expect(config.errorCodes?.some((e) => e.errorNumber === 9646)).toBe(true);
    expect(client.limits.maxRequestPerSecond).toBe(7);
    expect(client.limits.maxSerialNumbers).toBe(50);
    expect(sim.state.requests).toEqual([expect.objectContaining({ path: 'service/config', authenticated: false })]);
  });

  it('keeps Apple’s defaults until the config is read', () => {
    const { client } = setup();
    expect(client.limits).toMatchObject({ maxRequestPerSecond: 15, maxAssets: 25, maxSerialNumbers: 1000 });
  });
});

describe('assets.list()', () => {
  it('lists every asset with derived counts, and filters by productType and pricingParam', async () => {
    const seed = librarySeed();
    seed.assets?.push({ adamId: KEYNOTE, pricingParam: 'PLUS', totalCount: 3 });
    const { clock, client } = setup(seed);
    const all = await clock.run(client.assets.list().toArray({ limit: 100 }));
    expect(all.map((a) => `${a.adamId}/${a.pricingParam}`)).toEqual([
      `${KEYNOTE}/STDQ`,
      `${PAGES}/STDQ`,
      `${BOOK}/STDQ`,
      `${KEYNOTE}/PLUS`,
    ]);
    expect(all[1]).toMatchObject({ totalCount: 10, assignedCount: 3, retiredCount: 1, availableCount: 6 });
    const books = await clock.run(client.assets.list({ productType: 'Book' }).toArray({ limit: 10 }));
    expect(books.map((a) => a.adamId)).toEqual([BOOK]);
    const plus = await clock.run(client.assets.list({ pricingParam: 'PLUS' }).toArray({ limit: 10 }));
    expect(plus.map((a) => a.adamId)).toEqual([KEYNOTE]);
  });

  it('sends the filters Apple names as query parameters', async () => {
    const { sim, clock, client } = setup();
    await clock.run(client.assets.list({ adamId: PAGES, deviceAssignable: true }).toArray({ limit: 10 }));
    const req = sim.state.requests.find((r) => r.path === 'assets');
    expect(req?.query).toEqual({ adamId: PAGES, deviceAssignable: 'true', pageIndex: '0' });
    expect(req?.authenticated).toBe(true);
  });
});

describe('assignments.list()', () => {
  it('filters by serialNumber and adamId and reads incrementally with sinceVersionId', async () => {
    const { sim, clock, client } = setup();
    const list = client.assignments.list();
    const all = await clock.run(list.toArray({ limit: 100 }));
    expect(all).toHaveLength(3);
    const since = list.versionId;
    expect(since).toBe(String(sim.state.version));

    const one = await clock.run(client.assignments.list({ serialNumber: serials(3)[1] }).toArray({ limit: 10 }));
    expect(one).toEqual([{ adamId: PAGES, pricingParam: 'STDQ', serialNumber: serials(3)[1] }]);
    expect(await clock.run(client.assignments.list({ adamId: KEYNOTE }).toArray({ limit: 10 }))).toEqual([]);

    const eventId = await clock.run(client.assets.associate({ assets: [KEYNOTE], serialNumbers: serials(2, 'NEW') }));
    await clock.run(client.events.waitUntilDone(eventId, { pollIntervalMs: 1_000 }));
    const changes = await clock.run(client.assignments.list({ sinceVersionId: since }).toArray({ limit: 10 }));
    expect(changes.map((a) => a.serialNumber)).toEqual(serials(2, 'NEW'));
  });

  it('stops with ListChangedError when versionId changes during a walk', async () => {
    const seed = librarySeed();
    seed.pageSize = 1;
    const { sim, clock, client } = setup(seed);
    // Another MDM assigns a licence while page 2 is being read.
    server.use(
      http.get(`${sim.baseURL}/assignments`, ({ request }) => {
        if (new URL(request.url).searchParams.get('pageIndex') === '2') sim.state.version++;
        return undefined;
      }),
    );
    const error = await clock.run(client.assignments.list().toArray({ limit: 100 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListChangedError);
    expect([1, 2]).toContain((error as ListChangedError).pageIndex);
    expect((error as ListChangedError).hint).toContain('sinceVersionId');
  });
});

describe('associate, events and disassociate', () => {
  it('associates asynchronously: PENDING, then COMPLETE, and the licences are in use', async () => {
    const { sim, clock, client } = setup();
    const devices = serials(4, 'IPAD');
    const eventId = await clock.run(client.assets.associate({ assets: [KEYNOTE], serialNumbers: devices }));
    expect(typeof eventId).toBe('string');
    const pending = await clock.run(client.events.get(eventId));
    expect(pending).toMatchObject({ eventStatus: 'PENDING', done: false, eventType: 'ASSOCIATE' });
    const done = await clock.run(client.events.waitUntilDone(eventId, { pollIntervalMs: 500 }));
    expect(done).toMatchObject({ eventStatus: 'COMPLETE', numCompleted: 4, numRequested: 4, failures: [] });
    expect(sim.state.assignments.filter((a) => a.adamId === KEYNOTE).map((a) => a.serialNumber)).toEqual(devices);
    const body = sim.state.events[eventId];
    expect(body?.assets).toEqual([{ adamId: KEYNOTE, pricingParam: 'STDQ' }]);
  });

  it('reports per-serial failures: 9709 for devices beyond the licences, injected failures by serial', async () => {
    const seed = librarySeed();
    const devices = serials(9, 'CART');
    seed.deviceFailures = { [devices[0] as string]: 9603 };
    const { clock, client } = setup(seed);
    // PAGES: 10 owned, 1 retired, 3 in use → 6 free for 8 devices that can take one.
    const eventId = await clock.run(client.assets.associate({ assets: [PAGES], serialNumbers: devices }));
    const done = await clock.run(client.events.waitUntilDone(eventId, { pollIntervalMs: 1_000 }));
    expect(done.eventStatus).toBe('FAILED');
    expect(done.numCompleted).toBe(6);
    const byNumber = Object.fromEntries(done.failures.map((f) => [f.errorNumber, f.errorInfo?.serialNumbers]));
    expect(byNumber[9603]).toEqual([devices[0]]);
    expect(byNumber[9709]).toEqual(devices.slice(7));
    expect(done.failedSerialNumbers.sort()).toEqual([devices[0], ...devices.slice(7)].sort());
    expect(done.failures[0]?.errorInfo?.assets).toEqual([{ adamId: PAGES, pricingParam: 'STDQ' }]);
  });

  it('disassociates and frees the licences', async () => {
    const { sim, clock, client } = setup();
    const eventId = await clock.run(
      client.assets.disassociate({ assets: [{ adamId: PAGES, pricingParam: 'STDQ' }], serialNumbers: serials(2) }),
    );
    const done = await clock.run(client.events.waitUntilDone(eventId, { pollIntervalMs: 1_000 }));
    expect(done).toMatchObject({ eventStatus: 'COMPLETE', eventType: 'DISASSOCIATE' });
    expect(sim.state.assignments.map((a) => a.serialNumber)).toEqual([serials(3)[2]]);
  });

  it('waitUntilDone gives up after timeoutMs with the progress seen', async () => {
    const seed = librarySeed();
    seed.eventDelayMs = 3_600_000;
    const { clock, client } = setup(seed);
    const eventId = await clock.run(client.assets.associate({ assets: [KEYNOTE], serialNumbers: ['X1'] }));
    const error = await clock
      .run(client.events.waitUntilDone(eventId, { pollIntervalMs: 10_000, timeoutMs: 60_000 }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'EventTimeoutError', eventId, timeoutMs: 60_000, numRequested: 1 });
  });

  it('waitUntilDone stops on abort', async () => {
    const seed = librarySeed();
    seed.eventDelayMs = 3_600_000;
    const { clock, client } = setup(seed);
    const eventId = await clock.run(client.assets.associate({ assets: [KEYNOTE], serialNumbers: ['X1'] }));
    const controller = new AbortController();
    const waiting = client.events.waitUntilDone(eventId, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await clock.run(waiting).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });

  it('refuses bad input before any request, naming the argument', async () => {
    const { sim, clock, client } = setup();
    const cases: [unknown, string][] = [
      [{ assets: [], serialNumbers: ['A'] }, 'assets'],
      [{ assets: ['not-an-id'], serialNumbers: ['A'] }, 'assets[0]'],
      [{ assets: [KEYNOTE], serialNumbers: [] }, 'serialNumbers'],
      [{ assets: [KEYNOTE], serialNumbers: ['A', 'A'] }, 'serialNumbers[1]'],
      [{ assets: [KEYNOTE], serialNumbers: serials(1001) }, 'serialNumbers'],
      [{ assets: Array.from({ length: 26 }, (_, i) => String(1000 + i)), serialNumbers: ['A'] }, 'assets'],
    ];
    for (const [params, argument] of cases) {
      const error = await clock.run(client.assets.associate(params as never)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
    expect(sim.state.requests.filter((r) => r.path !== 'service/config')).toEqual([]);
  });
});

describe('errors by errorNumber, whatever the HTTP status', () => {
  const calls: [string, string, (c: AppsAndBooksClient) => Promise<unknown>][] = [
    ['service/config', 'GET', (c) => c.config()],
    ['assets', 'GET', (c) => c.assets.list().toArray({ limit: 10 })],
    ['assignments', 'GET', (c) => c.assignments.list().toArray({ limit: 10 })],
    ['assets/associate', 'POST', (c) => c.assets.associate({ assets: [KEYNOTE], serialNumbers: ['A'] })],
    ['assets/disassociate', 'POST', (c) => c.assets.disassociate({ assets: [KEYNOTE], serialNumbers: ['A'] })],
    ['status', 'GET', (c) => c.events.get('1')],
  ];

  for (const [path, method, call] of calls) {
    it(`${method} ${path}: an error inside an HTTP 200 body is thrown with its number and message`, async () => {
      const { sim, clock, client } = setup(librarySeed(), { adoptServiceLimits: path === 'service/config' });
      sim.state.faults.push({ path, errorNumber: 9602, errorMessage: 'Invalid argument: pricingParam', status: 200 });
      const error = (await clock.run(call(client)).catch((e: unknown) => e)) as AppsAndBooksError;
      expect(error).toBeInstanceOf(AppsAndBooksError);
      expect(error).toBeInstanceOf(ApiError);
      expect(error.errorNumber).toBe(9602);
      expect(error.status).toBe(400);
      expect(error.message).toContain('Invalid argument: pricingParam');
      expect(error.method).toBe(method);
      const answered = sim.state.requests.find((r) => r.path === path);
      expect(answered).toMatchObject({ status: 200, errorNumber: 9602 });
    });

    it(`${method} ${path}: 9603 in a 200 body is retried like a 500`, async () => {
      const { sim, clock, client } = setup(librarySeed(), { adoptServiceLimits: path === 'service/config' });
      if (path === 'status') {
        await clock.run(client.assets.associate({ assets: [KEYNOTE], serialNumbers: ['A'] }));
      }
      sim.state.faults.push({ path, errorNumber: 9603, status: 200 });
      const result = await clock.run(call(client)).catch((e: unknown) => e);
      expect(result).not.toBeInstanceOf(Error);
      expect(sim.state.requests.filter((r) => r.path === path).map((r) => r.errorNumber)).toEqual([9603, undefined]);
    });
  }

  it('maps the catalogue to classes', async () => {
    const cases: [number, new (...args: never[]) => Error][] = [
      [9621, TokenExpiredError],
      [9622, InvalidTokenError],
      [9625, TokenRevokedError],
      [9650, PageOutOfRangeError],
      [9709, NotEnoughLicensesError],
      [9634, AppsAndBooksError],
      [9999, AppsAndBooksError],
    ];
    for (const [errorNumber, cls] of cases) {
      const { sim, clock, client } = setup(librarySeed(), { adoptServiceLimits: false });
      sim.state.faults.push({ path: 'assets', errorNumber, status: 200 });
      const error = await clock.run(client.assets.list().toArray({ limit: 1 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(cls);
      expect((error as AppsAndBooksError).errorNumber).toBe(errorNumber);
    }
  });

  it('9646 backs off (5 s floor, host hold) and retries until it gets through', async () => {
    const { sim, clock, client } = setup(librarySeed(), { adoptServiceLimits: false });
    sim.state.faults.push({ path: 'assets', errorNumber: 9646, status: 200, times: 2 });
    const started = clock.now;
    const assets = await clock.run(client.assets.list().toArray({ limit: 10 }));
    expect(assets).toHaveLength(3);
    expect(sim.state.requests.map((r) => r.errorNumber ?? 'ok')).toEqual([9646, 9646, 'ok']);
    expect(clock.now - started).toBeGreaterThanOrEqual(10_000);
    const gaps = sim.state.requests.slice(1).map((r, i) => r.at - (sim.state.requests[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(5_000);
  });

  it('9646 that does not go away ends as AppsAndBooksRateLimitError after maxRetries', async () => {
    const { sim, clock, client } = setup(librarySeed(), { adoptServiceLimits: false, maxRetries: 2 });
    sim.state.faults.push({ path: 'assignments', errorNumber: 9646, times: 10 });
    const error = await clock.run(client.assignments.list().toArray({ limit: 10 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppsAndBooksRateLimitError);
    expect((error as AppsAndBooksRateLimitError).status).toBe(429);
    expect(sim.state.requests).toHaveLength(3);
  });
});

describe('tokens', () => {
  it('refuses an expired token before any request, with its expiry date', () => {
    const clock = new VirtualClock();
    const sim = createAppsAndBooksSimulator(librarySeed(), { now: clock.clock });
    server.use(...sim.handlers);
    const expiredAt = new Date(clock.now - 86_400_000);
    const token = sim.issueToken({ orgName: 'Shelbyville High', expiresAt: expiredAt });
    let error: unknown;
    try {
      new AppsAndBooksClient({ token, now: clock.clock });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TokenExpiredError);
    expect(error).toMatchObject({ source: 'client', errorNumber: 9621, expiresAt: expiredAt });
    expect((error as Error).message).toContain(expiredAt.toISOString());
    expect((error as Error).message).toContain('Shelbyville High');
    expect(sim.state.requests).toEqual([]);
  });

  it('refuses a token that expires while the client lives, before sending', async () => {
    const { sim, clock, client } = setup();
    clock.advance(366 * 86_400_000);
    const error = await clock.run(client.assets.list().toArray({ limit: 1 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TokenExpiredError', source: 'client' });
    expect((error as Error).message).toContain('GET https://vpp.itunes.apple.com/mdm/v2/assets');
    expect(sim.state.requests).toEqual([]);
  });

  it('maps Apple’s 9621, 9622 (HTTP 200) and 9625 answers', async () => {
    const { sim, clock, token, client } = setup(librarySeed(), { adoptServiceLimits: false });
    (sim.state.tokens[token] as { expiresAt: string }).expiresAt = new Date(clock.now - 1).toISOString();
    await expect(clock.run(client.assets.list().toArray({ limit: 1 }))).rejects.toMatchObject({
      name: 'TokenExpiredError',
      source: 'server',
      status: 401,
    });
    delete sim.state.tokens[token];
    const invalid = await clock.run(client.assets.list().toArray({ limit: 1 })).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidTokenError);
    expect(sim.state.requests.at(-1)).toMatchObject({ status: 200, errorNumber: 9622 });
    const revoked = sim.issueToken({ revoked: true });
    const other = new AppsAndBooksClient({
      token: revoked,
      fetch: clock.fetch,
      now: clock.clock,
      adoptServiceLimits: false,
    });
    await expect(clock.run(other.assets.list().toArray({ limit: 1 }))).rejects.toBeInstanceOf(TokenRevokedError);
  });

  it('notes tokenExpirationDate when Apple says the token expires within 15 days', async () => {
    const clock = new VirtualClock();
    const sim = createAppsAndBooksSimulator(librarySeed(), { now: clock.clock });
    server.use(...sim.handlers);
    const expiresAt = new Date(clock.now + 3 * 86_400_000);
    const lines: string[] = [];
    const log = (m: string) => lines.push(m);
    const client = new AppsAndBooksClient({
      token: sim.issueToken({ expiresAt }),
      fetch: clock.fetch,
      now: clock.clock,
      sleep: clock.sleep,
      logger: { error: log, warn: log, info: log, debug: log },
      logLevel: 'warn',
    });
    await clock.run(client.assets.list().toArray({ limit: 10 }));
    expect(client.tokenExpiresAt?.toISOString()).toBe(
      new Date(Math.floor(expiresAt.getTime() / 1000) * 1000).toISOString(),
    );
    expect(lines.filter((l) => l.includes('expires on'))).toHaveLength(1);
  });
});

describe('planLicenses()', () => {
  it('computes owned, in use, available, already held and missing before anything is assigned', async () => {
    const { sim, clock, client } = setup();
    const devices = serials(8); // the first 3 already hold PAGES
    const before = sim.state.requests.length;
    const plan = await clock.run(
      client.planLicenses({ adamIds: [PAGES, KEYNOTE, BOOK, '999'], serialNumbers: devices }),
    );
    expect(sim.state.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
    expect(plan.serialNumbers).toBe(8);
    const [pages, keynote, book, unknown] = plan.apps;
    expect(pages).toMatchObject({
      adamId: PAGES,
      owned: 10,
      inUse: 3,
      available: 6,
      toAssign: 5,
      missing: 0,
      enough: true,
    });
    expect(pages?.alreadyHeld).toEqual(serials(3));
    expect(keynote).toMatchObject({ owned: 40, inUse: 0, available: 40, alreadyHeld: [], toAssign: 8, missing: 0 });
    expect(book).toMatchObject({ deviceAssignable: false, missing: 8, enough: false });
    expect(unknown).toMatchObject({ adamId: '999', found: false, missing: 8, enough: false });
    expect(plan.enough).toBe(false);
    expect(plan.missing).toBe(16);
  });

  it('matches the simulator’s state after the assignments run', async () => {
    const { sim, clock, client } = setup();
    const devices = serials(12); // PAGES: 6 free, 3 of these hold it → 9 to assign, 3 missing
    const plan = await clock.run(client.planLicenses({ adamIds: [PAGES, KEYNOTE], serialNumbers: devices }));
    const pages = plan.apps.find((a) => a.adamId === PAGES);
    expect(pages).toMatchObject({ toAssign: 9, available: 6, missing: 3, enough: false });

    const eventId = await clock.run(client.assets.associate({ assets: [PAGES, KEYNOTE], serialNumbers: devices }));
    const done = await clock.run(client.events.waitUntilDone(eventId, { pollIntervalMs: 1_000 }));
    const shortOf = done.failures.filter((f) => f.errorNumber === 9709);
    expect(shortOf.flatMap((f) => f.errorInfo?.serialNumbers ?? [])).toHaveLength(pages?.missing ?? -1);
    const holding = (adamId: string) =>
      sim.state.assignments.filter((a) => a.adamId === adamId && devices.includes(a.serialNumber ?? '')).length;
    expect(holding(PAGES)).toBe((pages?.alreadyHeld.length ?? 0) + (pages?.toAssign ?? 0) - (pages?.missing ?? 0));
    expect(holding(KEYNOTE)).toBe(12);

    const after = await clock.run(client.planLicenses({ adamIds: [PAGES, KEYNOTE], serialNumbers: devices }));
    const pagesAfter = after.apps.find((a) => a.adamId === PAGES);
    expect(pagesAfter).toMatchObject({ available: 0, inUse: 9, alreadyHeld: expect.any(Array), missing: 3 });
    expect(pagesAfter?.alreadyHeld).toHaveLength(holding(PAGES));
    expect(after.apps.find((a) => a.adamId === KEYNOTE)).toMatchObject({
      alreadyHeld: devices,
      toAssign: 0,
      inUse: 12,
      enough: true,
    });
  });

  it('refuses an empty or malformed plan', async () => {
    const { client } = setup();
    await expect(client.planLicenses({ adamIds: [], serialNumbers: ['A'] })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(client.planLicenses({ adamIds: ['x'], serialNumbers: ['A'] })).rejects.toMatchObject({
      argument: 'adamIds[0]',
    });
  });
});
