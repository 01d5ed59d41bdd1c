/**
 * Issue #8, defects 1–6 against a real node:http server on a virtual clock: holds after 429
 * stop every waiting request, requests leave a hold in order and under the rules, Retry-After
 * is parsed strictly and bounded, reset headers only matter for 429, rules are true sliding
 * windows, and an aborted waiter gives its place back exactly once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  InternalServerError,
  MAX_HOLD_MS,
  parseRetryAfter,
  RateLimitError,
  type RateLimitRule,
  retryAfterFromHeaders,
  Transport,
  type TransportOptions,
} from '../../src/index.js';
import { startTestServer, type TestServer, type TestServerHandler } from '../../src/testing/index.js';
import { VirtualClock } from '../support/clock.js';

let server: TestServer;
let handler: TestServerHandler;
/** Virtual time at which the server received each request, with its path. */
let seen: { path: string; at: number }[];
let clock: VirtualClock;

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    seen.push({ path: req.url, at: clock.now });
    return handler(req, res);
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  seen = [];
  clock = new VirtualClock();
  handler = (_req, res) => reply(res, 200);
});

function reply(res: Parameters<TestServerHandler>[1], status: number, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ status }));
}

function transport(options: TransportOptions = {}): Transport {
  return new Transport({
    baseURL: server.url,
    fetch: clock.fetch,
    sleep: clock.sleep,
    now: clock.clock,
    random: () => 0,
    ...options,
  });
}

const rel = (t: number) => t - (seen[0]?.at ?? 0);

describe('defect 1: a 429 hold stops requests already waiting in the limiter', () => {
  it('with a 10/s rule (burst 1), nothing reaches the server during the hold', async () => {
    handler = (req, res) =>
      req.url === '/r/0' && seen.length === 1 ? reply(res, 429, { 'retry-after': '1' }) : reply(res, 200);
    const t = transport({ rateLimit: { rules: [{ name: 'r', requests: 10, perMs: 1000, burst: 1 }] } });
    const start = clock.now;
    await clock.run(Promise.all(Array.from({ length: 6 }, (_, i) => t.get(`/r/${i}`))));
    const [first, ...rest] = seen;
    expect(first).toEqual({ path: '/r/0', at: start });
    // Every other request, and the retry of /r/0, left after the 1 s hold.
    for (const r of rest) expect(r.at - start).toBeGreaterThanOrEqual(1000);
    expect(rest).toHaveLength(6);
    // …and the 10/s rule still spaced them once the hold ended.
    for (let i = 1; i < rest.length; i++)
      expect((rest[i] as { at: number }).at - (rest[i - 1] as { at: number }).at).toBeGreaterThanOrEqual(100);
  });

  it('with maxConcurrency 1, requests queued for the permit wait for the hold too', async () => {
    handler = (_req, res) => (seen.length === 1 ? reply(res, 429, { 'retry-after': '1' }) : reply(res, 200));
    const t = transport({ rateLimit: { maxConcurrency: 1 } });
    const start = clock.now;
    await clock.run(Promise.all(Array.from({ length: 4 }, (_, i) => t.get(`/c/${i}`))));
    expect(seen).toHaveLength(5);
    for (const r of seen.slice(1)) expect(r.at - start).toBeGreaterThanOrEqual(1000);
  });

  it('holds only the host that answered 429 (a request elsewhere is not held)', async () => {
    handler = (req, res) => (req.url === '/a' ? reply(res, 429, { 'retry-after': '30' }) : reply(res, 200));
    const t = transport({ maxRetries: 0, holdKey: (url) => url.pathname });
    await expect(clock.run(t.get('/a'))).rejects.toBeInstanceOf(RateLimitError);
    await clock.run(t.get('/b'));
    expect(seen.map((s) => s.at - seen[0]!.at)).toEqual([0, 0]);
    expect(t.holdRemainingMs('/a')).toBe(30_000);
  });
});

