/**
 * Issue #8, defects 8 and 9 against a real node:http server: every one-shot body (web
 * ReadableStream, Node Readable, fs.ReadStream, async generator) is streamed as bytes and
 * never retried; plain objects only are JSON; error bodies are read up to 64 KiB and the rest
 * is cancelled; `maxResponseBytes` bounds successful bodies.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  InternalServerError,
  InvalidArgumentError,
  MAX_ERROR_BODY_BYTES,
  ResponseTooLargeError,
  Transport,
} from '../../src/index.js';
import { startTestServer, type TestServer, type TestServerHandler } from '../../src/testing/index.js';

let server: TestServer;
let handler: TestServerHandler;
let dir: string;

beforeAll(async () => {
  server = await startTestServer((req, res) => handler(req, res));
  dir = await mkdtemp(join(tmpdir(), 'schoolmdm-body-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
  handler = (_req, res) => {
    res.statusCode = 503;
    res.end('{"error":"busy"}');
  };
});

describe('defect 8: one-shot bodies are streamed, never JSON, never retried', () => {
  async function* generator() {
    yield 'line 1\n';
    yield new TextEncoder().encode('line 2\n');
    yield Buffer.from('line 3\n');
  }
  const expected = 'line 1\nline 2\nline 3\n';

  const sources: [string, () => Promise<unknown> | unknown][] = [
    ['an async generator', () => generator()],
    ['a Node Readable', () => Readable.from(['line 1\n', 'line 2\n', 'line 3\n'])],
    [
      'an fs.ReadStream',
      async () => {
        const file = join(dir, 'body.txt');
        await writeFile(file, expected);
        return createReadStream(file);
      },
    ],
    [
      'a web ReadableStream',
      () =>
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode(expected));
            c.close();
          },
        }),
    ],
  ];

  for (const [name, make] of sources) {
    it(`sends ${name} as its bytes, once, even when the request is marked idempotent`, async () => {
      const t = new Transport({ baseURL: server.url, maxRetries: 3 });
      const body = await make();
      const err = await t.put('/upload', { body, idempotent: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InternalServerError);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.body).toBe(expected);
      expect(server.requests[0]?.headers['content-type']).toBeUndefined();
      await t.close();
    });
  }

  it('refuses what is neither JSON data nor a stream, before sending anything', async () => {
    const t = new Transport({ baseURL: server.url });
    class Thing {
      x = 1;
    }
    for (const body of [new Thing(), new Map([['a', 1]]), [1, 2][Symbol.iterator](), () => 1, new Date(0)]) {
      await expect(t.post('/x', { body })).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(server.requests).toHaveLength(0);
    // Plain objects, arrays, null-prototype objects and toJSON objects are JSON.
    handler = (_req, res) => res.end('{}');
    await t.post('/x', { body: Object.assign(Object.create(null), { a: 1 }) });
    await t.post('/x', { body: { toJSON: () => ({ b: 2 }) } });
    expect(server.requests.map((r) => r.body)).toEqual(['{"a":1}', '{"b":2}']);
    await t.close();
  });
});

describe('defect 9: bounded body reads', () => {
  /** Serves `total` bytes with backpressure; counts what the socket accepted. */
  function bigBody(status: number, total: number, counter: { written: number }): TestServerHandler {
    return (_req, res) =>
      new Promise<void>((resolve) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = (): void => {
          while (sent < total) {
            sent += chunk.length;
            const more = res.write(chunk, (error) => {
              if (!error) counter.written += chunk.length;
            });
            if (!more) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
          resolve();
        };
        res.on('close', () => resolve());
        pump();
      });
  }

  it('reads at most 64 KiB of a 64 MiB error body, on each of three attempts', async () => {
    const counter = { written: 0 };
    handler = bigBody(503, 64 * 1024 * 1024, counter);
    const t = new Transport({ baseURL: server.url, sleep: async () => {} });
    const err = (await t.get('/huge').catch((e: unknown) => e)) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(3);
    expect(err.bodyExcerpt?.startsWith('xxx')).toBe(true);
    // 3 × 64 MiB would be 192 MiB; socket buffers let a few MiB more than 64 KiB through.
    expect(counter.written).toBeLessThan(3 * 16 * 1024 * 1024);
    await t.close();
  });

  it('maxResponseBytes refuses a success larger than allowed, by Content-Length or while reading', async () => {
    const body = 'y'.repeat(10_000);
    handler = (req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': String(body.length) });
      else res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.end(body);
    };
    const t = new Transport({ baseURL: server.url, maxResponseBytes: 4096 });
    await expect(t.get('/declared', { responseType: 'text' })).rejects.toMatchObject({
      name: 'ResponseTooLargeError',
      maxBytes: 4096,
      declaredBytes: 10_000,
    });
    await expect(t.get('/chunked', { responseType: 'text' })).rejects.toBeInstanceOf(ResponseTooLargeError);
    // Not retried: a larger body will not shrink.
    expect(server.requests).toHaveLength(2);
    // Per call, the limit can be raised; bytes too are counted.
    expect((await t.get('/chunked', { responseType: 'text' }, { maxResponseBytes: 10_000 })).data).toBe(body);
    expect((await t.get('/chunked', { responseType: 'bytes' }, { maxResponseBytes: 10_000 })).data).toHaveLength(
      10_000,
    );
    await expect(t.get('/chunked', { responseType: 'bytes' }, { maxResponseBytes: 9_999 })).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
    await t.close();
  });

  it('keeps the service message of an error body under the cap', async () => {
    expect(MAX_ERROR_BODY_BYTES).toBe(65_536);
    handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'BAD', detail: 'no such field' }], pad: 'z'.repeat(60_000) }));
    };
    const t = new Transport({ baseURL: server.url });
    await expect(t.get('/bad')).rejects.toMatchObject({
      code: 'BAD',
      message: expect.stringContaining('no such field'),
    });
    await t.close();
  });
});
