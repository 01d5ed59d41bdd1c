/**
 * Runs msw handlers behind a real `node:http` server (core's `startTestServer`), so the same
 * simulator serves tests that intercept `fetch` and tests that go through sockets.
 */
import type { TestServerHandler } from '@schoolmdm/core/testing';
import { getResponse, type RequestHandler } from 'msw';

/**
 * Turns msw handlers into a `startTestServer` handler. The request URL is rebuilt from the
 * `Host` header (`http://127.0.0.1:<port>/…`), so simulator handlers created with
 * `{ anyOrigin: true }` match it. An unmatched request gets 404 with a JSON body naming it; a
 * network-error response (`HttpResponse.error()`) resets the socket.
 *
 * @example
 * ```ts
 * const sim = createAsmSimulator(state, { anyOrigin: true });
 * const server = await startTestServer(toTestServerHandler(sim.handlers));
 * const asm = new AsmClient({ …, baseURL: `${server.url}/v1`, tokenURL: `${server.url}/auth/oauth2/token` });
 * ```
 */
export function toTestServerHandler(handlers: readonly RequestHandler[]): TestServerHandler {
  return async (req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    const url = `http://${req.headers.host ?? '127.0.0.1'}${req.url}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, { method: req.method, headers, body: hasBody ? req.body : undefined });
    const response = await getResponse([...handlers], request);
    if (!response) {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: 'unhandled', message: `No simulator handler for ${req.method} ${req.url}` }));
      return;
    }
    if (response.type === 'error') {
      res.socket?.destroy();
      return;
    }
    res.statusCode = response.status;
    response.headers.forEach((value, key) => {
      if (key !== 'content-length' && key !== 'transfer-encoding') res.setHeader(key, value);
    });
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}