describe('a hold on one key does not stop another key sharing a rule', () => {
  it('/b goes at once while /a waits 30 s for its hold', async () => {
    handler = (req, res) =>
      req.url === '/a' && seen.filter((x) => x.path === '/a').length === 1
        ? reply(res, 429, { 'retry-after': '30' })
        : reply(res, 200);
    const t = transport({
      holdKey: (url) => url.pathname,
      rateLimit: { rules: [{ name: 'global', requests: 100, perMs: 1000 }] },
    });
    const a = t.get('/a');
    while (t.holdRemainingMs('/a') === 0) await new Promise((r) => setTimeout(r, 2));
    await clock.run(t.get('/b'));
    await clock.run(a);
    expect(seen.map((x) => `${x.path}@${rel(x.at)}`)).toEqual(['/a@0', '/b@0', '/a@30000']);
  });
});

describe('defect 2: requests released by a hold re-enter the rules in order, with jitter', () => {
  it('twenty requests released by one hold follow a 5-per-second window, in arrival order', async () => {
    handler = (_req, res) => (seen.length === 1 ? reply(res, 429, { 'retry-after': '2' }) : reply(res, 200));
    const t = transport({ rateLimit: { rules: [{ name: 'w', requests: 5, perMs: 1000 }] } });
    // The first request takes the 429; the other nineteen queue behind it.
    const calls = [t.get('/q/0')];
    // Queue the others once the 429 has set the hold (before that they could legitimately go).
    const host = new URL(server.url).host;
    while (t.holdRemainingMs(host) === 0) await new Promise((r) => setTimeout(r, 2));
    for (let i = 1; i < 20; i++) calls.push(t.get(`/q/${i}`));
    await clock.run(Promise.all(calls));
    const after = seen.slice(1);
    expect(after).toHaveLength(20);
    for (const r of after) expect(rel(r.at)).toBeGreaterThanOrEqual(2000);
    // Never more than 5 starts in any 1 000 ms.
    const times = seen.map((s) => s.at);
    for (let i = 0; i + 5 < times.length; i++)
      expect((times[i + 5] as number) - (times[i] as number)).toBeGreaterThanOrEqual(1000);
    // In order: the 429'd request retries first (it queued first), then 1…19.
    expect(after.map((s) => s.path)).toEqual(['/q/0', ...Array.from({ length: 19 }, (_, i) => `/q/${i + 1}`)]);
  });

  it('the 10 s floor after a 429 without Retry-After carries jitter', async () => {
    const holds: number[] = [];
    for (const random of [() => 0, () => 0.5, () => 0.99]) {
      handler = (_req, res) => reply(res, 429);
      const t = transport({ random, maxRetries: 0 });
      await expect(clock.run(t.get('/f'))).rejects.toBeInstanceOf(RateLimitError);
      holds.push(t.holdRemainingMs(new URL(server.url).host));
    }
    expect(holds[0]).toBe(10_000);
    expect(new Set(holds).size).toBe(3);
    for (const h of holds) {
      expect(h).toBeGreaterThanOrEqual(10_000);
      expect(h).toBeLessThanOrEqual(12_500);
    }
  });

  it('a Retry-After wait carries up to 10 % jitter (never below what the service asked)', async () => {
    handler = (_req, res) => (seen.length === 1 ? reply(res, 503, { 'retry-after': '2' }) : reply(res, 200));
    const t = transport({ random: () => 0.5 });
    await clock.run(t.get('/j'));
    expect(clock.sleeps).toEqual([2100]);
  });
});

