/**
 * Serving msw handlers from a real HTTP server: `startTestServer(toTestServerHandler(sim.handlers))`
 * runs the same simulator over real sockets (keep-alive, real headers), as an independent
 * peer of msw's interception.
 */
import type { TestServerHandler } from '@schoolmdm/core/testing';
import { getResponse, type RequestHandler } from 'msw';

/**
 * Adapts msw handlers to core's `startTestServer`. A request no handler answers gets 501;
 * `HttpResponse.error()` destroys the socket (a network error for the client).
 *
 * @example
 * ```ts
 * const server = await startTestServer(toTestServerHandler(sim.handlers));
 * const client = new MosyleClient({ ...sim.state.credentials, baseURL: `${server.url}/v2` });
 * ```
 */
export function toTestServerHandler(handlers: readonly RequestHandler[]): TestServerHandler {
  return async (req, res) => {
    const host = req.headers.host ?? '127.0.0.1';
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    const request = new Request(`http://${host}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
    });
    const response = await getResponse([...handlers], request);
    if (!response) {
      res.statusCode = 501;
      res.end('no handler');
      return;
    }
    if (response.type === 'error') {
      res.socket?.destroy();
      return;
    }
    res.statusCode = response.status;
    response.headers.forEach((value, key) => {
      res.setHeader(key, value);
    });
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}
