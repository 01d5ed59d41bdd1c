/** `checkAccess()`: one diagnosis per failure, never thrown, over msw and a real server. */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, ipads, type Peer } from './support/harness.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

for (const peer of ['msw', 'http'] as Peer[]) {
  describe(`checkAccess over ${peer}`, () => {
    let h: Harness;
    afterEach(async () => h.close());

    it('ok: login and a one-column listing', async () => {
      h = await harness(peer, server, { devices: ipads(3) });
      const r = await h.client.checkAccess();
      expect(r).toMatchObject({ ok: true, diagnosis: 'ok', iosDeviceCount: 3 });
      const list = h.sim.state.requests.find((x) => x.path === '/listdevices')?.body as {
        options: Record<string, unknown>;
      };
      expect(list.options).toMatchObject({ os: 'ios', specific_columns: ['deviceudid'] });
    });

    it('api-not-enabled: the free plan; says Premium is needed and the free-tier path still works', async () => {
      h = await harness(peer, server, { plan: 'free' });
      const r = await h.client.checkAccess();
      expect(r).toMatchObject({ ok: false, diagnosis: 'api-not-enabled', step: 'login', status: 403 });
      expect(r.message).toContain('Mosyle Manager Premium');
      expect(r.hint).toMatch(/free-tier path of this SDK.*still works/);
    });

    it('bad-token: a wrong or renewed access token', async () => {
      h = await harness(peer, server, {}, { accessToken: 'old-renewed-token' });
      expect(await h.client.checkAccess()).toMatchObject({
        ok: false,
        diagnosis: 'bad-token',
        code: 'Invalid accessToken',
        status: 401,
      });
    });

    it('bad-credentials: a wrong admin password', async () => {
      h = await harness(peer, server, {}, { password: 'wrong-password' });
      expect(await h.client.checkAccess()).toMatchObject({
        ok: false,
        diagnosis: 'bad-credentials',
        step: 'login',
        status: 401,
      });
    });

    it('ip-restricted: a Restricted token used from another IP', async () => {
      h = await harness(peer, server, { ipRestricted: true });
      const r = await h.client.checkAccess();
      expect(r).toMatchObject({ ok: false, diagnosis: 'ip-restricted', status: 403 });
      expect(r.hint).toContain('IP address');
    });

    it('network: Mosyle unreachable', async () => {
      h = await harness(peer, server, {}, { maxRetries: 0 });
      h.sim.state.faults.push({ kind: 'network' });
      expect(await h.clock.run(h.client.checkAccess())).toMatchObject({
        ok: false,
        diagnosis: 'network',
        step: 'login',
      });
    });

    it('network: Mosyle failing (503) on the listing after a good login', async () => {
      h = await harness(peer, server, {}, { maxRetries: 0 });
      h.sim.state.faults.push({ kind: 'http-503', path: '/listdevices' });
      expect(await h.client.checkAccess()).toMatchObject({
        ok: false,
        diagnosis: 'network',
        step: 'list',
        status: 503,
      });
    });

    it('api-not-enabled when the listing says NOT_ALLOWED', async () => {
      h = await harness(peer, server);
      h.sim.state.faults.push({
        kind: 'inner-status',
        status: 'NOT_ALLOWED',
        info: 'Not allowed',
        path: '/listdevices',
      });
      expect(await h.client.checkAccess()).toMatchObject({ ok: false, diagnosis: 'api-not-enabled', step: 'list' });
    });
  });
}

describe('checkAccess with replies the simulator does not make', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('network: a proxy answering HTML with 200', async () => {
    h = await harness('msw', server);
    server.use(
      http.post(
        '*/v2/login',
        () => new HttpResponse('<html>captive portal</html>', { headers: { 'content-type': 'text/html' } }),
      ),
    );
    expect(await h.client.checkAccess()).toMatchObject({ ok: false, diagnosis: 'network' });
  });

  it('bad-token: HTTP 401 {"error":"accessToken Required"}', async () => {
    h = await harness('msw', server);
    server.use(http.post('*/v2/login', () => HttpResponse.json({ error: 'accessToken Required' }, { status: 401 })));
    expect(await h.client.checkAccess()).toMatchObject({
      ok: false,
      diagnosis: 'bad-token',
      code: 'accessToken Required',
    });
  });
});
