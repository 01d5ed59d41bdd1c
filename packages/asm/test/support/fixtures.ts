/** Shared fixtures of the asm tests: an organisation, an API account, a client on a virtual clock. */

import { VirtualClock } from '@schoolmdm/core/testing';
import { AsmClient, type AsmClientOptions } from '../../src/index.js';
import {
  type AsmSimInit,
  type AsmSimulator,
  type AsmSimulatorOptions,
  createAsmApiAccount,
  createAsmSimulator,
  makeAsmDevices,
  makeSerials,
  type TestAsmApiAccount,
} from '../../src/testing/index.js';

export { VirtualClock };

export const MOSYLE_ID = '1F97349736CF4614A94F624E705841AD';
export const CONFIGURATOR_ID = '0C1A5D9E2B7F4E3A9D8C7B6A5F4E3D2C';
export const OLD_MDM_ID = 'AA11BB22CC33DD44EE55FF6677889900';

/** One API account shared by the tests (key generation is slow-ish). */
export const account: TestAsmApiAccount = createAsmApiAccount();

export interface Org {
  sim: AsmSimulator;
  clock: VirtualClock;
  serials: string[];
}

/** An organisation with `count` iPads on the Apple Configurator server. */
export function makeOrg(count: number, init: AsmSimInit = {}, options: AsmSimulatorOptions = {}): Org {
  const clock = new VirtualClock();
  const serials = makeSerials(count);
  const sim = createAsmSimulator(
    {
      now: clock.clock,
      accounts: [account],
      servers: [
        { id: MOSYLE_ID, serverName: 'Mosyle Manager', serverType: 'MDM', defaultProductFamilies: ['IPAD'] },
        { id: CONFIGURATOR_ID, serverName: 'Apple Configurator', serverType: 'APPLE_CONFIGURATOR' },
        { id: OLD_MDM_ID, serverName: 'Jamf School', serverType: 'MDM' },
      ],
      devices: makeAsmDevices(serials, { serverId: CONFIGURATOR_ID, updatedAt: clock.now - 86_400_000 }),
      ...init,
    },
    options,
  );
  return { sim, clock, serials };
}

/** A client on the org's virtual clock. */
export function makeClient(org: Org, options: Partial<AsmClientOptions> = {}): AsmClient {
  return new AsmClient({
    clientId: account.clientId,
    keyId: account.keyId,
    privateKeyPem: account.privateKeyPem,
    now: org.clock.clock,
    sleep: org.clock.sleep,
    ...options,
  });
}

/** API calls (not token or log downloads) the simulator answered. */
export function apiCalls(org: Org, method?: string) {
  return org.sim.state.calls.filter((c) => c.kind === 'api' && (method === undefined || c.method === method));
}
