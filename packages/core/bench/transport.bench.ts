/**
 * Transport overhead: a GET through `Transport` against a raw `fetch` to the same local
 * `node:http` server, both over a keep-alive undici Agent, interleaved in the same run; and
 * throughput at concurrency 16. The goal is a median ratio of at most 1.15×: retries, rate
 * limiting, redaction and typed errors should cost next to nothing on the happy path.
 *
 * Decision (issue #8): the transport keeps `fetch`. `undici.request` on the owned Agent is
 * measured below as a reference (it is faster than `fetch` itself), but it would bypass msw,
 * which intercepts by patching `globalThis.fetch`, and any `fetch` a user patched or wrapped
 * (APM agents, proxies, test doubles), whatever the import order — a request the user's
 * tooling cannot see is a regression no speed-up pays for. The rows below show where the
 * remaining overhead is: most of it is the per-attempt timeout (an AbortSignal that Node's
 * fetch must observe), which a careful raw-fetch caller pays too.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, request as undiciRequest } from 'undici';
import { type BenchReport, compare } from '../../../bench/harness.js';
import { type FetchInit, Transport } from '../src/index.js';

const BODY = JSON.stringify({
  data: Array.from({ length: 5 }, (_, i) => ({
    type: 'orgDevices',
    id: `XABC${i}`,
    attributes: { serialNumber: `XABC${i}`, status: 'ASSIGNED', productFamily: 'iPad' },
  })),
  meta: { paging: { limit: 5 } },
});

/** Runs `total` requests with `concurrency` workers and returns requests per second. */
async function throughput(call: () => Promise<unknown>, total: number, concurrency: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await call();
    }),
  );
  return (total / (performance.now() - t0)) * 1000;
}

export default async function (): Promise<BenchReport> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
    res.end(BODY);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const transport = new Transport({
    baseURL: base,
    userAgent: 'schoolmdm/bench',
    agentOptions: { keepAliveTimeout: 30_000 },
  });
  // The same transport without a timeout: with no caller signal either, no AbortSignal is made.
  const unbounded = new Transport({
    baseURL: base,
    userAgent: 'schoolmdm/bench',
    timeoutMs: Number.POSITIVE_INFINITY,
    agentOptions: { keepAliveTimeout: 30_000 },
  });
  // The baseline sends the same request on the wire (the Accept and User-Agent headers an API
  // client needs), so the ratio measures the transport's own work: URL building, the
  // per-attempt timeout and abort link, retry and rate-limit bookkeeping, status mapping.
  const url = `${base}/v1/orgDevices?limit=5`;
  const init: FetchInit = {
    dispatcher: agent,
    headers: { accept: 'application/json', 'user-agent': 'schoolmdm/bench' },
  };
  const raw = async () => (await fetch(url, init as RequestInit)).json();
  // A raw fetch with the per-request timeout a careful caller would add, to show its share.
  const rawWithTimeout = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      return await (await fetch(url, { ...init, signal: controller.signal } as RequestInit)).json();
    } finally {
      clearTimeout(timer);
    }
  };
  // Reference only: the fast path the transport does NOT take (it would bypass msw and patched fetch).
  const viaUndiciRequest = async () => {
    const r = await undiciRequest(url, {
      dispatcher: agent,
      headers: { accept: 'application/json', 'user-agent': 'schoolmdm/bench' },
    });
    return r.body.json();
  };
  const viaTransport = async () => (await transport.get('/v1/orgDevices', { query: { limit: 5 } })).data;
  const viaUnbounded = async () => (await unbounded.get('/v1/orgDevices', { query: { limit: 5 } })).data;

  try {
    const options = { iterations: 1500, warmup: 200 };
    const overhead = await compare(viaTransport, raw, options);
    const signalCost = await compare(rawWithTimeout, raw, options);
    const ownWork = await compare(viaUnbounded, raw, options);
    const fastPath = await compare(viaUndiciRequest, raw, options);
    const total = 3000;
    // Alternate the order so neither side always runs on a warmer process.
    const rawRps1 = await throughput(raw, total, 16);
    const transportRps1 = await throughput(viaTransport, total, 16);
    const transportRps2 = await throughput(viaTransport, total, 16);
    const rawRps2 = await throughput(raw, total, 16);
    const rawRps = (rawRps1 + rawRps2) / 2;
    const transportRps = (transportRps1 + transportRps2) / 2;
    const us = (r: typeof overhead) => (r.subject.medianMs - r.baseline.medianMs) * 1000;

    return {
      id: 'core/transport',
      rows: [
        {
          name: 'GET via Transport vs raw fetch (keep-alive, 127.0.0.1)',
          subject: overhead.subject,
          baseline: overhead.baseline,
          ratio: overhead.ratio,
          goal: 'median ≤ 1.15×',
          pass: overhead.ratio <= 1.15,
          metrics: { 'overhead µs (median)': us(overhead) },
        },
        {
          name: 'share: raw fetch + AbortController timeout vs raw fetch',
          subject: signalCost.subject,
          baseline: signalCost.baseline,
          ratio: signalCost.ratio,
          metrics: { 'overhead µs (median)': us(signalCost) },
        },
        {
          name: 'share: Transport with timeoutMs: Infinity (no signal) vs raw fetch',
          subject: ownWork.subject,
          baseline: ownWork.baseline,
          ratio: ownWork.ratio,
          metrics: { 'overhead µs (median)': us(ownWork) },
        },
        {
          name: 'reference, not used: undici.request on an Agent vs raw fetch (bypasses msw / patched fetch)',
          subject: fastPath.subject,
          baseline: fastPath.baseline,
          ratio: fastPath.ratio,
          metrics: { 'overhead µs (median)': us(fastPath), decision: 'keep fetch' },
        },
        {
          name: 'requests/s at concurrency 16',
          ratio: transportRps / rawRps,
          metrics: { 'transport req/s': transportRps, 'raw fetch req/s': rawRps, requests: total },
        },
      ],
    };
  } finally {
    await transport.close();
    await unbounded.close();
    await agent.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
