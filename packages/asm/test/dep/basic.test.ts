import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeDepClient, makeDepOrg } from '../support/dep-fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('DepClient against the simulator', () => {
  it('authenticates, reads the account, fetches and syncs', async () => {
    const org = makeDepOrg(250);
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    const account = await org.clock.run(dep.account());
    expect(account.server_name).toBe('Mosyle Manager');
    const cursors: string[] = [];
    const devices = await org.clock.run(
      dep.devices.fetch({ limit: 100, onCursor: (c) => void cursors.push(c) }).toArray({ limit: 1000 }),
    );
    expect(devices.map((d) => d.serial_number)).toEqual(org.serials);
    expect(cursors).toHaveLength(3);
    expect(dep.sessionRequests).toBe(1);
  });
});
