import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiCalls, CONFIGURATOR_ID, MOSYLE_ID, makeClient, makeOrg } from '../support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('AsmClient against the simulator', () => {
  it('lists servers, finds one by name and reads its devices', async () => {
    const org = makeOrg(25);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const servers = await org.clock.run(client.mdmServers.list().toArray({ limit: 10 }));
    expect(servers.map((s) => s.serverName)).toEqual(['Mosyle Manager', 'Apple Configurator', 'Jamf School']);
    expect(servers[1]).toMatchObject({ id: CONFIGURATOR_ID, serverType: 'APPLE_CONFIGURATOR', deviceCount: 25 });
    const mosyle = await org.clock.run(client.mdmServers.findByName(' mosyle manager '));
    expect(mosyle?.id).toBe(MOSYLE_ID);
    expect(await org.clock.run(client.mdmServers.findByName('nope'))).toBeUndefined();
    const serials = await org.clock.run(client.mdmServers.devices(CONFIGURATOR_ID).toArray({ limit: 100 }));
    expect(serials).toEqual(org.serials);
  });

  it('assigns, waits, reads the log and verifies', async () => {
    const org = makeOrg(30);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const result = await org.clock.run(
      client.activities.assignDevices({
        serverId: MOSYLE_ID,
        serials: [...org.serials, 'ZZZZ00001111', 'bad!', org.serials[0] as string],
      }),
    );
    expect(result.activities).toHaveLength(1);
    expect(result.rejected.map((r) => r.code)).toEqual(['invalid-characters', 'duplicate']);
    const done = await org.clock.run(
      client.activities.waitUntilDone(result.activities[0]!.id, { pollIntervalMs: 5000 }),
    );
    expect(done.status).toBe('COMPLETED');
    const log = await org.clock.run(client.activities.log(done));
    expect(log).toHaveLength(30);
    expect(log.every((e) => e.succeeded)).toBe(true);
    const check = await org.clock.run(
      client.verifyAssignment({ serverId: MOSYLE_ID, serials: [...org.serials, 'ZZZZ00001111'] }),
    );
    expect(check.byState.assigned).toHaveLength(30);
    expect(check.byState['not-in-org']).toEqual(['ZZZZ00001111']);
    expect(apiCalls(org).length).toBeLessThan(12);
  });
});
