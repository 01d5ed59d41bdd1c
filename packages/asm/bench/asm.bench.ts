/**
 * Assign and verify 10,000 serials on the Apple School Manager simulator under the default
 * limits (20 GET/min, 10 POST/h), on a virtual clock: API calls and simulated wall time of the
 * client's path (activities of 1000, wait, paged verification) against a naive verification that
 * reads each device's server with one GET (≈10,010 calls). A second run with 25,000 serials
 * needs 25 activities, so the POST limit sets the floor (two full hours).
 *
 * Goal: ≤ 40 API calls for 10,000 serials, and a simulated time within 5 % of the floor. The
 * floor is the earliest the last activity can be created under the POST window, plus the
 * simulator's processing time of an activity (60 s here): nothing can finish earlier.
 */

import { VirtualClock } from '@schoolmdm/core/testing';
import { setupServer } from 'msw/node';
import type { BenchReport, BenchRow } from '../../../bench/harness.js';
import { ASM_REQUEST_BUDGETS, AsmClient } from '../src/index.js';
import { createAsmApiAccount, createAsmSimulator, makeAsmDevices, makeSerials } from '../src/testing/index.js';

const MOSYLE = '1F97349736CF4614A94F624E705841AD';
const CONFIGURATOR = '0C1A5D9E2B7F4E3A9D8C7B6A5F4E3D2C';
const PROCESSING_MS = 60_000;
const account = createAsmApiAccount();
const server = setupServer();

interface Run {
  apiCalls: number;
  gets: number;
  posts: number;
  tokenCalls: number;
  simulatedMs: number;
  assigned: number;
  got429: number;
}

async function scenario(count: number, naive: boolean): Promise<Run> {
  const clock = new VirtualClock();
  const serials = makeSerials(count);
  const sim = createAsmSimulator({
    now: clock.clock,
    accounts: [account],
    servers: [
      { id: MOSYLE, serverName: 'Mosyle Manager', serverType: 'MDM' },
      { id: CONFIGURATOR, serverName: 'Apple Configurator', serverType: 'APPLE_CONFIGURATOR' },
    ],
    devices: makeAsmDevices(serials, { serverId: CONFIGURATOR, updatedAt: clock.now - 86_400_000 }),
    config: { processingMs: PROCESSING_MS, pollsBeforeDone: 0 },
  });
  server.resetHandlers(...sim.handlers);
  const client = new AsmClient({
    clientId: account.clientId,
    keyId: account.keyId,
    privateKeyPem: account.privateKeyPem,
    now: clock.clock,
    sleep: clock.sleep,
  });
  const t0 = clock.now;
  const work = async (): Promise<number> => {
    const { activities, failed } = await client.activities.assignDevices({ serverId: MOSYLE, serials });
    if (failed.length > 0) throw new Error(`assignment failed: ${String(failed[0]?.error)}`);
    for (const a of activities)
      await client.activities.waitUntilDone(a.id, { pollIntervalMs: PROCESSING_MS, timeoutMs: 6 * 3_600_000 });
    if (!naive) {
      const check = await client.verifyAssignment({ serverId: MOSYLE, serials });
      return check.byState.assigned.length;
    }
    let assigned = 0;
    for (const s of serials) if ((await client.orgDevices.assignedServer(s))?.id === MOSYLE) assigned++;
    return assigned;
  };
  const assigned = await clock.run(work());
  const api = sim.state.calls.filter((c) => c.kind === 'api');
  return {
    apiCalls: api.length,
    gets: api.filter((c) => c.method === 'GET').length,
    posts: api.filter((c) => c.method === 'POST').length,
    tokenCalls: sim.state.calls.filter((c) => c.kind === 'token').length,
    simulatedMs: clock.now - t0,
    assigned,
    got429: api.filter((c) => c.status === 429).length,
  };
}

/** Earliest completion the POST window allows: the last activity's start, plus its processing. */
function floorMs(count: number): number {
  const posts = Math.ceil(count / 1000);
  const { requests, perMs } = ASM_REQUEST_BUDGETS.asmApi.post;
  return Math.floor((posts - 1) / requests) * perMs + PROCESSING_MS;
}

export default async function (): Promise<BenchReport> {
  server.listen({ onUnhandledRequest: 'error' });
  const rows: BenchRow[] = [];
  try {
    for (const count of [10_000, 25_000]) {
      const ours = await scenario(count, false);
      const floor = floorMs(count);
      const ratio = ours.simulatedMs / floor;
      const metrics: Record<string, number | string> = {
        serials: count,
        apiCalls: ours.apiCalls,
        posts: ours.posts,
        gets: ours.gets,
        tokenRequests: ours.tokenCalls,
        http429: ours.got429,
        simulatedMin: ours.simulatedMs / 60_000,
        floorMin: floor / 60_000,
        timeVsFloor: ratio,
        verifiedAssigned: ours.assigned,
      };
      if (count === 10_000) {
        const naive = await scenario(count, true);
        metrics.naiveApiCalls = naive.apiCalls;
        metrics.naiveSimulatedMin = naive.simulatedMs / 60_000;
        metrics.callsVsNaive = ours.apiCalls / naive.apiCalls;
      }
      const callGoal = count === 10_000 ? ours.apiCalls <= 40 : true;
      rows.push({
        name: `assign + verify ${count.toLocaleString('en')} serials (default limits, virtual clock)`,
        goal: count === 10_000 ? '≤ 40 API calls and ≤ 1.05× the POST-limit floor' : '≤ 1.05× the POST-limit floor',
        pass: callGoal && ratio <= 1.05 && ours.assigned === count && ours.got429 === 0,
        ratio,
        metrics,
      });
    }
  } finally {
    server.close();
  }
  return { id: 'asm', rows };
}
