/** The DEP simulator behind a real `node:http` server: the client over real sockets, no msw interception. */
import { startTestServer } from '@schoolmdm/core/testing';
import { describe, expect, it } from 'vitest';
import { addDepDevice, toTestServerHandler } from '../../src/testing/index.js';
import { makeDepClient, makeDepOrg } from '../support/dep-fixtures.js';

const PROFILE = {
  profile_name: 'École du Parc',
  url: 'https://school.mosyle.com/enroll',
  is_supervised: true,
  await_device_configured: true,
};

describe('over a real local HTTP server', () => {
  it('session, fetch, sync, details, define/assign/remove profile', async () => {
    const org = makeDepOrg(1500, {}, { anyOrigin: true });
    const local = await startTestServer(toTestServerHandler(org.sim.handlers));
    try {
      const dep = makeDepClient(org, { baseURL: local.url });
      let cursor = '';
      const all = await org.clock.run(
        dep.devices.fetch({ onCursor: (c) => void (cursor = c) }).toArray({ limit: 5000 }),
      );
      expect(all).toHaveLength(1500);
      addDepDevice(org.sim.state, { serial_number: 'NEWIPAD00001' });
      expect(
        (await org.clock.run(dep.devices.sync(cursor).toArray({ limit: 10 }))).map((d) => d.serial_number),
      ).toEqual(['NEWIPAD00001']);
      expect(Object.keys((await org.clock.run(dep.devices.details(org.serials.slice(0, 3)))).devices)).toHaveLength(3);
      const { profileUuid } = await org.clock.run(dep.profiles.define(PROFILE));
      const r = await org.clock.run(dep.profiles.assign(profileUuid, org.serials));
      expect(r.succeeded).toHaveLength(1500);
      expect((await org.clock.run(dep.profiles.remove(org.serials.slice(0, 2)))).results).toEqual({
        [org.serials[0] as string]: 'SUCCESS',
        [org.serials[1] as string]: 'SUCCESS',
      });
      expect((await org.clock.run(dep.account())).org_type).toBe('edu');
      expect((await org.clock.run(dep.profiles.get(profileUuid)))?.url).toBe(PROFILE.url);
      org.sim.state.config.throttled.set(org.serials[5] as string, 1);
      const retried = await org.clock.run(dep.profiles.assignWithRetry(profileUuid, org.serials.slice(0, 10)));
      expect(retried).toMatchObject({ rounds: 2, throttled: [] });
      const gone = await org.clock.run(dep.devices.disown([org.serials[9] as string], { allowDestructive: true }));
      expect(gone.results).toEqual({ [org.serials[9] as string]: 'SUCCESS' });
      const session = local.requests.find((q) => q.url === '/session');
      expect(session?.headers.authorization).toMatch(/^OAuth .*oauth_signature_method="HMAC-SHA1"/);
      expect(local.requests.every((q) => q.headers['user-agent'])).toBe(true);
      await dep.close();
    } finally {
      await local.close();
    }
  });
});
