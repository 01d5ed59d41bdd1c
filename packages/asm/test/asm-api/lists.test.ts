import { ConnectionError, InternalServerError, ResponseValidationError } from '@schoolmdm/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiCalls, CONFIGURATOR_ID, MOSYLE_ID, makeClient, makeOrg } from '../support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('orgDevices', () => {
  it('pages 2,500 devices by cursor at 1000 per page, rebuilding the URL against baseURL', async () => {
    const org = makeOrg(2500);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const devices = [];
    for await (const d of client.orgDevices.list()) devices.push(d);
    expect(devices).toHaveLength(2500);
    expect(new Set(devices.map((d) => d.serialNumber)).size).toBe(2500);
    const calls = apiCalls(org);
    expect(calls).toHaveLength(3);
    // links.next carries Apple's malformed host (api-school.apple): it was not followed.
    expect(calls.every((c) => c.path.startsWith('/v1/orgDevices?'))).toBe(true);
    expect(calls[1]?.path).toContain('cursor=');
    expect(calls[0]?.path).toContain('fields%5BorgDevices%5D=serialNumber');
  });

  it('pages with a small limit too, lazily (breaking early stops requesting)', async () => {
    const org = makeOrg(250);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const first = await org.clock.run(client.orgDevices.list({ limit: 100 }).toArray({ limit: 150 }));
    expect(first).toHaveLength(150);
    expect(apiCalls(org)).toHaveLength(2);
    expect(() => client.orgDevices.list({ limit: 1001 })).toThrow(/1 to 1000/);
  });

  it('keeps unknown attributes, tolerates purchaseSourceUid and an empty color', async () => {
    const org = makeOrg(1);
    const device = org.sim.state.devices.get(org.serials[0] as string);
    if (device) device.extra = { newAppleAttribute: 'x', color: '' };
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const [d] = await org.clock.run(client.orgDevices.list({ fields: 'all' }).toArray({ limit: 1 }));
    expect(d).toMatchObject({
      newAppleAttribute: 'x',
      color: '',
      purchaseSourceId: '1234567',
      productFamily: 'iPad',
      status: 'ASSIGNED',
    });
  });

  it('get: a device (id when the attribute is absent), undefined for 404', async () => {
    const org = makeOrg(2);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const d = await org.clock.run(client.orgDevices.get(org.serials[0] as string));
    expect(d?.serialNumber).toBe(org.serials[0]);
    expect(await org.clock.run(client.orgDevices.get('NOPE00000000'))).toBeUndefined();
  });

  it('assignedServer and appleCareCoverage', async () => {
    const org = makeOrg(2);
    const device = org.sim.state.devices.get(org.serials[0] as string);
    if (device)
      device.appleCare = [
        {
          id: 'H2WH2ZPXFFDG',
          status: 'ACTIVE',
          paymentType: 'PAID_UP_FRONT',
          agreementNumber: null,
          endDateTime: '2027-09-01T00:00:00Z',
        },
      ];
    const other = org.sim.state.devices.get(org.serials[1] as string);
    if (other) other.serverId = undefined;
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    expect((await org.clock.run(client.orgDevices.assignedServer(org.serials[0] as string)))?.id).toBe(CONFIGURATOR_ID);
    expect(await org.clock.run(client.orgDevices.assignedServer(org.serials[1] as string))).toBeUndefined();
    expect(await org.clock.run(client.orgDevices.assignedServer('NOPE00000000'))).toBeUndefined();
    const coverage = await org.clock.run(client.orgDevices.appleCareCoverage(org.serials[0] as string));
    expect(coverage).toEqual([
      {
        id: 'H2WH2ZPXFFDG',
        status: 'ACTIVE',
        paymentType: 'PAID_UP_FRONT',
        agreementNumber: null,
        endDateTime: '2027-09-01T00:00:00Z',
      },
    ]);
    expect(await org.clock.run(client.orgDevices.appleCareCoverage(org.serials[1] as string))).toEqual([]);
    expect(await org.clock.run(client.orgDevices.appleCareCoverage('NOPE00000000'))).toBeUndefined();
  });
});

describe('mdmServers', () => {
  it('devices(serverId) pages the serials of one server; findByName refuses an ambiguous name', async () => {
    const org = makeOrg(1200);
    org.sim.state.servers.set('FF'.repeat(16), {
      id: 'FF'.repeat(16),
      serverName: 'Mosyle Manager',
      serverType: 'MDM',
    });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    expect(await org.clock.run(client.mdmServers.devices(CONFIGURATOR_ID).toArray({ limit: 5000 }))).toHaveLength(1200);
    expect(await org.clock.run(client.mdmServers.devices(MOSYLE_ID).toArray({ limit: 5000 }))).toEqual([]);
    await expect(org.clock.run(client.mdmServers.findByName('Mosyle Manager'))).rejects.toThrow(
      /2 MDM servers are named/,
    );
  });
});

describe('faults', () => {
  it('retries a GET after a 5xx and a reset; a malformed body is a ResponseValidationError', async () => {
    const org = makeOrg(3, {
      faults: [
        { kind: 'server-error', status: 503, path: '/v1/mdmServers' },
        { kind: 'reset', path: '/v1/mdmServers' },
      ],
    });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    expect(await org.clock.run(client.mdmServers.list().toArray({ limit: 10 }))).toHaveLength(3);
    org.sim.state.faults.push({ kind: 'malformed', path: '/v1/orgDevices' });
    await expect(org.clock.run(client.orgDevices.list().toArray({ limit: 10 }))).rejects.toBeInstanceOf(
      ResponseValidationError,
    );
    org.sim.state.faults.push({ kind: 'server-error', status: 500, path: '/v1/orgDevices', times: 3 });
    await expect(org.clock.run(client.orgDevices.list().toArray({ limit: 10 }))).rejects.toBeInstanceOf(
      InternalServerError,
    );
    org.sim.state.faults.push({ kind: 'reset', path: '/v1/orgDevices', times: 4 });
    await expect(org.clock.run(client.orgDevices.list().toArray({ limit: 10 }))).rejects.toBeInstanceOf(
      ConnectionError,
    );
  });
});
