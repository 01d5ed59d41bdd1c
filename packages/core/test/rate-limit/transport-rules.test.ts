/** Client-side rate-limit rules and maxConcurrency inside the transport, on a virtual clock. */
import { describe, expect, it } from 'vitest';
import { AbortError, RateLimitError, Transport, type TransportOptions } from '../../src/index.js';
import { VirtualClock } from '../support/clock.js';
import { jsonResponse, scriptedFetch } from '../support/fetch.js';

function setup(options: Partial<TransportOptions>) {
  const clock = new VirtualClock();
  const sentAt: { url: string; method: string; at: number }[] = [];
  const fetch = scriptedFetch((call) => {
    sentAt.push({ url: call.url, method: call.method, at: clock.now });
    return jsonResponse({});
  });
  const transport = new Transport({
    baseURL: 'https://asm.test',
    fetch,
    sleep: clock.sleep,
    now: clock.clock,
    ...options,
  });
  return { clock, fetch, sentAt, transport };
}

describe('rate-limit rules in the transport', () => {
  const asm: TransportOptions['rateLimit'] = {
    rules: [
      { name: 'asm-get', match: { method: 'GET' }, requests: 20, perMs: 60_000, burst: 1 },
      { name: 'asm-post', match: { method: 'POST' }, requests: 10, perMs: 3_600_000, burst: 2 },
    ],
  };

  it('spaces GETs at 20/min and POSTs at 10/h, independently', async () => {
    const { clock, sentAt, transport } = setup({ rateLimit: asm });
    const start = clock.now;
    await clock.run(
      Promise.all([
        transport.get('/v1/orgDevices'),
        transport.get('/v1/orgDevices'),
        transport.get('/v1/orgDevices'),
        transport.post('/v1/orgDeviceActivities', { body: {} }),
        transport.post('/v1/orgDeviceActivities', { body: {} }),
        transport.post('/v1/orgDeviceActivities', { body: {} }),
      ]),
    );
    const gets = sentAt.filter((s) => s.method === 'GET').map((s) => s.at - start);
    const posts = sentAt.filter((s) => s.method === 'POST').map((s) => s.at - start);
    expect(gets).toEqual([0, 3000, 6000]);
    expect(posts).toEqual([0, 0, 360_000]);
  });

  it('matches by host, path prefix, path pattern and predicate', async () => {
    const { clock, sentAt, transport } = setup({
      rateLimit: {
        rules: [
          { name: 'host', match: { host: 'other.test' }, requests: 1, perMs: 1000, burst: 1 },
          { name: 'prefix', match: { path: '/v1/slow' }, requests: 1, perMs: 2000, burst: 1 },
          { name: 'pattern', match: { path: /\/devices$/ }, requests: 1, perMs: 4000, burst: 1 },
          { name: 'predicate', match: (r) => r.url.searchParams.has('heavy'), requests: 1, perMs: 8000, burst: 1 },
        ],
      },
    });
    const start = clock.now;
    const run = async (path: string) => {
      await clock.run(transport.get(path));
      await clock.run(transport.get(path));
      return (sentAt.at(-1)?.at ?? 0) - (sentAt.at(-2)?.at ?? 0);
    };
    expect(await run('https://other.test/x')).toBe(1000);
    expect(await run('/v1/slow/1')).toBe(2000);
    expect(await run('/v2/devices')).toBe(4000);
    expect(await run('/q?heavy=1')).toBe(8000);
    const before = clock.now;
    await clock.run(transport.get('/free'));
    await clock.run(transport.get('/free'));
    expect(clock.now).toBe(before);
    expect(start).toBeLessThan(clock.now);
  });

  it('takes a token from every matching rule', async () => {
    const { clock, sentAt, transport } = setup({
      rateLimit: {
        rules: [
          { name: 'all', requests: 15, perMs: 1000, burst: 15 },
          { name: 'slow', match: { path: '/slow' }, requests: 1, perMs: 10_000, burst: 1 },
        ],
      },
    });
    await clock.run(Promise.all([transport.get('/slow'), transport.get('/slow')]));
    expect(sentAt[1]!.at - sentAt[0]!.at).toBe(10_000);
  });

  it('allows 15 requests per second (Apps and Books)', async () => {
    const { clock, sentAt, transport } = setup({ rateLimit: { rules: [{ name: 'vpp', requests: 15, perMs: 1000 }] } });
    const start = clock.now;
    await clock.run(Promise.all(Array.from({ length: 45 }, (_, i) => transport.get(`/assets?i=${i}`))));
    const inFirstSecond = sentAt.filter((s) => s.at - start < 1000).length;
    expect(inFirstSecond).toBeLessThanOrEqual(30);
    for (let w = 0; w + 1000 <= sentAt.at(-1)!.at - start; w += 250) {
      const n = sentAt.filter((s) => s.at - start >= w + 1000 && s.at - start < w + 2000).length;
      expect(n).toBeLessThanOrEqual(15);
    }
  });

  it('charges a token for every retry', async () => {
    const clock = new VirtualClock();
    const sent: number[] = [];
    const fetch = scriptedFetch(
      () => {
        sent.push(clock.now);
        return jsonResponse({}, 503);
      },
      () => {
        sent.push(clock.now);
        return jsonResponse({});
      },
    );
    const transport = new Transport({
      baseURL: 'https://asm.test',
      fetch,
      sleep: clock.sleep,
      now: clock.clock,
      random: () => 0,
      rateLimit: { rules: [{ name: 'r', requests: 1, perMs: 5000, burst: 1 }] },
    });
    await clock.run(transport.get('/a'));
    expect(sent[1]! - sent[0]!).toBe(5000);
  });

  it('throws RateLimitError (source "client") instead of waiting beyond maxWaitMs', async () => {
    const { clock, fetch, transport } = setup({
      rateLimit: { rules: [{ name: 'asm-post', requests: 10, perMs: 3_600_000, burst: 1, maxWaitMs: 60_000 }] },
    });
    await clock.run(transport.post('/v1/orgDeviceActivities', { body: {} }));
    const err = (await clock
      .run(transport.post('/v1/orgDeviceActivities', { body: {} }))
      .catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.source).toBe('client');
    expect(err.retryAfterMs).toBe(360_000);
    expect(err.message).toContain('(asm-post)');
    expect(fetch.calls).toHaveLength(1);
  });

  it('refunds the token of a request aborted while it waits', async () => {
    const { clock, sentAt, transport } = setup({
      rateLimit: { rules: [{ name: 'r', requests: 1, perMs: 1000, burst: 1 }] },
    });
    const start = clock.now;
    await clock.run(transport.get('/a'));
    const controller = new AbortController();
    const waiting = transport.get('/b', {}, { signal: controller.signal });
    for (let i = 0; i < 5 && clock.pending === 0; i++) await new Promise((r) => setImmediate(r));
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    await clock.run(transport.get('/c'));
    expect(sentAt.map((s) => [s.url.slice(-2), s.at - start])).toEqual([
      ['/a', 0],
      ['/c', 1000],
    ]);
  });

  it('bounds concurrency with maxConcurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const fetch = scriptedFetch(
      () =>
        new Promise<Response>((resolve) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          release.push(() => {
            inFlight--;
            resolve(jsonResponse({}));
          });
        }),
    );
    const transport = new Transport({ baseURL: 'https://x.test', fetch, rateLimit: { maxConcurrency: 3 } });
    const all = Promise.all(Array.from({ length: 10 }, (_, i) => transport.get(`/${i}`)));
    for (let done = 0; done < 10; ) {
      await new Promise((r) => setImmediate(r));
      const r = release.shift();
      if (r) {
        r();
        done++;
      }
    }
    await all;
    expect(peak).toBe(3);
    expect(fetch.calls).toHaveLength(10);
  });
});