describe('defect 3: strict Retry-After, a bounded hold, and clearHolds()', () => {
  it('treats malformed values as absent', () => {
    const now = Date.UTC(2026, 8, 1, 12, 0, 0);
    for (const bad of [
      'a 2099',
      'May 5',
      '1.5',
      '-5',
      '+5',
      '5s',
      'Tue, 01 Sep 2026 12:00:30',
      'Tue, 31 Feb 2026 12:00:00 GMT',
    ]) {
      expect(parseRetryAfter(bad, now), bad).toBeUndefined();
    }
    expect(parseRetryAfter('Tue, 01 Sep 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tuesday, 01-Sep-26 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Tue Sep  1 12:00:05 2026', now)).toBe(5_000);
    expect(parseRetryAfter('4294967296', now)).toBe(4_294_967_296_000);
  });

  it('"May 5" is not a past date that retries at once: it falls back to the 10 s floor', async () => {
    handler = (_req, res) => (seen.length === 1 ? reply(res, 429, { 'retry-after': 'May 5' }) : reply(res, 200));
    const t = transport();
    await clock.run(t.get('/m'));
    expect(seen.map((s) => rel(s.at))).toEqual([0, 10_000]);
  });

  it('"a 2099" is not a 72-year hold', async () => {
    handler = (_req, res) => reply(res, 429, { 'retry-after': 'a 2099' });
    const t = transport({ maxRetries: 0 });
    await expect(clock.run(t.get('/y'))).rejects.toBeInstanceOf(RateLimitError);
    expect(t.holdRemainingMs(new URL(server.url).host)).toBe(10_000);
  });

  it('a huge Retry-After holds the host at most a day, and clearHolds() ends it', async () => {
    handler = (req, res) => (req.url === '/h' ? reply(res, 429, { 'retry-after': '4294967296' }) : reply(res, 200));
    const t = transport();
    const err = (await clock.run(t.get('/h')).catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(4_294_967_296_000);
    const host = new URL(server.url).host;
    expect(t.holdRemainingMs(host)).toBe(MAX_HOLD_MS);
    // Refused at once while held (longer than maxRetryAfterMs), without reaching the server.
    await expect(clock.run(t.get('/other'))).rejects.toMatchObject({ source: 'hold' });
    expect(seen).toHaveLength(1);
    t.clearHolds(host);
    expect(t.holdRemainingMs(host)).toBe(0);
    await clock.run(t.get('/other'));
    expect(seen).toHaveLength(2);
  });

  it('clearHolds() releases requests waiting for a hold at once', async () => {
    handler = (_req, res) => (seen.length === 1 ? reply(res, 429, { 'retry-after': '50' }) : reply(res, 200));
    const t = transport({ maxRetries: 0 });
    await expect(clock.run(t.get('/x'))).rejects.toBeInstanceOf(RateLimitError);
    const waiting = t.get('/y');
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toHaveLength(1);
    t.clearHolds();
    await clock.run(waiting);
    expect(seen.map((s) => rel(s.at))).toEqual([0, 0]);
  });

  it('a Retry-After exactly at the cap waits and retries; one second more throws', async () => {
    handler = (_req, res) => (seen.length === 1 ? reply(res, 429, { 'retry-after': '60' }) : reply(res, 200));
    const t = transport({ random: () => 0.99 });
    const ok = await clock.run(t.get('/cap'));
    expect(ok.attempts).toBe(2);
    expect(seen.map((s) => rel(s.at))).toEqual([0, 60_000]);

    seen = [];
    handler = (_req, res) => reply(res, 429, { 'retry-after': '61' });
    const t2 = transport();
    await expect(clock.run(t2.get('/cap'))).rejects.toMatchObject({ retryAfterMs: 61_000 });
    expect(seen).toHaveLength(1);
  });
});

describe('defect 4: rate-limit reset headers only matter for 429', () => {
  it('a 503 with x-ratelimit-reset far ahead is still retried with backoff', async () => {
    const reset = String(Math.round(clock.now / 1000) + 3000);
    handler = (_req, res) => (seen.length < 3 ? reply(res, 503, { 'x-ratelimit-reset': reset }) : reply(res, 200));
    const t = transport();
    expect((await clock.run(t.get('/5'))).attempts).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('a 502 with x-ratelimit-reset: 30 waits the backoff, not 30 s', async () => {
    handler = (_req, res) => reply(res, 502, { 'x-ratelimit-reset': '30', 'ratelimit-reset': '30' });
    const t = transport();
    await expect(clock.run(t.get('/2'))).rejects.toBeInstanceOf(InternalServerError);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('a 429 with x-ratelimit-reset: 5 holds for 5 s', async () => {
    handler = (_req, res) => (seen.length === 1 ? reply(res, 429, { 'x-ratelimit-reset': '5' }) : reply(res, 200));
    const t = transport();
    await clock.run(t.get('/4'));
    expect(seen.map((s) => rel(s.at))).toEqual([0, 5000]);
  });

  it('retryAfterFromHeaders ignores reset headers for any status but 429', () => {
    const h = new Headers({ 'x-ratelimit-reset': '30', 'ratelimit-reset': '7' });
    expect(retryAfterFromHeaders(h, 0, 503)).toBeUndefined();
    expect(retryAfterFromHeaders(h, 0, 429)).toBe(7000);
    expect(retryAfterFromHeaders(new Headers({ 'x-ratelimit-reset': '30' }), 0, 429)).toBe(30_000);
  });
});

describe('defect 5: a rule { requests: N, perMs: W } is a true sliding window', () => {
  async function burst(rule: RateLimitRule, count: number): Promise<number[]> {
    const t = transport({ rateLimit: { rules: [rule] } });
    await clock.run(Promise.all(Array.from({ length: count }, (_, i) => t.get(`/w/${i}`))));
    return seen.map((s) => rel(s.at));
  }

  it('15 per second (the Apps and Books example) never lets more than 15 start in any second', async () => {
    const times = await burst({ name: 'vpp', requests: 15, perMs: 1000 }, 60);
    expect(times).toHaveLength(60);
    for (let i = 0; i + 15 < times.length; i++)
      expect((times[i + 15] as number) - (times[i] as number)).toBeGreaterThanOrEqual(1000);
    // …and uses the window fully: 15 at 0 ms, 15 at 1 000 ms, …
    expect(times.filter((t) => t < 1000)).toHaveLength(15);
  });

  it('20 per second lets 20, not 40, through the first second', async () => {
    const times = await burst({ name: 'r20', requests: 20, perMs: 1000 }, 45);
    expect(times.filter((t) => t < 1000)).toHaveLength(20);
    for (let i = 0; i + 20 < times.length; i++)
      expect((times[i + 20] as number) - (times[i] as number)).toBeGreaterThanOrEqual(1000);
  });

  it('an explicit burst keeps the token bucket (burst, then evenly spaced)', async () => {
    const times = await burst({ name: 'tb', requests: 10, perMs: 1000, burst: 3 }, 6);
    expect(times).toEqual([0, 0, 0, 100, 200, 300]);
  });
});

describe('defect 6: an aborted waiter gives its place back exactly once', () => {
  for (const rule of [
    { name: 'bucket', requests: 10, perMs: 1000, burst: 1 },
    { name: 'window', requests: 1, perMs: 100 },
  ] satisfies RateLimitRule[]) {
    it(`A, B (aborted while waiting), C, D go at 0, 100, 200 ms (${rule.name})`, async () => {
      const t = transport({ rateLimit: { rules: [rule] } });
      const controller = new AbortController();
      const a = t.get('/A');
      const b = t.get('/B', {}, { signal: controller.signal });
      const c = t.get('/C');
      const d = t.get('/D');
      controller.abort();
      await expect(b).rejects.toBeInstanceOf(AbortError);
      await clock.run(Promise.all([a, c, d]));
      expect(seen.map((s) => `${s.path}@${rel(s.at)}`)).toEqual(['/A@0', '/C@100', '/D@200']);
    });
  }

  it('a request aborted while waiting for a hold leaves the line, and the others keep their order', async () => {
    handler = (_req, res) => (seen.length === 1 ? reply(res, 429, { 'retry-after': '1' }) : reply(res, 200));
    const t = transport({ rateLimit: { rules: [{ name: 'r', requests: 1, perMs: 100 }] }, maxRetries: 0 });
    await expect(clock.run(t.get('/first'))).rejects.toBeInstanceOf(RateLimitError);
    const controller = new AbortController();
    const x = t.get('/x', {}, { signal: controller.signal });
    const y = t.get('/y');
    const z = t.get('/z');
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(x).rejects.toBeInstanceOf(AbortError);
    await clock.run(Promise.all([y, z]));
    expect(seen.map((s) => `${s.path}@${rel(s.at)}`)).toEqual(['/first@0', '/y@1000', '/z@1100']);
  });
});
