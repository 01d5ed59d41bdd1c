/**
 * The same client against a real local HTTP server (core's `startTestServer` serving the
 * simulator's msw handlers through `toTestServerHandler`): real sockets, real headers, real JSON
 * on the wire. The state is shared with a second simulator, as two tests processes would.
 */
import { startTestServer, type TestServer, VirtualClock } from '@schoolmdm/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AppsAndBooksClient, AppsAndBooksError, InvalidTokenError } from '../../src/apps-and-books/index.js';
import { type AppsAndBooksSimulator, createAppsAndBooksSimulator } from '../../src/testing/apps-and-books/index.js';
import { toTestServerHandler } from '../../src/testing/bridge.js';
import { BOOK, KEYNOTE, librarySeed, PAGES, serials } from './support/fixtures.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<{
  sim: AppsAndBooksSimulator;
  clock: VirtualClock;
  token: string;
  client: AppsAndBooksClient;
}> {
  const clock = new VirtualClock();
  const seed = librarySeed();
  seed.pageSize = 2;
  const sim = createAppsAndBooksSimulator(seed, { now: clock.clock, anyOrigin: true });
  server = await startTestServer(toTestServerHandler(sim.handlers));
  const token = sim.issueToken();
  const client = new AppsAndBooksClient({
    token,
    baseURL: `${server.url}/mdm/v2`,
    now: clock.clock,
    sleep: clock.sleep,
    fetch: clock.fetch,
  });
  return { sim, clock, token, client };
}

describe('AppsAndBooksClient over a real HTTP server', () => {
  it('runs every method: config, lists, plan, associate, events, disassociate', async () => {
    const { sim, clock, token, client } = await start();
    const config = await clock.run(client.config());
    expect(config.limits?.maxRequestPerSecond).toBe(15);

    const assets = await clock.run(client.assets.list().toArray({ limit: 10 }));
    expect(assets.map((a) => a.adamId)).toEqual([KEYNOTE, PAGES, BOOK]);
    expect(await clock.run(client.assets.list({ productType: 'Book' }).toArray({ limit: 10 }))).toHaveLength(1);

    const held = client.assignments.list({ adamId: PAGES });
    expect((await clock.run(held.toArray({ limit: 10 }))).map((a) => a.serialNumber)).toEqual(serials(3));

    const devices = serials(5);
    const plan = await clock.run(client.planLicenses({ adamIds: [PAGES], serialNumbers: devices }));
    expect(plan.apps[0]).toMatchObject({ available: 6, alreadyHeld: serials(3), toAssign: 2, missing: 0 });

    const eventId = await clock.run(client.assets.associate({ assets: [PAGES], serialNumbers: devices }));
    expect((await clock.run(client.events.get(eventId))).eventStatus).toBe('PENDING');
    const done = await clock.run(client.events.waitUntilDone(eventId, { pollIntervalMs: 1_000 }));
    expect(done).toMatchObject({ eventStatus: 'COMPLETE', numCompleted: 5 });

    const changes = await clock.run(client.assignments.list({ sinceVersionId: held.versionId }).toArray({ limit: 10 }));
    expect(changes.map((a) => a.serialNumber)).toEqual(devices.slice(3));

    const back = await clock.run(client.assets.disassociate({ assets: [PAGES], serialNumbers: devices.slice(3) }));
    expect(await clock.run(client.events.waitUntilDone(back, { pollIntervalMs: 1_000 }))).toMatchObject({
      eventStatus: 'COMPLETE',
    });
    expect(sim.state.assignments.map((a) => a.serialNumber)).toEqual(serials(3));

    // On the wire: the Bearer token on API calls, never on service/config; JSON bodies.
    const wire = server?.requests ?? [];
    const configRequest = wire.find((r) => r.url.startsWith('/mdm/v2/service/config'));
    expect(configRequest?.headers.authorization).toBeUndefined();
    const api = wire.filter((r) => !r.url.startsWith('/mdm/v2/service/config'));
    expect(api.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
    const post = wire.find((r) => r.url === '/mdm/v2/assets/associate');
    expect(post?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      assets: [{ adamId: PAGES, pricingParam: 'STDQ' }],
      serialNumbers: devices,
    });
    await client.close();
  });

  it('reads error bodies sent with HTTP 200 on every endpoint', async () => {
    const { sim, clock, client } = await start();
    const calls: [string, () => Promise<unknown>][] = [
      ['service/config', () => client.config()],
      ['assets', () => client.assets.list().toArray({ limit: 1 })],
      ['assignments', () => client.assignments.list().toArray({ limit: 1 })],
      ['assets/associate', () => client.assets.associate({ assets: [KEYNOTE], serialNumbers: ['A'] })],
      ['assets/disassociate', () => client.assets.disassociate({ assets: [KEYNOTE], serialNumbers: ['A'] })],
      ['status', () => client.events.get('1')],
    ];
    await clock.run(client.config()); // limits read: the faults below hit the calls themselves
    for (const [path, call] of calls) {
      sim.state.faults.push({ path, errorNumber: 9701, status: 200, errorMessage: `no ${path}` });
      const error = await clock.run(call()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppsAndBooksError);
      expect(error).toMatchObject({ errorNumber: 9701, status: 400 });
      expect((error as Error).message).toContain(`no ${path}`);
    }
    // An unknown token: HTTP 200 with 9622, as Apple answers it.
    delete sim.state.tokens[Object.keys(sim.state.tokens)[0] as string];
    const invalid = await clock.run(client.assets.list().toArray({ limit: 1 })).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidTokenError);
    expect(sim.state.requests.at(-1)).toMatchObject({ status: 200, errorNumber: 9622 });
    await client.close();
  });

  it('shares its state: a second simulator over the same object serves the same library', async () => {
    const { sim, clock, client } = await start();
    const twin = createAppsAndBooksSimulator(sim.state, { now: clock.clock, anyOrigin: true });
    expect(twin.state).toBe(sim.state);
    const other = await startTestServer(toTestServerHandler(twin.handlers));
    try {
      const token = twin.issueToken({ orgName: 'Twin' });
      const second = new AppsAndBooksClient({
        token,
        baseURL: `${other.url}/mdm/v2`,
        now: clock.clock,
        sleep: clock.sleep,
        fetch: clock.fetch,
      });
      const eventId = await clock.run(second.assets.associate({ assets: [KEYNOTE], serialNumbers: ['SHARED1'] }));
      twin.settleEvents();
      // The first server sees the event and the assignment made through the second.
      expect((await clock.run(client.events.get(eventId))).eventStatus).toBe('COMPLETE');
      expect(await clock.run(client.assignments.list({ serialNumber: 'SHARED1' }).toArray({ limit: 5 }))).toHaveLength(
        1,
      );
      await second.close();
    } finally {
      await other.close();
    }
  });

  it('honours 15 requests/s across real sockets (virtual clock)', async () => {
    const { sim, clock, client } = await start();
    sim.state.assignments = serials(60).map((serialNumber) => ({
      adamId: PAGES,
      pricingParam: 'STDQ' as const,
      serialNumber,
      versionId: 1,
    }));
    const all = await clock.run(client.assignments.list().toArray({ limit: 100 }));
    expect(all).toHaveLength(60);
    const at = sim.state.requests.map((r) => r.at);
    for (const t of at) expect(at.filter((o) => o > t - 1000 && o <= t).length).toBeLessThanOrEqual(15);
    expect(sim.state.requests.filter((r) => r.errorNumber === 9646)).toEqual([]);
    await client.close();
  });
});
