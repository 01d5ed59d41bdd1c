/**
 * The 15 requests/s limit on a virtual clock, and limits that change: the client follows what
 * service/config advertises and reads it again every 5 minutes, no more often.
 */

import { VirtualClock } from '@schoolmdm/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppsAndBooksClient } from '../../src/apps-and-books/index.js';
import {
  type AppsAndBooksSimulator,
  createAppsAndBooksSimulator,
  type SimulatedRequest,
} from '../../src/testing/apps-and-books/index.js';
import { KEYNOTE, PAGES, serials } from './support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function library(clock: VirtualClock, devices = 600, pageSize = 10): AppsAndBooksSimulator {
  const sim = createAppsAndBooksSimulator(
    {
      assets: [
        { adamId: PAGES, totalCount: devices },
        { adamId: KEYNOTE, totalCount: devices },
      ],
      assignments: serials(devices).map((serialNumber) => ({
        adamId: PAGES,
        pricingParam: 'STDQ' as const,
        serialNumber,
        versionId: 1,
      })),
      pageSize,
      eventDelayMs: 500,
    },
    { now: clock.clock },
  );
  server.use(...sim.handlers);
  return sim;
}

/** The most requests that started within any window of `ms`. */
function busiestWindow(requests: readonly SimulatedRequest[], ms = 1000): number {
  let max = 0;
  for (const r of requests) {
    max = Math.max(max, requests.filter((o) => o.at > r.at - ms && o.at <= r.at).length);
  }
  return max;
}

describe('rate limit', () => {
  it('never sends more than 15 requests in any second, with 5 pages in parallel (virtual clock)', async () => {
    const clock = new VirtualClock();
    const sim = library(clock);
    const client = new AppsAndBooksClient({
      token: sim.issueToken(),
      now: clock.clock,
      sleep: clock.sleep,
      fetch: clock.fetch,
    });
    const started = clock.now;
    // 60 assignment pages, 1 asset page and a plan's reads, all at once.
    const [assignments, assets, plan] = await clock.run(
      Promise.all([
        client.assignments.list().toArray({ limit: 10_000 }),
        client.assets.list().toArray({ limit: 10 }),
        client.planLicenses({ adamIds: [KEYNOTE], serialNumbers: serials(5) }),
      ]),
    );
    expect(assignments).toHaveLength(600);
    expect(assets).toHaveLength(2);
    expect(plan.enough).toBe(true);
    const requests = sim.state.requests;
    expect(requests.length).toBeGreaterThanOrEqual(64);
    expect(requests.filter((r) => r.errorNumber === 9646)).toEqual([]);
    expect(busiestWindow(requests)).toBe(15);
    // A sliding window of 15 per second, used to the full: n requests take ⌊(n − 1) / 15⌋ s.
    const elapsed = clock.now - started;
    expect(elapsed).toBe(Math.floor((requests.length - 1) / 15) * 1000);
  });

  it('a client that ignores the advertised limit gets 9646 and recovers by backing off', async () => {
    const clock = new VirtualClock();
    const sim = library(clock, 200, 10);
    sim.state.limits.maxRequestPerSecond = 4;
    const client = new AppsAndBooksClient({
      token: sim.issueToken(),
      now: clock.clock,
      sleep: clock.sleep,
      fetch: clock.fetch,
      adoptServiceLimits: false,
      maxRetries: 5,
      random: () => 0,
    });
    const all = await clock.run(client.assignments.list().toArray({ limit: 1_000 }));
    expect(all).toHaveLength(200);
    const limited = sim.state.requests.filter((r) => r.errorNumber === 9646);
    expect(limited.length).toBeGreaterThan(0);
    // After each 9646 the whole host waits (5 s floor) before the next request.
    for (const r of limited) {
      const next = sim.state.requests.find((o) => o.at > r.at);
      if (next) expect(next.at - r.at).toBeGreaterThanOrEqual(5_000);
    }
  });
});

describe('limits that change', () => {
  it('follows service/config and re-reads it every 5 minutes, not more often', async () => {
    const clock = new VirtualClock();
    const sim = library(clock, 100, 10);
    const client = new AppsAndBooksClient({
      token: sim.issueToken(),
      now: clock.clock,
      sleep: clock.sleep,
      fetch: clock.fetch,
    });
    const configReads = () => sim.state.requests.filter((r) => r.path === 'service/config').length;

    await clock.run(client.assignments.list().toArray({ limit: 1_000 }));
    expect(configReads()).toBe(1);
    expect(client.limits.maxRequestPerSecond).toBe(15);

    // Apple lowers the limit; the client learns it at the next refresh only, and until then
    // gets through its 9646 answers by backing off.
    sim.state.limits.maxRequestPerSecond = 5;
    sim.state.limits.maxSerialNumbers = 3;
    clock.advance(240_000);
    expect(await clock.run(client.assignments.list().toArray({ limit: 1_000 }))).toHaveLength(100);
    expect(configReads()).toBe(1);
    expect(client.limits.maxRequestPerSecond).toBe(15);
    expect(sim.state.requests.filter((r) => r.errorNumber === 9646).length).toBeGreaterThan(0);

    clock.advance(60_000);
    const mark = sim.state.requests.length;
    await clock.run(client.assignments.list().toArray({ limit: 1_000 }));
    expect(configReads()).toBe(2);
    expect(client.limits).toMatchObject({ maxRequestPerSecond: 5, maxSerialNumbers: 3 });
    const after = sim.state.requests.slice(mark + 1); // the pages read under the new limit
    expect(after).toHaveLength(10);
    // The new transport starts a whole window after the config read, then 5 per second.
    expect((after[0]?.at ?? 0) - (sim.state.requests[mark]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect((after[5]?.at ?? 0) - (after[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(busiestWindow(sim.state.requests.slice(mark))).toBeLessThanOrEqual(5);
    expect(sim.state.requests.slice(mark).filter((r) => r.errorNumber === 9646)).toEqual([]);

    // The per-call maximum follows too: 4 serials are refused before any request.
    await expect(
      clock.run(client.assets.associate({ assets: [KEYNOTE], serialNumbers: serials(4, 'NEW') })),
    ).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'serialNumbers' });
  });

  it('a service config that cannot be read leaves the current limits in place', async () => {
    const clock = new VirtualClock();
    const sim = library(clock, 20, 10);
    sim.state.faults.push({ path: 'service/config', errorNumber: 9602, status: 400 });
    const lines: string[] = [];
    const log = (m: string) => lines.push(m);
    const client = new AppsAndBooksClient({
      token: sim.issueToken(),
      now: clock.clock,
      sleep: clock.sleep,
      fetch: clock.fetch,
      logger: { error: log, warn: log, info: log, debug: log },
      logLevel: 'warn',
    });
    expect(await clock.run(client.assignments.list().toArray({ limit: 100 }))).toHaveLength(20);
    expect(client.limits.maxRequestPerSecond).toBe(15);
    expect(lines.some((l) => l.includes('service config'))).toBe(true);
  });
});
