/**
 * "Silent by default", checked by watching: without a logger (or with `logLevel: 'off'`) a
 * transport that retries, holds after a 429 and fails writes nothing to the console, to
 * stdout/stderr or to a logger. The control case proves the watch would see a line.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Logger, Transport } from '../../src/index.js';
import { startTestServer, type TestServer } from '../../src/testing/index.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const n = server.requests.length;
    res.writeHead(n % 3 === 1 ? 429 : n % 3 === 2 ? 503 : 200, { 'retry-after': '0' });
    res.end(req.url === '/fail' ? '{"error":"x"}' : '{}');
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

function watch() {
  const calls: string[] = [];
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      calls.push(`console.${m} ${args.join(' ')}`);
    });
  }
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    calls.push(`stderr ${String(chunk)}`);
    return true;
  });
  return calls;
}

async function busyWork(t: Transport): Promise<void> {
  await t.get('/a'); // 429, then 503, then 200
  await t.post('/fail', { body: {} }).catch(() => undefined);
}

function loggerSpy(): Logger & { count: () => number } {
  const fns = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
  return { ...fns, count: () => Object.values(fns).reduce((n, f) => n + f.mock.calls.length, 0) };
}

describe('silent by default', () => {
  it('writes nothing anywhere without a logger', async () => {
    const calls = watch();
    const t = new Transport({ baseURL: server.url, sleep: async () => {} });
    await busyWork(t);
    await t.close();
    expect(calls).toEqual([]);
  });

  it("calls a logger never with logLevel 'off'", async () => {
    const calls = watch();
    const logger = loggerSpy();
    const t = new Transport({ baseURL: server.url, sleep: async () => {}, logger, logLevel: 'off' });
    await busyWork(t);
    await t.close();
    expect(logger.count()).toBe(0);
    expect(calls).toEqual([]);
  });

  it('control: the same work with console as the logger is seen by the watch', async () => {
    const calls = watch();
    const t = new Transport({ baseURL: server.url, sleep: async () => {}, logger: console, logLevel: 'info' });
    await busyWork(t);
    await t.close();
    expect(calls.some((c) => c.startsWith('console.warn') && c.includes('429'))).toBe(true);
  });
});
