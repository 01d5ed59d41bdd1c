/**
 * The same simulator behind a real `node:http` server (core's startTestServer): every method of
 * the client over real sockets, with the client's own keep-alive pool (no msw interception).
 */
import { startTestServer, type TestServer } from '@schoolmdm/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsmClient } from '../../src/index.js';
import { createAsmSimulator, makeAsmDevices, makeSerials, toTestServerHandler } from '../../src/testing/index.js';
import { account, CONFIGURATOR_ID, MOSYLE_ID, VirtualClock } from '../support/fixtures.js';

const clock = new VirtualClock();
const serials = makeSerials(1500);
const sim = createAsmSimulator(
  {
    now: clock.clock,
    accounts: [account],
    servers: [
      { id: MOSYLE_ID, serverName: 'Mosyle Manager', serverType: 'MDM' },
      { id: CONFIGURATOR_ID, serverName: 'Apple Configurator', serverType: 'APPLE_CONFIGURATOR' },
    ],
    devices: makeAsmDevices(serials, {
      serverId: CONFIGURATOR_ID,
      isMdmMigrationCapable: true,
      updatedAt: clock.now - 86_400_000,
    }),
    config: { logLinkTtlMs: 60_000 },
  },
  { anyOrigin: true },
);
let server: TestServer;
let client: AsmClient;

beforeAll(async () => {
  server = await startTestServer(toTestServerHandler(sim.handlers));
  client = new AsmClient({
    clientId: account.clientId,
    keyId: account.keyId,
    privateKeyPem: account.privateKeyPem,
    baseURL: `${server.url}/v1`,
    tokenURL: `${server.url}/auth/oauth2/token`,
    now: clock.clock,
    sleep: clock.sleep,
  });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe('AsmClient over a real local HTTP server', () => {
  it('reads servers, devices, one device, its server and coverage', async () => {
    expect((await clock.run(client.mdmServers.findByName('Mosyle Manager')))?.id).toBe(MOSYLE_ID);
    expect(await clock.run(client.orgDevices.list().toArray({ limit: 5000 }))).toHaveLength(1500);
    expect(await clock.run(client.mdmServers.devices(CONFIGURATOR_ID).toArray({ limit: 5000 }))).toHaveLength(1500);
    expect((await clock.run(client.orgDevices.get(serials[0] as string)))?.serialNumber).toBe(serials[0]);
    expect(await clock.run(client.orgDevices.get('NOPE00000000'))).toBeUndefined();
    expect((await clock.run(client.orgDevices.assignedServer(serials[0] as string)))?.id).toBe(CONFIGURATOR_ID);
    expect(await clock.run(client.orgDevices.appleCareCoverage(serials[0] as string))).toEqual([]);
    // The token request went to the local server with a form body.
    const tokenCall = server.requests.find((r) => r.url === '/auth/oauth2/token');
    expect(tokenCall?.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
  });

  it('plans, migrates, waits, reads the log (expired link refreshed), verifies, updates and cancels', async () => {
    const plan = await clock.run(client.planMigration({ serverId: MOSYLE_ID, serials: serials.slice(0, 1200) }));
    expect(plan.byCategory['migration-capable']).toHaveLength(1200);
    const deadline = new Date(clock.now + 14 * 86_400_000);
    const since = new Date(clock.now);
    const result = await clock.run(
      client.activities.assignWithMigrationDeadline({
        serverId: MOSYLE_ID,
        serials: plan.byCategory['migration-capable'],
        deadline,
      }),
    );
    expect(result.activities).toHaveLength(2);
    const done = [];
    for (const a of result.activities)
      done.push(await clock.run(client.activities.waitUntilDone(a.id, { pollIntervalMs: 2000 })));
    clock.now += 120_000; // the links expired
    const log = await clock.run(client.activities.log(done[0] as never));
    expect(log).toHaveLength(1000);
    const logRequests = server.requests.filter((r) => r.url.startsWith('/__asm-activity-logs/'));
    expect(logRequests.every((r) => r.headers.authorization === undefined)).toBe(true);
    const check = await clock.run(
      client.verifyAssignment({ serverId: MOSYLE_ID, serials: serials.slice(0, 1300), since, maxRereads: 0 }),
    );
    expect(check.byState.assigned).toHaveLength(1200);
    // Not written since `since` and not on the target: Apple may not have caught up.
    expect(check.byState.unknown).toHaveLength(100);
    const update = await clock.run(
      client.activities.updateMigrationDeadline({
        serials: serials.slice(0, 10),
        deadline: new Date(clock.now + 86_400_000),
      }),
    );
    expect(update.activities).toHaveLength(1);
    const cancel = await clock.run(client.activities.cancelMigration({ serials: serials.slice(0, 10) }));
    expect(cancel.activities).toHaveLength(1);
    const unassign = await clock.run(
      client.activities.unassignDevices({ serverId: MOSYLE_ID, serials: serials.slice(10, 20) }),
    );
    expect(unassign.activities).toHaveLength(1);
    await clock.run(client.activities.waitUntilDone(unassign.activities[0]?.id as string, { pollIntervalMs: 2000 }));
    expect(sim.state.devices.get(serials[0] as string)?.serverId).toBe(CONFIGURATOR_ID);
    expect(sim.state.devices.get(serials[10] as string)?.serverId).toBeUndefined();
    const plain = await clock.run(
      client.activities.assignDevices({ serverId: MOSYLE_ID, serials: serials.slice(1400) }),
    );
    expect(plain.activities).toHaveLength(1);
    expect((await clock.run(client.activities.get(plain.activities[0]?.id as string))).id).toBe(
      plain.activities[0]?.id,
    );
  });
});
