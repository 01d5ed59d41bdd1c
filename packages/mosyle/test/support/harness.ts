/**
 * Test harness: the simulator served by msw (`setupServer`, unhandled requests are errors)
 * or by core's real local HTTP server, and a client wired to the simulator's clock.
 */

import { startTestServer, type TestServer, VirtualClock } from '@schoolmdm/core/testing';
import { MosyleClient, type MosyleClientOptions } from '@schoolmdm/mosyle';
import {
  createMosyleSimulator,
  type MosyleSimSeed,
  type MosyleSimulator,
  toTestServerHandler,
} from '@schoolmdm/mosyle/testing';
import { http as mswHttp, passthrough } from 'msw';
import type { SetupServer } from 'msw/node';

export { VirtualClock };

/** How the simulator is reached. */
export type Peer = 'msw' | 'http';

export interface Harness {
  sim: MosyleSimulator;
  client: MosyleClient;
  clock: VirtualClock;
  /** Builds another client against the same simulator. */
  makeClient(overrides?: Partial<MosyleClientOptions>): MosyleClient;
  close(): Promise<void>;
}

/**
 * Starts a simulator on `peer`. With msw, `server` must be a listening `setupServer()`;
 * its handlers are replaced for this harness.
 */
export async function harness(
  peer: Peer,
  server: SetupServer | undefined,
  seed: MosyleSimSeed = {},
  overrides: Partial<MosyleClientOptions> = {},
): Promise<Harness> {
  const clock = new VirtualClock();
  const sim = createMosyleSimulator(seed, { now: clock.clock });
  let http: TestServer | undefined;
  let baseURL = 'https://managerapi.mosyle.com/v2';
  if (peer === 'msw') {
    server?.resetHandlers(...sim.handlers);
  } else {
    http = await startTestServer(toTestServerHandler(sim.handlers));
    baseURL = `${http.url}/v2`;
    // When msw is listening in the same file, let requests to the real server through.
    server?.resetHandlers(mswHttp.all(`${http.url}/*`, () => passthrough()));
  }
  const clients: MosyleClient[] = [];
  const makeClient = (o: Partial<MosyleClientOptions> = {}): MosyleClient => {
    const c = new MosyleClient({
      ...sim.state.credentials,
      baseURL,
      now: clock.clock,
      sleep: clock.sleep,
      ...overrides,
      ...o,
    });
    clients.push(c);
    return c;
  };
  const client = makeClient();
  return {
    sim,
    client,
    clock,
    makeClient,
    async close() {
      for (const c of clients) await c.close();
      await http?.close();
    },
  };
}

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** `n` iPads with serials `DMP00001`… */
export function ipads(n: number, extra: Record<string, unknown> = {}): MosyleSimSeed['devices'] {
  return Array.from({ length: n }, (_, i) => ({ serialNumber: `DMP${String(i + 1).padStart(5, '0')}`, ...extra }));
}
