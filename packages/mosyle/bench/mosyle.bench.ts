/**
 * Mosyle at school scale, against the simulator on a virtual clock (every request costs a
 * simulated 400 ms of Mosyle latency; the client runs 4 requests at once):
 *
 * 1. List 10,000 iPads: requests and peak retained heap growth while iterating (devices are
 *    streamed, not collected; run with `node --expose-gc` for exact figures), against the heap
 *    of the 10,000 devices collected in an array, with Mosyle's default 100 rows per page and with `pageSize: 1000`.
 * 2. Rename 10,000 iPads and put them in 40 carts (shared device groups) of 250: requests
 *    and simulated time, against the same client sending one request per device
 *    (`updateChunkSize: 1`, `commandChunkSize: 1`). Goal: ≤ 250 requests in all.
 * 3. Reading the 10,000 names back once (`confirmUpdate`, one pass), reported apart.
 */

import { VirtualClock } from '@schoolmdm/core/testing';
import { getResponse } from 'msw';
import type { BenchReport, BenchRow } from '../../../bench/harness.js';
import { MosyleClient, type MosyleClientOptions } from '../src/index.js';
import { createMosyleSimulator, type MosyleSimulator } from '../src/testing/index.js';

const DEVICES = 10_000;
const CARTS = 40;
const LATENCY_MS = 400;

function setup(extra: Partial<MosyleClientOptions> = {}): {
  sim: MosyleSimulator;
  client: MosyleClient;
  clock: VirtualClock;
} {
  const clock = new VirtualClock();
  const sim = createMosyleSimulator(
    {
      devices: Array.from({ length: DEVICES }, (_, i) => ({
        serialNumber: `DMPB${String(i).padStart(6, '0')}`,
        udid: `UDID-${i}`,
      })),
      sharedDeviceGroups: Array.from({ length: CARTS }, (_, i) => ({
        id: String(i + 1),
        name: `Cart ${i + 1}`,
        os: 'ios' as const,
        udids: [],
      })),
    },
    { now: clock.clock },
  );
  const client = new MosyleClient({
    ...sim.state.credentials,
    now: clock.clock,
    sleep: clock.sleep,
    // The simulator answers in-process after a simulated network latency.
    fetch: async (url, init) => {
      await clock.sleep(LATENCY_MS);
      const response = await getResponse(sim.handlers, new Request(url, init as RequestInit));
      return response ?? new Response('no handler', { status: 501 });
    },
    ...extra,
  });
  return { sim, client, clock };
}

async function listAll(pageSize?: number): Promise<BenchRow> {
  const { sim, client, clock } = setup(pageSize ? { pageSize } : {});
  globalThis.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let count = 0;
  const start = clock.now;
  await clock.run(
    (async () => {
      for await (const d of client.devices.list({ os: 'ios' })) {
        if (d.udid) count++;
        // Retained heap (after a GC when exposed): what streaming keeps alive, not garbage.
        if (count % 1000 === 0) {
          globalThis.gc?.();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      }
    })(),
  );
  if (count !== DEVICES) throw new Error(`listed ${count} devices, expected ${DEVICES}`);
  const requests = sim.state.requests.length;
  const simulated = clock.now - start;
  // Baseline in the same run: the heap that 10,000 collected devices take.
  globalThis.gc?.();
  const base2 = process.memoryUsage().heapUsed;
  const all = await clock.run(
    (async () => {
      const out = [];
      for await (const d of client.devices.list({ os: 'ios' })) out.push(d);
      return out;
    })(),
  );
  globalThis.gc?.();
  const collected = process.memoryUsage().heapUsed - base2;
  if (all.length !== DEVICES) throw new Error('collect failed');
  await client.close();
  return {
    name: `list ${DEVICES} devices${pageSize ? ` (pageSize ${pageSize})` : ' (100 per page)'}`,
    goal: 'streamed: peak heap growth below the heap of 10,000 collected devices',
    ratio: (peak - base) / collected,
    pass: peak - base < collected,
    metrics: {
      requests,
      'simulated s': simulated / 1000,
      'peak retained heap growth MB': (peak - base) / 1e6,
      'collected devices MB': collected / 1e6,
      gcExposed: globalThis.gc ? 'yes' : 'no (run node --expose-gc for exact figures)',
    },
  };
}

async function renameAndGroup(perDevice: boolean): Promise<{ requests: number; simulatedMs: number; ok: boolean }> {
  const { sim, client, clock } = setup(perDevice ? { updateChunkSize: 1, commandChunkSize: 1 } : {});
  const start = clock.now;
  const run = async () => {
    const devices = sim.state.devices;
    const updates = devices.map((d, i) => ({
      serialNumber: d.serialNumber as string,
      name: `Cart ${(i % CARTS) + 1} – ${Math.floor(i / CARTS) + 1}`,
    }));
    const renamed = await client.devices.update(updates);
    let ok = renamed.ok;
    // The UDIDs come with the devices (a real run gets them from findBySerial or the listing).
    for (let cart = 0; cart < CARTS; cart++) {
      const udids = devices.filter((_, i) => i % CARTS === cart).map((d) => d.udid);
      const added = await client.sharedDeviceGroups.addDevices(String(cart + 1), udids);
      ok &&= added.ok;
    }
    return ok;
  };
  const ok = await clock.run(run());
  await client.close();
  return { requests: sim.state.requests.length, simulatedMs: clock.now - start, ok };
}

async function confirmOnce(): Promise<BenchRow> {
  const { sim, client, clock } = setup();
  const updates = sim.state.devices.map((d, i) => ({ serialNumber: d.serialNumber as string, name: `N${i}` }));
  await clock.run(client.devices.update(updates));
  const before = sim.state.requests.length;
  const start = clock.now;
  const r = await clock.run(client.devices.confirmUpdate(updates, { os: 'ios', timeoutMs: 0 }));
  await client.close();
  if (!r.ok) throw new Error('confirmation failed');
  return {
    name: `confirm ${DEVICES} renames (one read pass)`,
    metrics: { requests: sim.state.requests.length - before, 'simulated s': (clock.now - start) / 1000 },
  };
}

export default async function (): Promise<BenchReport> {
  const rows: BenchRow[] = [await listAll(), await listAll(1000)];
  const sdk = await renameAndGroup(false);
  const naive = await renameAndGroup(true);
  if (!sdk.ok || !naive.ok) throw new Error('rename-and-group did not succeed');
  rows.push({
    name: `rename ${DEVICES} + add to ${CARTS} carts`,
    goal: '≤ 250 requests',
    pass: sdk.requests <= 250,
    ratio: sdk.requests / naive.requests,
    metrics: {
      requests: sdk.requests,
      'per-device requests': naive.requests,
      'simulated s': sdk.simulatedMs / 1000,
      'per-device simulated s': naive.simulatedMs / 1000,
      'time ratio': sdk.simulatedMs / naive.simulatedMs,
    },
  });
  rows.push(await confirmOnce());
  return { id: 'mosyle', rows };
}
