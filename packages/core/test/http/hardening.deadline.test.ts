/**
 * Issue #8, defects 12 and 13 and the ConnectionError message, against a real node:http
 * server: a total deadline per call, a reset mid-body is not a stale keep-alive socket, and
 * any number of concurrent requests on one signal add no listener warning and leave none.
 */
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionError, InternalServerError, TimeoutError, Transport } from '../../src/index.js';
import { startTestServer, type TestServer, type TestServerHandler } from '../../src/testing/index.js';
import { VirtualClock } from '../support/clock.js';

let server: TestServer;
let handler: TestServerHandler;

beforeAll(async () => {
  server = await startTestServer((req, res) => handler(req, res));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  handler = (_req, res) => res.end('{}');
});

describe('defect 12: a total deadline per call', () => {
  it('bounds a server that never answers: the attempt timeout shrinks to what is left', async () => {
    const t = new Transport({ baseURL: server.url, timeoutMs: 300 });
    // Warm up: the owned Agent is created (undici imported) on first use.
    await t.get('/warm');
    server.requests.length = 0;
    handler = () => new Promise(() => {});
    const err = (await t.get('/never', {}, { deadlineMs: 450 }).catch((e: unknown) => e)) as TimeoutError;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.kind).toBe('deadline');
    expect(err.timeoutMs).toBe(450);
    expect(err.message).toContain('450 ms deadline');
    // The first attempt timed out at 300 ms; the backoff (≥ 375 ms) would end after the deadline.
    expect(server.requests).toHaveLength(1);
    expect(err.cause).toBeInstanceOf(TimeoutError);
    await t.close();
  });

  it('does not start a Retry-After wait that would end after the deadline', async () => {
    const clock = new VirtualClock();
    handler = (_req, res) => {
      res.writeHead(503, { 'retry-after': '5' });
      res.end();
    };
    const t = new Transport({ baseURL: server.url, fetch: clock.fetch, sleep: clock.sleep, now: clock.clock });
    const err = (await clock.run(t.get('/busy', {}, { deadlineMs: 3000 })).catch((e: unknown) => e)) as TimeoutError;
    expect(err).toMatchObject({ name: 'TimeoutError', kind: 'deadline' });
    expect(err.cause).toBeInstanceOf(InternalServerError);
    expect(clock.sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('covers waits for a hold and for a rate-limit rule', async () => {
    const clock = new VirtualClock();
    handler = (_req, res) => {
      res.writeHead(429, { 'retry-after': '30' });
      res.end();
    };
    const t = new Transport({
      baseURL: server.url,
      fetch: clock.fetch,
      sleep: clock.sleep,
      now: clock.clock,
      maxRetries: 0,
      rateLimit: { rules: [{ name: 'slow', requests: 1, perMs: 60_000 }] },
    });
    await expect(clock.run(t.get('/a'))).rejects.toMatchObject({ status: 429 });
    // Held for 30 s (and the rule allows the next request in 60 s): a 10 s deadline fails at once.
    await expect(clock.run(t.get('/b', {}, { deadlineMs: 10_000 }))).rejects.toMatchObject({ kind: 'deadline' });
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('lets a call that fits finish, and rejects a bad deadline', async () => {
    const t = new Transport({ baseURL: server.url });
    expect((await t.get('/fast', {}, { deadlineMs: 10_000 })).data).toEqual({});
    await expect(t.get('/fast', {}, { deadlineMs: 0 })).rejects.toMatchObject({ name: 'InvalidArgumentError' });
    await t.close();
  });

  it('a reset mid-body is a failed attempt, not a stale socket: three attempts, not four', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 10);
    };
    const t = new Transport({ baseURL: server.url, sleep: async () => {} });
    const err = (await t.get('/mid').catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(3);
    expect(err.attempts).toBe(3);
    await t.close();
  });

  it('a reset before any response byte is still retried once at once, outside the budget', async () => {
    handler = (req, res) => {
      if (server.requests.length === 1) req.raw.socket.destroy();
      else res.end('{"ok":true}');
    };
    const t = new Transport({ baseURL: server.url, maxRetries: 0 });
    expect((await t.get('/stale')).data).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    await t.close();
  });
});

describe('ConnectionError says what happened', () => {
  it('not retried with maxRetries 0, or for a POST; retried N times otherwise', async () => {
    handler = (req) => req.raw.socket.destroy();
    const t = new Transport({ baseURL: server.url, sleep: async () => {} });
    const none = (await t.get('/x', {}, { maxRetries: 0 }).catch((e: unknown) => e)) as ConnectionError;
    // One stale-socket retry happens first (reset before any byte): two attempts, no budget retry.
    expect(none.message).toMatch(/after 2 attempts \(retried 1 time\)/);
    const post = (await t.post('/x', { body: {} }).catch((e: unknown) => e)) as ConnectionError;
    expect(post.message).toMatch(/not retried \(POST is not safe to repeat\)/);
    expect(post.message).not.toMatch(/retried automatically/);
    const retried = (await t.get('/x').catch((e: unknown) => e)) as ConnectionError;
    expect(retried.attempts).toBe(4);
    expect(retried.message).toMatch(/after 4 attempts \(retried 3 times\)/);
    await t.close();
  });
});

describe('defect 13: no MaxListenersExceededWarning, no listener left', () => {
  it('50 concurrent requests on one signal, waiting for a rule and in flight', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      handler = (_req, res) => setTimeout(() => res.end('{}'), 5);
      const controller = new AbortController();
      const t = new Transport({
        baseURL: server.url,
        rateLimit: { maxConcurrency: 8, rules: [{ name: 'r', requests: 25, perMs: 100 }] },
      });
      await Promise.all(Array.from({ length: 50 }, (_, i) => t.get(`/n/${i}`, {}, { signal: controller.signal })));
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await t.close();
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('aborting one shared signal still aborts every waiting and in-flight request', async () => {
    handler = () => new Promise(() => {});
    const controller = new AbortController();
    const t = new Transport({ baseURL: server.url, rateLimit: { rules: [{ name: 'r', requests: 5, perMs: 60_000 }] } });
    const calls = Array.from({ length: 12 }, (_, i) =>
      t.get(`/h/${i}`, {}, { signal: controller.signal }).catch((e: unknown) => e),
    );
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    const results = await Promise.all(calls);
    expect(results.every((e) => (e as Error).name === 'AbortError')).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await t.close();
  });
});

describe('a URL that does not parse', () => {
  it('is an InvalidArgumentError (checked when fetch rejects it, not on every request)', async () => {
    const t = new Transport({ rateLimit: { maxConcurrency: 2 } });
    await expect(t.get('http://exa mple.test/a')).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'path',
    });
    const plain = new Transport();
    await expect(plain.get('http://exa mple.test/a')).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'path',
    });
  });
});
