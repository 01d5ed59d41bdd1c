/** DEP fixtures: a server token (certs' own `ServerToken` class) and a simulator on a virtual clock. */
import { ServerToken } from '@schoolmdm/certs';
import { VirtualClock } from '@schoolmdm/core/testing';
import { DepClient, type DepClientOptions } from '../../src/index.js';
import {
  createDepSimulator,
  type DepSimInit,
  type DepSimulator,
  type DepSimulatorOptions,
  makeSerials,
} from '../../src/testing/index.js';

export const TOKEN_FIELDS = {
  consumerKey: 'CK_3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6',
  consumerSecret: 'CS_9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c',
  accessToken: 'AT_O1234567890Oabcdef1234567890abcdef12345678Oabcdef1234567890',
  accessSecret: 'AS_1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
};

export interface DepOrg {
  sim: DepSimulator;
  clock: VirtualClock;
  token: ServerToken;
  serials: string[];
}

export function makeDepOrg(count: number, init: DepSimInit = {}, options: DepSimulatorOptions = {}): DepOrg {
  const clock = new VirtualClock();
  const token = new ServerToken({ ...TOKEN_FIELDS, accessTokenExpiry: new Date(clock.now + 300 * 86_400_000) });
  const serials = makeSerials(count, 'F9F');
  const sim = createDepSimulator(
    {
      now: clock.clock,
      tokens: [{ ...TOKEN_FIELDS, expiresAt: token.accessTokenExpiry.getTime() }],
      devices: serials.map((serial_number) => ({
        serial_number,
        model: 'iPad (9th generation)',
        device_family: 'iPad',
        os: 'iPadOS',
      })),
      ...init,
    },
    options,
  );
  return { sim, clock, token, serials };
}

export function makeDepClient(org: DepOrg, options: Partial<DepClientOptions> = {}): DepClient {
  return new DepClient({ token: org.token, now: org.clock.clock, sleep: org.clock.sleep, ...options });
}
