/**
 * The transport against a real `node:http` server on 127.0.0.1: keep-alive through the owned
 * undici Agent, retries, both Retry-After forms, resets, timeouts, abort, refused
 * connections and the long-lived-signal regression.
 */
import { getEventListeners } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  ConnectionError,
  InternalServerError,
  type RateLimitError,
  TimeoutError,
  Transport,
} from '../../src/index.js';
import { startTestServer, type TestServer, type TestServerHandler } from '../../src/testing/index.js';
import { VirtualClock } from '../support/clock.js';

let server: TestServer;
let handler: TestServerHandler = (_req, res) => {
  res.end('{}');
};

beforeAll(async () => {
  server = await startTestServer((req, res) => handler(req, res));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

function json(
  res: Parameters<TestServerHandler>[1],
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('against a real node:http server', () => {
  it('reuses one keep-alive connection through the owned Agent', async () => {
    const ports = new Set<number>();
    handler = (req, res) => {
      ports.add(req.raw.socket.remotePort ?? 0);
      json(res, 200, { path: req.url });
    };
    const transport = new Transport({ baseURL: server.url });
    for (let i = 0; i < 10; i++) expect((await transport.get(`/r/${i}`)).data).toEqual({ path: `/r/${i}` });
    // Sequential requests: undici may open a second socket while the first is being released,
    // never more; without keep-alive there would be ten.
    expect(ports.size).toBeLessThanOrEqual(2);
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^schoolmdm\//);
    await transport.close();
  });

  it('makes exactly 3 attempts on repeated 503s, with x-retry-count', async () => {
    handler = (_req, res) => json(res, 503, { errors: [{ code: 'UNAVAILABLE' }] });
    const clock = new VirtualClock();
    const transport = new Transport({ baseURL: server.url, sleep: clock.sleep, random: () => 0 });
    const err = (await clock.run(transport.get('/a')).catch((e: unknown) => e)) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.message).toContain('503 Service Unavailable');
    expect(server.requests.map((r) => r.headers['x-retry-count'])).toEqual([undefined, '1', '2']);
    expect(clock.sleeps).toEqual([500, 1000]);
    await transport.close();
  });

  it('honours Retry-After in seconds and as an HTTP-date', async () => {
    const clock = new VirtualClock();
    const start = clock.now;
    let n = 0;
    handler = (_req, res) => {
      n++;
      if (n === 1) return json(res, 429, {}, { 'retry-after': '2' });
      if (n === 2) return json(res, 429, {}, { 'retry-after': new Date(start + 9000).toUTCString() });
      return json(res, 200, { ok: true });
    };
    // random 0: no jitter, so the waits are exactly what the service asked for.
    const transport = new Transport({ baseURL: server.url, sleep: clock.sleep, now: clock.clock, random: () => 0 });
    expect((await clock.run(transport.get('/a'))).data).toEqual({ ok: true });
    // 2 s from the delta-seconds form; then the date is start + 9 s and the clock is at start + 2 s.
    expect(clock.sleeps).toEqual([2000, 7000]);
    await transport.close();
  });

  it('throws RateLimitError above the cap and holds the host', async () => {
    handler = (_req, res) => json(res, 429, {}, { 'retry-after': '3600' });
    const transport = new Transport({ baseURL: server.url });
    const a = (await transport.get('/a').catch((e: unknown) => e)) as RateLimitError;
    expect(a.retryAfterMs).toBe(3_600_000);
    const b = (await transport.get('/b').catch((e: unknown) => e)) as RateLimitError;
    expect(b.source).toBe('hold');
    expect(server.requests).toHaveLength(1);
    await transport.close();
  });

  it('does not retry a POST on 500', async () => {
    handler = (_req, res) => json(res, 500, {});
    const transport = new Transport({ baseURL: server.url });
    await expect(transport.post('/activities', { body: { a: 1 } })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toBe('{"a":1}');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    await transport.close();
  });

  it('retries a request whose socket the server destroyed, at once, with maxRetries 0', async () => {
    let n = 0;
    handler = (req, res) => {
      n++;
      if (n === 1) {
        req.raw.socket.destroy();
        return;
      }
      json(res, 200, { ok: true });
    };
    const transport = new Transport({ baseURL: server.url, maxRetries: 0 });
    const res = await transport.get('/a');
    expect(res.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    await transport.close();
  });

  it('times out a server that never answers', async () => {
    handler = () => {};
    const transport = new Transport({ baseURL: server.url, timeoutMs: 50, maxRetries: 0 });
    await expect(transport.get('/slow')).rejects.toBeInstanceOf(TimeoutError);
    await transport.close();
  });

  it('aborts a request in flight', async () => {
    handler = () => {};
    const transport = new Transport({ baseURL: server.url });
    const controller = new AbortController();
    const p = transport.get('/slow', {}, { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
    await transport.close();
  });

  it('reports a refused connection as ConnectionError(ECONNREFUSED) after retries', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    const clock = new VirtualClock();
    const transport = new Transport({ baseURL: `http://127.0.0.1:${port}`, sleep: clock.sleep, random: () => 0 });
    const err = (await clock.run(transport.get('/a')).catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.code).toBe('ECONNREFUSED');
    expect(clock.sleeps).toEqual([500, 1000]);
    await transport.close();
  });

  it('leaves no listener on one signal shared by 1,000 requests', async () => {
    handler = (_req, res) => json(res, 200, { ok: true });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const transport = new Transport({ baseURL: server.url });
    const controller = new AbortController();
    try {
      for (let i = 0; i < 1000; i++) await transport.get('/ok', {}, { signal: controller.signal });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await transport.close();
    }
  });

  it('close() destroys the owned Agent; a caller-provided dispatcher stays open', async () => {
    handler = (_req, res) => json(res, 200, {});
    const { Agent } = await import('undici');
    const agent = new Agent();
    const a = new Transport({ baseURL: server.url, dispatcher: agent });
    await a.get('/a');
    await a.close();
    expect(agent.destroyed).toBe(false);
    const b = new Transport({ baseURL: server.url, dispatcher: agent });
    await expect(b.get('/b')).resolves.toBeDefined();
    await agent.close();
  });
});
