/**
 * A tiny real HTTP server on 127.0.0.1 for tests that must go through sockets (keep-alive,
 * resets, timeouts) rather than msw's interception.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the test server received. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** Path and query, e.g. `/v1/orgDevices?limit=1`. */
  url: string;
  /** Request headers (lower-case names). */
  headers: IncomingHttpHeaders;
  /** The body as text. */
  body: string;
}

/**
 * Answers one request. `req.raw` and `res` are Node's objects (e.g. `res.socket?.destroy()` to
 * reset). The return value is ignored (so `(req, res) => res.end('{}')` fits), except that a
 * rejected promise answers 500.
 */
export type TestServerHandler = (req: RecordedRequest & { raw: IncomingMessage }, res: ServerResponse) => unknown;

/** A running test server. */
export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** Every request received so far, in order. */
  requests: RecordedRequest[];
  /** Closes every connection and the server. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 with a free port. A handler that throws answers 500.
 *
 * @example
 * ```ts
 * const server = await startTestServer((req, res) => res.end(JSON.stringify({ ok: true })));
 * const transport = new Transport({ baseURL: server.url });
 * // …
 * await server.close();
 * ```
 */
export async function startTestServer(handler: TestServerHandler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const recorded: RecordedRequest = {
        method: raw.method ?? 'GET',
        url: raw.url ?? '/',
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve()
        .then(() => handler({ ...recorded, raw }, res))
        .catch((error: unknown) => {
          if (!res.headersSent) {
            res.statusCode = 500;
            res.end(JSON.stringify({ error: 'handler_failed', message: String(error) }));
          } else res.destroy();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
