/**
 * Retries, backoff, Retry-After, holds after 429, connection errors, timeouts and aborts,
 * against an injected fetch on a virtual clock (no real waiting, no timed assertions).
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
  Transport,
  type TransportOptions,
} from '../../src/index.js';
import { VirtualClock } from '../support/clock.js';
import { fetchFailed, hangingStep, jsonResponse, type Step, scriptedFetch } from '../support/fetch.js';

const BASE = 'https://api.test';

function setup(steps: Step[], options: Partial<TransportOptions> = {}) {
  const clock = new VirtualClock();
  const fetch = scriptedFetch(...steps);
  const transport = new Transport({
    baseURL: BASE,
    fetch,
    sleep: clock.sleep,
    now: clock.clock,
    random: () => 0,
    ...options,
  });
  return { clock, fetch, transport };
}

const ok = () => jsonResponse({ ok: true });
const status = (s: number, headers: Record<string, string> = {}) => jsonResponse({ errors: [] }, s, headers);

describe('retries', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries a GET on %i, then succeeds', async (code) => {
    const { clock, fetch, transport } = setup([status(code), ok()], { rateLimitFloorMs: 0 });
    const res = await clock.run(transport.get('/a'));
    expect(res.data).toEqual({ ok: true });
    expect(res.attempts).toBe(2);
    expect(fetch.calls).toHaveLength(2);
  });

  it('makes exactly maxRetries + 1 attempts, with 0.5 s·2ⁿ backoff, then throws', async () => {
    const { clock, fetch, transport } = setup([status(503)]);
    const err = await clock.run(transport.get('/a')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(fetch.calls).toHaveLength(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('honours maxRetries per call (0 = one attempt) and on the transport', async () => {
    const a = setup([status(500)]);
    await expect(a.clock.run(a.transport.get('/a', {}, { maxRetries: 0 }))).rejects.toBeInstanceOf(InternalServerError);
    expect(a.fetch.calls).toHaveLength(1);
    const b = setup([status(500)], { maxRetries: 5 });
    await expect(b.clock.run(b.transport.get('/a'))).rejects.toBeInstanceOf(InternalServerError);
    expect(b.fetch.calls).toHaveLength(6);
    expect(b.clock.sleeps).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('applies up to 25 % jitter and caps a step at 8 s', async () => {
    const { clock, transport } = setup([status(500)], { maxRetries: 6, random: () => 0.999_999 });
    await clock.run(transport.get('/a')).catch(() => undefined);
    expect(clock.sleeps).toEqual([375, 750, 1500, 3000, 6000, 6000]);
  });

  it('sends x-retry-count on retries only', async () => {
    const { clock, fetch, transport } = setup([status(500), status(500), ok()]);
    await clock.run(transport.get('/a'));
    expect(fetch.calls.map((c) => c.headers['x-retry-count'])).toEqual([undefined, '1', '2']);
  });

  it('does not retry a POST on 5xx (not safe to repeat)', async () => {
    const { clock, fetch, transport } = setup([status(500), ok()]);
    await expect(clock.run(transport.post('/a', { body: { x: 1 } }))).rejects.toBeInstanceOf(InternalServerError);
    expect(fetch.calls).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a POST marked idempotent, per call or per request', async () => {
    const a = setup([status(500), ok()]);
    await a.clock.run(a.transport.post('/list', { body: { page: 1 } }, { idempotent: true }));
    expect(a.fetch.calls).toHaveLength(2);
    expect(a.fetch.calls[1]?.body).toBe('{"page":1}');
    const b = setup([status(500), ok()]);
    await b.clock.run(b.transport.post('/list', { body: {}, idempotent: true }));
    expect(b.fetch.calls).toHaveLength(2);
  });

  it('lets a call opt a GET out of retries with idempotent: false', async () => {
    const { clock, fetch, transport } = setup([status(500), ok()]);
    await expect(clock.run(transport.get('/a', {}, { idempotent: false }))).rejects.toBeInstanceOf(InternalServerError);
    expect(fetch.calls).toHaveLength(1);
  });

  it('never retries 4xx other than 408 and 429', async () => {
    const { clock, fetch, transport } = setup([status(404), ok()]);
    await expect(clock.run(transport.get('/a'))).rejects.toBeInstanceOf(NotFoundError);
    expect(fetch.calls).toHaveLength(1);
  });

  it('never retries a streamed body, which cannot be replayed', async () => {
    const { clock, fetch, transport } = setup([status(503), ok()]);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('x'));
        c.close();
      },
    });
    await expect(clock.run(transport.put('/upload', { body: stream, idempotent: true }))).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(fetch.calls).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it('waits the delta-seconds form', async () => {
    const { clock, transport } = setup([status(429, { 'retry-after': '3' }), ok()]);
    await clock.run(transport.get('/a'));
    expect(clock.sleeps).toEqual([3000]);
  });

  it('waits until the HTTP-date form', async () => {
    const clock0 = new VirtualClock();
    const at = new Date(clock0.now + 5000).toUTCString();
    const { clock, transport } = setup([status(503, { 'retry-after': at }), ok()]);
    clock.now = clock0.now;
    await clock.run(transport.get('/a'));
    expect(clock.sleeps).toEqual([5000]);
  });

  it('reads retry-after-ms before retry-after', async () => {
    const { clock, transport } = setup([status(429, { 'retry-after-ms': '250', 'retry-after': '9' }), ok()]);
    await clock.run(transport.get('/a'));
    expect(clock.sleeps).toEqual([250]);
  });

  it('throws RateLimitError with retryAfterMs above the cap, without retrying', async () => {
    const { clock, fetch, transport } = setup([status(429, { 'retry-after': '120' }), ok()]);
    const err = (await clock.run(transport.get('/a')).catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(120_000);
    expect(err.source).toBe('server');
    expect(fetch.calls).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not wait for a 503 Retry-After above the cap either, and reports it', async () => {
    const { clock, fetch, transport } = setup([status(503, { 'retry-after': '300' }), ok()]);
    const err = (await clock.run(transport.get('/a')).catch((e: unknown) => e)) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.retryAfterMs).toBe(300_000);
    expect(fetch.calls).toHaveLength(1);
  });

  it('uses a configurable cap', async () => {
    const { clock, transport } = setup([status(429, { 'retry-after': '120' }), ok()], { maxRetryAfterMs: 180_000 });
    await clock.run(transport.get('/a'));
    expect(clock.sleeps).toEqual([120_000]);
  });

  it('waits at least the floor after a 429 without Retry-After', async () => {
    const { clock, transport } = setup([status(429), status(429), ok()], { rateLimitFloorMs: 10_000 });
    await clock.run(transport.get('/a'));
    expect(clock.sleeps).toEqual([10_000, 10_000]);
  });

  it('throws RateLimitError when 429s outlast the retries', async () => {
    const { clock, fetch, transport } = setup([status(429, { 'retry-after': '1' })]);
    const err = (await clock.run(transport.get('/a')).catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(1000);
    expect(fetch.calls).toHaveLength(3);
  });
});

describe('host hold after 429', () => {
  it('holds every request to the host until the wait is over', async () => {
    const { clock, fetch, transport } = setup([status(429, { 'retry-after': '2' }), ok()], { maxRetries: 0 });
    await expect(clock.run(transport.get('/a'))).rejects.toBeInstanceOf(RateLimitError);
    const t429 = clock.now;
    await clock.run(transport.get('/b'));
    expect(clock.sleeps).toEqual([2000]);
    expect(fetch.calls).toHaveLength(2);
    expect(clock.now - t429).toBe(2000);
  });

  it('holds concurrent requests to the same host, not to other hosts', async () => {
    const sentAt: Record<string, number> = {};
    const clock = new VirtualClock();
    let first = true;
    const fetch = scriptedFetch((call) => {
      sentAt[call.url] ??= clock.now;
      if (call.url.endsWith('/a') && first) {
        first = false;
        return status(429, { 'retry-after': '4' });
      }
      return ok();
    });
    const transport = new Transport({ fetch, sleep: clock.sleep, now: clock.clock, random: () => 0 });
    const start = clock.now;
    const a = transport.get('https://one.test/a');
    await new Promise((r) => setImmediate(r));
    const b = transport.get('https://one.test/b');
    const c = transport.get('https://two.test/c');
    await clock.run(Promise.all([a, b, c]));
    expect(sentAt['https://two.test/c']).toBe(start);
    expect(sentAt['https://one.test/b']).toBe(start + 4000);
    expect(fetch.calls.map((x) => x.url)).toEqual([
      'https://one.test/a',
      'https://two.test/c',
      'https://one.test/a',
      'https://one.test/b',
    ]);
  });

  it('holds after a 429 to a POST, which itself is not retried', async () => {
    const { clock, fetch, transport } = setup([status(429, { 'retry-after': '5' }), ok()]);
    const err = (await clock
      .run(transport.post('/activities', { body: {} }))
      .catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(5000);
    expect(fetch.calls).toHaveLength(1);
    await clock.run(transport.get('/a'));
    expect(clock.sleeps).toEqual([5000]);
  });

  it('refuses at once (source "hold") while a hold above the cap runs', async () => {
    const { clock, fetch, transport } = setup([status(429, { 'retry-after': '3600' }), ok()]);
    await expect(clock.run(transport.post('/activities', { body: {} }))).rejects.toBeInstanceOf(RateLimitError);
    const err = (await clock.run(transport.get('/a')).catch((e: unknown) => e)) as RateLimitError;
    expect(err.source).toBe('hold');
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(err.message).toContain('was not sent');
    expect(fetch.calls).toHaveLength(1);
    clock.now += 3_600_000;
    await clock.run(transport.get('/a'));
    expect(fetch.calls).toHaveLength(2);
  });

  it('can scope holds with holdKey (e.g. per host and method)', async () => {
    const { clock, fetch, transport } = setup([status(429, { 'retry-after': '3600' }), ok()], {
      holdKey: (url, method) => `${url.host} ${method}`,
    });
    await expect(clock.run(transport.post('/activities', { body: {} }))).rejects.toBeInstanceOf(RateLimitError);
    await clock.run(transport.get('/a'));
    expect(fetch.calls).toHaveLength(2);
  });
});

describe('connection errors', () => {
  it('unwraps undici’s TypeError("fetch failed") and retries with backoff', async () => {
    const { clock, fetch, transport } = setup([fetchFailed('ECONNREFUSED')]);
    const err = (await clock.run(transport.get('/a')).catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.message).toContain('GET https://api.test/a failed: connection error (ECONNREFUSED');
    expect((err.cause as Error).message).toBe('fetch failed');
    expect(fetch.calls).toHaveLength(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('retries a reset keep-alive socket once at once, outside the retry budget', async () => {
    const { clock, fetch, transport } = setup([fetchFailed('ECONNRESET', 'read ECONNRESET'), ok()], { maxRetries: 0 });
    const res = await clock.run(transport.get('/a'));
    expect(res.attempts).toBe(2);
    expect(fetch.calls).toHaveLength(2);
    expect(clock.sleeps).toEqual([]);
  });

  it('counts later resets against the budget', async () => {
    const { clock, fetch, transport } = setup([fetchFailed('UND_ERR_SOCKET', 'other side closed')], { maxRetries: 1 });
    await expect(clock.run(transport.get('/a'))).rejects.toBeInstanceOf(ConnectionError);
    expect(fetch.calls).toHaveLength(3);
    expect(clock.sleeps).toEqual([500]);
  });

  it('does not retry a POST after a connection error', async () => {
    const { clock, fetch, transport } = setup([fetchFailed('ECONNRESET'), ok()]);
    await expect(clock.run(transport.post('/a', { body: {} }))).rejects.toBeInstanceOf(ConnectionError);
    expect(fetch.calls).toHaveLength(1);
  });
});

describe('timeout and abort', () => {
  it('times out an attempt, retries, then throws TimeoutError', async () => {
    const { clock, fetch, transport } = setup([hangingStep()], { timeoutMs: 5, maxRetries: 1 });
    const err = (await clock.run(transport.get('/a')).catch((e: unknown) => e)) as TimeoutError;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.timeoutMs).toBe(5);
    expect(err.message).toBe(
      'GET https://api.test/a timed out after 5 ms — Raise timeoutMs (per request or on the transport) or check the network.',
    );
    expect(fetch.calls).toHaveLength(2);
  });

  it('uses a per-call timeout', async () => {
    const { clock, transport } = setup([hangingStep()], { maxRetries: 0 });
    const err = (await clock.run(transport.get('/a', {}, { timeoutMs: 3 })).catch((e: unknown) => e)) as TimeoutError;
    expect(err.timeoutMs).toBe(3);
  });

  it('aborts a request in flight with AbortError and does not retry', async () => {
    const { clock, fetch, transport } = setup([hangingStep()]);
    const controller = new AbortController();
    const p = transport.get('/a', {}, { signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    controller.abort(new Error('user cancelled token=SECRET'));
    const err = (await clock.run(p).catch((e: unknown) => e)) as AbortError;
    expect(err).toBeInstanceOf(AbortError);
    expect(err.message).toContain('GET https://api.test/a was aborted by the caller');
    expect(String((err.cause as Error).message)).toBe('user cancelled token=[REDACTED]');
    expect(fetch.calls).toHaveLength(1);
  });

  it('does not call fetch with an already aborted signal', async () => {
    const { clock, fetch, transport } = setup([ok()]);
    await expect(clock.run(transport.get('/a', {}, { signal: AbortSignal.abort() }))).rejects.toBeInstanceOf(
      AbortError,
    );
    expect(fetch.calls).toHaveLength(0);
  });

  it('aborts a backoff wait', async () => {
    const { clock, fetch, transport } = setup([status(503)]);
    const controller = new AbortController();
    const p = transport.get('/a', {}, { signal: controller.signal });
    for (let i = 0; i < 5 && clock.pending === 0; i++) await new Promise((r) => setImmediate(r));
    expect(clock.pending).toBe(1);
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(fetch.calls).toHaveLength(1);
  });

  it('aborts a hold wait', async () => {
    const { clock, transport } = setup([status(429, { 'retry-after': '30' }), ok()], { maxRetries: 0 });
    await expect(clock.run(transport.get('/a'))).rejects.toBeInstanceOf(RateLimitError);
    const controller = new AbortController();
    const p = transport.get('/b', {}, { signal: controller.signal });
    for (let i = 0; i < 5 && clock.pending === 0; i++) await new Promise((r) => setImmediate(r));
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
  });

  it('leaves no listener on a long-lived signal after 1,000 requests', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const { clock, transport } = setup([status(503), ok()]);
      const controller = new AbortController();
      for (let i = 0; i < 1000; i++) {
        await clock.run(transport.get(`/a/${i}`, {}, { signal: controller.signal }));
      }
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
