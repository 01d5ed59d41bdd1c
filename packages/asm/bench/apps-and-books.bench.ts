/**
 * Apps and Books: listing 20,000 assignments through `AppsAndBooksClient` against the simulator
 * (msw, in process). Reported, as counts and ratios measured in this run:
 * - requests sent and simulated time at Apple's 15 requests/s (virtual clock: the rate limit,
 *   not this machine, sets the pace), for 500 and 100 records per page;
 * - peak heap growth while the list is iterated, against one page's size (goal: a small
 *   multiple, i.e. O(one page), whatever the list's length) and against collecting the list;
 * - wall time of the walk with 100 ms of latency per page, 5 pages in parallel vs 1 (limit raised,
 *   so latency is what is measured).
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { VirtualClock } from '@schoolmdm/core/testing';
import { delay, http } from 'msw';
import { setupServer } from 'msw/node';
import type { BenchReport, BenchRow } from '../../../bench/harness.js';
import { AppsAndBooksClient } from '../src/apps-and-books/index.js';
import { createAppsAndBooksSimulator } from '../src/testing/apps-and-books/index.js';

const TOTAL = 20_000;
const LATENCY_MS = 100;

/** The most requests that started within any 1,000 ms. */
function busiest(starts: number[]): number {
  let max = 0;
  let from = 0;
  for (let i = 0; i < starts.length; i++) {
    while ((starts[from] as number) <= (starts[i] as number) - 1000) from++;
    max = Math.max(max, i - from + 1);
  }
  return max;
}

function gcFunction(): () => void {
  v8.setFlagsFromString('--expose_gc');
  return vm.runInNewContext('gc') as () => void;
}

function seed(pageSize: number, maxRequestPerSecond = 15, total = TOTAL) {
  return {
    assets: [{ adamId: '361309726', totalCount: total }],
    assignments: Array.from({ length: total }, (_, i) => ({
      adamId: '361309726',
      pricingParam: 'STDQ' as const,
      serialNumber: `DMPX${String(i).padStart(8, '0')}`,
      versionId: 1,
    })),
    pageSize,
    limits: { maxRequestPerSecond, maxAssets: 25, maxSerialNumbers: 1000 },
  };
}

export default async function (): Promise<BenchReport> {
  const gc = gcFunction();
  const server = setupServer();
  server.listen({ onUnhandledRequest: 'error' });
  const rows: BenchRow[] = [];
  try {
    // 1. Requests and simulated time at 15 requests/s.
    for (const pageSize of [500, 100]) {
      const clock = new VirtualClock();
      const sim = createAppsAndBooksSimulator(seed(pageSize), { now: clock.clock });
      server.resetHandlers(...sim.handlers);
      const client = new AppsAndBooksClient({
        token: sim.issueToken(),
        now: clock.clock,
        sleep: clock.sleep,
        fetch: clock.fetch,
      });
      const started = clock.now;
      let count = 0;
      await clock.run(
        (async () => {
          for await (const _ of client.assignments.list()) count++;
        })(),
      );
      const pages = Math.ceil(TOTAL / pageSize);
      const simulatedS = (clock.now - started) / 1000;
      rows.push({
        name: `list ${TOTAL} assignments, ${pageSize}/page, at 15 req/s (virtual clock)`,
        goal: `${pages} page requests + 1 service/config, never > 15 in any second`,
        pass:
          count === TOTAL &&
          sim.state.requests.length === pages + 1 &&
          busiest(sim.state.requests.map((r) => r.at)) <= 15,
        metrics: {
          records: count,
          requests: sim.state.requests.length,
          '9646 answers': sim.state.requests.filter((r) => r.errorNumber === 9646).length,
          'simulated s': simulatedS,
          'busiest 1 s window': busiest(sim.state.requests.map((r) => r.at)),
        },
      });
    }

    // 2. Peak heap while iterating vs one page, vs collecting everything.
    const pageSize = 500;
    const sim = createAppsAndBooksSimulator(seed(pageSize, 100_000));
    const small = createAppsAndBooksSimulator(seed(pageSize, 100_000, TOTAL / 4));
    server.resetHandlers(...sim.handlers);
    const onePage = (() => {
      gc();
      const before = process.memoryUsage().heapUsed;
      const page = JSON.parse(
        JSON.stringify({
          assignments: sim.state.assignments.slice(0, pageSize).map((a) => ({
            adamId: a.adamId,
            pricingParam: a.pricingParam,
            serialNumber: `${a.serialNumber}`,
          })),
        }),
      ) as unknown;
      const bytes = process.memoryUsage().heapUsed - before;
      return { page, bytes };
    })();
    const peakWhile = async (collect: boolean, on = sim, total = TOTAL): Promise<number> => {
      server.resetHandlers(...on.handlers);
      const client = new AppsAndBooksClient({ token: on.issueToken() });
      const kept: unknown[] = [];
      gc();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      for await (const page of client.assignments.list().pages()) {
        if (collect) kept.push(...page.items);
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
      await client.close();
      if (collect && kept.length !== total) throw new Error('collected the wrong count');
      return peak;
    };
    const iterating = Math.min(await peakWhile(false), await peakWhile(false));
    const collecting = await peakWhile(true);
    const iteratingSmall = Math.min(await peakWhile(false, small, TOTAL / 4), await peakWhile(false, small, TOTAL / 4));
    const pageBytes = Math.max(onePage.bytes, 1);
    rows.push({
      name: `peak heap growth iterating ${TOTAL} assignments (${pageSize}/page, 5 in parallel)`,
      ratio: iterating / pageBytes,
      goal: 'O(one page): ≤ 10 pages (window of 5 + the page in hand + parsing)',
      pass: iterating / pageBytes <= 10,
      metrics: {
        'one page KiB': pageBytes / 1024,
        'iterating peak KiB': iterating / 1024,
        [`iterating peak KiB, ${TOTAL / 4} records`]: iteratingSmall / 1024,
        'collecting peak KiB': collecting / 1024,
        'collecting / iterating': collecting / Math.max(iterating, 1),
      },
    });
    void onePage.page;

    // 3. Latency hidden by parallel pages.
    const walk = async (pageConcurrency: number): Promise<number> => {
      const s = createAppsAndBooksSimulator(seed(500, 100_000));
      server.resetHandlers(
        http.get(`${s.baseURL}/assignments`, async () => {
          await delay(LATENCY_MS);
          return undefined;
        }),
        ...s.handlers,
      );
      const client = new AppsAndBooksClient({ token: s.issueToken(), pageConcurrency });
      const t0 = performance.now();
      let n = 0;
      for await (const _ of client.assignments.list()) n++;
      const ms = performance.now() - t0;
      await client.close();
      if (n !== TOTAL) throw new Error('walk lost records');
      return ms;
    };
    const sequential: number[] = [];
    const parallel: number[] = [];
    for (let i = 0; i < 2; i++) {
      sequential.push(await walk(1));
      parallel.push(await walk(5));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    rows.push({
      name: `walk ${TOTAL} assignments with ${LATENCY_MS} ms latency per page: 5 pages in parallel vs 1`,
      ratio: median(parallel) / median(sequential),
      goal: '≤ 0.5×',
      pass: median(parallel) / median(sequential) <= 0.5,
      metrics: { 'parallel ms': median(parallel), 'sequential ms': median(sequential) },
    });
  } finally {
    server.close();
  }
  return { id: 'asm/apps-and-books', rows };
}
